import { sleep } from 'n8n-workflow';

/**
 * Paces the requests of one run. With a rate, starts follow a fixed grid of (1 s + WINDOW_SPARE_MS)
 * / rate, so a timer that fires late costs nothing later: the next starts keep to the grid. Two
 * rules hold whatever the grid says: a start comes at least a window (1 s + WINDOW_SPARE_MS) after
 * the start `rate` starts before it (times taken when each request really went on, so a paused
 * process cannot squeeze a second), and at least half a gap after the previous start, so making up
 * for a stall is a short faster stretch, not a burst. A request whose answer took longer than the
 * quickest one of the run may have left late by the difference (a new connection, a pause of the
 * process before it was written), so for the window rule it counts as started that much later. A
 * grid left far behind (a hold, an idle spell) starts anew. Whatever the rate, `holdUntil` stops
 * every start of the run until the time a server named in a Retry-After. Waiters are served in
 * order; one whose run is stopped leaves the queue and never starts.
 */

const WINDOW_MS = 1_000;

/** Where the pacer reads the time and waits: the process's clock, or a test's virtual one. */
export interface PaceClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const processClock: PaceClock = { now: () => performance.now(), sleep };
/** Room for requests that reach the server a little closer together than they left. */
const WINDOW_SPARE_MS = 20;

interface Waiter {
	resolve(): void;
	reject(reason: unknown): void;
	signal?: AbortSignal;
	onAbort?: () => void;
}

export class Pacer {
	private readonly intervalMs: number;

	private startCount = 0;

	/** The grid: slot n is due at gridStart + n gaps. */
	private gridStart = 0;

	private gridSlot = 0;

	private lastStart = 0;

	/** The last `perSecond` starts, oldest at startCount % perSecond: when, and their round trip once answered. */
	private readonly recentStarts: number[] = [];

	private readonly roundTrips: Array<number | undefined> = [];

	private quickestRoundTrip = Infinity;

	private heldUntil = 0;

	private readonly queue: Waiter[] = [];

	/** The loop that lets waiters go is running. */
	private releasing = false;

	/** Awaited by that loop after each release, so that the waiter records its start first. */
	private readonly resumed = Promise.resolve();

	constructor(
		private readonly perSecond?: number,
		private readonly clock: PaceClock = processClock,
	) {
		this.intervalMs = perSecond ? (WINDOW_MS + WINDOW_SPARE_MS) / perSecond : 0;
	}

	/**
	 * Resolves when this request may start, with its number for `answered`; rejects with the
	 * signal's reason if the run is stopped first.
	 */
	async turn(signal?: AbortSignal): Promise<number> {
		signal?.throwIfAborted();
		if (this.queue.length === 0 && this.earliestStart() <= this.clock.now()) return this.recordStart(this.clock.now());
		await new Promise<void>((resolve, reject) => {
			const waiter: Waiter = { resolve, reject, signal };
			if (signal) {
				waiter.onAbort = () => this.leave(waiter);
				signal.addEventListener('abort', waiter.onAbort, { once: true });
			}
			this.queue.push(waiter);
			void this.releaseInTurn();
		});
		// The start counts from when this request really goes on, not from its release: a pause of the
		// process in between (a long garbage collection) must not let the next ones come closer.
		return this.recordStart(this.clock.now());
	}

	/** The answer (or failure) of start number `start` came back. */
	answered(start: number): void {
		if (!this.perSecond || this.startCount - start > this.perSecond) return;
		const slot = start % this.perSecond;
		const roundTrip = this.clock.now() - this.recentStarts[slot];
		this.roundTrips[slot] = roundTrip;
		this.quickestRoundTrip = Math.min(this.quickestRoundTrip, roundTrip);
	}

	/** The server asked to wait (429/503 with Retry-After): no request of this run starts before `time` (on the pacer's clock). */
	holdUntil(time: number): void {
		if (time <= this.heldUntil) return;
		this.heldUntil = time;
	}

	/** Clock time before which no request may start. */
	private earliestStart(): number {
		if (!this.perSecond || this.startCount === 0) return this.heldUntil;
		const onGrid = this.gridStart + this.gridSlot * this.intervalMs;
		const afterPrevious = this.lastStart + this.intervalMs / 2;
		const window = this.startCount >= this.perSecond ? this.latestLeaving(this.startCount % this.perSecond) + WINDOW_MS + WINDOW_SPARE_MS : 0;
		return Math.max(this.heldUntil, onGrid, afterPrevious, window);
	}

	/** When the request of a slot left at the latest, as far as its answer tells (unanswered: its start). */
	private latestLeaving(slot: number): number {
		const roundTrip = this.roundTrips[slot];
		return roundTrip === undefined ? this.recentStarts[slot] : this.recentStarts[slot] + roundTrip - this.quickestRoundTrip;
	}

	private recordStart(time: number): number {
		if (this.perSecond) {
			// First start, or the grid is a window behind: the grid starts anew from this start.
			if (this.startCount === 0 || time - (this.gridStart + this.gridSlot * this.intervalMs) > WINDOW_MS) {
				this.gridStart = time;
				this.gridSlot = 0;
			}
			this.gridSlot++;
			const slot = this.startCount % this.perSecond;
			this.recentStarts[slot] = time;
			this.roundTrips[slot] = undefined;
			this.lastStart = time;
		}
		return this.startCount++;
	}

	/** Lets waiters go in order, each as soon as the rules allow; a hold is seen at the next look. */
	private async releaseInTurn(): Promise<void> {
		if (this.releasing) return;
		this.releasing = true;
		try {
			while (this.queue.length > 0) {
				const wait = this.earliestStart() - this.clock.now();
				if (wait > 0) {
					await this.clock.sleep(wait);
					continue;
				}
				const waiter = this.queue.shift() as Waiter;
				if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
				waiter.resolve();
				// Let the waiter resume (and record its start) before the next look.
				await this.resumed;
			}
		} finally {
			this.releasing = false;
		}
	}

	private leave(waiter: Waiter): void {
		const index = this.queue.indexOf(waiter);
		if (index >= 0) this.queue.splice(index, 1);
		waiter.reject(waiter.signal?.reason);
	}
}

/** Waits `ms`; resolves false at once if the run is stopped meanwhile. */
export async function waitUnlessStopped(ms: number, signal?: AbortSignal): Promise<boolean> {
	if (!signal) {
		await sleep(ms);
		return true;
	}
	if (signal.aborted) return false;
	let onAbort: (() => void) | undefined;
	const stopped = new Promise<boolean>((resolve) => {
		onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([sleep(ms).then(() => true), stopped]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}
