import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startOneChatSimulator, type OneChatSimulator } from '../../simulators/onechat';
import { NODE, runAsText, runOneChat } from './oneChatWorkflow';

/**
 * The same checks for every operation of the node: expressions evaluated per item, output paired
 * with its input item, an API error reported with the service's words, and "continue on fail"
 * keeping one output item per input item. The operation files have their own detailed tests.
 */
let simulator: OneChatSimulator;
const APP = { appId: 'matrix-app', apiKey: 'matrix-app-key-19' };

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'matrix-key-55' });
	simulator.addSession('admin@onechat.test', 'admin-session');
	simulator.addSession('u1@onechat.test', 's1');
	simulator.registerApp(APP);
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearLog());

interface Case {
	operation: string;
	parameters: INodeParameters;
	/** Two valid items, a third (for register: one the API refuses), then one that fails validation. */
	items: IDataObject[];
	/** What the simulator must have received from the first item. */
	firstBody: IDataObject;
	apiError: string;
}

const cases: Case[] = [
	{
		operation: 'sendToUser',
		parameters: { resource: 'message', operation: 'sendToUser', jid: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: 'u1@onechat.test', name: 'Ann' }, { to: 'u2@onechat.test', name: 'Bo' }, { to: 'u3@onechat.test', name: 'Cy' }, { to: 'bad', name: 'x' }],
		firstBody: { jid: 'u1@onechat.test', message: 'Hi Ann' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'sendToGroup',
		parameters: { resource: 'message', operation: 'sendToGroup', jid: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: 'g1@muc.onechat.test', name: 'Ann' }, { to: 'g2@muc.onechat.test', name: 'Bo' }, { to: 'g3@muc.onechat.test', name: 'refused' }, { to: 'u@onechat.test', name: 'x' }],
		firstBody: { jid: 'g1@muc.onechat.test', message: 'Hi Ann' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'broadcastToDomain',
		parameters: { resource: 'message', operation: 'broadcastToDomain', domain: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: 'onechat.test', name: 'Ann' }, { to: 'other.test', name: 'Bo' }, { to: 'third.test', name: 'refused' }, { to: 'a b', name: 'x' }],
		firstBody: { domain: 'onechat.test', message: 'Hi Ann' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'relayToUsers',
		parameters: { resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: ['u1@onechat.test'], name: 'Ann' }, { to: 'u2@onechat.test', name: 'Bo' }, { to: ['u3@onechat.test'], name: 'refused' }, { to: [], name: 'x' }],
		firstBody: { jid: 'u1@onechat.test', message: 'Hi Ann' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'register',
		parameters: {
			resource: 'miniApp',
			operation: 'register',
			adminJid: 'admin@onechat.test',
			sessionId: '={{ $json.session }}',
			appName: '={{ $json.name }}',
			appIcon: 'https://example.com/i.png',
			appUrl: '={{ $json.url }}',
		},
		items: [
			{ session: 'admin-session', name: 'A', url: 'https://a.example' },
			{ session: 'admin-session', name: 'B', url: 'https://b.example' },
			{ session: 'expired', name: 'refused', url: 'https://c.example' },
			{ session: 'admin-session', name: 'D', url: 'not a url' },
		],
		firstBody: { adminJid: 'admin@onechat.test', sessionId: 'admin-session', appName: 'A', appUrl: 'https://a.example' },
		apiError: 'OneChat: Invalid session',
	},
	{
		operation: 'authenticateUser',
		parameters: { resource: 'miniApp', operation: 'authenticateUser', jid: '={{ $json.to }}', sessionId: '={{ $json.session }}' },
		items: [{ to: 'u1@onechat.test', session: 's1' }, { to: 'u1@onechat.test', session: 'other' }, { to: 'u1@onechat.test', session: 'refused' }, { to: 'u1@onechat.test', session: '' }],
		firstBody: { jid: 'u1@onechat.test', sessionId: 's1', appId: APP.appId },
		apiError: 'OneChat: Unauthorized',
	},
];

const miniAppCredential = { appId: APP.appId, apiKey: APP.apiKey };

describe.each(cases)('OneChat $operation', ({ parameters, items, firstBody, apiError }) => {
	it('evaluates expressions per item and pairs each output with its input', async () => {
		const result = await runOneChat(simulator, parameters, { items: items.slice(0, 2), miniAppCredential });
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(simulator.log[0].body).toMatchObject(firstBody);
	});

	it('reports an API error with the service description', async () => {
		const wrongKeys = { credential: { apiKey: 'wrong-key-31' }, miniAppCredential: { ...miniAppCredential, apiKey: 'wrong-key-31' } };
		const refusedItem = parameters.operation === 'register' ? items[2] : items[0];
		const result = await runOneChat(simulator, parameters, {
			items: [refusedItem],
			...(parameters.operation === 'register' ? { miniAppCredential } : wrongKeys),
		});
		expect(result.nodeError(NODE)?.message).toBe(apiError);
		expect(runAsText(result)).not.toContain('wrong-key-31');
	});

	it('with "continue on fail" gives every input item an outcome and sends nothing for the invalid one', async () => {
		const result = await runOneChat(simulator, parameters, { items, onError: 'continueRegularOutput', miniAppCredential });
		const output = result.output(NODE);
		const perInput = [0, 1, 2, 3].map((index) => output.filter((item) => (item.pairedItem as { item: number }).item === index));
		for (const entries of perInput) expect(entries.length).toBeGreaterThanOrEqual(1);
		expect(perInput[3][0].json).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^Invalid "/) });
		// One request for each of the first three items, none for the invalid fourth.
		expect(simulator.log).toHaveLength(3);
	});
});
