import { randomUUID } from 'node:crypto';

import { CREDENTIAL_MEMORY_MS } from '../../nodes/shared/credentialMemory';
import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { connect, nodeOutput, webhookUrl } from './n8n';

/**
 * What a trigger remembers of its credential (nodes/shared/credentialMemory.ts), in the real n8n:
 * a changed webhook token takes effect within CREDENTIAL_MEMORY_MS while calls keep coming. The
 * call that reads ahead does not wait for its read, so n8n finishes that read after it answered
 * the call; a token accepted before the first read ran out can only come from that read.
 */

const { state, client } = connect();
const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
const OLD_TOKEN = 'memory-hook-token-old';
const NEW_TOKEN = 'memory-hook-token-new';
let panel: OperatorSimulator;
let workflowId: string;
let credentialId: string;
let url: string;

beforeAll(async () => {
	panel = await startOperatorSimulator({ token: 'memory-api-token', webhookToken: OLD_TOKEN });
	credentialId = await client.createCredential('operatorApi', 'Operator (memory)', { apiUrl: panel.url, apiToken: panel.token, webhookToken: OLD_TOKEN });
	const webhookId = randomUUID();
	workflowId = await client.importWorkflow(
		{
			name: 'Credential memory: Operator Replied',
			settings: { executionOrder: 'v1' },
			nodes: [
				{ name: 'Trigger', type: `${PACKAGE}.operatorTrigger`, typeVersion: 1, position: [0, 0], webhookId, parameters: { event: 'operatorReply', options: {} }, credentials: { operatorApi: { id: 'operatorApi', name: 'operatorApi' } } },
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { Trigger: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		},
		{ operatorApi: credentialId },
	);
	await client.activateWorkflow(workflowId);
	url = webhookUrl(state, webhookId, 'operatorReply');
});
afterAll(async () => {
	await client.deactivateWorkflow(workflowId);
	await panel.close();
});

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

it('a changed webhook token is accepted before the first read runs out (read ahead, after n8n answered the call that started it); the old one is refused from then on', async () => {
	const reply = (message: string) => ({ user_id: 31, contact_id: 12, message });
	const readFrom = Date.now();
	expect((await panel.fireOperatorReply(url, reply('before'), { token: OLD_TOKEN })).status).toBe(200);
	await client.updateCredential(credentialId, 'operatorApi', 'Operator (memory)', { apiUrl: panel.url, apiToken: panel.token, webhookToken: NEW_TOKEN });

	// The panel's calls keep coming with the new token; each answer's time is taken when it arrives.
	const refusedBefore: number[] = [];
	let acceptedAt: number | undefined;
	while (acceptedAt === undefined && Date.now() - readFrom < CREDENTIAL_MEMORY_MS + 5_000) {
		const status = (await panel.fireOperatorReply(url, reply('after'), { token: NEW_TOKEN })).status;
		if (status === 200) acceptedAt = Date.now() - readFrom;
		else refusedBefore.push(status);
		await pause(100);
	}
	// Until the read ahead, the token read before counts (the documented price of the memory).
	expect(refusedBefore.length).toBeGreaterThan(0);
	expect(new Set(refusedBefore)).toEqual(new Set([401]));
	expect(acceptedAt).toBeDefined();
	expect(acceptedAt).toBeLessThan(CREDENTIAL_MEMORY_MS);
	expect((await panel.fireOperatorReply(url, reply('stale'), { token: OLD_TOKEN })).status).toBe(401);

	const executions = await client.waitForExecutions(workflowId, { count: 2 });
	await pause(1_000);
	expect(await client.listExecutions({ workflowId })).toHaveLength(2);
	const messages = await Promise.all(executions.map(async ({ id }) => nodeOutput(await client.getExecution(id), 'After')?.[0]?.message));
	expect(messages.sort()).toEqual(['after', 'before']);
}, 60_000);
