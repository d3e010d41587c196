/**
 * OpenPlatform v4 counts failed token checks of its app API (verify, notify, badge, users) per
 * caller IP and, past 11, refuses every call (valid ones too) until its service job clears the
 * counters, every 10 minutes. The guard counts per OpenPlatform host, across runs and webhook calls:
 *
 * - a request with a token not yet accepted starts only while (token errors of the last 10 minutes
 *   + such requests in flight) stays under its share, so even a batch of bad URLs sent at once
 *   cannot pass it;
 * - calls that strangers can cause (the trigger's webhooks) have their own share, so they cannot
 *   spend what the workflows' own sends need, and within it each client address has a smaller one;
 * - a token OpenPlatform accepted in the last 10 minutes is still sent, one at a time, once those
 *   shares are spent: a storm of bad URLs does not stop the users n8n has been reaching. That costs
 *   at most one more error (then this too waits 10 minutes), since an accepted token rarely fails.
 *
 * n8n gives community nodes no state shared between its processes, and in queue mode several of
 * them (main, workers, webhook processors) call OpenPlatform from one IP. So each process counts
 * alone and spends only its part of the IP's 10 errors: 10 ÷ the credential's "n8n Processes".
 * With 4 or 5 processes a part is 2: one for accepted tokens, one that workflows and webhooks share
 * (in queue mode they run in different processes anyway).
 *
 * Only what the server counts is counted: error-invalid-accesstoken and error-invalid-origin of
 * the app API. OAuth calls never pass through the guard (the server never counts them).
 */

/** Who causes the request: a workflow's node, or a caller of a trigger's public URL (by client address). */
export type TokenCaller = { kind: 'workflow' } | { kind: 'webhook'; address: string };

export const WORKFLOW_CALLER: TokenCaller = { kind: 'workflow' };

/** Token errors all n8n processes of one IP may cause together: OpenPlatform blocks after 11. */
export const IP_TOKEN_ERRORS = 10;
/** Beyond 5 processes, a part would leave no room for accepted tokens besides the others. */
export const MAX_N8N_PROCESSES = 5;
export const TOKEN_ERROR_WINDOW_MS = 10 * 60_000;
/** Idle address records and the oldest accepted tokens are dropped beyond these counts. */
const MAX_ADDRESS_RECORDS = 1024;
const MAX_ACCEPTED_TOKENS = 10_000;

/** One process's shares when `processes` n8n processes call from one IP. */
export interface TokenShares {
	workflow: number;
	webhook: number;
	/** Of the webhook share, what one client address may spend. */
	perAddress: number;
	/** Workflows and webhooks draw on one share (too few errors to split). */
	shared: boolean;
	/** For tokens accepted in the last 10 minutes, once the other shares are spent. */
	accepted: number;
}

export function sharesFor(processes: number): TokenShares {
	const count = Math.min(MAX_N8N_PROCESSES, Math.max(1, Math.floor(processes)));
	// 10, 5, 3, 2, 2 errors per process; one of them is kept for accepted tokens.
	const unaccepted = Math.floor(IP_TOKEN_ERRORS / count) - 1;
	if (unaccepted < 2) return { workflow: 1, webhook: 1, perAddress: 1, shared: true, accepted: 1 };
	const webhook = Math.floor(unaccepted / 2);
	return { workflow: unaccepted - webhook, webhook, perAddress: Math.max(1, Math.floor(webhook / 2)), shared: false, accepted: 1 };
}

export type TokenRefusalReason = 'blocked' | 'budget' | 'address';

export type TokenPermit =
	| { granted: true; release(outcome: 'accepted' | 'token-error' | 'other'): void }
	| { granted: false; reason: TokenRefusalReason };

type ShareName = 'workflow' | 'webhook' | 'perAddress' | 'accepted';

class TokenErrorBudget {
	private errorTimes: number[] = [];

	private inFlight = 0;

	private waiters: Array<() => void> = [];

	constructor(readonly share: ShareName) {}

	recentErrors(now = Date.now()): number {
		while (this.errorTimes.length > 0 && this.errorTimes[0] <= now - TOKEN_ERROR_WINDOW_MS) this.errorTimes.shift();
		return this.errorTimes.length;
	}

	/** Nothing in flight and nothing recent: the record can be dropped. */
	isIdle(): boolean {
		return this.inFlight === 0 && this.recentErrors() === 0;
	}

	isSpent(limit: number): boolean {
		return this.recentErrors() >= limit;
	}

	/** Whether a request may start now (it might fail, so it needs room in the budget). */
	hasRoom(limit: number): boolean {
		return this.recentErrors() + this.inFlight < limit;
	}

	async waitForChange(): Promise<void> {
		await new Promise<void>((resolve) => this.waiters.push(resolve));
	}

	take(): void {
		this.inFlight++;
	}

	give(tokenError: boolean): void {
		this.inFlight--;
		if (tokenError) this.errorTimes.push(Date.now());
		for (const wake of this.waiters.splice(0)) wake();
	}
}

/** What the guard knows of one OpenPlatform host: whether it blocked n8n, each share, the accepted tokens. */
class PlatformRecord {
	blockedUntil = 0;

	readonly workflow = new TokenErrorBudget('workflow');

	readonly webhook = new TokenErrorBudget('webhook');

	readonly accepted = new TokenErrorBudget('accepted');

	/** Token (its URL) -> when OpenPlatform last accepted it; oldest first. */
	private readonly acceptedTokens = new Map<string, number>();

	private readonly addresses = new Map<string, TokenErrorBudget>();

	/** The workflows' or the trigger callers' share (one and the same when the shares are shared). */
	callerShare(caller: TokenCaller, shares: TokenShares): TokenErrorBudget {
		return caller.kind === 'workflow' || shares.shared ? this.workflow : this.webhook;
	}

	/** The shares a request of this caller draws on, the narrowest first. */
	budgetsOf(caller: TokenCaller, shares: TokenShares): TokenErrorBudget[] {
		if (caller.kind === 'workflow') return [this.workflow];
		let address = this.addresses.get(caller.address);
		if (!address) {
			if (this.addresses.size >= MAX_ADDRESS_RECORDS) {
				for (const [key, budget] of this.addresses) if (budget.isIdle()) this.addresses.delete(key);
			}
			address = new TokenErrorBudget('perAddress');
			this.addresses.set(caller.address, address);
		}
		return [address, this.callerShare(caller, shares)];
	}

	wasAccepted(token: string): boolean {
		const at = this.acceptedTokens.get(token);
		return at !== undefined && at > Date.now() - TOKEN_ERROR_WINDOW_MS;
	}

	remember(token: string, accepted: boolean): void {
		this.acceptedTokens.delete(token);
		if (!accepted) return;
		if (this.acceptedTokens.size >= MAX_ACCEPTED_TOKENS) this.acceptedTokens.delete(this.acceptedTokens.keys().next().value as string);
		this.acceptedTokens.set(token, Date.now());
	}
}

const platforms = new Map<string, PlatformRecord>();

function platformState(host: string): PlatformRecord {
	let record = platforms.get(host);
	if (!record) {
		record = new PlatformRecord();
		platforms.set(host, record);
	}
	return record;
}

/**
 * Waits until a request with `token` (its URL) may start; refuses when its shares are spent (and
 * the token was not accepted lately) or the IP is blocked. `processes`: the n8n processes that call
 * this host from one IP (the credential's setting); each request is judged by its own credential's.
 */
export async function acquireTokenPermit(host: string, caller: TokenCaller, processes: number, token: string): Promise<TokenPermit> {
	const platform = platformState(host);
	const shares = sharesFor(processes);
	const budgets = platform.budgetsOf(caller, shares);
	for (;;) {
		if (platform.blockedUntil > Date.now()) return { granted: false, reason: 'blocked' };
		const spent = budgets.findIndex((budget) => budget.isSpent(shares[budget.share]));
		if (spent !== -1) {
			if (platform.wasAccepted(token) && !platform.accepted.isSpent(shares.accepted)) {
				if (platform.accepted.hasRoom(shares.accepted)) return permit(platform, [platform.accepted], token);
				await platform.accepted.waitForChange();
				continue;
			}
			return { granted: false, reason: spent === 0 && caller.kind === 'webhook' ? 'address' : 'budget' };
		}
		const full = budgets.find((budget) => !budget.hasRoom(shares[budget.share]));
		if (!full) return permit(platform, budgets, token);
		await full.waitForChange();
	}
}

function permit(platform: PlatformRecord, budgets: TokenErrorBudget[], token: string): TokenPermit {
	for (const budget of budgets) budget.take();
	let released = false;
	return {
		granted: true,
		release: (outcome) => {
			if (released) return;
			released = true;
			for (const budget of budgets) budget.give(outcome === 'token-error');
			if (outcome !== 'other') platform.remember(token, outcome === 'accepted');
		},
	};
}

/** Token errors of the last 10 minutes in a caller's share (for a trigger's caller: all callers together). */
export function recentTokenErrors(host: string, caller: TokenCaller, processes: number): number {
	return platformState(host).callerShare(caller, sharesFor(processes)).recentErrors();
}

/** OpenPlatform said the IP is blocked: nothing is sent to it until its counters are surely cleared. */
export function markBlocked(host: string): void {
	platformState(host).blockedUntil = Date.now() + TOKEN_ERROR_WINDOW_MS;
}

/** Tests only: each test starts with a clean record. */
export function forgetTokenErrors(): void {
	platforms.clear();
}
