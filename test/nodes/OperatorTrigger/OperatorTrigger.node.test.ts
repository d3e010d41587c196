import { createHash, randomBytes } from 'node:crypto';

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { OperatorApi } from '../../../credentials/OperatorApi.credentials';
import { Operator } from '../../../nodes/Operator/Operator.node';
import { OperatorTrigger } from '../../../nodes/OperatorTrigger/OperatorTrigger.node';
import { startWebhookHost, type WebhookHost } from '../../engine/webhookHost';
import { startOperatorSimulator, type OperatorSimulator } from '../../simulators/operator';

const TRIGGER_TYPE = 'n8n-nodes-openplatform-operator-onechat.operatorTrigger';
const OPERATOR_TYPE = 'n8n-nodes-openplatform-operator-onechat.operator';
const DIGEST_TYPE = 'test.digest';

/** Reads the trigger's binary "attach" through n8n's helpers and outputs its size and SHA-256. */
class Digest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Digest',
		name: 'digest',
		group: ['transform'],
		version: 1,
		description: 'test',
		defaults: { name: 'Digest' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const bytes = await this.helpers.getBinaryDataBuffer(0, 'attach');
		const binary = this.getInputData()[0].binary?.attach;
		return [[{ json: { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), fileName: binary?.fileName, mimeType: binary?.mimeType }, pairedItem: { item: 0 } }]];
	}
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

async function startTrigger(parameters: INode['parameters'], next?: INode): Promise<WebhookHost> {
	const trigger = node('Panel', TRIGGER_TYPE, { options: {}, ...parameters }, {
		webhookId: 'operator-hook',
		credentials: { operatorApi: { id: 'o1', name: 'Operator' } },
	});
	host = await startWebhookHost({
		node: trigger,
		nodeType: new OperatorTrigger(),
		credentialTypes: [new OperatorApi()],
		credentials: { operatorApi: { apiUrl: simulator.url, apiToken: 'api-token-1', webhookToken: 'hook-token-7f3a' } },
		downstream: next
			? {
					nodes: [next],
					connections: { Panel: { main: [[{ node: next.name, type: 'main', index: 0 }]] } },
					nodeTypes: { [OPERATOR_TYPE]: new Operator(), [DIGEST_TYPE]: new Digest() },
				}
			: undefined,
	});
	return host;
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

describe('Operator Panel Trigger → Private Media Requested', () => {
	const answerMedia = (media: string) =>
		node('Answer', OPERATOR_TYPE, { resource: 'panelRequest', operation: 'answerPrivateMedia', media });

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
