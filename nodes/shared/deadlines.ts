import { sleep } from 'n8n-workflow';

/**
 * Per-request deadlines that end with the request. undici's own timeouts tick coarsely (a 100 ms
 * timeout may fire after a second), and AbortSignal.timeout keeps a timer and its signal alive
 * for the whole timeout after the request ended (100,000 at once in a big run). Here one watcher
 * checks the requests in flight, waking at the next deadline (at most TICK_MS apart) while any is.
 */

const TICK_MS = 25;

interface Deadline {
	at: number;
	controller: AbortController;
}

const pending = new Set<Deadline>();
let watching = false;

export interface RequestSignal {
	/** Aborts at the deadline (reason: a TimeoutError) or when the run is stopped (its reason). */
	signal: AbortSignal;
	/** The request ended: forget its deadline. */
	done(): void;
}

export function requestSignal(timeoutMs: number, stop?: AbortSignal): RequestSignal {
	const controller = new AbortController();
	const deadline: Deadline = { at: performance.now() + timeoutMs, controller };
	const onStop = () => controller.abort(stop?.reason);
	stop?.addEventListener('abort', onStop, { once: true });
	pending.add(deadline);
	void watch();
	return {
		signal: controller.signal,
		done() {
			pending.delete(deadline);
			stop?.removeEventListener('abort', onStop);
		},
	};
}

async function watch(): Promise<void> {
	if (watching) return;
	watching = true;
	try {
		while (pending.size > 0) {
			let next = Infinity;
			for (const deadline of pending) next = Math.min(next, deadline.at);
			await sleep(Math.max(1, Math.min(TICK_MS, next - performance.now())));
			const now = performance.now();
			for (const deadline of pending) {
				if (deadline.at > now) continue;
				pending.delete(deadline);
				deadline.controller.abort(new DOMException('The request timed out', 'TimeoutError'));
			}
		}
	} finally {
		watching = false;
	}
}
