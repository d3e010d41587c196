/** The API routes an app calls with a token: verify, badge, notify and users. */
import type * as http from 'http';
import { BODY_FIELD_ERROR, badRequestPage, errorAnswer, json, SUCCESS_ANSWER, type Answer } from './answers';
import { DEFAULT_PAGE_SIZE, JSON_TYPE, MAX_PAGE_SIZE, UNREAD_LIMIT, VERSION } from './constants';
import { pagingNumber, parseBody, schemaNumber, schemaString, searchText } from './parsing';
import { checksum, type SimState } from './state';
import { decodeAppToken, fail, isBlocked, isLoadable, originOk } from './tokenChecks';
import { apiUrl, publicUser } from './userObjects';

export function handleVerify(state: SimState, query: Record<string, string>, ip: string, headers: http.IncomingHttpHeaders): Answer {
	if (isBlocked(state, ip)) return errorAnswer('error-blocked-ip');
	const token = query.accesstoken;
	if (token === undefined || token.length < 30) return fail(state, ip, 'error-invalid-accesstoken');
	const session = state.sessions.get(token);
	const record = session === undefined ? undefined : state.users.get(session.userId);
	// A made-up token, a session replaced by a later login, or a user the server does not load:
	// all the same unknown token to the server, and each one counts.
	if (session === undefined || session.replaced || session.expiresAt < Date.now() || record === undefined || !isLoadable(record)) {
		return fail(state, ip, 'error-invalid-accesstoken');
	}
	if (!originOk(state, headers)) return fail(state, ip, 'error-invalid-origin');
	// Idle: the user is offline; this one is not counted.
	if (!session.alive) return errorAnswer('error-offline');

	const meta: Record<string, unknown> = {
		date: new Date().toISOString(),
		url: session.appUrl,
		id: state.appId,
		openplatform: state.baseUrl,
		openplatformid: state.openplatformId,
		email: 'info@openplatform.test',
		verifytoken: checksum(`verify:${state.secret}`),
		name: 'OpenPlatform Simulator',
		version: VERSION,
		profile: publicUser(state, record),
		meta: apiUrl(state, 'meta', record.token),
	};
	if (state.allowReadUsers) meta.users = apiUrl(state, 'users', record.token);
	meta.services = apiUrl(state, 'services', record.token);
	return json(meta, state.originToken === undefined ? undefined : { 'X-Origin': state.originToken });
}

export function handleBadge(state: SimState, query: Record<string, string>, ip: string, headers: http.IncomingHttpHeaders): Answer {
	const decoded = decodeAppToken(state, query.accesstoken, ip, headers);
	if (!('user' in decoded)) return decoded;
	// An app revoked from the user still answers success.
	if (!decoded.user.appRevoked) decoded.badges++;
	return SUCCESS_ANSWER;
}

export function handleNotify(
	state: SimState,
	query: Record<string, string>,
	ip: string,
	headers: http.IncomingHttpHeaders,
	contentType: string | undefined,
	raw: Buffer,
): Answer {
	const parsed = parseBody(contentType, raw);
	if ('invalid' in parsed) return badRequestPage(parsed.invalid);
	const { body } = parsed;

	// Schema validation comes before the token.
	const text = schemaString(body.body);
	if (text === '') return { status: 400, contentType: JSON_TYPE, body: BODY_FIELD_ERROR };
	const kind = schemaNumber(body.type);
	const data = schemaString(body.data);

	const decoded = decodeAppToken(state, query.accesstoken, ip, headers);
	if (!('user' in decoded)) return decoded;
	const user = decoded.user;
	if (!state.allowNotifications) return errorAnswer('error-permissions');
	// The same code, not counted, whether the user turned notifications off or the app was revoked.
	if (user.notifications === false || user.appRevoked) return errorAnswer('error-accessible');
	if (user.mutedApp) return errorAnswer('error-notifications-muted');

	decoded.unread++;
	if (decoded.unread <= UNREAD_LIMIT) {
		state.notifications.push({ userId: user.id, type: kind, body: text, data, at: Date.now() });
	}
	return SUCCESS_ANSWER;
}

/**
 * The users list. Shape (Total.js DBMS list): `{ items, count, page, limit, pages }` with
 * `count` = all matching users, `pages` = ceil(count / limit) (0 when nothing matches),
 * `page` = the 1-based page asked for (a page past the end gives `items: []`). Newest users
 * first. `limit` defaults to 500 and is capped at 1000. An invalid or zero `page` or `limit`
 * (anything but a positive integer; empty counts as absent) answers the first page with the
 * default / valid limit, but with `page: null` and `pages: null` (the quirk).
 */
export function handleUsers(state: SimState, query: Record<string, string>, ip: string, headers: http.IncomingHttpHeaders): Answer {
	const decoded = decodeAppToken(state, query.accesstoken, ip, headers);
	if (!('user' in decoded)) return decoded;
	if (!state.allowReadUsers) return errorAnswer('error-permissions');

	const page = pagingNumber(query.page);
	const limitAsked = pagingNumber(query.limit);
	const quirk = page === null || limitAsked === null;
	const limit = Math.min(limitAsked ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
	const pageNumber = page ?? 1;

	const ids = query.id ? new Set(query.id.split(',')) : undefined;
	const q = query.q ? searchText(query.q.trim()) : '';
	const group = query.group || query.groups || '';
	// 4.9 reads role / roles into an option it never uses: the filter does nothing.

	const skip = (pageNumber - 1) * limit;
	const items: Record<string, unknown>[] = [];
	let count = 0;
	for (let i = state.ordered.length - 1; i >= 0; i--) {
		const record = state.ordered[i];
		const user = record.user;
		if (ids !== undefined && !ids.has(user.id)) continue;
		if (q !== '' && !record.search.includes(q)) continue;
		if (group !== '' && !user.groups.includes(group)) continue;
		if (count >= skip && items.length < limit) items.push(publicUser(state, record));
		count++;
	}
	return json({
		items,
		count,
		page: quirk ? null : pageNumber,
		limit,
		pages: quirk ? null : Math.ceil(count / limit),
	});
}
