import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

/**
 * OpenPlatform does not pass `state` back, so the sign-in carries its own: an expiry and a nonce,
 * signed with HMAC-SHA256 and placed in the callback URL. Nothing is stored on the n8n side, so
 * any n8n process (queue mode, restarts) can check it.
 */

export interface SignInState {
	/** Expiry, milliseconds since the epoch. */
	exp: number;
	nonce: string;
}

export function signState(key: string, lifetimeMs: number, now = Date.now(), nonce = newNonce()): string {
	const payload = Buffer.from(JSON.stringify({ exp: now + lifetimeMs, nonce })).toString('base64url');
	return `${payload}.${mac(key, payload)}`;
}

export function newNonce(): string {
	return randomBytes(12).toString('base64url');
}

export type StateCheck = { ok: true; state: SignInState } | { ok: false; reason: string };

export function verifyState(key: string, token: string | undefined, now = Date.now()): StateCheck {
	const [payload, signature, extra] = (token ?? '').split('.');
	if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'The sign-in state is missing or malformed' };
	const expected = Buffer.from(mac(key, payload));
	const given = Buffer.from(signature);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'The sign-in state is forged' };
	let state: SignInState;
	try {
		state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SignInState;
	} catch {
		return { ok: false, reason: 'The sign-in state is malformed' };
	}
	if (typeof state.exp !== 'number' || state.exp < now) return { ok: false, reason: 'The sign-in took too long; start again' };
	return { ok: true, state };
}

/** The signing key: the OAuth client secret, bound to this trigger node so states do not cross workflows. */
export function stateKey(clientSecret: string, workflowId: string, nodeId: string): string {
	return createHmac('sha256', clientSecret).update(`n8n-openplatform-sign-in:${workflowId}:${nodeId}`).digest('base64url');
}

function mac(key: string, payload: string): string {
	return createHmac('sha256', key).update(payload).digest('base64url');
}

/**
 * The state's nonce also goes into a cookie of the browser that started the sign-in, and the
 * callback must come with it: a state (or a callback URL) taken by someone else is useless in
 * another browser, so nobody can sign a victim in as themselves (login CSRF).
 */
export function signInCookieName(nodeId: string): string {
	return `n8n_openplatform_signin_${nodeTag(nodeId)}`;
}

/** A long-lived random id of the browser, to which a used OpenPlatform code is bound (see signInRecord.ts). */
export function browserCookieName(nodeId: string): string {
	return `n8n_openplatform_browser_${nodeTag(nodeId)}`;
}

function nodeTag(nodeId: string): string {
	return createHash('sha256').update(nodeId).digest('hex').slice(0, 12);
}

export function signInCookie(name: string, nonce: string, maxAgeSeconds: number, secure: boolean): string {
	return `${name}=${nonce}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function cookieFrom(header: string | string[] | undefined, name: string): string | undefined {
	const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
	for (const part of text.split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return value.join('=');
	}
	return undefined;
}
