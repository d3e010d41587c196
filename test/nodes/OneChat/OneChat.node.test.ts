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
beforeEach(() => {
	simulator.clearFaults();
	simulator.clearLog();
});

interface Case {
	operation: string;
	parameters: INodeParameters;
	/** Two valid items, a third the API refuses, then one that fails validation. */
	items: IDataObject[];
	/** What the simulator must receive for each of the first three items. */
	bodies: IDataObject[];
	/** What the first three items must output, in input order (the third: the API's refusal). */
	outputs: IDataObject[];
	/** Makes the simulator refuse the third item; register's third item has an expired session instead. */
	refuse?: { field: string; value: string };
	apiError: string;
}

/** The simulator's answer to a request refused through its `refuseWhere` switch. */
const REFUSED = 'OneChat: Refused';

const cases: Case[] = [
	{
		operation: 'sendToUser',
		parameters: { resource: 'message', operation: 'sendToUser', jid: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: 'u1@onechat.test', name: 'Ann' }, { to: 'u2@onechat.test', name: 'Bo' }, { to: 'u3@onechat.test', name: 'refused' }, { to: 'bad', name: 'x' }],
		bodies: [
			{ jid: 'u1@onechat.test', message: 'Hi Ann' },
			{ jid: 'u2@onechat.test', message: 'Hi Bo' },
			{ jid: 'u3@onechat.test', message: 'Hi refused' },
		],
		outputs: [
			{ jid: 'u1@onechat.test', status: 'Success' },
			{ jid: 'u2@onechat.test', status: 'Success' },
			{ jid: 'u3@onechat.test', outcome: 'failed', error: REFUSED },
		],
		refuse: { field: 'message', value: 'Hi refused' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'sendToGroup',
		parameters: { resource: 'message', operation: 'sendToGroup', jid: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: 'g1@muc.onechat.test', name: 'Ann' }, { to: 'g2@muc.onechat.test', name: 'Bo' }, { to: 'g3@muc.onechat.test', name: 'refused' }, { to: 'u@onechat.test', name: 'x' }],
		bodies: [
			{ jid: 'g1@muc.onechat.test', message: 'Hi Ann' },
			{ jid: 'g2@muc.onechat.test', message: 'Hi Bo' },
			{ jid: 'g3@muc.onechat.test', message: 'Hi refused' },
		],
		outputs: [
			{ jid: 'g1@muc.onechat.test', status: 'Success' },
			{ jid: 'g2@muc.onechat.test', status: 'Success' },
			{ jid: 'g3@muc.onechat.test', outcome: 'failed', error: REFUSED },
		],
		refuse: { field: 'message', value: 'Hi refused' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'broadcastToDomain',
		parameters: { resource: 'message', operation: 'broadcastToDomain', domain: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: 'onechat.test', name: 'Ann' }, { to: 'other.test', name: 'Bo' }, { to: 'third.test', name: 'refused' }, { to: 'a b', name: 'x' }],
		bodies: [
			{ domain: 'onechat.test', message: 'Hi Ann' },
			{ domain: 'other.test', message: 'Hi Bo' },
			{ domain: 'third.test', message: 'Hi refused' },
		],
		outputs: [
			{ domain: 'onechat.test', status: 'Success' },
			{ domain: 'other.test', status: 'Success' },
			{ domain: 'third.test', outcome: 'failed', error: REFUSED },
		],
		refuse: { field: 'message', value: 'Hi refused' },
		apiError: 'OneChat: Unauthorized',
	},
	{
		operation: 'relayToUsers',
		parameters: { resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.to }}', message: '=Hi {{ $json.name }}' },
		items: [{ to: ['u1@onechat.test'], name: 'Ann' }, { to: 'u2@onechat.test', name: 'Bo' }, { to: ['u3@onechat.test'], name: 'refused' }, { to: [], name: 'x' }],
		bodies: [
			{ jid: 'u1@onechat.test', message: 'Hi Ann' },
			{ jid: 'u2@onechat.test', message: 'Hi Bo' },
			{ jid: 'u3@onechat.test', message: 'Hi refused' },
		],
		// One item per recipient: a refused recipient reports its outcome in `status`.
		outputs: [
			{ jid: 'u1@onechat.test', status: 'sent', error: '' },
			{ jid: 'u2@onechat.test', status: 'sent', error: '' },
			{ jid: 'u3@onechat.test', status: 'failed', error: REFUSED },
		],
		refuse: { field: 'message', value: 'Hi refused' },
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
		bodies: [
			{ adminJid: 'admin@onechat.test', sessionId: 'admin-session', appName: 'A', appIcon: 'https://example.com/i.png', appUrl: 'https://a.example' },
			{ adminJid: 'admin@onechat.test', sessionId: 'admin-session', appName: 'B', appIcon: 'https://example.com/i.png', appUrl: 'https://b.example' },
			{ adminJid: 'admin@onechat.test', sessionId: 'expired', appName: 'refused', appIcon: 'https://example.com/i.png', appUrl: 'https://c.example' },
		],
		outputs: [
			{ appName: 'A', appUrl: 'https://a.example', status: 'Success' },
			{ appName: 'B', appUrl: 'https://b.example', status: 'Success' },
			{ outcome: 'failed', error: 'OneChat: Invalid session' },
		],
		apiError: 'OneChat: Invalid session',
	},
	{
		operation: 'authenticateUser',
		parameters: { resource: 'miniApp', operation: 'authenticateUser', jid: '={{ $json.to }}', sessionId: '={{ $json.session }}' },
		items: [{ to: 'u1@onechat.test', session: 's1' }, { to: 'u1@onechat.test', session: 'other' }, { to: 'u1@onechat.test', session: 'refused' }, { to: 'u1@onechat.test', session: '' }],
		bodies: [
			{ jid: 'u1@onechat.test', sessionId: 's1', appId: APP.appId },
			{ jid: 'u1@onechat.test', sessionId: 'other', appId: APP.appId },
			{ jid: 'u1@onechat.test', sessionId: 'refused', appId: APP.appId },
		],
		outputs: [
			{ jid: 'u1@onechat.test', isAuthenticated: true },
			{ jid: 'u1@onechat.test', isAuthenticated: false },
			{ jid: 'u1@onechat.test', outcome: 'failed', error: REFUSED },
		],
		refuse: { field: 'sessionId', value: 'refused' },
		apiError: 'OneChat: Unauthorized',
	},
];

const miniAppCredential = { appId: APP.appId, apiKey: APP.apiKey };

/** The logged requests whose body holds these fields; matched by content, not by arrival order. */
const requestsWith = (body: IDataObject) =>
	simulator.log.filter((entry) => Object.entries(body).every(([field, value]) => entry.body?.[field] === value));

describe.each(cases)('OneChat $operation', ({ parameters, items, bodies, outputs, refuse, apiError }) => {
	it('evaluates expressions per item and pairs each output with its input', async () => {
		const result = await runOneChat(simulator, parameters, { items: items.slice(0, 2), miniAppCredential });
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(simulator.log).toHaveLength(2);
		for (const body of bodies.slice(0, 2)) expect(requestsWith(body)).toHaveLength(1);
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

	it('with "continue on fail" gives every input item its own outcome: sent, refused by the API, invalid', async () => {
		if (refuse) simulator.setFaults({ refuseWhere: refuse });
		const result = await runOneChat(simulator, parameters, { items, onError: 'continueRegularOutput', miniAppCredential });
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);
		// Exactly one output per input item, in input order, each paired with its input.
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		for (const [index, expected] of outputs.entries()) expect(output[index].json).toMatchObject(expected);
		for (const success of output.slice(0, 2)) expect(success.json).not.toHaveProperty('outcome');
		expect(output[3].json).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^Invalid "/) });

		// The simulator got one request for each of the first three items and none for the invalid
		// fourth; it carried out the first two and refused the third.
		expect(simulator.log).toHaveLength(3);
		for (const [index, body] of bodies.entries()) {
			const received = requestsWith(body);
			expect(received).toHaveLength(1);
			expect(received[0].delivered).toBe(index < 2);
		}
	});
});
