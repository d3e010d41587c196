import type { RetryPolicy } from './defaults';

/** When to try again. Only what surely was not processed is retried: refused connections, 429 and 503. */

const RETRYABLE_STATUSES = new Set([429, 503]);

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUSES.has(status);
}

/** Full-jitter exponential backoff, or the server's Retry-After when it gives one. */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy,
	retryAfter?: string | string[],
	now = Date.now(),
	random = Math.random,
): number | undefined {
	const requested = parseRetryAfterMs(retryAfter, now);
	if (requested !== undefined) {
		if (requested > policy.maxRetryAfterMs) return undefined;
		// A little jitter on top keeps many waiting items from arriving at the same instant.
		return requested + Math.floor(random() * Math.min(1_000, policy.baseDelayMs));
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

export function parseRetryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (text === undefined || text.trim() === '') return undefined;
	if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1_000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
