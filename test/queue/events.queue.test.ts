import { randomUUID } from 'node:crypto';

import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { connectFleet, workerOf } from './fleet';

/**
 * The trigger events no example covers, through a webhook processor, their workflows on a worker
 * (the examples' events run in the end-to-end suites, which this layer runs against the fleet too).
 */
const { state, client } = connectFleet();
let panel: OperatorSimulator;
let platform: OpenPlatformSimulator;
let credentials: Record<string, string>;
const active: string[] = [];

beforeAll(async () => {
	panel = await startOperatorSimulator({ token: 'queue-api-token', webhookToken: 'queue-hook-token-7f' });
	platform = await startOpenPlatformSimulator();
	credentials = {
		operatorApi: await client.createCredential('operatorApi', 'Operator panel (queue events)', { apiUrl: panel.url, apiToken: panel.token, webhookToken: panel.webhookToken }),
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (queue events)', { url: platform.baseUrl }),
	};
});
afterAll(async () => {
	for (const id of active) await client.deactivateWorkflow(id);
	await panel.close();
	await platform.close();
});

const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';

/** Imports and activates trigger → next node; returns the workflow id and its trigger's production URL for `path`. */
async function activate(name: string, trigger: Record<string, unknown>, next: Record<string, unknown>, path: string) {
	const webhookId = randomUUID();
	const id = await client.importWorkflow(
		{
			name,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ name: 'Trigger', typeVersion: 1, position: [0, 0], webhookId, ...trigger },
				{ name: 'Next', typeVersion: 1, position: [240, 0], ...next },
			],
			connections: { Trigger: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
		},
		credentials,
	);
	await client.activateWorkflow(id);
	active.push(id);
	return { id, url: `${state.webhookBaseUrl}/webhook/${webhookId}/${path}` };
}

describe('trigger events in queue mode', () => {
	it('Operator Panel → Private Media Requested: the webhook processor waits, the answer node on a worker answers', async () => {
		const workflow = await activate(
			'Private media (queue)',
			{ type: `${PACKAGE}.operatorTrigger`, parameters: { event: 'privateMediaRequested', respond: 'responseNode', options: {} }, credentials: { operatorApi: { id: 'op', name: 'panel' } } },
			{
				type: `${PACKAGE}.operator`,
				parameters: { resource: 'panelRequest', operation: 'answerPrivateMedia', media: '={{ [{ url: "https://site.example/p/" + $json.user_id + "/1.jpg", big: "https://site.example/p/1_200.jpg" }] }}' },
			},
			'privateMediaRequested',
		);
		const answer = await panel.firePrivateMediaRequest(workflow.url, { user_id: 21 });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ media: [{ url: 'https://site.example/p/21/1.jpg', big: 'https://site.example/p/1_200.jpg' }] });
		const [execution] = await client.waitForExecutions(workflow.id, { count: 1 });
		expect(execution.status).toBe('success');
		expect(await workerOf(state, execution.id)).toMatch(/^worker-/);
	});

	it('OpenPlatform Trigger → App Opened: the session is verified on the webhook processor, the workflow runs on a worker', async () => {
		const workflow = await activate(
			'App opened (queue)',
			{
				type: `${PACKAGE}.openPlatformTrigger`,
				parameters: { event: 'appOpened', appResponse: 'redirect', redirectUrl: 'https://app.example/home', options: {} },
				credentials: { openPlatformApi: { id: 'op', name: 'platform' } },
			},
			{ type: 'n8n-nodes-base.noOp', parameters: {} },
			'open',
		);
		const response = await fetch(platform.openApp('u1', workflow.url), { redirect: 'manual' });
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toMatch(/^https:\/\/app\.example\/home\?/);
		const [execution] = await client.waitForExecutions(workflow.id, { count: 1 });
		expect(execution.status).toBe('success');
		expect(await workerOf(state, execution.id)).toMatch(/^worker-/);
	});
});
