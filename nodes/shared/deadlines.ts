import { sleep } from 'n8n-workflow';

/**
 * Per-request deadlines that end with the request. undici's own timeouts tick coarsely (a 100 ms
 * timeout may fire after a second), and AbortSignal.timeout keeps a timer and its signal alive
 * for the whole timeout after the request ended (100,000 at once in a big run). Here one watcher
 * checks the requests in flight, waking at the next deadline (at most TICK_MS apart) while any is,
 * and one listener per execution's cancel signal aborts that execution's requests in flight.
 */

const TICK_MS = 25;

interface Deadline {
	at: number;
	controller: AbortController;
	stop?: AbortSignal;
}

const pending = new Set<Deadline>();
let watching = false;
/** Cancel signals that already have their listener. */
const listenedStops = new WeakSet<AbortSignal>();

export interface RequestSignal {
	/** Aborts at the deadline (reason: a TimeoutError) or when the run is stopped (its reason). */
	signal: AbortSignal;
	/** The request ended: forget its deadline. */
	done(): void;
}

export function requestSignal(timeoutMs: number, stop?: AbortSignal): RequestSignal {
	const controller = new AbortController();
	const deadline: Deadline = { at: performance.now() + timeoutMs, controller, stop };
	if (stop && !listenedStops.has(stop)) {
		listenedStops.add(stop);
		stop.addEventListener('abort', () => abortStopped(stop), { once: true });
	}
	pending.add(deadline);
	if (!watching) void watch();
	return {
		signal: controller.signal,
		done() {
			pending.delete(deadline);
		},
	};
}

function abortStopped(stop: AbortSignal): void {
	for (const deadline of pending) {
		if (deadline.stop !== stop) continue;
		pending.delete(deadline);
		deadline.controller.abort(stop.reason);
	}
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
