import { sleep } from 'n8n-workflow';

/**
 * Paces the requests of one run. With a rate, starts follow a grid of (1 s + WINDOW_SPARE_MS) /
 * rate: a timer that fires late is made up on the next gaps, but by at most CATCH_UP_MS in all,
 * which keeps every second at or under `rate` starts with CATCH_UP_MS to spare (requests may reach
 * the server a little closer together than they left). A longer stall (a busy machine) shifts the
 * grid instead of bursting, by a whole gap, since the request released before it may have left
 * late. Whatever the rate, `holdUntil` stops every start of the run until the time a server named
 * in a Retry-After. Waiters are served in order; one whose run is stopped leaves the queue and
 * never starts.
 */

const WINDOW_MS = 1_000;
const WINDOW_SPARE_MS = 20;
const CATCH_UP_MS = 2;
const STALL_MS = 10;

interface Waiter {
	resolve(): void;
	reject(reason: unknown): void;
	signal?: AbortSignal;
	onAbort?: () => void;
}

export class Pacer {
	private readonly intervalMs: number;

	private startCount = 0;

	/** When the next start is due on the grid. */
	private nextSlot = 0;

	private heldUntil = 0;

	private readonly queue: Waiter[] = [];

	/** The loop that lets waiters go is running. */
	private releasing = false;

	/** Awaited by that loop after each release, so that the waiter records its start first. */
	private readonly resumed = Promise.resolve();

	constructor(private readonly perSecond?: number) {
		this.intervalMs = perSecond ? (WINDOW_MS + WINDOW_SPARE_MS) / perSecond : 0;
	}

	/** Resolves when this request may start; rejects with the signal's reason if the run is stopped first. */
	async turn(signal?: AbortSignal): Promise<void> {
		signal?.throwIfAborted();
		if (this.queue.length === 0 && this.earliestStart() <= performance.now()) {
			this.recordStart(performance.now());
			return;
		}
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
		this.recordStart(performance.now());
	}

	/** The server asked to wait (429/503 with Retry-After): no request of this run starts before then. */
	holdUntil(time: number): void {
		if (time <= this.heldUntil) return;
		this.heldUntil = time;
	}

	/** performance.now() time before which no request may start. */
	private earliestStart(): number {
		return this.startCount > 0 ? Math.max(this.heldUntil, this.nextSlot) : this.heldUntil;
	}

	private recordStart(time: number): void {
		// n starts after this one come no sooner than n gaps minus CATCH_UP_MS after it.
		if (this.perSecond) this.nextSlot = Math.max(this.nextSlot, time - CATCH_UP_MS) + this.intervalMs;
		this.startCount++;
	}

	/** Lets waiters go in order, each as soon as the rules allow; a hold is seen at the next look. */
	private async releaseInTurn(): Promise<void> {
		if (this.releasing) return;
		this.releasing = true;
		try {
			while (this.queue.length > 0) {
				const now = performance.now();
				const wait = this.earliestStart() - now;
				if (wait > 0) {
					await sleep(wait);
					continue;
				}
				// Woken far too late: the process was paused (a long garbage collection), and the request
				// released before the pause may have left only now. Keep a full gap after it.
				if (this.perSecond && -wait > STALL_MS && this.nextSlot > this.heldUntil) {
					this.nextSlot = now + this.intervalMs;
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
