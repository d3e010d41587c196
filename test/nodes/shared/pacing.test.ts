import { Pacer, waitUnlessStopped } from '../../../nodes/shared/pacing';
import { startOneChatSimulator, type OneChatSimulator } from '../../simulators/onechat';
import { NODE, runOneChat } from '../OneChat/oneChatWorkflow';

describe('Pacer', () => {
	/** Starts of `count` requests that all ask at once; `during` runs after each start. */
	async function startTimes(pacer: Pacer, count: number, during: (index: number) => void = () => undefined) {
		const starts: Array<{ index: number; at: number }> = [];
		await Promise.all(Array.from({ length: count }, async (_, index) => {
			await pacer.turn();
			starts.push({ index, at: performance.now() });
			during(index);
		}));
		return starts;
	}

	it('spaces starts on a grid of (1 s + 20 ms) / rate and serves waiters in order', async () => {
		const before = performance.now();
		const starts = await startTimes(new Pacer(50), 12);
		expect(starts.map((start) => start.index)).toEqual(Array.from({ length: 12 }, (_, index) => index));
		expect(starts[11].at - before).toBeGreaterThanOrEqual(11 * 20.4 - 1);
		// Half a gap at least between neighbours; times are taken when each waiter resumes, which a
		// busy machine may delay by a few ms.
		const measuring = 6;
		for (let i = 1; i < starts.length; i++) expect(starts[i].at - starts[i - 1].at).toBeGreaterThanOrEqual(10.2 - measuring);
	});

	it('never lets more than the rate start within one second (with 20 ms to spare)', async () => {
		const starts = await startTimes(new Pacer(5), 11);
		// The pacer times a start as its waiter resumes; this test a moment later (up to 2 ms here).
		for (let i = 5; i < starts.length; i++) expect(starts[i].at - starts[i - 5].at).toBeGreaterThanOrEqual(1_020 - 2);
	});

	it('makes up for a stalled process on the grid, without drifting and without breaking the window', async () => {
		const rate = 20;
		const gap = 1_020 / rate;
		const before = performance.now();
		// The event loop is blocked for 3 gaps after start 5 and for 2 gaps after start 12.
		const block = (ms: number) => {
			const until = performance.now() + ms;
			while (performance.now() < until);
		};
		const starts = await startTimes(new Pacer(rate), 30, (index) => {
			if (index === 5) block(3 * gap);
			if (index === 12) block(2 * gap);
		});
		// The last start is about where the grid puts it: the 5 gaps of stalls cost at most one gap at
		// the end (the faster stretch after a stall is echoed a window later, when the window rule
		// spreads it again); before, each stall pushed every later start back by its length.
		expect(starts[29].at - before).toBeGreaterThanOrEqual(29 * gap - 1);
		expect(starts[29].at - before).toBeLessThan(30 * gap + 10);
		for (let i = rate; i < starts.length; i++) expect(starts[i].at - starts[i - rate].at).toBeGreaterThanOrEqual(1_020 - 2);
		for (let i = 1; i < starts.length; i++) expect(starts[i].at - starts[i - 1].at).toBeGreaterThanOrEqual(gap / 2 - 6);
	});

	it('counts a request whose answer took longer than the quickest as started that much later', async () => {
		const pacer = new Pacer(5);
		const first = await pacer.turn();
		const firstAt = performance.now();
		// The first request's answer takes 150 ms (a new connection, say), the others' come at once.
		setTimeout(() => pacer.answered(first), 150);
		for (let index = 1; index < 5; index++) pacer.answered(await pacer.turn());
		await pacer.turn();
		// It may have reached the server up to 150 ms after it started: the sixth waits for that too.
		expect(performance.now() - firstAt).toBeGreaterThanOrEqual(1_020 + 150 - 5);
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
