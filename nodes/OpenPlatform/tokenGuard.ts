/**
 * OpenPlatform v4 counts failed token checks of its app API (verify, notify, badge, users) per
 * caller IP and, past 11, refuses every call (valid ones too) until its service job clears the
 * counters, every 10 minutes. The guard counts per OpenPlatform host, across runs and webhook calls:
 *
 * - a token request starts only while (token errors of the last 10 minutes + token requests in
 *   flight) stays under the budget, so even a batch of bad URLs sent at once cannot pass it;
 * - calls that strangers can cause (the trigger's webhooks) have their own share, so they can
 *   never spend what the workflows' own sends need, and together the shares stay under 11;
 * - within that share each client address has a smaller one, so one caller (one browser, one
 *   attacker's address) cannot spend the share of everybody else.
 *
 * n8n gives community nodes no state shared between its processes, and in queue mode several of
 * them (main, workers, webhook processors) call OpenPlatform from one IP. So each process counts
 * alone but spends only its part of the IP's budget: the budget divided by the "n8n Processes"
 * of the credential (at most MAX_N8N_PROCESSES, so that every process keeps at least one of each
 * share and all of them together still stay under 11).
 *
 * Only what the server counts is counted: error-invalid-accesstoken and error-invalid-origin of
 * the app API. OAuth calls never pass through the guard (the server never counts them).
 */

/** Who causes the request: a workflow's node, or a caller of a trigger's public URL (by client address). */
export type TokenCaller = { kind: 'workflow' } | { kind: 'webhook'; address: string };

export const WORKFLOW_CALLER: TokenCaller = { kind: 'workflow' };

/** What one IP address may spend, all n8n processes together. */
export const TOKEN_ERROR_BUDGET = {
	workflow: 5,
	webhook: 5,
	/** Of the webhook share, what one client address may spend. */
	perAddress: 2,
} as const;
export type TokenShare = keyof typeof TOKEN_ERROR_BUDGET;
/** 5 processes × (1 workflow + 1 webhook) = 10 token errors, the most that stays under the block. */
export const MAX_N8N_PROCESSES = 5;
export const TOKEN_ERROR_WINDOW_MS = 10 * 60_000;
/** Idle address records are dropped once this many are kept. */
const MAX_ADDRESS_RECORDS = 1024;

/** One process's part of a share when `processes` n8n processes call from one IP. */
export function processShare(share: TokenShare, processes: number): number {
	const count = Math.min(MAX_N8N_PROCESSES, Math.max(1, Math.floor(processes)));
	return Math.max(1, Math.floor(TOKEN_ERROR_BUDGET[share] / count));
}

export type TokenRefusalReason = 'blocked' | 'budget' | 'address';

export type TokenPermit = { granted: true; release(tokenError: boolean): void } | { granted: false; reason: TokenRefusalReason };

class TokenErrorBudget {
	private errorTimes: number[] = [];

	private inFlight = 0;

	private waiters: Array<() => void> = [];

	/** Which share this is: its limit depends on the n8n processes the request's credential names. */
	constructor(readonly share: TokenShare) {}

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

/** What the guard knows of one OpenPlatform host: whether it blocked n8n, and each caller's budget. */
class PlatformRecord {
	blockedUntil = 0;

	readonly workflow = new TokenErrorBudget('workflow');

	readonly webhook = new TokenErrorBudget('webhook');

	private readonly addresses = new Map<string, TokenErrorBudget>();

	/** The budgets a request of this caller draws on, the narrowest first. */
	budgetsOf(caller: TokenCaller): TokenErrorBudget[] {
		if (caller.kind === 'workflow') return [this.workflow];
		let address = this.addresses.get(caller.address);
		if (!address) {
			if (this.addresses.size >= MAX_ADDRESS_RECORDS) {
				for (const [key, budget] of this.addresses) if (budget.isIdle()) this.addresses.delete(key);
			}
			address = new TokenErrorBudget('perAddress');
			this.addresses.set(caller.address, address);
		}
		return [address, this.webhook];
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
 * Waits until a token request may start; refuses when a budget is spent or the IP is blocked.
 * `processes`: the n8n processes that call this host from one IP (the credential's setting).
 */
export async function acquireTokenPermit(host: string, caller: TokenCaller, processes: number): Promise<TokenPermit> {
	const platform = platformState(host);
	const budgets = platform.budgetsOf(caller);
	const limit = (budget: TokenErrorBudget) => processShare(budget.share, processes);
	for (;;) {
		if (platform.blockedUntil > Date.now()) return { granted: false, reason: 'blocked' };
		const spent = budgets.findIndex((budget) => budget.isSpent(limit(budget)));
		if (spent !== -1) return { granted: false, reason: spent === 0 && caller.kind === 'webhook' ? 'address' : 'budget' };
		const full = budgets.find((budget) => !budget.hasRoom(limit(budget)));
		if (!full) break;
		await full.waitForChange();
	}
	for (const budget of budgets) budget.take();
	let released = false;
	return {
		granted: true,
		release: (tokenError: boolean) => {
			if (released) return;
			released = true;
			for (const budget of budgets) budget.give(tokenError);
		},
	};
}

/** Token errors of the last 10 minutes in a caller's share (for a trigger's caller: all callers together). */
export function recentTokenErrors(host: string, caller: TokenCaller): number {
	const platform = platformState(host);
	return (caller.kind === 'workflow' ? platform.workflow : platform.webhook).recentErrors();
}

/** OpenPlatform said the IP is blocked: nothing is sent to it until its counters are surely cleared. */
export function markBlocked(host: string): void {
	platformState(host).blockedUntil = Date.now() + TOKEN_ERROR_WINDOW_MS;
}

/** Tests only: each test starts with a clean record. */
export function forgetTokenErrors(): void {
	platforms.clear();
}
