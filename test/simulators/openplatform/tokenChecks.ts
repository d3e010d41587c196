/** Token checks: the X-Origin check, app token decoding and the IP block after failed checks. */
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

export function isBlocked(state: SimState, ip: string): boolean {
	forgetOldFailures(state);
	const count = state.failures.get(ip);
	return count !== undefined && count >= state.blockAfter;
}

export function originOk(state: SimState, headers: http.IncomingHttpHeaders): boolean {
	return state.originToken === undefined || headerValue(headers['x-origin']) === state.originToken;
}

/** FUNC.decodetoken: an app token → the user, or the error to answer. */
export function decodeAppToken(
	state: SimState,
	token: string | undefined,
	ip: string,
	headers: http.IncomingHttpHeaders,
): UserRecord | Answer {
	if (isBlocked(state, ip)) return errorAnswer('error-blocked-ip');
	if (token === undefined || token.length < 30) return fail(state, ip, 'error-invalid-accesstoken');
	const parts = token.split('-');
	if (parts.length !== 4 || parts[0] !== state.appId) return fail(state, ip, 'error-invalid-accesstoken');
	const record = state.users.get(parts[1]);
	if (record === undefined || record.token !== token) return fail(state, ip, 'error-invalid-accesstoken');
	if (!originOk(state, headers)) return fail(state, ip, 'error-invalid-origin');
	if (record.user.blocked || record.user.inactive) return fail(state, ip, 'error-accessible');
	return record;
}
