import type { INode } from 'n8n-workflow';

import { OneChatMiniAppApi } from '../../../credentials/OneChatMiniAppApi.credentials';
import { OneChat } from '../../../nodes/OneChat/OneChat.node';
import { OneChatMiniAppTrigger } from '../../../nodes/OneChatMiniAppTrigger/OneChatMiniAppTrigger.node';
import { startWebhookHost, type WebhookHost } from '../../engine/webhookHost';
import { startOneChatSimulator, type OneChatSimulator } from '../../simulators/onechat';

const TRIGGER_TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChatMiniAppTrigger';
const ONECHAT_TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChat';

let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'admin-key-2b8d' });
	simulator.registerApp({ appId: 'coupons', apiKey: 'coupons-key-6a1f' });
	simulator.addSession('alice@onechat.test', 'alice-session');
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.clearFaults();
	simulator.clearLog();
});

function triggerNode(parameters: INode['parameters'] = {}): INode {
	return {
		id: 't1',
		name: 'Mini App',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'mini-app-hook',
		parameters: { responseMode: 'onReceived', options: {}, ...parameters },
		credentials: { oneChatMiniAppApi: { id: 'm1', name: 'Mini app' } },
	};
}

async function host(parameters?: INode['parameters'], appKey = 'coupons-key-6a1f', withReply = false): Promise<WebhookHost> {
	return await startWebhookHost({
		node: triggerNode(parameters),
		nodeType: new OneChatMiniAppTrigger(),
		credentialTypes: [new OneChatMiniAppApi()],
		credentials: {
			oneChatMiniAppApi: { baseUrl: simulator.baseUrl, appId: 'coupons', apiKey: appKey },
			oneChatApi: { baseUrl: simulator.baseUrl, apiKey: 'admin-key-2b8d' },
		},
		downstream: withReply
			? {
					nodes: [
						{
							id: 'n2',
							name: 'Welcome',
							type: ONECHAT_TYPE,
							typeVersion: 1,
							position: [200, 0],
							parameters: { resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: '=Hi, coupon {{ $json.body.coupon }}' },
							credentials: { oneChatApi: { id: 'c1', name: 'OneChat' } },
						},
					],
					connections: { 'Mini App': { main: [[{ node: 'Welcome', type: 'main', index: 0 }]] } },
					nodeTypes: { [ONECHAT_TYPE]: new OneChat() },
				}
			: undefined,
	});
}

const post = async (url: string, body: string, contentType = 'application/json') =>
	await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('OneChat Mini App Trigger', () => {
	let server: WebhookHost;
	afterEach(async () => await server.close());

	it('starts the workflow for a session OneChat confirms, without passing the session ID on', async () => {
		server = await host();
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session', coupon: 'SPRING' }));
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ message: 'Workflow was started' });
		expect(server.executions).toHaveLength(1);
		const json = server.executions[0].items[0][0].json;
		expect(json).toMatchObject({ jid: 'alice@onechat.test', authenticated: true, body: { coupon: 'SPRING' } });
		expect(JSON.stringify(json)).not.toContain('alice-session');
		expect(simulator.log[0]).toMatchObject({
			endpoint: 'authenticateUser',
			apiKey: 'coupons-key-6a1f',
			body: { jid: 'alice@onechat.test', sessionId: 'alice-session', appId: 'coupons' },
		});
	});

	it('accepts a URL-encoded form and can answer with the last node of the workflow', async () => {
		server = await host({ responseMode: 'lastNode' }, 'coupons-key-6a1f', true);
		const response = await post(server.url(), 'jid=alice%40onechat.test&sessionId=alice-session&coupon=X1', 'application/x-www-form-urlencoded');
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ jid: 'alice@onechat.test', status: 'Success', description: '-' });
		expect(simulator.log.map((entry) => entry.endpoint)).toEqual(['authenticateUser', 'singleMessage']);
		expect(simulator.log[1].body).toEqual({ jid: 'alice@onechat.test', message: 'Hi, coupon X1' });
	});

	it('answers 401 and starts nothing for a session OneChat does not confirm', async () => {
		server = await host();
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'forged' }));
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: 'The OneChat session is not valid' });
		expect(server.executions).toHaveLength(0);
	});

	it.each([
		['a missing session ID', JSON.stringify({ jid: 'alice@onechat.test' }), 400, /"sessionId"/],
		['an invalid JID', JSON.stringify({ jid: 'alice', sessionId: 'x' }), 400, /"jid" must be a user JID/],
		['a JSON array', JSON.stringify([1, 2]), 400, /must be an object/],
	])('answers 400 for %s, before asking OneChat', async (_, body, status, pattern) => {
		server = await host();
		const response = await post(server.url(), body);
		expect(response.status).toBe(status);
		expect(((await response.json()) as { error: string }).error).toMatch(pattern);
		expect(server.executions).toHaveLength(0);
		expect(simulator.log).toHaveLength(0);
	});

	it('refuses malformed JSON as n8n does (422, from its body parser) and starts nothing', async () => {
		server = await host();
		const response = await post(server.url(), '{"jid": "alice@onechat.test", ');
		expect(response.status).toBe(422);
		expect(await response.json()).toMatchObject({ message: 'Failed to parse request body' });
		expect(server.executions).toHaveLength(0);
		expect(simulator.log).toHaveLength(0);
	});

	it('refuses other content types with 415', async () => {
		server = await host();
		const response = await post(server.url(), 'jid alice', 'text/plain');
		expect(response.status).toBe(415);
		expect(server.executions).toHaveLength(0);
	});

	it('refuses a body over the size limit with 413', async () => {
		server = await host({ options: { maxBodyKb: 1 } });
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session', pad: 'x'.repeat(2000) }));
		expect(response.status).toBe(413);
		expect(server.executions).toHaveLength(0);
		expect(simulator.log).toHaveLength(0);
	});

	it('answers 502 when OneChat cannot be asked', async () => {
		simulator.setFaults({ resetBeforeProcessing: { times: 1 } });
		server = await host();
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session' }));
		expect(response.status).toBe(502);
		expect(server.executions).toHaveLength(0);
	});

	it('answers 502 at once when OneChat is busy for long (429, Retry-After: 30), without holding the page', async () => {
		simulator.setFaults({ status429: { rate: 1, retryAfterSeconds: 30 } });
		server = await host();
		const started = Date.now();
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session' }));
		expect(response.status).toBe(502);
		expect(Date.now() - started).toBeLessThan(3_000);
		// A Retry-After beyond the trigger's short limit is not waited for: one request, no retry.
		expect(simulator.log).toHaveLength(1);
		expect(server.executions).toHaveLength(0);
	});

	it('retries a 503 at most once, then answers 502 within seconds', async () => {
		simulator.setFaults({ status503: { rate: 1 } });
		server = await host();
		const started = Date.now();
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session' }));
		expect(response.status).toBe(502);
		expect(Date.now() - started).toBeLessThan(3_000);
		expect(simulator.log.map((entry) => entry.fault)).toEqual(['503', '503']);
		expect(server.executions).toHaveLength(0);
	});

	it('answers 502, not 401, when OneChat refuses the app key: the fault is the credential, not the user', async () => {
		server = await host(undefined, 'not-the-key');
		const response = await post(server.url(), JSON.stringify({ jid: 'alice@onechat.test', sessionId: 'alice-session' }));
		expect(response.status).toBe(502);
		expect(server.executions).toHaveLength(0);
	});
});
