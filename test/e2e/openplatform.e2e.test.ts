import { randomUUID } from 'node:crypto';

import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { connect, example, executionError, productionUrl, webhookUrl } from './n8n';

const { state, client } = connect();
let platform: OpenPlatformSimulator;
let credentials: Record<string, string>;
const active: string[] = [];

beforeAll(async () => {
	platform = await startOpenPlatformSimulator();
	credentials = {
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (e2e)', {
			url: platform.baseUrl,
			accessToken: platform.appToken('u1'),
		}),
		openPlatformOAuth2Api: await client.createCredential('openPlatformOAuth2Api', 'OpenPlatform OAuth2 (e2e)', {
			url: platform.baseUrl,
			clientId: platform.oauth.clientId,
			clientSecret: platform.oauth.clientSecret,
		}),
	};
});
afterAll(async () => {
	for (const id of active) await client.deactivateWorkflow(id);
	await platform.close();
});

async function activate(file: string, adjust?: (workflow: ReturnType<typeof example>) => void): Promise<{ id: string; webhookId: string }> {
	const workflow = example(file);
	adjust?.(workflow);
	const id = await client.importWorkflow(workflow, credentials);
	await client.activateWorkflow(id);
	active.push(id);
	const trigger = workflow.nodes.find((node) => typeof node.webhookId === 'string') as { webhookId: string };
	return { id, webhookId: trigger.webhookId };
}

const executionsOf = async (workflowId: string) => (await client.listExecutions({ workflowId })).length;
const get = async (url: string, headers: Record<string, string> = {}) => await fetch(url, { redirect: 'manual', headers });

describe('examples/openplatform-notify-on-event.json in n8n', () => {
	it('a shop webhook notifies every user of the team and raises their badge', async () => {
		const workflow = await activate('openplatform-notify-on-event.json');
		const before = platform.notifications.length;
		const response = await fetch(productionUrl(state, 'order-shipped'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ order: 'A-77', team: 'sales' }),
		});
		expect(response.status).toBe(200);
		const [execution] = await client.waitForExecutions(workflow.id, { count: 1 });
		expect(execution.status).toBe('success');
		const stored = platform.notifications.slice(before);
		expect(stored.map((entry) => entry.userId)).toEqual(['u1']);
		expect(stored[0]).toMatchObject({ type: 1, body: 'Order **A-77** has shipped.', data: '{"order":"A-77"}' });
		expect(platform.badgeCount('u1')).toBe(1);
	});
});

describe('examples/openplatform-sign-in.json in n8n', () => {
	let workflow: { id: string; webhookId: string };
	beforeAll(async () => {
		workflow = await activate('openplatform-sign-in.json');
	});

	it('signs a user in: start → OpenPlatform → callback with the doubled "?" → profile in the workflow', async () => {
		const start = await get(webhookUrl(state, workflow.webhookId, 'open'));
		expect(start.status).toBe(302);
		// The browser keeps the sign-in cookie and brings it back on the callback.
		const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
		expect(cookie).toMatch(/^n8n_openplatform_signin_\w+=[\w-]+$/);
		const atPlatform = await get(start.headers.get('location') ?? '', { 'x-sim-user': 'u2' });
		const callback = atPlatform.headers.get('location') ?? '';
		expect(callback).toMatch(/\/callback\?state=[^?]+\?code=/);
		const withoutCookie = await get(callback);
		expect(withoutCookie.status).toBe(400);
		const done = await get(callback, { cookie });
		expect(done.status).toBe(302);
		expect(done.headers.get('location')).toBe('http://localhost:5678/');
		const [execution] = await client.waitForExecutions(workflow.id, { count: 1 });
		expect(execution.status).toBe('success');

		// A replay with the same cookie: the spent state is in the workflow's static data, which n8n saved.
		const exchanges = platform.requests.filter((entry) => entry.path.startsWith('/oauth/token/')).length;
		const replay = await get(callback, { cookie });
		expect(replay.status).toBe(400);
		expect(await replay.json()).toEqual({ error: 'This sign-in was already completed; start again' });
		expect(platform.requests.filter((entry) => entry.path.startsWith('/oauth/token/'))).toHaveLength(exchanges);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await executionsOf(workflow.id)).toBe(1);
	});

	it('refuses a forged state with 400 and records no execution', async () => {
		const before = await executionsOf(workflow.id);
		const code = /code=([^&]+)/.exec(platform.authorize('u1', 'https://x.example/').location ?? '')?.[1];
		const response = await get(`${webhookUrl(state, workflow.webhookId, 'callback')}?state=eyJleHAiOjk5OTk5OTk5OTk5OTl9.forged?code=${code}`);
		expect(response.status).toBe(400);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await executionsOf(workflow.id)).toBe(before);
	});
});

describe('examples/openplatform-command.json in n8n', () => {
	it('serves the bridge script and turns a relayed command into a confirmation notification', async () => {
		const workflow = await activate('openplatform-command.json');
		const script = await get(webhookUrl(state, workflow.webhookId, 'open'));
		expect(await script.text()).toContain(webhookUrl(state, workflow.webhookId, 'command'));
		// What the bridge script posts: the command and the session's verify URL, as text/plain.
		const relayCommand = async (command: Record<string, unknown>) =>
			await fetch(webhookUrl(state, workflow.webhookId, 'command'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(command) });
		const before = platform.notifications.length;
		const relay = await relayCommand({ type: 'refresh', body: { report: 'sales' }, openplatform: platform.verifyUrl('u1') });
		expect(relay.status).toBe(204);
		await client.waitForExecutions(workflow.id, { count: 1 });
		expect(platform.notifications.slice(before)).toEqual([
			expect.objectContaining({ userId: 'u1', body: 'Command **refresh** received; the report is being refreshed.', data: '{"report":"sales"}' }),
		]);
		const forged = await relayCommand({ type: 'refresh', openplatform: `https://evil.example/verify/?accesstoken=1-${'a'.repeat(50)}` });
		expect(forged.status).toBe(400);

		// Strangers with made-up session tokens: refused by their shape, OpenPlatform is never asked, real users still get in.
		platform.clearLog();
		for (let call = 0; call < 8; call++) {
			const madeUp = await relayCommand({ type: 'refresh', openplatform: `${platform.baseUrl}/verify/?accesstoken=${call}-${'ab'.repeat(60)}` });
			expect(madeUp.status).toBe(401);
		}
		expect(platform.requests.filter((entry) => entry.path === '/verify/')).toHaveLength(0);
		const real = await relayCommand({ type: 'refresh', body: { report: 'hr' }, openplatform: platform.verifyUrl('u2') });
		expect(real.status).toBe(204);
		await client.waitForExecutions(workflow.id, { count: 2 });
	});
});

describe('the Command Types filter in n8n', () => {
	it('answers a command type nobody listens to 200, without asking OpenPlatform or starting anything', async () => {
		const workflow = await activate('openplatform-command.json', (json) => {
			const trigger = json.nodes.find((node) => typeof node.webhookId === 'string') as { webhookId: string; parameters: Record<string, unknown> };
			trigger.webhookId = randomUUID();
			trigger.parameters.commandTypes = 'refresh';
		});
		const relay = async (type: string) =>
			await fetch(webhookUrl(state, workflow.webhookId, 'command'), {
				method: 'POST',
				headers: { 'content-type': 'text/plain' },
				body: JSON.stringify({ type, openplatform: platform.verifyUrl('u1') }),
			});
		platform.clearLog();
		const ignored = await relay('delete');
		expect(ignored.status).toBe(200);
		expect(platform.requests.filter((entry) => entry.path === '/verify/')).toHaveLength(0);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await executionsOf(workflow.id)).toBe(0);
		expect((await relay('refresh')).status).toBe(204);
		await client.waitForExecutions(workflow.id, { count: 1 });
	});
});

describe('examples/openplatform-notify-user.json in n8n', () => {
	it('notifies the user picked by name and raises their badge, with the user looked up by the node', async () => {
		const id = await client.importWorkflow(example('openplatform-notify-user.json'), credentials);
		const before = platform.notifications.length;
		const badge = platform.badgeCount('u1');
		const { status, execution } = await client.runWorkflowManually(id, { timeoutMs: 60_000 });
		expect(executionError(execution)).toBeUndefined();
		expect(status).toBe('success');
		expect(platform.notifications.slice(before)).toEqual([expect.objectContaining({ userId: 'u1', type: 1, body: expect.stringMatching(/^The sales report for \*\*.+\*\* is ready\.$/) })]);
		expect(platform.badgeCount('u1')).toBe(badge + 1);
	});

	it('lists the app\'s users in the User field, as the editor asks n8n for them', async () => {
		const { status, body } = await client.request('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			body: {
				path: 'user',
				nodeTypeAndVersion: { name: 'n8n-nodes-openplatform-operator-onechat.openPlatform', version: 1 },
				// The node's parameters as the editor sends them: defaults resolved, Authentication included.
				currentNodeParameters: { authentication: 'appToken', resource: 'notification', operation: 'send', recipient: 'user', user: { __rl: true, mode: 'list', value: '' } },
				methodName: 'searchUsers',
				credentials: { openPlatformApi: { id: credentials.openPlatformApi, name: 'OpenPlatform (e2e)' } },
				filter: 'ben',
			},
		});
		expect(status).toBe(200);
		expect((body as { data: { results: Array<{ name: string; value: string }> } }).data.results).toEqual([{ name: 'Ben Adams (ben@openplatform.test)', value: 'u2' }]);
	});
});
