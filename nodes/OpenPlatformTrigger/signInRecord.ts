import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * What makes a sign-in usable once, for every n8n process at once: the trigger's workflow static
 * data, which n8n keeps in its database, loads for each webhook call and saves after it (so a
 * callback replayed to another process, in queue mode, finds it). Two records:
 *
 * - spent states: the nonce of each completed sign-in, until the state would have expired;
 * - used codes: OpenPlatform gives one code for a whole session, reusable by anyone, so a code
 *   (by its hash) is bound to the browser that first signed in with it. The same browser may
 *   sign in again with it; any other browser is refused (a stolen code cannot be used after
 *   its owner signed in).
 *
 * n8n offers nodes no atomic shared store: two calls reaching two processes within the same
 * moment (before either has saved) can both pass. Within one process a set closes that gap.
 */

const MAX_ENTRIES = 5_000;
/** OpenPlatform sessions last 3 days by default; a code is kept no longer than this. */
const MAX_CODE_LIFETIME_MS = 30 * 24 * 60 * 60_000;

interface SignInRecord {
	/** nonce → expiry (ms) */
	spentStates: { [nonce: string]: number };
	/** hash of the code → the hash of the browser that used it, and when the code expires */
	usedCodes: { [codeHash: string]: { browser: string; exp: number } };
}

/** Nonces spent by this process, for two callbacks that reach it before either was saved. */
const spentHere = new Set<string>();

function hash(text: string): string {
	return createHash('sha256').update(text).digest('base64url');
}

function recordIn(staticData: IDataObject): SignInRecord {
	const record = staticData.signIns as Partial<SignInRecord> | undefined;
	return { spentStates: { ...(record?.spentStates ?? {}) }, usedCodes: { ...(record?.usedCodes ?? {}) } };
}

/** Keeps the newest `MAX_ENTRIES` unexpired entries. */
function pruned<T>(entries: { [key: string]: T }, expiryOf: (value: T) => number, now: number): { [key: string]: T } {
	const alive = Object.entries(entries).filter(([, value]) => expiryOf(value) > now);
	alive.sort((a, b) => expiryOf(b[1]) - expiryOf(a[1]));
	return Object.fromEntries(alive.slice(0, MAX_ENTRIES));
}

function save(staticData: IDataObject, record: SignInRecord, now = Date.now()): void {
	// One assignment of a new object, so that n8n sees the change and saves it.
	staticData.signIns = {
		spentStates: pruned(record.spentStates, (exp) => exp, now),
		usedCodes: pruned(record.usedCodes, (entry) => entry.exp, now),
	} as unknown as IDataObject;
}

/** Marks a sign-in state as used; false when it was used before (a replay). */
export function spendState(staticData: IDataObject, nonce: string, exp: number): boolean {
	const record = recordIn(staticData);
	if (record.spentStates[nonce] !== undefined || spentHere.has(nonce)) return false;
	if (spentHere.size >= MAX_ENTRIES) spentHere.delete(spentHere.values().next().value as string);
	spentHere.add(nonce);
	record.spentStates[nonce] = exp;
	save(staticData, record);
	return true;
}

/** Whether this browser may sign in with this code: it never was used, or this browser used it. */
export function mayUseCode(staticData: IDataObject, clientId: string, code: string, browserId: string | undefined): boolean {
	const used = recordIn(staticData).usedCodes[hash(`${clientId} ${code}`)];
	return used === undefined || used.exp <= Date.now() || (browserId !== undefined && used.browser === hash(browserId));
}

/** Binds a code that signed someone in to the browser that used it, until the session expires. */
export function bindCode(staticData: IDataObject, clientId: string, code: string, browserId: string, sessionExpires: string): void {
	const record = recordIn(staticData);
	const now = Date.now();
	const expires = Date.parse(sessionExpires);
	const exp = Math.min(Number.isFinite(expires) ? expires : now + MAX_CODE_LIFETIME_MS, now + MAX_CODE_LIFETIME_MS);
	record.usedCodes[hash(`${clientId} ${code}`)] = { browser: hash(browserId), exp };
	save(staticData, record, now);
}

/** Tests only: what one process alone remembers. */
export function forgetSignInsOfThisProcess(): void {
	spentHere.clear();
}
