import { Pacer, waitUnlessStopped } from '../../../nodes/shared/pacing';
import { startOneChatSimulator, type OneChatSimulator } from '../../simulators/onechat';
import { NODE, runOneChat } from '../OneChat/oneChatWorkflow';

describe('Pacer', () => {
	it('spaces starts by 1/rate, a late one made up by at most 2 ms, and serves waiters in order', async () => {
		const pacer = new Pacer(50);
		const before = performance.now();
		const starts: Array<{ index: number; at: number }> = [];
		await Promise.all(Array.from({ length: 12 }, async (_, index) => {
			await pacer.turn();
			starts.push({ index, at: performance.now() });
		}));
		expect(starts.map((start) => start.index)).toEqual(Array.from({ length: 12 }, (_, index) => index));
		expect(starts[11].at - before).toBeGreaterThanOrEqual(11 * 20);
		// n starts after any start come n gaps (20.2 ms) minus at most 2 ms later; times are taken
		// when each waiter resumes, which a busy machine may delay by a few ms.
		const measuring = 6;
		for (let i = 0; i < starts.length; i++) {
			for (let j = i + 1; j < starts.length; j++) expect(starts[j].at - starts[i].at).toBeGreaterThanOrEqual((j - i) * 20.2 - 2 - measuring);
		}
	});

	it('never lets more than the rate start within one second', async () => {
		const pacer = new Pacer(5);
		const starts: number[] = [];
		await Promise.all(Array.from({ length: 11 }, async () => {
			await pacer.turn();
			starts.push(performance.now());
		}));
		for (let i = 5; i < starts.length; i++) expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(1_000);
	});

	it('holds every start until the Retry-After time, then lets the waiters go', async () => {
		const pacer = new Pacer();
		const heldAt = performance.now();
		pacer.holdUntil(heldAt + 300);
		const starts = await Promise.all(Array.from({ length: 5 }, async () => {
			await pacer.turn();
			return performance.now();
		}));
		for (const at of starts) expect(at - heldAt).toBeGreaterThanOrEqual(299);
	});

	it('drops a waiter whose run is stopped: it rejects and never starts', async () => {
		const pacer = new Pacer(2);
		const stop = new AbortController();
		await pacer.turn(stop.signal);
		const waiting = pacer.turn(stop.signal);
		stop.abort(new Error('stopped'));
		await expect(waiting).rejects.toThrow('stopped');
		await expect(pacer.turn(stop.signal)).rejects.toThrow('stopped');
	});

	it('ends a wait at once when the run is stopped', async () => {
		const stop = new AbortController();
		const started = performance.now();
		setTimeout(() => stop.abort(), 50);
		expect(await waitUnlessStopped(5_000, stop.signal)).toBe(false);
		expect(performance.now() - started).toBeLessThan(1_000);
		expect(await waitUnlessStopped(10)).toBe(true);
	});
});

describe('Max Messages per Second, through n8n-core', () => {
	let simulator: OneChatSimulator;
	beforeAll(async () => {
		simulator = await startOneChatSimulator({ apiKey: 'pace-key' });
	});
	afterAll(async () => await simulator.close());
	beforeEach(() => simulator.clearLog());

	const users = (count: number) => Array.from({ length: count }, (_, index) => ({ jid: `user${index}@onechat.test` }));

	it('paces the recipients of a relay the same way', async () => {
		const recipients = users(60).map((user) => user.jid);
		const result = await runOneChat(
			simulator,
			{ resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.recipients }}', message: 'paced', options: { maxPerSecond: 20 } },
			{ items: [{ recipients }] },
		);
		expect(result.output(NODE).map((item) => item.json.status)).toEqual(recipients.map(() => 'sent'));
		// 60 at 20/s: the last one starts after about 3 s (the exact pace at the server is checked in test/e2e/pacing.e2e.test.ts).
		const times = simulator.log.map((entry) => entry.receivedAt);
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2_900);
	}, 30_000);

	it('holds back every request of the run, not only the refused one, for a 429 Retry-After', async () => {
		simulator.setFaults({ status429: { times: 1, retryAfterSeconds: 1 } });
		try {
			const result = await runOneChat(
				simulator,
				{ resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: 'busy', options: { concurrency: 8 } },
				{ items: users(200) },
			);
			expect(result.error).toBeUndefined();
			expect(simulator.totalDelivered()).toBe(200);
		} finally {
			simulator.setFaults({ status429: { times: 0 } });
		}
		const refused = simulator.log.find((entry) => entry.httpStatus === 429);
		expect(refused).toBeDefined();
		const refusedAt = (refused as { receivedAt: number }).receivedAt;
		// Requests already on their way when the 429 came may still arrive; no new one starts for a second.
		const during = simulator.log.filter((entry) => entry.receivedAt > refusedAt + 100 && entry.receivedAt < refusedAt + 950);
		expect(during).toEqual([]);
		const after = simulator.log.filter((entry) => entry.receivedAt >= refusedAt + 950);
		expect(after.length).toBeGreaterThan(150);
	}, 30_000);
});
