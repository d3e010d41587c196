/** The OAuth 2.0 routes: authorize, token and profile. */
import { randomBytes } from 'crypto';
import type * as http from 'http';
import { badRequestPage, errorAnswer, json, LOGIN_ANSWER, type Answer } from './answers';
import { HTML_TYPE } from './constants';
import { convertString, headerValue, parseBody } from './parsing';
import { login } from './sessions';
import type { SimState, UserRecord } from './state';
import { rawUser } from './userObjects';

export function authorizeFor(state: SimState, record: UserRecord | undefined, clientId: string, redirectUri: string): Answer {
	if (record === undefined) return LOGIN_ANSWER;
	if (!state.oauthEnabled) return errorAnswer('error-nooauth');
	if (!redirectUri || !clientId) return errorAnswer('error-data');
	if (!state.clients.has(clientId)) return errorAnswer('error-invalid-clientkey');
	let session = record.current;
	if (session === undefined || session.expiresAt < Date.now()) session = login(state, record, state.defaultAppUrl);
	// Appended blindly: a redirect_uri with a query string ends up with two '?'.
	return { status: 302, contentType: HTML_TYPE, body: '', headers: { Location: `${redirectUri}?code=${session.code}` } };
}

export function handleToken(state: SimState, contentType: string | undefined, raw: Buffer): Answer {
	const parsed = parseBody(contentType, raw, true);
	if ('invalid' in parsed) return badRequestPage(parsed.invalid);
	const { body } = parsed;
	if (!state.oauthEnabled) return errorAnswer('error-nooauth');

	// HTTP Basic client authentication is not supported: the Authorization header is ignored.
	const code = convertString(body.code);
	const clientId = convertString(body.client_id);
	const clientSecret = convertString(body.client_secret);
	const session = code === '' ? undefined : state.sessionsByCode.get(code);
	if (session === undefined || session.expiresAt < Date.now()) return errorAnswer('error-invalid-accesstoken');
	const client = state.clients.get(clientId);
	if (client === undefined || client.secret !== clientSecret) return errorAnswer(state.oauthClientError);

	const key = `${session.id}|${client.id}`;
	let accessToken = state.issued.get(key);
	if (accessToken === undefined) {
		accessToken = randomBytes(36).toString('base64url');
		state.issued.set(key, accessToken);
		state.accessTokens.set(accessToken, { sessionId: session.id, userId: session.userId, clientId: client.id });
	}
	return json({ access_token: accessToken, expire: new Date(session.expiresAt).toISOString() });
}

export function handleProfile(state: SimState, headers: http.IncomingHttpHeaders): Answer {
	if (!state.oauthEnabled) return errorAnswer('error-nooauth');
	// Like the real server: the second word of the header, whatever the scheme.
	const token = (headerValue(headers.authorization) ?? '').split(' ')[1];
	if (!token) return errorAnswer('error-invalid-accesstoken');
	const grant = state.accessTokens.get(token);
	if (grant === undefined) return errorAnswer('error-invalid-accesstoken');
	const client = state.clients.get(grant.clientId);
	const record = state.users.get(grant.userId);
	if (client === undefined || record === undefined) return errorAnswer('error-invalid-accesstoken');
	if (record.user.inactive) return errorAnswer('error-inactive');
	if (record.user.blocked) return errorAnswer('error-blocked');
	// Neither logout nor session expiry is checked here.
	return json(rawUser(record, client.fullProfile));
}
