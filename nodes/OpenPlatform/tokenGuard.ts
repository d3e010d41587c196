/**
 * OpenPlatform v4 counts failed token checks per caller IP and, past 11, refuses every call (valid
 * ones too) until its counters are cleared, about every 10 minutes. One n8n server is one IP, so
 * the guard counts for the whole n8n process, across runs and webhook calls, per OpenPlatform:
 *
 * - a token request starts only while (token errors of the last 10 minutes + token requests in
 *   flight) stays under the budget, so even a batch of bad URLs sent at once cannot pass it;
 * - calls that strangers can cause (the trigger's webhooks) have their own small share, so they
 *   can never spend what the workflows' own sends need, and together the shares stay under 11.
 */

/** Who causes the request: a workflow's node, or a caller of a trigger's public URL. */
export type TokenCaller = 'workflow' | 'webhook';

export const TOKEN_ERROR_BUDGET: Record<TokenCaller, number> = { workflow: 7, webhook: 3 };
export const TOKEN_ERROR_WINDOW_MS = 10 * 60_000;

export type TokenPermit = { granted: true; release(tokenError: boolean): void } | { granted: false; reason: 'budget' | 'blocked' };

class TokenErrorBudget {
	private errorTimes: number[] = [];

	private inFlight = 0;

	private waiters: Array<() => void> = [];

	constructor(
		private readonly limit: number,
		private readonly platform: PlatformRecord,
	) {}

	recentErrors(now = Date.now()): number {
		while (this.errorTimes.length > 0 && this.errorTimes[0] <= now - TOKEN_ERROR_WINDOW_MS) this.errorTimes.shift();
		return this.errorTimes.length;
	}

	/** Waits until a request may start; refuses when the budget is spent or the IP is blocked. */
	async acquire(): Promise<TokenPermit> {
		for (;;) {
			if (this.platform.blockedUntil > Date.now()) return { granted: false, reason: 'blocked' };
			const errors = this.recentErrors();
			if (errors >= this.limit) return { granted: false, reason: 'budget' };
			if (errors + this.inFlight < this.limit) break;
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
		this.inFlight++;
		let released = false;
		return {
			granted: true,
			release: (tokenError: boolean) => {
				if (released) return;
				released = true;
				this.inFlight--;
				if (tokenError) this.errorTimes.push(Date.now());
				for (const wake of this.waiters.splice(0)) wake();
			},
		};
	}
}

/** What the guard knows of one OpenPlatform host: whether it blocked n8n, and each caller's budget. */
class PlatformRecord {
	blockedUntil = 0;

	readonly budgets: Record<TokenCaller, TokenErrorBudget> = {
		workflow: new TokenErrorBudget(TOKEN_ERROR_BUDGET.workflow, this),
		webhook: new TokenErrorBudget(TOKEN_ERROR_BUDGET.webhook, this),
	};
}

const platforms = new Map<string, PlatformRecord>();

function platformState(origin: string): PlatformRecord {
	let record = platforms.get(origin);
	if (!record) {
		record = new PlatformRecord();
		platforms.set(origin, record);
	}
	return record;
}

export async function acquireTokenPermit(origin: string, caller: TokenCaller): Promise<TokenPermit> {
	return await platformState(origin).budgets[caller].acquire();
}

export function recentTokenErrors(origin: string, caller: TokenCaller): number {
	return platformState(origin).budgets[caller].recentErrors();
}

/** OpenPlatform said the IP is blocked: nothing is sent to it until its counters are surely cleared. */
export function markBlocked(origin: string): void {
	platformState(origin).blockedUntil = Date.now() + TOKEN_ERROR_WINDOW_MS;
}

/** Tests only: each test starts with a clean record. */
export function forgetTokenErrors(): void {
	platforms.clear();
}
