import type { RetryPolicy } from '../../../nodes/shared/defaults';
import { TransportError, withRetries, type HttpResponse } from '../../../nodes/shared/http';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 };

function response(status: number, headers: HttpResponse['headers'] = {}): HttpResponse {
	return { status, headers, body: Buffer.from('{}') };
}

function scripted(results: Array<HttpResponse | TransportError>) {
	const waits: number[] = [];
	let calls = 0;
	const send = async () => results[Math.min(calls++, results.length - 1)];
	const wait = async (ms: number) => {
		waits.push(ms);
	};
	return { send, wait, waits, calls: () => calls };
}

describe('withRetries', () => {
	it('retries 429 and 503, honouring Retry-After, until success', async () => {
		const run = scripted([response(429, { 'retry-after': '2' }), response(503), response(200)]);
		const result = await withRetries(run.send, policy, run.wait);
		expect(result).toMatchObject({ status: 200 });
		expect(run.calls()).toBe(3);
		expect(run.waits[0]).toBeGreaterThanOrEqual(2_000);
		expect(run.waits[0]).toBeLessThan(2_100);
		expect(run.waits[1]).toBeGreaterThanOrEqual(100);
		expect(run.waits[1]).toBeLessThanOrEqual(200);
	});

	it('retries a request that surely was not sent', async () => {
		const run = scripted([new TransportError('not-sent', 'refused', 'ECONNREFUSED'), response(200)]);
		expect(await withRetries(run.send, policy, run.wait)).toMatchObject({ status: 200 });
		expect(run.calls()).toBe(2);
	});

	it('never retries a request whose outcome is unknown', async () => {
		const unknown = new TransportError('unknown-outcome', 'reset', 'ECONNRESET');
		const run = scripted([unknown, response(200)]);
		expect(await withRetries(run.send, policy, run.wait)).toBe(unknown);
		expect(run.calls()).toBe(1);
	});

	it('does not retry other statuses such as 500 or 400', async () => {
		for (const status of [400, 401, 500, 502]) {
			const run = scripted([response(status), response(200)]);
			expect(await withRetries(run.send, policy, run.wait)).toMatchObject({ status });
			expect(run.calls()).toBe(1);
		}
	});

	it('gives up after maxRetries and returns the last answer', async () => {
		const run = scripted([response(503)]);
		expect(await withRetries(run.send, policy, run.wait)).toMatchObject({ status: 503 });
		expect(run.calls()).toBe(policy.maxRetries + 1);
	});

	it('does not wait for a Retry-After beyond the policy limit', async () => {
		const run = scripted([response(429, { 'retry-after': '3600' }), response(200)]);
		expect(await withRetries(run.send, policy, run.wait)).toMatchObject({ status: 429 });
		expect(run.waits).toEqual([]);
	});
});
