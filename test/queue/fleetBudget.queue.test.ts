import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { example, executionError, nodeOutput, type N8nClient } from '../e2e/n8n';
import { connectFleet, workerOf } from './fleet';

/**
 * OpenPlatform blocks an IP after 11 token errors; the fleet's processes share one IP (127.0.0.1
 * here) but no memory. With the credential's default n8n Processes (4), each process spends at
 * most 2 errors (one of them only on tokens OpenPlatform accepted before), so bad URLs sent from
 * both workers and both webhook processors at once never reach the block, and the users each
 * process reached before are still reached afterwards.
 */
const { state, client } = connectFleet();
let platform: OpenPlatformSimulator;
let credentials: Record<string, string>;
const active: string[] = [];
let seeded: string[] = [];
const WORKERS = state.processes.filter((process) => process.command === 'worker').map((process) => process.name);

beforeAll(async () => {
	platform = await startOpenPlatformSimulator();
	seeded = platform.seedUsers(20);
	credentials = {
		// n8n Processes left at its default: what a user who never opened that field gets.
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (fleet budget)', { url: platform.baseUrl }),
	};
});
afterAll(async () => {
	for (const id of active) await client.deactivateWorkflow(id);
	await platform.close();
});

/** Manual Trigger → Code (one item per notify URL) → OpenPlatform Notify, continuing on errors. */
async function notifyWorkflow(name: string, urls: string[]): Promise<string> {
	return await client.importWorkflow(
		{
			name,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ name: 'Users', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: `return ${JSON.stringify(urls.map((notify) => ({ json: { notify } })))};` } },
				{
					name: 'Notify',
					type: 'n8n-nodes-openplatform-operator-onechat.openPlatform',
					typeVersion: 1,
					position: [440, 0],
					onError: 'continueRegularOutput',
					parameters: { resource: 'notification', operation: 'send', notifyUrl: '={{ $json.notify }}', type: 1, body: 'Fleet budget check', options: { concurrency: 1 } },
					credentials: { openPlatformApi: { id: 'op', name: 'OpenPlatform (fleet budget)' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Users', type: 'main', index: 0 }]] }, Users: { main: [[{ node: 'Notify', type: 'main', index: 0 }]] } },
		},
		credentials,
	);
}

/** Runs the workflow, two at a time, until every worker has run it; returns each worker's last notify errors. */
async function runOnEveryWorker(api: N8nClient, workflowId: string): Promise<Map<string, Array<string | undefined>>> {
	const byWorker = new Map<string, Array<string | undefined>>();
	for (let round = 0; round < 10 && byWorker.size < WORKERS.length; round++) {
		const started = await Promise.all([1, 2].map(async () => (await api.runWorkflowManually(workflowId, { wait: false })).executionId));
		for (const executionId of started) {
			const execution = await api.waitForExecution(executionId, { timeoutMs: 60_000 });
			expect(executionError(execution)).toBeUndefined();
			const worker = await workerOf(state, executionId);
			if (worker) byWorker.set(worker, (nodeOutput(execution, 'Notify') ?? []).map((item) => item.error as string | undefined));
		}
	}
	expect([...byWorker.keys()].sort()).toEqual(WORKERS);
	return byWorker;
}

/** Stale verify URLs (the user logged in again since): OpenPlatform answers error-invalid-accesstoken and counts it. */
function staleVerifyUrls(users: string[]): string[] {
	return users.map((user) => {
		const stale = platform.verifyUrl(user);
		platform.verifyUrl(user);
		return stale;
	});
}

describe('the token-error budget across the fleet', () => {
	it('keeps OpenPlatform from blocking n8n with bad tokens from 4 processes at once, and the users reached before are still reached', async () => {
		// Each process first reaches a user: a token OpenPlatform accepted.
		const good = await notifyWorkflow('Notify a known user', [platform.notifyUrl('u1')]);
		for (const errors of (await runOnEveryWorker(client, good)).values()) expect(errors).toEqual([undefined]);
		const command = example('openplatform-command.json');
		const commandId = await client.importWorkflow(command, credentials, { name: 'Commands (fleet budget)' });
		await client.activateWorkflow(commandId);
		active.push(commandId);
		const webhookId = (command.nodes.find((node) => typeof node.webhookId === 'string') as { webhookId: string }).webhookId;
		const relay = async (base: string, verifyUrl: string) =>
			await fetch(`${base}/webhook/${webhookId}/command`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ type: 'ping', openplatform: verifyUrl }) });
		const session = platform.verifyUrl('u2');
		for (const base of state.webhookBaseUrls) expect((await relay(base, session)).status).toBe(204);

		// The storm: 20 bad notify URLs in each worker's runs, 10 stale sessions at each webhook processor.
		const bad = Array.from({ length: 20 }, (_, index) => platform.notifyUrl('u1').replace(/accesstoken=[^&]+/, `accesstoken=${platform.appId}-nobody-1234567890-${1234567800 + index}`));
		const storm = await notifyWorkflow('Notify with bad URLs', bad);
		const stormAnswers = await Promise.all([
			runOnEveryWorker(client, storm),
			...state.webhookBaseUrls.map(async (base, index) => await Promise.all(staleVerifyUrls(seeded.slice(index * 10, index * 10 + 10)).map(async (url) => (await relay(base, url)).status))),
		]);
		const [workerErrors, ...webhookStatuses] = stormAnswers as [Map<string, Array<string | undefined>>, ...number[][]];
		for (const errors of workerErrors.values()) {
			expect(errors.filter((error) => /error-invalid-accesstoken/.test(String(error))).length).toBeLessThanOrEqual(1);
			expect(errors.every((error) => error !== undefined)).toBe(true);
		}
		// 401: OpenPlatform refused the session; 429 / 503: the guard kept it back (this address, or all callers).
		for (const statuses of webhookStatuses) expect(statuses.filter((status) => ![401, 429, 503].includes(status))).toEqual([]);
		const failures = platform.tokenFailures();
		expect(failures).toBeGreaterThan(0);
		expect(failures).toBeLessThanOrEqual(4 * 2);

		// Afterwards every process still reaches the users it reached before: OpenPlatform has not
		// blocked n8n (a blocked IP gets error-blocked-ip for valid tokens too).
		for (const errors of (await runOnEveryWorker(client, good)).values()) expect(errors).toEqual([undefined]);
		for (const base of state.webhookBaseUrls) expect((await relay(base, session)).status).toBe(204);
		expect(platform.tokenFailures()).toBeLessThan(11);
	});
});
