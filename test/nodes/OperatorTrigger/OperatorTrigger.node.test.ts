import { createHash, randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

import {
	type IExecuteFunctions,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { OperatorApi } from '../../../credentials/OperatorApi.credentials';
import { Operator } from '../../../nodes/Operator/Operator.node';
import { OperatorTrigger } from '../../../nodes/OperatorTrigger/OperatorTrigger.node';
import { CREDENTIAL_MEMORY_MS } from '../../../nodes/shared/credentialMemory';
import { n8nContainer } from '../../engine/runtime';
import { describeTestNode, ITEMS_TYPE } from '../../engine/testNodes';
import { startWebhookHost, type WebhookHost } from '../../engine/webhookHost';
import { startOperatorSimulator, type OperatorSimulator } from '../../simulators/operator';

const TRIGGER_TYPE = 'n8n-nodes-openplatform-operator-onechat.operatorTrigger';
const OPERATOR_TYPE = 'n8n-nodes-openplatform-operator-onechat.operator';
const DIGEST_TYPE = 'test.digest';
// n8n-nodes-base is not installed here; a stand-in under the real type name is enough for the trigger.
const RESPOND_TO_WEBHOOK_TYPE = 'n8n-nodes-base.respondToWebhook';

/** Reads the trigger's binary "attach" through n8n's helpers and outputs its size and SHA-256. */
class Digest implements INodeType {
	description = describeTestNode('digest', { displayName: 'Digest', defaults: { name: 'Digest' } });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const bytes = await this.helpers.getBinaryDataBuffer(0, 'attach');
		const binary = this.getInputData()[0].binary?.attach;
		return [[{ json: { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), fileName: binary?.fileName, mimeType: binary?.mimeType }, pairedItem: { item: 0 } }]];
	}
}

/** Like n8n's Respond to Webhook node: answers the waiting call with its first input item, unchecked. */
class RespondToWebhook implements INodeType {
	description = describeTestNode('respondToWebhook', { displayName: 'Respond to Webhook', defaults: { name: 'Respond to Webhook' } });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		await this.sendResponse({ statusCode: 200, body: items[0].json });
		return [items];
	}
}

type LogError = (message: string) => void;

/** The Logger n8n-core gives nodes as `this.logger` (from the @n8n/di container n8n-core uses). */
function n8nLogger(): { error: LogError } {
	const fromCore = { paths: [dirname(require.resolve('n8n-core'))] };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Logger } = require(require.resolve('@n8n/backend-common', fromCore)) as {
		Logger: abstract new (...args: never[]) => { error: LogError };
	};
	return n8nContainer().get(Logger);
}

let simulator: OperatorSimulator;
let host: WebhookHost | undefined;

beforeAll(async () => {
	simulator = await startOperatorSimulator({ token: 'api-token-1', webhookToken: 'hook-token-7f3a' });
});
afterAll(async () => await simulator.close());
afterEach(async () => {
	await host?.close();
	host = undefined;
});

function node(name: string, type: string, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

/** The trigger followed by `branches`, each a chain of nodes starting at the trigger. */
async function startTriggerBranches(parameters: INode['parameters'], branches: INode[][]): Promise<WebhookHost> {
	const trigger = node('Panel', TRIGGER_TYPE, { options: {}, ...parameters }, {
		webhookId: 'operator-hook',
		credentials: { operatorApi: { id: 'o1', name: 'Operator' } },
	});
	const connections: IConnections = {};
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0]?.push({ node: to, type: 'main', index: 0 });
	};
	for (const branch of branches) branch.forEach((next, index) => link(index === 0 ? 'Panel' : branch[index - 1].name, next.name));
	const nodes = branches.flat();
	host = await startWebhookHost({
		node: trigger,
		nodeType: new OperatorTrigger(),
		credentialTypes: [new OperatorApi()],
		credentials: { operatorApi: { apiUrl: simulator.url, apiToken: 'api-token-1', webhookToken: 'hook-token-7f3a' } },
		downstream: nodes.length
			? {
					nodes,
					connections,
					nodeTypes: {
						[OPERATOR_TYPE]: new Operator(),
						[DIGEST_TYPE]: new Digest(),
						[RESPOND_TO_WEBHOOK_TYPE]: new RespondToWebhook(),
					},
				}
			: undefined,
	});
	return host;
}

/** The trigger followed by a chain of nodes (none, one or more). */
async function startTrigger(parameters: INode['parameters'], ...chain: INode[]): Promise<WebhookHost> {
	return await startTriggerBranches(parameters, chain.length ? [chain] : []);
}

const answerUserInfo = (overrides: INode['parameters'] = {}) =>
	node('Answer', OPERATOR_TYPE, {
		resource: 'panelRequest',
		operation: 'answerUserInfo',
		id: '={{ $json.user_id }}',
		name: 'Ann',
		gender: 'female',
		avatar: 'https://site.example/a/1.jpg',
		balance: '12.50',
		location: 'Berlin',
		about: 'Likes hiking',
		custom: { fields: [{ name: 'vip', value: 'yes' }] },
		...overrides,
	});

describe('Operator Panel Trigger → Operator Reply', () => {
	it('emits the reply and its file as binary data, byte for byte (multipart)', async () => {
		const server = await startTrigger({ event: 'operatorReply' }, node('Digest', DIGEST_TYPE, {}));
		const bytes = randomBytes(150_000);
		const answer = await simulator.fireOperatorReply(server.url(), {
			user_id: 501,
			contact_id: 11,
			message: 'Hi from the operator',
			attach: { filename: 'photo.png', contentType: 'image/png', bytes },
		});
		expect(answer.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].items[0][0].json).toEqual({
			event: 'operatorReply',
			user_id: 501,
			contact_id: 11,
			message: 'Hi from the operator',
			hasAttachment: true,
		});
		const run = await server.executions[0].done;
		expect(run.output('Digest')[0].json).toEqual({
			size: bytes.length,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			fileName: 'photo.png',
			mimeType: 'image/png',
		});
	});

	it('starts only for the bots listed in "Only From Bot IDs": others get 200 and start nothing', async () => {
		const server = await startTrigger({ event: 'operatorReply', onlyFromBotIds: '12, 15' });
		const ignored = await simulator.fireOperatorReply(server.url(), { user_id: 99, contact_id: 2, message: 'not for us' });
		expect(ignored.status).toBe(200);
		expect(ignored.json).toEqual({ ignored: 'not from a bot this workflow listens to' });
		expect(server.executions).toHaveLength(0);
		const listed = await simulator.fireOperatorReply(server.url(), { user_id: 15, contact_id: 2, message: 'for us' });
		expect(listed.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].items[0][0].json).toMatchObject({ user_id: 15, message: 'for us' });
		// The filter comes after the token and the fields: a listed bot without the token is still refused.
		const unsigned = await simulator.fireOperatorReply(server.url(), { user_id: 15, contact_id: 2, message: 'x' }, { token: null });
		expect(unsigned.status).toBe(401);
		expect(server.executions).toHaveLength(1);
	});

	it('refuses every reply (500, the fix in the log) while "Only From Bot IDs" holds something that is not an id', async () => {
		const server = await startTrigger({ event: 'operatorReply', onlyFromBotIds: '12, bot-7' });
		const answer = await simulator.fireOperatorReply(server.url(), { user_id: 12, contact_id: 2, message: 'x' });
		expect(answer.status).toBe(500);
		expect(server.executions).toHaveLength(0);
	});

	it.each(['urlencoded', 'json'] as const)('accepts a %s reply without file', async (encoding) => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), { user_id: '7', contact_id: '8', message: 'ok' }, { encoding });
		expect(answer.status).toBe(200);
		expect(server.executions[0].items[0][0].json).toMatchObject({ user_id: 7, contact_id: 8, message: 'ok', hasAttachment: false });
	});

	it.each(['query', 'json'] as const)('accepts the token as a %s parameter', async (tokenIn) => {
		const server = await startTrigger({ event: 'operatorReply' });
		const encoding = tokenIn === 'json' ? 'json' : 'urlencoded';
		const answer = await simulator.fireOperatorReply(server.url(), { user_id: 1, contact_id: 2, message: 'x' }, { tokenIn, encoding });
		expect(answer.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect(JSON.stringify(server.executions[0].items)).not.toContain('hook-token-7f3a');
	});
});

describe('Operator Panel Trigger → hostile calls are refused before any execution', () => {
	const reply = { user_id: 1, contact_id: 2, message: 'x' };

	it('401 without a token', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), reply, { token: null });
		expect(answer).toMatchObject({ status: 401, json: { error: 'Invalid token' } });
		expect(server.executions).toHaveLength(0);
	});

	it('401 with a wrong token, in any encoding', async () => {
		const server = await startTrigger({ event: 'userInfoRequested' });
		for (const encoding of ['multipart', 'urlencoded', 'json'] as const) {
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 3 }, { token: 'hook-token-7f3b', encoding });
			expect(answer.status).toBe(401);
		}
		expect(server.executions).toHaveLength(0);
	});

	it('a flood of wrong tokens costs one credential read per CREDENTIAL_MEMORY_MS (read ahead by one call before it runs out), and the right token still gets in', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		for (const token of ['stranger-1', 'stranger-2', 'hook-token-7f3', null]) expect((await simulator.fireOperatorReply(server.url(), reply, { token })).status).toBe(401);
		expect((await simulator.fireOperatorReply(server.url(), reply)).status).toBe(200);
		expect(server.credentials.readsOf('operatorApi')).toBe(1);
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now');
		try {
			// Shortly before the memory runs out, one call reads ahead; the next ones use that read.
			clock.mockReturnValue(start + CREDENTIAL_MEMORY_MS - 1_000);
			for (const token of ['stranger-3', 'stranger-4']) expect((await simulator.fireOperatorReply(server.url(), reply, { token })).status).toBe(401);
			expect(server.credentials.readsOf('operatorApi')).toBe(2);
			clock.mockReturnValue(start + CREDENTIAL_MEMORY_MS + 1);
			expect((await simulator.fireOperatorReply(server.url(), reply, { token: 'stranger-5' })).status).toBe(401);
			expect(server.credentials.readsOf('operatorApi')).toBe(2);
			// Calls after a quiet spell longer than the memory read again.
			clock.mockReturnValue(start + 3 * CREDENTIAL_MEMORY_MS);
			expect((await simulator.fireOperatorReply(server.url(), reply, { token: 'stranger-6' })).status).toBe(401);
			expect(server.credentials.readsOf('operatorApi')).toBe(3);
		} finally {
			clock.mockRestore();
		}
		expect(server.executions).toHaveLength(1);
	});

	it('a changed webhook token takes effect within CREDENTIAL_MEMORY_MS: until then the token read before still counts', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		expect((await simulator.fireOperatorReply(server.url(), reply)).status).toBe(200);
		await server.credentials.updateCredentials({ id: 'o1', name: 'Operator' }, 'operatorApi', { apiUrl: simulator.url, apiToken: 'api-token-1', webhookToken: 'hook-token-new' });
		expect((await simulator.fireOperatorReply(server.url(), reply, { token: 'hook-token-new' })).status).toBe(401);
		const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + CREDENTIAL_MEMORY_MS + 1);
		try {
			expect((await simulator.fireOperatorReply(server.url(), reply, { token: 'hook-token-new' })).status).toBe(200);
			expect((await simulator.fireOperatorReply(server.url(), reply)).status).toBe(401);
		} finally {
			clock.mockRestore();
		}
		expect(server.executions).toHaveLength(2);
	});

	it('the call that reads ahead is checked against what was remembered and waits for no read; the calls after the read see the change', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		expect((await simulator.fireOperatorReply(server.url(), reply)).status).toBe(200);
		await server.credentials.updateCredentials({ id: 'o1', name: 'Operator' }, 'operatorApi', { apiUrl: simulator.url, apiToken: 'api-token-1', webhookToken: 'hook-token-new' });
		const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + CREDENTIAL_MEMORY_MS - 1_000);
		const release = server.credentials.holdReads();
		try {
			// The read ahead cannot finish while reads are held: this call is answered all the same.
			expect((await simulator.fireOperatorReply(server.url(), reply)).status).toBe(200);
			expect(server.credentials.readsOf('operatorApi')).toBe(2);
			expect((await simulator.fireOperatorReply(server.url(), reply, { token: 'hook-token-new' })).status).toBe(401);
			release();
			await new Promise(setImmediate);
			expect((await simulator.fireOperatorReply(server.url(), reply, { token: 'hook-token-new' })).status).toBe(200);
			expect((await simulator.fireOperatorReply(server.url(), reply)).status).toBe(401);
			expect(server.credentials.readsOf('operatorApi')).toBe(2);
		} finally {
			release();
			clock.mockRestore();
		}
		expect(server.executions).toHaveLength(3);
	});

	it('400 for ids that are not whole numbers, naming the field', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), { user_id: 'abc', contact_id: 2, message: 'x' });
		expect(answer.status).toBe(400);
		expect((answer.json as { error: string }).error).toMatch(/^"user_id" must be a whole number/);
		expect(server.executions).toHaveLength(0);
	});

	it('400 for a reply with neither message nor file', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), { user_id: 1, contact_id: 2, message: '' });
		expect(answer.status).toBe(400);
		expect(server.executions).toHaveLength(0);
	});

	it('422 (n8n\'s body parser) for malformed JSON', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), reply, {
			rawBody: { contentType: 'application/json', body: '{"token": "hook-token-7f3a", "user_id": ' },
		});
		expect(answer.status).toBe(422);
		expect(server.executions).toHaveLength(0);
	});

	it('400 for a JSON body that is not an object', async () => {
		const server = await startTrigger({ event: 'userInfoRequested' });
		const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 1 }, {
			rawBody: { contentType: 'application/json', body: '["hook-token-7f3a", 1]' },
		});
		expect(answer).toMatchObject({ status: 400, json: { error: 'The JSON body must be an object' } });
		expect(server.executions).toHaveLength(0);
	});

	it('4xx for a multipart body that cannot be parsed', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), reply, {
			rawBody: { contentType: 'multipart/form-data; boundary=xyz', body: '--xyz\r\nContent-Disposition: form-data; name="token"\r\n\r\nhook-token-7f3a' },
		});
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.status).toBeLessThan(500);
		expect(server.executions).toHaveLength(0);
	});

	it('415 for a body type the panel does not use', async () => {
		const server = await startTrigger({ event: 'operatorReply' });
		const answer = await simulator.fireOperatorReply(server.url(), reply, { rawBody: { contentType: 'text/plain', body: 'token=hook-token-7f3a' } });
		expect(answer.status).toBe(415);
		expect(server.executions).toHaveLength(0);
	});

	it('413 for a call over the size limit, file included', async () => {
		const server = await startTrigger({ event: 'operatorReply', options: { maxBodyKb: 64 } });
		const answer = await simulator.fireOperatorReply(server.url(), {
			...reply,
			attach: { filename: 'big.bin', contentType: 'application/octet-stream', bytes: randomBytes(100_000) },
		});
		expect(answer.status).toBe(413);
		expect(server.executions).toHaveLength(0);
	});
});

describe('Operator Panel Trigger → User Info Requested', () => {
	it('answers the panel with the checked profile from the answer node', async () => {
		const server = await startTrigger({ event: 'userInfoRequested', respond: 'responseNode' }, answerUserInfo());
		const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			id: 42,
			name: 'Ann',
			gender: 'female',
			avatar: 'https://site.example/a/1.jpg',
			balance: '12.50',
			location: 'Berlin',
			about: 'Likes hiking',
			custom: [{ name: 'vip', value: 'yes' }],
		});
	});

	it('gives the panel a 500 and the execution a clear error when the answer has a wrong shape', async () => {
		const server = await startTrigger({ event: 'userInfoRequested', respond: 'responseNode' }, answerUserInfo({ avatar: 'not a url' }));
		const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
		expect(answer.status).toBe(500);
		expect(JSON.stringify(answer.json)).not.toContain('Ann');
		const run = await server.executions[0].done;
		expect(run.nodeError('Answer')?.message).toMatch(/^Invalid "Avatar URL": must be a full URL/);
	});

	it('gives the panel a 500, not an empty 200, when the workflow ends without answering', async () => {
		const server = await startTrigger({ event: 'userInfoRequested', respond: 'responseNode' });
		const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
		expect(answer.status).toBe(500);
	});

	it('can answer with the last node when it is the checking answer node', async () => {
		const server = await startTrigger({ event: 'userInfoRequested', respond: 'lastNode' }, answerUserInfo({ name: '={{ "User " + $json.user_id }}' }));
		const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 7 });
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ id: 7, name: 'User 7' });

		const broken = await simulator.fireUserInfoRequest(server.url(), { user_id: 'x' });
		expect(broken.status).toBe(400);
	});
});

const answerMedia = (media: string, extra: Partial<INode> = {}) =>
	node('Answer', OPERATOR_TYPE, { resource: 'panelRequest', operation: 'answerPrivateMedia', media }, extra);

describe('Operator Panel Trigger → Private Media Requested', () => {

	it('answers with the media list built by an expression', async () => {
		const server = await startTrigger(
			{ event: 'privateMediaRequested' },
			answerMedia('={{ [1, 2].map(n => ({ url: "https://site.example/p/" + $json.user_id + "/" + n + ".jpg", big: "https://site.example/p/" + n + "_200.jpg" })) }}'),
		);
		const answer = await simulator.firePrivateMediaRequest(server.url(), { user_id: 9 });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			media: [
				{ url: 'https://site.example/p/9/1.jpg', big: 'https://site.example/p/1_200.jpg' },
				{ url: 'https://site.example/p/9/2.jpg', big: 'https://site.example/p/2_200.jpg' },
			],
		});
	});

	it('refuses a media entry without thumbnail: 500 to the panel, error in the execution', async () => {
		const server = await startTrigger({ event: 'privateMediaRequested' }, answerMedia('[{"url": "https://site.example/1.jpg"}]'));
		const answer = await simulator.firePrivateMediaRequest(server.url(), { user_id: 9 });
		expect(answer.status).toBe(500);
		const run = await server.executions[0].done;
		expect(run.nodeError('Answer')?.message).toMatch(/^Invalid "Media"/);
	});
});

describe('Operator Panel Trigger → only the matching answer node can answer a request', () => {
	// A node that would answer with anything it likes: n8n sends a last node's item as it is.
	const forged = (name = 'Forge') => node(name, ITEMS_TYPE, { items: '[{"id": 1, "name": "forged"}]' });
	const respondToWebhook = () => node('Respond', RESPOND_TO_WEBHOOK_TYPE, {});
	const logged: string[] = [];
	let logSpy: jest.SpyInstance | undefined;

	beforeEach(() => {
		logged.length = 0;
		logSpy = jest.spyOn(n8nLogger(), 'error').mockImplementation((message: string) => void logged.push(message));
	});
	afterEach(() => logSpy?.mockRestore());

	/** The call was refused before any run, and the n8n log says what to change. */
	function expectRefusedBeforeRun(answer: { status: number; json: unknown; text: string }, server: WebhookHost, fix: RegExp): void {
		expect(answer.status).toBe(500);
		expect(answer.json).toEqual({ error: "The site cannot answer this request; its n8n log says why" });
		expect(server.executions).toHaveLength(0);
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatch(/^Operator Panel Trigger "Panel" refused a User Info Requested call: /);
		expect(logged[0]).toMatch(fix);
	}

	describe('Respond = When Last Node Finishes', () => {
		it.each([
			['another node', () => [[forged()]], /a branch ends with the node "Forge".*end every branch with Operator Panel → Answer User Info$/],
			['nothing after the trigger', () => [], /the workflow ends at the trigger; end every branch with Operator Panel → Answer User Info$/],
			['the answer node followed by another node', () => [[answerUserInfo(), forged()]], /ends with the node "Forge"/],
			['a disabled answer node', () => [[{ ...answerUserInfo(), disabled: true }]], /ends with the disabled node "Answer"/],
			['one of two branches unchecked', () => [[answerUserInfo()], [forged()]], /ends with the node "Forge"/],
			['the answer node of the other request', () => [[answerMedia('[]')]], /"Answer" answers a different panel request; use Operator Panel → Answer User Info instead$/],
		])('refuses a workflow ending in %s: 500, no execution, the log names the fix', async (_name, branches, fix) => {
			const server = await startTriggerBranches({ event: 'userInfoRequested', respond: 'lastNode' }, branches());
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expectRefusedBeforeRun(answer, server, fix);
			expect(answer.text).not.toContain('forged');
		});

		it('sends the checked answer with 200 when every branch ends with the matching answer node', async () => {
			const server = await startTrigger(
				{ event: 'userInfoRequested', respond: 'lastNode' },
				forged('Look up'),
				answerUserInfo({ id: '={{ $json.id + 41 }}', balance: '={{ 12.5 }}', custom: {} }),
			);
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expect(answer.status).toBe(200);
			// Numbers become text and missing lists are filled in: the answer went through the check.
			expect(answer.json).toEqual({
				id: 42,
				name: 'Ann',
				gender: 'female',
				avatar: 'https://site.example/a/1.jpg',
				balance: '12.5',
				location: 'Berlin',
				about: 'Likes hiking',
				custom: [],
			});
			expect(server.executions).toHaveLength(1);
			expect(logged).toEqual([]);
		});

		it('gives a wrong shape a 500 and a failed execution naming the field', async () => {
			const server = await startTrigger({ event: 'userInfoRequested', respond: 'lastNode' }, answerUserInfo({ name: '  ' }));
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expect(answer.status).toBe(500);
			expect(answer.text).not.toContain('Berlin');
			expect(server.executions).toHaveLength(1);
			const run = await server.executions[0].done;
			expect(run.run.status).toBe('error');
			expect(run.nodeError('Answer')?.message).toBe('Invalid "Name": is empty');
		});
	});

	describe('Respond = Using Operator Panel Answer Node', () => {
		it('refuses a workflow without the matching answer node: 500, no execution', async () => {
			const server = await startTrigger({ event: 'userInfoRequested', respond: 'responseNode' }, forged());
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expectRefusedBeforeRun(answer, server, /nothing answers the panel; add Operator Panel → Answer User Info after the trigger$/);
		});

		it.each([
			['before the answer node', () => [[respondToWebhook(), answerUserInfo()]]],
			['on another branch', () => [[answerUserInfo()], [forged(), respondToWebhook()]]],
		])('refuses a Respond to Webhook node %s: 500, no execution', async (_name, branches) => {
			const server = await startTriggerBranches({ event: 'userInfoRequested', respond: 'responseNode' }, branches());
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expectRefusedBeforeRun(
				answer,
				server,
				/"Respond" \(Respond to Webhook\) would send an unchecked answer; replace it with Operator Panel → Answer User Info$/,
			);
		});

		it('still answers when the matching answer node follows other nodes', async () => {
			const server = await startTrigger({ event: 'userInfoRequested', respond: 'responseNode' }, forged('Look up'), answerUserInfo({ id: '={{ $json.id }}' }));
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expect(answer.status).toBe(200);
			expect(answer.json).toMatchObject({ id: 1, name: 'Ann' });
			expect(logged).toEqual([]);
		});
	});

	it.each(['responseNode', 'lastNode'])(
		'an answer node set to continue on fail still gives the panel a 500 for a wrong shape (%s)',
		async (respond) => {
			const answerNode = { ...answerUserInfo({ avatar: 'not a url' }), onError: 'continueRegularOutput' as const };
			const server = await startTrigger({ event: 'userInfoRequested', respond }, answerNode);
			const answer = await simulator.fireUserInfoRequest(server.url(), { user_id: 42 });
			expect(answer.status).toBe(500);
			// Neither the refused answer nor the item n8n passes on after a continued failure.
			expect(answer.text).not.toMatch(/Ann|userInfoRequested|"error":"Invalid/);
			const run = await server.executions[0].done;
			expect(run.nodeError('Answer')?.message).toMatch(/^Invalid "Avatar URL": must be a full URL/);
		},
	);

	it.each(['multipart', 'urlencoded', 'json'] as const)('401 for Private Media Requested with a wrong token (%s), no execution', async (encoding) => {
		const server = await startTrigger({ event: 'privateMediaRequested' }, answerMedia('[]'));
		const wrong = await simulator.firePrivateMediaRequest(server.url(), { user_id: 9 }, { token: 'hook-token-7f3b', encoding });
		expect(wrong).toMatchObject({ status: 401, json: { error: 'Invalid token' } });
		const missing = await simulator.firePrivateMediaRequest(server.url(), { user_id: 9 }, { token: null, encoding });
		expect(missing).toMatchObject({ status: 401, json: { error: 'Invalid token' } });
		expect(server.executions).toHaveLength(0);
		expect(logged).toEqual([]);
	});
});
