import type { ChildProcess } from 'node:child_process';

import { ask as askChild, forkOneChatSimulator } from '../simulators/simulatorProcess';
import { connect, executionError, sendToUserWorkflow } from './n8n';

const { client } = connect();
let credentialId: string;
// The simulator runs in its own process: arrival times taken in this test's process would move
// with its garbage collections (its heap is large), whatever the sender does.
let simulator: ChildProcess;

const ask = <T>(type: string, reply: string) => askChild<T>(simulator, type, reply);

beforeAll(async () => {
	const started = await forkOneChatSimulator(5_000);
	simulator = started.child;
	const { baseUrl, apiKey } = started;
	credentialId = await client.createCredential('oneChatApi', 'OneChat (pacing)', { baseUrl, apiKey });
});
afterAll(() => {
	simulator.send({ type: 'stop' });
});

/** The most requests that reached the server within any one second. */
function busiestSecond(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let first = 0, last = 0; first < sorted.length; first++) {
		while (last < sorted.length && sorted[last] < sorted[first] + 1_000) last++;
		most = Math.max(most, last - first);
	}
	return most;
}


describe('Max Messages per Second in n8n', () => {
	it('sends 1,000 messages at 50/s in 20 s ± 5%, never more than 50 in any second at the server', async () => {
		await ask('reset', 'reset-done');
		const id = await client.importWorkflow(
			sendToUserWorkflow({ name: 'Send to User, 1000 items at 50/s', count: 1_000, message: 'paced', options: { maxPerSecond: 50 } }),
			{ oneChatApi: credentialId },
		);
		// Polled seldom: n8n answers each poll on the loop that sends, and a poll costs it several ms.
		const { status, execution } = await client.runWorkflowManually(id, { timeoutMs: 90_000, intervalMs: 5_000 });
		expect(executionError(execution)).toBeUndefined();
		expect(status).toBe('success');
		const { delivered } = await ask<{ delivered: number }>('stats', 'stats');
		expect(delivered).toBe(1_000);
		const runData = (execution as { data: { resultData: { runData: Record<string, Array<{ executionTime: number }>> } } }).data.resultData.runData;
		const nodeSeconds = runData.OneChat[0].executionTime / 1_000;
		expect(nodeSeconds).toBeGreaterThanOrEqual(19);
		expect(nodeSeconds).toBeLessThanOrEqual(21);
		const { times } = await ask<{ times: number[] }>('arrivals', 'arrivals');
		expect(times).toHaveLength(1_000);
		expect(busiestSecond(times)).toBeLessThanOrEqual(50);
	}, 120_000);
});
