import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { connect, type N8nClient } from './n8n';

/** scripts/n8n/cancel.js (plain JavaScript), typed for what is asserted here. */
interface CancelFigures {
	total: number;
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
	}): Promise<CancelFigures>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { measureCancel } = require('../../scripts/n8n/cancel') as CancelModule;

const { client } = connect();
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
