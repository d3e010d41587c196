import { randomUUID } from 'node:crypto';

import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { connect, nodeOutput, webhookUrl } from './n8n';

/**
 * Strangers flooding the triggers (issue 15): a few hundred forged calls at once, each trigger's
 * way. Every one gets its 4xx (none times out or loses its connection), none starts an execution,
 * and the real calls made during the flood still go through. Sizes are small on purpose: this is
 * a behaviour check, the figures are `npm run bench:webhooks`.
 */

const { state, client } = connect();
const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
let panel: OperatorSimulator;
let platform: OpenPlatformSimulator;
let oneChat: OneChatSimulator;
let credentials: Record<string, string>;
const active: string[] = [];

beforeAll(async () => {
	panel = await startOperatorSimulator({ token: 'flood-api-token', webhookToken: 'flood-hook-token-9f' });
	platform = await startOpenPlatformSimulator();
	oneChat = await startOneChatSimulator({ apiKey: 'flood-admin-key' });
	oneChat.registerApp({ appId: 'flood-app', apiKey: 'flood-app-key' });
	oneChat.addSession('alice@onechat.test', 'alice-session');
	credentials = {
		operatorApi: await client.createCredential('operatorApi', 'Operator (flood)', { apiUrl: panel.url, apiToken: panel.token, webhookToken: panel.webhookToken }),
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (flood)', { url: platform.baseUrl, accessToken: platform.appToken('u1'), n8nProcesses: 1 }),
		oneChatMiniAppApi: await client.createCredential('oneChatMiniAppApi', 'OneChat mini app (flood)', { baseUrl: oneChat.baseUrl, appId: 'flood-app', apiKey: 'flood-app-key' }),
	};
});
afterAll(async () => {
	for (const id of active) await client.deactivateWorkflow(id);
	await Promise.all([panel.close(), platform.close(), oneChat.close()]);
});

/** A trigger → No Op workflow, active; returns its id and the trigger's production URL. */
async function activateTrigger(type: string, parameters: Record<string, unknown>, credentialType: string, path: string): Promise<{ id: string; url: string }> {
	const webhookId = randomUUID();
	const id = await client.importWorkflow(
		{
			name: `Flood: ${type}`,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ name: 'Trigger', type: `${PACKAGE}.${type}`, typeVersion: 1, position: [0, 0], webhookId, parameters, credentials: { [credentialType]: { id: credentialType, name: credentialType } } },
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { Trigger: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		},
		credentials,
	);
	await client.activateWorkflow(id);
	active.push(id);
	return { id, url: webhookUrl(state, webhookId, path) };
}

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

interface FloodResult {
	/** The status of each forged call, or the network error that replaced it. */
	forged: Array<number | string>;
	real: Array<number | string>;
	/** What n8n's readiness check answered while the flood lasted. */
	readiness: Array<number | string>;
}

const httpStatusOf = async (call: () => Promise<{ status: number }>) => {
	try {
		return (await call()).status;
	} catch (error) {
		return String((error as Error).cause ?? error);
	}
};

/** All forged calls at once; meanwhile the real calls one after another, and n8n's readiness. */
async function flood(forged: (index: number) => Promise<{ status: number }>, forgedCount: number, real: (index: number) => Promise<{ status: number }>, realCount: number): Promise<FloodResult> {
	const forgedCalls = Promise.all(Array.from({ length: forgedCount }, async (_, index) => await httpStatusOf(() => forged(index))));
	let flooding = true;
	const readiness: FloodResult['readiness'] = [];
	const watching = (async () => {
		while (flooding) {
			readiness.push(await httpStatusOf(() => fetch(`${state.url}/healthz/readiness`, { signal: AbortSignal.timeout(10_000) })));
			await pause(200);
		}
	})();
	const realStatuses: FloodResult['real'] = [];
	for (let index = 0; index < realCount; index++) {
		await pause(100);
		realStatuses.push(await httpStatusOf(() => real(index)));
	}
	const forgedStatuses = await forgedCalls;
	flooding = false;
	await watching;
	return { forged: forgedStatuses, real: realStatuses, readiness };
}

const times = <T>(count: number, value: T) => Array.from({ length: count }, () => value);

describe('a flood of forged calls', () => {
	it('Operator Panel Trigger: 200 operator replies with a wrong token at once get 401 and start nothing; the panel\'s real replies meanwhile start one execution each', async () => {
		const workflow = await activateTrigger('operatorTrigger', { event: 'operatorReply', options: {} }, 'operatorApi', 'operatorReply');
		const reply = (index: number) => ({ user_id: 700 + index, contact_id: 12, message: `reply ${index}` });
		const result = await flood(
			(index) => panel.fireOperatorReply(workflow.url, reply(index), { token: `wrong-token-${index}`, timeoutMs: 60_000 }),
			200,
			(index) => panel.fireOperatorReply(workflow.url, reply(index), { timeoutMs: 60_000 }),
			8,
		);
		expect(result.forged).toEqual(times(200, 401));
		expect(result.real).toEqual(times(8, 200));
		expect(result.readiness.every((status) => status === 200)).toBe(true);
		const executions = await client.waitForExecutions(workflow.id, { count: 8 });
		await pause(1_000);
		expect(await client.listExecutions({ workflowId: workflow.id })).toHaveLength(8);
		const replied = await Promise.all(executions.map(async ({ id }) => nodeOutput(await client.getExecution(id), 'After')?.[0]?.user_id));
		expect(replied.sort()).toEqual([700, 701, 702, 703, 704, 705, 706, 707]);
	}, 120_000);

	it('OpenPlatform Trigger: 150 commands with made-up session tokens get 401 without asking OpenPlatform; real users\' commands meanwhile go through', async () => {
		const workflow = await activateTrigger('openPlatformTrigger', { event: 'commandReceived', options: {} }, 'openPlatformApi', 'command');
		platform.clearLog();
		const relay = (verifyUrl: string) => fetch(workflow.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ type: 'refresh', openplatform: verifyUrl }), signal: AbortSignal.timeout(60_000) });
		const result = await flood(
			(index) => relay(`${platform.baseUrl}/verify/?accesstoken=${index}-${'cd'.repeat(60)}`),
			150,
			(index) => relay(platform.verifyUrl(index % 2 === 0 ? 'u1' : 'u2')),
			4,
		);
		expect(result.forged).toEqual(times(150, 401));
		expect(result.real).toEqual(times(4, 204));
		expect(result.readiness.every((status) => status === 200)).toBe(true);
		expect(platform.requests.filter((entry) => entry.path === '/verify/').length).toBeLessThanOrEqual(4);
		await client.waitForExecutions(workflow.id, { count: 4 });
		await pause(1_000);
		expect(await client.listExecutions({ workflowId: workflow.id })).toHaveLength(4);
	}, 120_000);

	it('OneChat Mini App Trigger: 150 forged sessions get 401 (OneChat says no), none starts; real sessions meanwhile start one execution each', async () => {
		const workflow = await activateTrigger('oneChatMiniAppTrigger', { options: {} }, 'oneChatMiniAppApi', 'onechat-mini-app');
		const open = (jid: string, sessionId: string) =>
			fetch(workflow.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jid, sessionId }), signal: AbortSignal.timeout(60_000) });
		const result = await flood((index) => open(`mallory${index}@onechat.test`, `forged-${index}`), 150, () => open('alice@onechat.test', 'alice-session'), 4);
		expect(result.forged).toEqual(times(150, 401));
		expect(result.real).toEqual(times(4, 200));
		expect(result.readiness.every((status) => status === 200)).toBe(true);
		await client.waitForExecutions(workflow.id, { count: 4 });
		await pause(1_000);
		expect(await client.listExecutions({ workflowId: workflow.id })).toHaveLength(4);
	}, 120_000);
});
