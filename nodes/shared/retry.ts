import { sleep } from 'n8n-workflow';

import { TransportError, type HttpResponse } from './transport';

/** Retries only what surely was not processed: refused connections, 429 and 503. */

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited for: the last answer is returned instead. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 200,
	maxDelayMs: 5_000,
	maxRetryAfterMs: 60_000,
};

/** For calls made while a webhook's caller waits for its answer: give up soon rather than hold it. */
export const WEBHOOK_CALL_TUNING: { retry: RetryPolicy; timeoutMs: number } = {
	retry: { maxRetries: 1, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 },
	timeoutMs: 10_000,
};

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

/** Repeats `send` while its failure surely left the server untouched; returns the last result. */
export async function withRetries(
	send: () => Promise<HttpResponse | TransportError>,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	wait: (ms: number) => Promise<void> = sleep,
): Promise<HttpResponse | TransportError> {
	for (let attempt = 0; ; attempt++) {
		const canRetry = attempt < policy.maxRetries;
		const response = await send();
		if (response instanceof TransportError) {
			if (!canRetry || response.kind !== 'not-sent') return response;
			await wait(retryDelayMs(attempt, policy) ?? policy.maxDelayMs);
			continue;
		}
		if (!canRetry || !isRetryableStatus(response.status)) return response;
		const delay = retryDelayMs(attempt, policy, response.headers['retry-after']);
		if (delay === undefined) return response;
		await wait(delay);
	}
}
