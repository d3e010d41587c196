import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { connect, example, executionError, nodeOutput, webhookUrl } from './n8n';

const { state, client } = connect();
let simulator: OneChatSimulator;
let credentials: Record<string, string>;
const APP = { appId: 'e2e-mini-app', apiKey: 'e2e-mini-app-key-71' };

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'e2e-onechat-key' });
	simulator.addSession('alice@onechat.test', 'alice-session');
	simulator.registerApp(APP);
	credentials = {
		oneChatApi: await client.createCredential('oneChatApi', 'OneChat (e2e)', { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey }),
		oneChatMiniAppApi: await client.createCredential('oneChatMiniAppApi', 'OneChat mini app (e2e)', { baseUrl: simulator.baseUrl, ...APP }),
	};
});
afterAll(async () => await simulator.close());

describe('examples/onechat-scheduled-broadcast.json in n8n', () => {
	it('runs manually through the REST API: broadcast and relay reach OneChat', async () => {
		simulator.clearLog();
		const id = await client.importWorkflow(example('onechat-scheduled-broadcast.json'), credentials);
		const { status, execution } = await client.runWorkflowManually(id);
		expect(executionError(execution)).toBeUndefined();
		expect(status).toBe('success');
		expect(simulator.deliveredCount('onechat.test')).toBe(1);
		for (const jid of ['alice@onechat.test', 'bob@onechat.test', 'carol@onechat.test']) expect(simulator.deliveredCount(jid)).toBe(1);
		expect(nodeOutput(execution, 'Relay to on-call team')?.map((item) => item.status)).toEqual(['sent', 'sent', 'sent']);
	});

	it('runs on its schedule once activated (interval shortened to 2 seconds)', async () => {
		simulator.clearLog();
		const workflow = example('onechat-scheduled-broadcast.json');
		const schedule = workflow.nodes.find((node) => node.name === 'Every day') as { parameters: Record<string, unknown> };
		schedule.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: 2 }] } };
		const id = await client.importWorkflow(workflow, credentials, { name: 'OneChat: broadcast every 2 s (e2e)' });
		await client.activateWorkflow(id);
		try {
			const executions = await client.waitForExecutions(id, { count: 2, timeoutMs: 30_000 });
			expect(executions.every((execution) => execution.mode === 'trigger' && execution.status === 'success')).toBe(true);
			expect(simulator.deliveredCount('onechat.test')).toBeGreaterThanOrEqual(2);
		} finally {
			await client.deactivateWorkflow(id);
		}
	});
});

describe('examples/onechat-mini-app-session.json in n8n', () => {
	let url: string;
	let workflowId: string;

	beforeAll(async () => {
		const workflow = example('onechat-mini-app-session.json');
		workflowId = await client.importWorkflow(workflow, credentials);
		await client.activateWorkflow(workflowId);
		const trigger = workflow.nodes.find((node) => String(node.type).endsWith('oneChatMiniAppTrigger')) as { webhookId: string };
		url = webhookUrl(state, trigger.webhookId, 'onechat-mini-app');
	});
	afterAll(async () => await client.deactivateWorkflow(workflowId));

	const post = async (body: string, type = 'application/json') =>
		await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

	it('a confirmed session starts the workflow, which welcomes the user', async () => {
		simulator.clearLog();
		const response = await post(JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session', coupon: 'SPRING' }));
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ jid: 'alice@onechat.test', status: 'Success', description: '-' });
		const welcome = simulator.log.find((entry) => entry.endpoint === 'singleMessage');
		expect(welcome?.body).toEqual({ jid: 'alice@onechat.test', message: 'Welcome back! Your coupon code is SPRING.' });
	});

	it('works from a page on another origin: n8n answers the CORS preflight, the answer carries the origin', async () => {
		const origin = 'https://mini-app.example';
		const preflight = await fetch(url, {
			method: 'OPTIONS',
			headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
		expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
		expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
		const response = await fetch(url, {
			method: 'POST',
			headers: { origin, 'content-type': 'application/json' },
			body: JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session', coupon: 'CORS' }),
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('access-control-allow-origin')).toBe(origin);
	});

	it.each([
		['a forged session', JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'forged' }), 'application/json', 401],
		['a missing session', JSON.stringify({ jid: 'alice@onechat.test' }), 'application/json', 400],
		['malformed JSON', '{"jid": ', 'application/json', 422],
		['a body type the page never sends', 'jid=alice', 'text/plain', 415],
	])('%s is refused and no execution is recorded', async (_, body, type, status) => {
		const before = (await client.listExecutions({ workflowId })).length;
		const response = await post(body, type);
		expect(response.status).toBe(status);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await client.listExecutions({ workflowId })).length).toBe(before);
	});
});

