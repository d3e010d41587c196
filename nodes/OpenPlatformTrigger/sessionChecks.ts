import { createHash } from 'crypto';

/**
 * What the trigger remembers of verify tokens, so that a token is never sent to OpenPlatform
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
