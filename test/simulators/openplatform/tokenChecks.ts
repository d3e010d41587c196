/**
 * Token checks as OpenPlatform 4.9's FUNC.decodetoken does them: the IP block, the app token,
 * the X-Origin check, and the cache of tokens that passed. Every failed check counts towards
 * the IP block; OAuth failures and the notify route's own refusals never do.
 */
import type * as http from 'http';
import { errorAnswer, type Answer } from './answers';
import { headerValue } from './parsing';
import type { SimState, UserRecord } from './state';

export function fail(state: SimState, ip: string, code: string): Answer {
	forgetOldFailures(state);
	state.failures.set(ip, (state.failures.get(ip) ?? 0) + 1);
	return errorAnswer(code);
}

/** Like the real server's periodic service job: every counter is dropped at once, not one by one. */
function forgetOldFailures(state: SimState): void {
	const now = Date.now();
	if (now - state.failuresClearedAt < state.failureMemoryMs) return;
	state.failures.clear();
	state.failuresClearedAt = now;
}

/** The cache of tokens that passed is emptied by the server's service job once a minute. */
function forgetCachedTokens(state: SimState): void {
	const now = Date.now();
	if (now - state.tokenCacheClearedAt < state.tokenCacheMs) return;
	state.tokenCache.clear();
	state.tokenCacheClearedAt = now;
}

export function isBlocked(state: SimState, ip: string): boolean {
	forgetOldFailures(state);
	const count = state.failures.get(ip);
	return count !== undefined && count >= state.blockAfter;
}

export function originOk(state: SimState, headers: http.IncomingHttpHeaders): boolean {
	return state.originToken === undefined || headerValue(headers['x-origin']) === state.originToken;
}

/** A blocked or inactive user is not loaded at all, so their tokens are simply unknown. */
export function isLoadable(record: UserRecord): boolean {
	return !record.user.blocked && !record.user.inactive;
}

/**
 * FUNC.decodetoken: an app token → the user, or the error to answer. A token that passed in the
 * current minute is taken from the cache before any other check: the X-Origin check (and the
 * blocked-user check) are then skipped, as on the real server.
 */
export function decodeAppToken(
	state: SimState,
	token: string | undefined,
	ip: string,
	headers: http.IncomingHttpHeaders,
): UserRecord | Answer {
	if (isBlocked(state, ip)) return errorAnswer('error-blocked-ip');
	if (token === undefined || token.length < 30) return fail(state, ip, 'error-invalid-accesstoken');
	forgetCachedTokens(state);
	const cached = state.tokenCache.get(token);
	if (cached !== undefined) return cached;
	const parts = token.split('-');
	if (parts.length !== 4 || parts[0] !== state.appId) return fail(state, ip, 'error-invalid-accesstoken');
	const record = state.users.get(parts[1]);
	if (record === undefined || record.token !== token || !isLoadable(record)) return fail(state, ip, 'error-invalid-accesstoken');
	if (!originOk(state, headers)) return fail(state, ip, 'error-invalid-origin');
	state.tokenCache.set(token, record);
	return record;
}

/** FUNC.clearcache: an admin changed the user, so their cached tokens go. */
export function forgetTokensOf(state: SimState, record: UserRecord): void {
	for (const [token, cached] of state.tokenCache) {
		if (cached === record) state.tokenCache.delete(token);
	}
}
