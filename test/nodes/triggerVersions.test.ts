import type { INode, INodeType } from 'n8n-workflow';

import { OneChatMiniAppApi } from '../../credentials/OneChatMiniAppApi.credentials';
import { OpenPlatformApi } from '../../credentials/OpenPlatformApi.credentials';
import { OperatorApi } from '../../credentials/OperatorApi.credentials';
import { OneChatMiniAppTrigger } from '../../nodes/OneChatMiniAppTrigger/OneChatMiniAppTrigger.node';
import { OpenPlatformTrigger } from '../../nodes/OpenPlatformTrigger/OpenPlatformTrigger.node';
import { forgetSessionChecks } from '../../nodes/OpenPlatformTrigger/sessionChecks';
import { OperatorTrigger } from '../../nodes/OperatorTrigger/OperatorTrigger.node';
import { startWebhookHost, type WebhookHost } from '../engine/webhookHost';
import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';

/**
 * Version 2 of the triggers is version 1 without n8n's per-call look at an `options.binaryData`
 * parameter they never had (an expression evaluation on every call in n8n 2.x). What n8n itself does
 * differently for version 2: it reads only JSON, text, form and XML bodies (and multipart) before
 * the node, which are all the triggers accept. So every call must get the same answer and start
 * the same item from either version.
 */

const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
let oneChat: OneChatSimulator;
let platform: OpenPlatformSimulator;
beforeAll(async () => {
	oneChat = await startOneChatSimulator({ apiKey: 'admin-key' });
	oneChat.registerApp({ appId: 'coupons', apiKey: 'coupons-key' });
	oneChat.addSession('alice@onechat.test', 'alice-session');
	platform = await startOpenPlatformSimulator();
});
afterAll(async () => await Promise.all([oneChat.close(), platform.close()]));

interface Call {
	label: string;
	path: string;
	contentType?: string;
	body?: string | FormData;
}

interface Trigger {
	name: string;
	nodeType: INodeType;
	parameters: INode['parameters'];
	credentialType: string;
	credentialTypes: ConstructorParameters<typeof Object>[0][];
	credentials: () => Record<string, Record<string, string | number>>;
	calls: () => Call[];
}

const json = (path: string, label: string, value: unknown): Call => ({ label, path, contentType: 'application/json', body: JSON.stringify(value) });
/** Bodies of every kind n8n treats differently by version, each with what the trigger reads from it. */
const otherBodies = (path: string, fields: Record<string, string>): Call[] => [
	{ label: 'form', path, contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() },
	{ label: 'text/plain JSON', path, contentType: 'text/plain', body: JSON.stringify(fields) },
	{ label: 'octet-stream', path, contentType: 'application/octet-stream', body: JSON.stringify(fields) },
	{ label: 'XML', path, contentType: 'application/xml', body: '<a>1</a>' },
	{ label: 'no content type', path, body: JSON.stringify(fields) },
	{ label: 'malformed JSON', path, contentType: 'application/json', body: '{"token": ' },
	{ label: 'empty JSON', path, contentType: 'application/json', body: '' },
];

const multipart = (fields: Record<string, string>) => {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	form.append('attach', new Blob([Buffer.from('a photo')], { type: 'image/jpeg' }), 'photo.jpg');
	return form;
};

const reply = { token: 'hook-token-1', user_id: '1', contact_id: '2', message: 'hi' };
const TRIGGERS: Trigger[] = [
	{
		name: 'Operator Panel Trigger',
		nodeType: new OperatorTrigger(),
		parameters: { event: 'operatorReply', options: {} },
		credentialType: 'operatorApi',
		credentialTypes: [new OperatorApi()],
		credentials: () => ({ operatorApi: { apiUrl: 'http://127.0.0.1:9/api', apiToken: 'api-token', webhookToken: 'hook-token-1' } }),
		calls: () => [
			json('operatorReply', 'JSON', reply),
			json('operatorReply', 'JSON, wrong token', { ...reply, token: 'wrong' }),
			{ label: 'multipart with a file', path: 'operatorReply', body: multipart(reply) },
			...otherBodies('operatorReply', reply),
		],
	},
	{
		name: 'OpenPlatform Trigger',
		nodeType: new OpenPlatformTrigger(),
		parameters: { event: 'commandReceived', options: {} },
		credentialType: 'openPlatformApi',
		credentialTypes: [new OpenPlatformApi()],
		credentials: () => ({ openPlatformApi: { url: platform.baseUrl, n8nProcesses: 1 } }),
		calls: () => [
			json('command', 'JSON', { type: 'refresh', openplatform: platform.verifyUrl('u1') }),
			json('command', 'JSON, verify URL of another host', { type: 'refresh', openplatform: 'http://evil.example/verify/?accesstoken=abc' }),
			...otherBodies('command', { type: 'refresh', openplatform: platform.verifyUrl('u2') }),
		],
	},
	{
		name: 'OneChat Mini App Trigger',
		nodeType: new OneChatMiniAppTrigger(),
		parameters: { responseMode: 'onReceived', options: {} },
		credentialType: 'oneChatMiniAppApi',
		credentialTypes: [new OneChatMiniAppApi()],
		credentials: () => ({ oneChatMiniAppApi: { baseUrl: oneChat.baseUrl, appId: 'coupons', apiKey: 'coupons-key' } }),
		calls: () => [
			json('onechat-mini-app', 'JSON', { jid: 'alice@onechat.test', sessionId: 'alice-session', coupon: 'SPRING' }),
			json('onechat-mini-app', 'JSON without jid', { sessionId: 'alice-session' }),
			...otherBodies('onechat-mini-app', { jid: 'alice@onechat.test', sessionId: 'alice-session' }),
		],
	},
];

/** Every call's answer and the items it started, from the trigger at `typeVersion`. */
async function answersOf(trigger: Trigger, typeVersion: number) {
	forgetSessionChecks();
	const host: WebhookHost = await startWebhookHost({
		node: {
			id: 'trigger',
			name: 'Trigger',
			type: `${PACKAGE}.${trigger.nodeType.description.name}`,
			typeVersion,
			position: [0, 0],
			webhookId: 'version-hook',
			parameters: trigger.parameters,
			credentials: { [trigger.credentialType]: { id: 'c1', name: 'credential' } },
		},
		nodeType: trigger.nodeType,
		credentialTypes: trigger.credentialTypes as never,
		credentials: trigger.credentials(),
	});
	try {
		const answers = [];
		for (const call of trigger.calls()) {
			const response = await fetch(`${host.baseUrl}/webhook/version-hook/${call.path}`, { method: 'POST', headers: call.contentType ? { 'content-type': call.contentType } : {}, body: call.body });
			const started = host.executions.length;
			const text = await response.text();
			answers.push({ call: call.label, status: response.status, text, started });
		}
		const items = host.executions.map((execution) => execution.items[0].map((item) => ({ json: item.json, binary: Object.keys(item.binary ?? {}) })));
		return { answers, items };
	} finally {
		await host.close();
	}
}

describe.each(TRIGGERS)('$name', (trigger) => {
	it('answers every body alike and starts the same items at version 1 and version 2 (the default)', async () => {
		expect(trigger.nodeType.description.version).toEqual([1, 2]);
		expect(trigger.nodeType.description.defaultVersion).toBe(2);
		const first = await answersOf(trigger, 1);
		const second = await answersOf(trigger, 2);
		expect(second).toEqual(first);
		// The comparison means something only if some calls were taken and some refused.
		expect(first.items.length).toBeGreaterThan(0);
		expect(first.answers.some((answer) => answer.status >= 400)).toBe(true);
	});
});
