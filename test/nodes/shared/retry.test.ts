import type { RetryPolicy } from '../../../nodes/shared/defaults';
import { parseRetryAfterMs, retryDelayMs } from '../../../nodes/shared/retry';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 };

describe('retry delays', () => {
	it('grows exponentially with jitter and stays under the cap', () => {
		expect(retryDelayMs(0, policy, undefined, 0, () => 0)).toBe(50);
		expect(retryDelayMs(0, policy, undefined, 0, () => 0.999)).toBeLessThanOrEqual(100);
		expect(retryDelayMs(3, policy, undefined, 0, () => 0)).toBe(400);
		expect(retryDelayMs(10, policy, undefined, 0, () => 0.999)).toBeLessThanOrEqual(1_000);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfterMs('5', now)).toBe(5_000);
		expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7_000);
		expect(parseRetryAfterMs('soon', now)).toBeUndefined();
		expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
	});
});
