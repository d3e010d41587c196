import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { ItemError } from '../shared/errors';
import { TOKEN_GUARD_REFUSAL, type OpenPlatformClient } from '../OpenPlatform/transport';
import { webhookClient, type WebhookCall } from './endpoints';

/**
 * How the trigger checks an OpenPlatform session (verifySession, below), and what it remembers of
 * verify tokens, so that a token is never sent to OpenPlatform
 * twice for nothing: a token OpenPlatform refused is refused here for an hour (a stale app window
 * reloaded ten times costs one refusal at the server), and a token being verified is not sent
 * again while its answer is awaited (ten parallel calls with one token are one request).
 * This is a saving within one n8n process, not a guarantee: the budgets of tokenGuard.ts are.
 */

const DEAD_TOKEN_MS = 60 * 60_000;
const MAX_DEAD_TOKENS = 10_000;

const deadTokens = new Map<string, number>();
const inFlight = new Map<string, Promise<unknown>>();

/** Tokens are keyed by a hash, so that no session secret is kept in memory as such. */
function keyOf(host: string, token: string): string {
	return createHash('sha256').update(`${host} ${token}`).digest('base64url');
}

export function isKnownDead(host: string, token: string): boolean {
	const key = keyOf(host, token);
	const until = deadTokens.get(key);
	if (until === undefined) return false;
	if (until > Date.now()) return true;
	deadTokens.delete(key);
	return false;
}

export function rememberDead(host: string, token: string): void {
	if (deadTokens.size >= MAX_DEAD_TOKENS) {
		// Maps keep insertion order: the oldest entry goes first.
		const oldest = deadTokens.keys().next();
		if (!oldest.done) deadTokens.delete(oldest.value);
	}
	deadTokens.set(keyOf(host, token), Date.now() + DEAD_TOKEN_MS);
}

/** Runs `check` once for concurrent calls with the same token; the others share its result. */
export async function onceAtATime<T>(host: string, token: string, check: () => Promise<T>): Promise<T> {
	const key = keyOf(host, token);
	const running = inFlight.get(key) as Promise<T> | undefined;
	if (running) return await running;
	const started = check().finally(() => inFlight.delete(key));
	inFlight.set(key, started);
	return await started;
}

/**
 * The caller's address for the per-address share: IPv4 as it is, IPv6 by its /64 network (one
 * subscriber usually holds a whole /64).
 */
export function callerAddress(ip: string | undefined): string {
	const address = (ip ?? '').trim().toLowerCase();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (mapped) return mapped[1];
	if (!address.includes(':')) return address || 'unknown';
	const [head, tail = ''] = address.split('::');
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail ? tail.split(':') : [];
	const groups = [...headGroups, ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups];
	return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Tests only. */
export function forgetSessionChecks(): void {
	deadTokens.clear();
	inFlight.clear();
}

type Refusal = ReturnType<WebhookCall['refuse']>;

const ENDED = 'The OpenPlatform session has ended or is not valid; open the app again';

/**
 * Checks a verify URL and returns the user and app meta, or the refusal to send: 400 for a URL
 * that is not this OpenPlatform's; 401 for a session that is not (or no longer) valid, refused
 * without asking OpenPlatform when its token has a shape OpenPlatform never issues or was refused
 * before; 429 when this caller's address has spent its share of token errors; 503 when all
 * callers together have (n8n's IP must never be blocked by OpenPlatform, see tokenGuard.ts).
 */
export async function verifySession(
	context: IWebhookFunctions,
	call: WebhookCall,
	verifyUrl: unknown,
): Promise<{ ok: true; meta: IDataObject } | { ok: false; refusal: Refusal }> {
	const client = await webhookClient(context, 'openPlatformApi');
	let url: URL;
	try {
		url = client.urlOnOrigin(verifyUrl, 'verify', 'openplatform', 0);
	} catch (error) {
		return { ok: false, refusal: call.refuse(400, (error as Error).message) };
	}
	const token = url.searchParams.get('accesstoken') ?? '';
	if (!client.carriesIssuedToken(url, 'verify') || isKnownDead(client.host, token)) {
		return { ok: false, refusal: call.refuse(401, ENDED) };
	}
	const caller = { kind: 'webhook' as const, address: callerAddress(call.request.ip ?? call.request.socket?.remoteAddress) };
	try {
		const meta = await onceAtATime(client.host, token, async () => await client.verify(url, caller, 0));
		// The verify token is the session's secret: it does not go into the workflow.
		delete meta.verifytoken;
		return { ok: true, meta };
	} catch (error) {
		return { ok: false, refusal: refusalFor(context, call, client, token, error) };
	}
}

function refusalFor(context: IWebhookFunctions, call: WebhookCall, client: OpenPlatformClient, token: string, error: unknown): Refusal {
	const code = error instanceof ItemError ? error.code : undefined;
	if (code === TOKEN_GUARD_REFUSAL) {
		if ((error as ItemError).details.notSentBecause === 'address') {
			call.response.setHeader('retry-after', '600');
			return call.refuse(429, 'Too many OpenPlatform sessions from this address were not valid; try again in a few minutes');
		}
		context.logger.warn('OpenPlatform Trigger: sessions are not checked for now, after too many invalid ones (see the OpenPlatform token-error guard)');
		return call.refuse(503, 'OpenPlatform sessions cannot be checked right now; try again in a few minutes');
	}
	if (code === 'error-invalid-accesstoken') {
		// Dead for good (a later login, a logout, a made-up token): never sent to OpenPlatform again.
		rememberDead(client.host, token);
		return call.refuse(401, ENDED);
	}
	// Idle: the same URL works again once the user is active in OpenPlatform, so it is not remembered.
	if (code === 'error-offline') return call.refuse(401, ENDED);
	context.logger.warn(`OpenPlatform verify failed: ${client.redactor.text((error as Error).message)}`);
	return call.refuse(502, 'OpenPlatform could not confirm the session; try again later');
}
