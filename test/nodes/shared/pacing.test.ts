import { Pacer, waitUnlessStopped, type PaceClock } from '../../../nodes/shared/pacing';
import { startOneChatSimulator, type OneChatSimulator } from '../../simulators/onechat';
import { NODE, runOneChat } from '../OneChat/oneChatWorkflow';

/**
 * A clock that moves only when the test says, so that the pacer's rules are checked exactly and a
 * busy machine changes nothing: timers fire in time order, and a stall moves time on without
 * firing any (as a blocked event loop does), so the timers due meanwhile fire late.
 */
class VirtualClock implements PaceClock {
	private time = 0;

	private readonly timers: Array<{ at: number; fire: () => void }> = [];

	now = () => this.time;

	sleep = async (ms: number) => await new Promise<void>((resolve) => this.timers.push({ at: this.time + ms, fire: resolve }));

	stall(ms: number): void {
		this.time += ms;
	}

	/** Lets all pending work run, then fires the earliest timer, until `work` settles. */
	async runUntil<T>(work: Promise<T>): Promise<T> {
		let settled = false;
		work.then(() => (settled = true), () => (settled = true));
		for (;;) {
			await new Promise(setImmediate);
			if (settled) return await work;
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers.shift();
			if (!next) throw new Error('the work waits for nothing the clock can fire');
			this.time = Math.max(this.time, next.at);
			next.fire();
		}
	}
}

describe('Pacer', () => {
	let clock: VirtualClock;
	beforeEach(() => (clock = new VirtualClock()));

	/** Starts of `count` requests that all ask at once; `during` runs after each start. */
	async function startTimes(pacer: Pacer, count: number, during: (index: number) => void = () => undefined) {
		const starts: Array<{ index: number; at: number }> = [];
		await clock.runUntil(Promise.all(Array.from({ length: count }, async (_, index) => {
			await pacer.turn();
			starts.push({ index, at: clock.now() });
			during(index);
		})));
		return starts;
	}

	it('spaces starts on a grid of (1 s + 20 ms) / rate and serves waiters in order', async () => {
		const starts = await startTimes(new Pacer(50, clock), 12);
		expect(starts.map((start) => start.index)).toEqual(Array.from({ length: 12 }, (_, index) => index));
		starts.forEach((start, index) => expect(start.at).toBeCloseTo(index * 20.4, 6));
	});

	it('never lets more than the rate start within one second (with 20 ms to spare)', async () => {
		const starts = await startTimes(new Pacer(5, clock), 11);
		for (let i = 5; i < starts.length; i++) expect(starts[i].at - starts[i - 5].at).toBeGreaterThanOrEqual(1_020 - 1e-9);
	});

	it('makes up for a stalled process on the grid, without drifting and without breaking the window', async () => {
		const rate = 20;
		const gap = 1_020 / rate;
		// The event loop is blocked for 3 gaps after start 5 and for 2 gaps after start 12.
		const starts = await startTimes(new Pacer(rate, clock), 30, (index) => {
			if (index === 5) clock.stall(3 * gap);
			if (index === 12) clock.stall(2 * gap);
		});
		// The last start is about where the grid puts it: the 5 gaps of stalls cost at most one gap at
		// the end (the faster stretch after a stall is echoed a window later, when the window rule
		// spreads it again); before, each stall pushed every later start back by its length.
		expect(starts[29].at).toBeGreaterThanOrEqual(29 * gap - 1e-9);
		expect(starts[29].at).toBeLessThanOrEqual(30 * gap + 1e-9);
		for (let i = rate; i < starts.length; i++) expect(starts[i].at - starts[i - rate].at).toBeGreaterThanOrEqual(1_020 - 1e-9);
		for (let i = 1; i < starts.length; i++) expect(starts[i].at - starts[i - 1].at).toBeGreaterThanOrEqual(gap / 2 - 1e-9);
	});

	it('counts a request whose answer took longer than the quickest as started that much later', async () => {
		const pacer = new Pacer(5, clock);
		const sixthAt = clock.runUntil((async () => {
			const first = await pacer.turn();
			// The first request's answer takes 150 ms (a new connection, say), the others' come at once.
			void clock.sleep(150).then(() => pacer.answered(first));
			for (let index = 1; index < 5; index++) pacer.answered(await pacer.turn());
			await pacer.turn();
			return clock.now();
		})());
		// It may have reached the server up to 150 ms after it started: the sixth waits for that too.
		expect(await sixthAt).toBeGreaterThanOrEqual(1_020 + 150 - 1e-9);
	});

	it('holds every start until the Retry-After time, then lets the waiters go', async () => {
		const pacer = new Pacer(undefined, clock);
		pacer.holdUntil(300);
		const starts = await clock.runUntil(Promise.all(Array.from({ length: 5 }, async () => {
			await pacer.turn();
			return clock.now();
		})));
		expect(starts).toEqual([300, 300, 300, 300, 300]);
	});

	it('drops a waiter whose run is stopped: it rejects and never starts', async () => {
		const pacer = new Pacer(2, clock);
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
