import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { connect, type N8nClient } from './n8n';

/** scripts/n8n/cancel.js (plain JavaScript), typed for what is asserted here. */
interface CancelFigures {
	total: number;
	eventualStatus: string;
	recipients: number;
	afterCancel: number;
	lateAfterCancel: number;
	lastAfterCancelMs: number | null;
	status: string;
}
interface CancelModule {
	measureCancel(options: {
		client: N8nClient;
		simulator: OneChatSimulator;
		mode: 'stop' | 'timeout';
		stopAfterMs?: number;
		timeoutSeconds?: number;
		observeMs?: number;
		webhookBaseUrl?: string;
	}): Promise<CancelFigures>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { measureCancel } = require('../../scripts/n8n/cancel') as CancelModule;

const { state, client } = connect();
let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'e2e-stop-key' });
});
afterAll(async () => await simulator.close());

// 20,000 recipients at 50 ms each and 32 in flight take about 31 s unless cancelled after ~2-3 s.
describe('cancelling a Relay to Users of 20,000 recipients in n8n', () => {
	it.each([
		['Stop (POST /rest/executions/:id/stop)', 'stop' as const],
		['the workflow execution timeout (3 s)', 'timeout' as const],
	])('%s: no request reaches OneChat more than 1 s later', async (_, mode) => {
		const figures = await measureCancel({ client, simulator, mode, stopAfterMs: 2000, timeoutSeconds: 3, observeMs: 5000 });
		// On failure the diff shows every figure (requests after the cancel, the last one's delay).
		expect(figures).toEqual(expect.objectContaining({ lateAfterCancel: 0, status: 'canceled' }));
		expect(figures.total).toBeLessThan(figures.recipients);
	});
});

// A production execution. In queue mode a webhook processor enqueued it and a worker runs it; main
// holds nothing of it, so its Stop only publishes n8n's "stop-execution" command, which a worker
// obeys only for an execution in its own list of active ones: a queued job is not in it (n8n 2.40.7
// and 2.41.1, scaling/execution-stop.service.js; n8n issue #25165). The node cannot hear of such a
// Stop at all: n8n gives it nothing but the cancel signal. The execution timeout is the worker's own.
describe('cancelling a Relay to Users of 20,000 recipients that a production webhook started', () => {
	const inQueueMode = process.env.TEST_LAYER === 'queue';
	const webhookBaseUrl = state.webhookBaseUrl ?? state.url;

	it('the workflow execution timeout (3 s): no request reaches OneChat more than 1 s later', async () => {
		const figures = await measureCancel({ client, simulator, mode: 'timeout', timeoutSeconds: 3, observeMs: 5000, webhookBaseUrl });
		expect(figures).toEqual(expect.objectContaining({ lateAfterCancel: 0, status: 'canceled' }));
		expect(figures.total).toBeLessThan(figures.recipients);
	});

	if (!inQueueMode) {
		it('Stop: no request reaches OneChat more than 1 s later', async () => {
			const figures = await measureCancel({ client, simulator, mode: 'stop', stopAfterMs: 2000, observeMs: 5000, webhookBaseUrl });
			expect(figures).toEqual(expect.objectContaining({ lateAfterCancel: 0, status: 'canceled' }));
			expect(figures.total).toBeLessThan(figures.recipients);
		});
	} else {
		// What the README's queue-mode section tells users; when n8n fixes it, this fails: say so there.
		it('Stop from main does not reach the worker (n8n issue #25165): the relay goes on and n8n finally records success', async () => {
			const figures = await measureCancel({ client, simulator, mode: 'stop', stopAfterMs: 2000, observeMs: 3000, webhookBaseUrl });
			expect(figures.status).toBe('canceled');
			expect(figures.lateAfterCancel).toBeGreaterThan(0);
			expect(figures.eventualStatus).toBe('success');
		});
	}
});
