/**
 * Paces the requests of one run. With a rate, starts are at least 1/rate apart and never more
 * than `rate` fall in any second (with WINDOW_SPARE_MS to spare, since requests may reach the
 * server a little closer together than they left). Whatever the rate, `holdUntil` stops every
 * start of the run until the time the server named in a Retry-After. Waiters are served in order;
 * one that is aborted leaves the queue and never starts.
 */

import { sleep } from 'n8n-workflow';

const WINDOW_MS = 1_000;
const WINDOW_SPARE_MS = 20;

interface Waiter {
	resolve(): void;
	reject(reason: unknown): void;
	signal?: AbortSignal;
	onAbort?: () => void;
}

export class Pacer {
	private readonly intervalMs: number;

	/** Start times of the last `perWindow` requests (a ring), for the one-second rule. */
	private readonly starts: number[];

	private startCount = 0;

	private heldUntil = 0;

	private readonly queue: Waiter[] = [];

	/** The loop that lets waiters go is running. */
	private releasing = false;

	constructor(private readonly perSecond?: number) {
		this.intervalMs = perSecond ? WINDOW_MS / perSecond : 0;
		this.starts = perSecond ? new Array<number>(Math.max(1, Math.floor(perSecond))) : [];
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
	}

	/** The server asked to wait (429/503 with Retry-After): no request of this run starts before then. */
	holdUntil(time: number): void {
		if (time <= this.heldUntil) return;
		this.heldUntil = time;
	}

	/** performance.now() time before which no request may start. */
	private earliestStart(): number {
		let earliest = this.heldUntil;
		if (this.perSecond && this.startCount > 0) {
			const last = this.starts[(this.startCount - 1) % this.starts.length];
			earliest = Math.max(earliest, last + this.intervalMs);
			if (this.startCount >= this.starts.length) {
				const windowOpener = this.starts[this.startCount % this.starts.length];
				earliest = Math.max(earliest, windowOpener + WINDOW_MS + WINDOW_SPARE_MS);
			}
		}
		return earliest;
	}

	private recordStart(time: number): void {
		if (this.perSecond) this.starts[this.startCount % this.starts.length] = time;
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
				const waiter = this.queue.shift() as Waiter;
				if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
				this.recordStart(now);
				waiter.resolve();
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
