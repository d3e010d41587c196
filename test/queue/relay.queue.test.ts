import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { executionError, nodeOutput, relayWorkflow } from '../e2e/n8n';
import { connectFleet, workerOf } from './fleet';

const { state, client } = connectFleet();
let simulator: OneChatSimulator;
let credentialId: string;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'queue-relay-key' });
	credentialId = await client.createCredential('oneChatApi', 'OneChat (queue relay)', { baseUrl: simulator.baseUrl, apiKey: 'queue-relay-key' });
});
afterAll(async () => await simulator.close());

describe('Relay to Users in queue mode', () => {
	it('relays one message to 10,000 recipients on a worker, each with its own outcome', async () => {
		const recipients = 10_000;
		const workflow = relayWorkflow({ name: 'Relay 10,000 (queue)', recipients, message: 'Queue mode relay', domain: 'queue.onechat.test' });
		const id = await client.importWorkflow(workflow, { oneChatApi: credentialId });
		const { executionId, status, execution } = await client.runWorkflowManually(id, { timeoutMs: 150_000, intervalMs: 1_000 });
		expect(executionError(execution)).toBeUndefined();
		expect(status).toBe('success');
		expect(await workerOf(state, executionId)).toMatch(/^worker-/);
		const output = nodeOutput(execution, 'Relay') ?? [];
		expect(output).toHaveLength(recipients);
		expect(output.every((item) => item.status === 'sent')).toBe(true);
		const delivered = simulator.log.filter((entry) => entry.endpoint === 'singleMessage' && entry.delivered);
		expect(new Set(delivered.map((entry) => String(entry.body?.jid))).size).toBe(recipients);
	});
});
