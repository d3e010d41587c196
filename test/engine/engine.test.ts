import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialType,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { loadWorkflowFixture, runWorkflow } from './runWorkflow';
import { describeTestNode } from './testNodes';
import { startWebhookHost, type WebhookHost, type WebhookHostOptions } from './webhookHost';

// ---------------------------------------------------------------------------------------------
// helpers

function node(
	name: string,
	type: string,
	parameters: INode['parameters'] = {},
	extra: Partial<INode> = {},
): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

type Connections = Record<
	string,
	{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
>;

function chain(...names: string[]): Connections {
	const connections: Connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

const trigger = () => node('Trigger', 'test.manualTrigger');
const items = (list: object[], name = 'Items') =>
	node(name, 'test.items', { items: JSON.stringify(list) });

interface HttpResult {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	json(): unknown;
}

async function http(
	url: string,
	options: {
		method?: string;
		headers?: Record<string, string | number>;
		body?: string | Buffer;
	} = {},
): Promise<HttpResult> {
	return await new Promise<HttpResult>((resolve, reject) => {
		const req = request(
			url,
			{ method: options.method ?? 'GET', headers: options.headers },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text,
						json: () => JSON.parse(text) as unknown,
					});
				});
			},
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

async function postJson(
	url: string,
	value: unknown,
	headers: Record<string, string> = {},
): Promise<HttpResult> {
	return await http(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(value),
	});
}

// ---------------------------------------------------------------------------------------------
// node types used by the tests

class Multiply implements INodeType {
	description = describeTestNode('multiply', {
		properties: [{ displayName: 'Value', name: 'value', type: 'number', default: 0 }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const input = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < input.length; i++) {
			out.push({
				json: { ...input[i].json, result: this.getNodeParameter('value', i) as number },
				pairedItem: { item: i },
			});
		}
		return [out];
	}
}

class ReadCredentials implements INodeType {
	description = describeTestNode('readCredentials', {
		credentials: [{ name: 'testApi', required: true }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{
			baseUrl: string;
			apiKey: string;
			region: string;
		}>('testApi');
		return [[{ json: { ...credentials }, pairedItem: { item: 0 } }]];
	}
}

const testApiCredentialType: ICredentialType = {
	name: 'testApi',
	displayName: 'Test API',
	properties: [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	},
};

class CallApi implements INodeType {
	description = describeTestNode('callApi', { credentials: [{ name: 'testApi', required: true }] });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('testApi');
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'testApi', {
			method: 'GET',
			url: `${baseUrl}/whoami`,
			json: true,
		})) as { apiKey: string };
		return [[{ json: response, pairedItem: { item: 0 } }]];
	}
}

class MakeFile implements INodeType {
	description = describeTestNode('makeFile');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const input = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < input.length; i++) {
			const text = String(input[i].json.text);
			const binary = await this.helpers.prepareBinaryData(
				Buffer.from(text, 'utf8'),
				`file-${i}.txt`,
				'text/plain',
			);
			out.push({ json: { index: i }, binary: { data: binary }, pairedItem: { item: i } });
		}
		return [out];
	}
}

class ReadFile implements INodeType {
	description = describeTestNode('readFile');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const input = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < input.length; i++) {
			this.helpers.assertBinaryData(i, 'data');
			const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
			out.push({ json: { content: buffer.toString('utf8') }, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** Fails on items whose `n` is 2; honours continueOnFail like n8n's nodes do. */
class Fragile implements INodeType {
	description = describeTestNode('fragile');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const input = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < input.length; i++) {
			try {
				if (input[i].json.n === 2)
					throw new NodeOperationError(this.getNode(), 'n must not be 2', { itemIndex: i });
				out.push({ json: { ok: input[i].json.n }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}

/** Answers `sendResponse` like the Respond to Webhook node. */
class Respond implements INodeType {
	description = describeTestNode('respond');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const input = this.getInputData();
		this.sendResponse({
			statusCode: 202,
			headers: { 'x-answer': 'yes' },
			body: { answered: input[0].json },
		});
		return [input];
	}
}

/** A trigger whose webhook() reports what n8n prepared; options through parameters. */
class EchoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Echo Trigger',
		name: 'echoTrigger',
		group: ['trigger'],
		version: [1, 2],
		description: 'Echoes the request',
		defaults: { name: 'Echo' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: '={{$parameter["path"]}}',
				isFullPath: '={{$parameter["fullPath"]}}' as unknown as boolean,
				responseMode: '={{$parameter["responseMode"]}}',
				responseData: '={{$parameter["responseData"]}}',
			},
		],
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: 'echo' },
			{ displayName: 'Full Path', name: 'fullPath', type: 'boolean', default: false },
			{ displayName: 'Response Mode', name: 'responseMode', type: 'string', default: 'onReceived' },
			{ displayName: 'Response Data', name: 'responseData', type: 'string', default: '' },
			{ displayName: 'Behaviour', name: 'behaviour', type: 'string', default: 'echo' },
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const behaviour = this.getNodeParameter('behaviour') as string;
		const req = this.getRequestObject();
		if (behaviour === 'throw') throw new NodeOperationError(this.getNode(), 'bad request shape');
		if (behaviour === 'answerDirectly') {
			this.getResponseObject().status(201).json({ handled: true, body: this.getBodyData() });
			return { noWebhookResponse: true };
		}
		if (behaviour === 'ignore') return { webhookResponse: { ignored: true } };
		if (behaviour === 'readRaw') {
			const before = req.rawBody === undefined;
			await req.readRawBody();
			return {
				workflowData: [
					[{ json: { before, length: req.rawBody.length, text: req.rawBody.toString('utf8') } }],
				],
			};
		}
		if (behaviour === 'files') {
			const body = this.getBodyData() as {
				data: Record<string, unknown>;
				files: Record<
					string,
					{ filepath: string; originalFilename: string; mimetype: string; size: number }
				>;
			};
			const file = body.files.attach;
			const content = readFileSync(file.filepath);
			const binary = await this.helpers.prepareBinaryData(
				content,
				file.originalFilename,
				file.mimetype,
			);
			return {
				workflowData: [
					[
						{
							json: { fields: body.data, file: { ...file }, exists: existsSync(file.filepath) },
							binary: { attach: binary },
						},
					],
				],
			};
		}
		return {
			workflowData: [
				[
					{
						json: {
							body: this.getBodyData(),
							query: this.getQueryData(),
							params: this.getParamsData(),
							headers: this.getHeaderData(),
							contentType: req.contentType ?? null,
							encoding: req.encoding ?? null,
							rawBodyLength: req.rawBody === undefined ? null : req.rawBody.length,
							url: this.getNodeWebhookUrl('default') ?? null,
						},
					},
				],
			],
		};
	}
}

/** A minimal trigger: POST /bare, onReceived, no responseData in its description. */
class BareTrigger implements INodeType {
	description: INodeTypeDescription = {
		...describeTestNode('bareTrigger', { group: ['trigger'], inputs: [] }),
		webhooks: [{ name: 'default', httpMethod: 'POST', path: 'bare', responseMode: 'onReceived' }],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return {
			workflowData: [[{ json: this.getBodyData() }]],
			webhookResponse: { ignoredBecause: 'responseData defaults to firstEntryJson' },
		};
	}
}

function echoNode(
	parameters: INode['parameters'] = {},
	typeVersion = 2,
	extra: Partial<INode> = {},
): INode {
	return node(
		'Echo',
		'test.echoTrigger',
		{ path: 'echo', responseMode: 'onReceived', ...parameters },
		{
			typeVersion,
			webhookId: '9f1c2d3e-0000-4000-8000-000000000001',
			...extra,
		},
	);
}

// ---------------------------------------------------------------------------------------------

describe('runWorkflow', () => {
	it('evaluates expressions per item and keeps pairedItem', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items([{ n: 1 }, { n: 2 }, { n: 3 }]),
				node('Multiply', 'test.multiply', { value: '={{ $json.n * 10 }}' }),
			],
			connections: chain('Trigger', 'Items', 'Multiply'),
			nodeTypes: { 'test.multiply': new Multiply() },
		});
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.output('Trigger')).toEqual([expect.objectContaining({ json: {} })]);
		expect(result.output('Items').map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
		]);
		const out = result.output('Multiply');
		expect(out.map((i) => i.json.result)).toEqual([10, 20, 30]);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// the engine recorded where each node's input came from
		expect(result.taskData('Multiply')[0].source).toEqual([
			expect.objectContaining({ previousNode: 'Items' }),
		]);
	});

	it('supports $("Node") expressions that follow pairedItem', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items([{ jid: 'a@x' }, { jid: 'b@x' }]),
				node('Multiply', 'test.multiply', { value: '={{ $json.n ?? 1 }}' }),
				node('Again', 'test.multiply', { value: '={{ $("Items").item.json.jid }}' }),
			],
			connections: chain('Trigger', 'Items', 'Multiply', 'Again'),
			nodeTypes: { 'test.multiply': new Multiply() },
		});
		expect(result.output('Again').map((i) => i.json.result)).toEqual(['a@x', 'b@x']);
	});

	it('hands credentials of the requested type to the node, with type defaults', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				node(
					'Creds',
					'test.readCredentials',
					{},
					{ credentials: { testApi: { id: 'anything', name: 'whatever' } } },
				),
			],
			connections: chain('Trigger', 'Creds'),
			nodeTypes: { 'test.readCredentials': new ReadCredentials() },
			credentials: { testApi: { baseUrl: 'http://api.local', apiKey: 'k-1' } },
			credentialTypes: [testApiCredentialType],
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Creds')[0].json).toEqual({
			baseUrl: 'http://api.local',
			apiKey: 'k-1',
			region: 'eu',
		});
	});

	it('fails like n8n when the node JSON has no credentials entry', async () => {
		const result = await runWorkflow({
			nodes: [trigger(), node('Creds', 'test.readCredentials')],
			connections: chain('Trigger', 'Creds'),
			nodeTypes: { 'test.readCredentials': new ReadCredentials() },
			credentials: { testApi: { baseUrl: 'x', apiKey: 'y' } },
		});
		expect(result.nodeError('Creds')?.message).toBe('Node does not have any credentials set');
		expect(result.error).toBeDefined();
	});

	it("applies the credential type's generic authenticate in httpRequestWithAuthentication", async () => {
		const server: Server = createServer((req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ apiKey: req.headers['x-api-key'] }));
		});
		server.listen(0, '127.0.0.1');
		await new Promise((resolve) => server.once('listening', resolve));
		const { port } = server.address() as AddressInfo;
		try {
			const result = await runWorkflow({
				nodes: [
					trigger(),
					node('Call', 'test.callApi', {}, { credentials: { testApi: { id: '1', name: 'c' } } }),
				],
				connections: chain('Trigger', 'Call'),
				nodeTypes: { 'test.callApi': new CallApi() },
				credentials: { testApi: { baseUrl: `http://127.0.0.1:${port}`, apiKey: 'secret-42' } },
				credentialTypes: { testApi: testApiCredentialType },
			});
			expect(result.error).toBeUndefined();
			expect(result.output('Call')[0].json).toEqual({ apiKey: 'secret-42' });
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('stores binary data through prepareBinaryData (filesystem mode) and reads it back', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items([{ text: 'hello' }, { text: 'wörld' }]),
				node('Make', 'test.makeFile'),
				node('Read', 'test.readFile'),
			],
			connections: chain('Trigger', 'Items', 'Make', 'Read'),
			nodeTypes: { 'test.makeFile': new MakeFile(), 'test.readFile': new ReadFile() },
		});
		expect(result.error).toBeUndefined();
		const made = result.output('Make');
		expect(made[0].binary?.data).toMatchObject({
			mimeType: 'text/plain',
			fileName: 'file-0.txt',
			fileExtension: 'txt',
			data: 'filesystem-v2',
			bytes: 5,
		});
		expect(made[0].binary?.data.id).toMatch(/^filesystem-v2:/);
		expect(result.output('Read').map((i) => i.json.content)).toEqual(['hello', 'wörld']);
	});

	it('keeps binary data inline in the legacy default mode', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items([{ text: 'inline' }]),
				node('Make', 'test.makeFile'),
				node('Read', 'test.readFile'),
			],
			connections: chain('Trigger', 'Items', 'Make', 'Read'),
			nodeTypes: { 'test.makeFile': new MakeFile(), 'test.readFile': new ReadFile() },
			binaryDataMode: 'default',
		});
		expect(result.output('Make')[0].binary?.data.id).toBeUndefined();
		expect(result.output('Make')[0].binary?.data.data).toBe(
			Buffer.from('inline').toString('base64'),
		);
		expect(result.output('Read')[0].json.content).toBe('inline');
	});

	it("turns item errors into output items with onError 'continueRegularOutput'", async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items([{ n: 1 }, { n: 2 }, { n: 3 }]),
				node('Fragile', 'test.fragile', {}, { onError: 'continueRegularOutput' }),
			],
			connections: chain('Trigger', 'Items', 'Fragile'),
			nodeTypes: { 'test.fragile': new Fragile() },
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Fragile')).toEqual([
			{ json: { ok: 1 }, pairedItem: { item: 0 } },
			{ json: { error: 'n must not be 2' }, pairedItem: { item: 1 } },
			{ json: { ok: 3 }, pairedItem: { item: 2 } },
		]);
	});

	it('stops the execution on a node error by default', async () => {
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items([{ n: 1 }, { n: 2 }]),
				node('Fragile', 'test.fragile'),
				node('After', 'test.multiply', { value: 1 }),
			],
			connections: chain('Trigger', 'Items', 'Fragile', 'After'),
			nodeTypes: { 'test.fragile': new Fragile(), 'test.multiply': new Multiply() },
		});
		expect(result.run.status).toBe('error');
		expect(result.error?.message).toBe('n must not be 2');
		expect(result.nodeError('Fragile')).toMatchObject({
			message: 'n must not be 2',
			node: { name: 'Fragile' },
		});
		expect(result.output('After')).toEqual([]);
	});

	it('runs a workflow JSON file in n8n export format', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'engine-fixture-'));
		try {
			const file = join(dir, 'workflow.json');
			writeFileSync(
				file,
				JSON.stringify({
					name: 'fixture',
					nodes: [
						trigger(),
						items([{ n: 4 }]),
						node('Multiply', 'test.multiply', { value: '={{ $json.n + 1 }}' }),
					],
					connections: chain('Trigger', 'Items', 'Multiply'),
					settings: { executionOrder: 'v1' },
				}),
			);
			const result = await runWorkflow({
				...loadWorkflowFixture(file),
				nodeTypes: { 'test.multiply': new Multiply() },
			});
			expect(result.output('Multiply')[0].json.result).toBe(5);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('runs an expression over 10,000 items quickly', async () => {
		const list = Array.from({ length: 10_000 }, (_, n) => ({ n }));
		const started = Date.now();
		const result = await runWorkflow({
			nodes: [
				trigger(),
				items(list),
				node('Multiply', 'test.multiply', { value: '={{ $json.n * 10 }}' }),
			],
			connections: chain('Trigger', 'Items', 'Multiply'),
			nodeTypes: { 'test.multiply': new Multiply() },
		});
		const elapsed = Date.now() - started;
		const out = result.output('Multiply');
		expect(out).toHaveLength(10_000);
		expect(out[9_999].json.result).toBe(99_990);
		expect(elapsed).toBeLessThan(15_000);
	});
});

// ---------------------------------------------------------------------------------------------

describe('startWebhookHost', () => {
	let host: WebhookHost | undefined;
	afterEach(async () => {
		await host?.close();
		host = undefined;
	});

	const start = async (
		parameters: INode['parameters'] = {},
		typeVersion = 2,
		extra: Partial<WebhookHostOptions> = {},
	) => {
		host = await startWebhookHost({
			node: echoNode(parameters, typeVersion),
			nodeType: new EchoTrigger(),
			...extra,
		});
		return host;
	};

	it('hosts the webhook under /webhook/<webhookId>/<path> and hands the parsed request to webhook()', async () => {
		const h = await start({ responseData: 'noData' });
		expect(h.url()).toBe(`${h.baseUrl}/webhook/9f1c2d3e-0000-4000-8000-000000000001/echo`);
		const res = await postJson(`${h.url()}?a[b]=1&c=2&c=3`, { jid: 'user@x', n: 1 });
		expect(res.status).toBe(200);
		expect(res.text).toBe('');
		expect(res.headers['content-security-policy']).toMatch(/^sandbox /);
		expect(h.executions).toHaveLength(1);
		const [item] = h.executions[0].items[0];
		expect(item.json).toMatchObject({
			body: { jid: 'user@x', n: 1 },
			query: { a: { b: '1' }, c: ['2', '3'] },
			params: {},
			contentType: 'application/json',
			encoding: 'utf-8',
			rawBodyLength: 22,
			url: h.url(),
		});
		const done = await h.executions[0].done;
		expect(done.run.status).toBe('success');
		expect(done.output('Echo')[0].json.body).toEqual({ jid: 'user@x', n: 1 });
	});

	it("answers {message:'Workflow was started'} when responseData evaluates to ''", async () => {
		const h = await start({ responseData: '' });
		const res = await postJson(h.url(), { x: 1 });
		expect(res.status).toBe(200);
		expect(res.json()).toEqual({ message: 'Workflow was started' });
	});

	it("answers the literal text 'firstEntryJson' when the webhook description has no responseData (n8n 2.40 behaviour)", async () => {
		host = await startWebhookHost({
			node: node('Bare', 'test.bareTrigger', {}, { webhookId: 'bare-id' }),
			nodeType: new BareTrigger(),
		});
		expect(host.url()).toBe(`${host.baseUrl}/webhook/bare-id/bare`);
		const res = await postJson(host.url(), { x: 1 });
		expect(res.status).toBe(200);
		expect(res.text).toBe('firstEntryJson');
		expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(host.executions[0].items[0][0].json).toEqual({ x: 1 });
	});

	it('answers with custom responseData text', async () => {
		const h = await start({ responseData: 'thanks' });
		const res = await postJson(h.url(), {});
		expect(res.text).toBe('thanks');
	});

	it('parses urlencoded (flat querystring) and text bodies, leaves other types unread on typeVersion > 1', async () => {
		const h = await start({ responseData: 'noData' });
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a[b]=1&c=2&c=3',
		});
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'text/plain; charset=utf-8' },
			body: 'plain text',
		});
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: Buffer.from([1, 2, 3]),
		});
		const [form, text, octets] = h.executions.map((e) => e.items[0][0].json);
		expect(form.body).toEqual({ 'a[b]': '1', c: ['2', '3'] });
		expect(text.body).toBe('plain text');
		expect(octets).toMatchObject({ contentType: 'application/octet-stream', rawBodyLength: null });
		expect(octets.body).toBeUndefined();
	});

	it('decodes gzip bodies and parses XML the way n8n does', async () => {
		const h = await start({ responseData: 'noData' });
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
			body: gzipSync(JSON.stringify({ zipped: true })),
		});
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/xml' },
			body: '<Root id="7"><Item> one </Item><Item>two</Item></Root>',
		});
		const [zipped, xml] = h.executions.map((e) => e.items[0][0].json);
		expect(zipped.body).toEqual({ zipped: true });
		expect(xml.body).toEqual({ root: { $: { id: '7' }, item: ['one', 'two'] } });
	});

	it('parses every non-multipart body on typeVersion 1', async () => {
		const h = await start({ responseData: 'noData' }, 1);
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: Buffer.from([1, 2, 3]),
		});
		expect(h.executions[0].items[0][0].json).toMatchObject({ rawBodyLength: 3 });
	});

	it('lets the node read an unparsed body with req.readRawBody()', async () => {
		const h = await start({ behaviour: 'readRaw', responseData: 'noData' });
		await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: 'raw bytes',
		});
		expect(h.executions[0].items[0][0].json).toEqual({
			before: true,
			length: 9,
			text: 'raw bytes',
		});
	});

	it('answers 422 for malformed JSON and 500 for a body over N8N_PAYLOAD_SIZE_MAX', async () => {
		const h = await start({ responseData: 'noData' }, 2, { payloadSizeMaxMb: 0.001 });
		const bad = await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"a":',
		});
		expect(bad.status).toBe(422);
		expect(bad.json()).toEqual({
			code: 422,
			message: 'Failed to parse request body',
			hint: expect.any(String),
		});
		const big = await postJson(h.url(), { data: 'x'.repeat(5000) });
		expect(big.status).toBe(500);
		expect(big.json()).toEqual({ code: 0, message: 'There was a problem executing the workflow' });
		expect(h.executions).toHaveLength(0);
	});

	it('parses multipart/form-data into { data, files } with temporary files', async () => {
		const h = await start({ behaviour: 'files', responseData: 'noData' });
		const boundary = '----n8ntest';
		const body = [
			`--${boundary}`,
			'Content-Disposition: form-data; name="user_id"',
			'',
			'42',
			`--${boundary}`,
			'Content-Disposition: form-data; name="tag"',
			'',
			'a',
			`--${boundary}`,
			'Content-Disposition: form-data; name="tag"',
			'',
			'b',
			`--${boundary}`,
			'Content-Disposition: form-data; name="attach"; filename="photo.png"',
			'Content-Type: image/png',
			'',
			'PNGDATA',
			`--${boundary}--`,
			'',
		].join('\r\n');
		const res = await http(h.url(), {
			method: 'POST',
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
			body,
		});
		expect(res.status).toBe(200);
		const [item] = h.executions[0].items[0];
		expect(item.json.fields).toEqual({ user_id: '42', tag: ['a', 'b'] });
		const file = item.json.file as {
			filepath: string;
			originalFilename: string;
			mimetype: string;
			size: number;
		};
		expect(file).toMatchObject({ originalFilename: 'photo.png', mimetype: 'image/png', size: 7 });
		expect(item.json.exists).toBe(true);
		expect(existsSync(file.filepath)).toBe(false); // removed after webhook() returned
		expect(item.binary?.attach).toMatchObject({
			fileName: 'photo.png',
			mimeType: 'image/png',
			bytes: 7,
		});
	});

	it('sends nothing itself when the node answered through the response object', async () => {
		const h = await start({ behaviour: 'answerDirectly' });
		const res = await postJson(h.url(), { q: 1 });
		expect(res.status).toBe(201);
		expect(res.json()).toEqual({ handled: true, body: { q: 1 } });
		expect(h.executions).toHaveLength(0);
	});

	it('answers webhookResponse without starting a workflow when there is no workflowData', async () => {
		const h = await start({ behaviour: 'ignore' });
		const res = await postJson(h.url(), {});
		expect(res.json()).toEqual({ ignored: true });
		expect(h.executions).toHaveLength(0);
	});

	it('answers 500 when webhook() throws', async () => {
		const h = await start({ behaviour: 'throw' });
		const res = await postJson(h.url(), {});
		expect(res.status).toBe(500);
		expect(res.json()).toEqual({
			code: 0,
			message: 'Workflow Webhook Error: Workflow could not be started!',
		});
		expect(h.errors[0].message).toBe('bad request shape');
	});

	it('answers 404 for unknown paths and methods', async () => {
		const h = await start();
		const unknown = await postJson(h.url('nope'), {});
		expect(unknown.status).toBe(404);
		expect(unknown.json()).toMatchObject({
			code: 404,
			message: 'The requested webhook "POST nope" is not registered.',
		});
		const wrongMethod = await http(h.url(), { method: 'GET' });
		expect(wrongMethod.status).toBe(404);
		expect(wrongMethod.json()).toMatchObject({
			message:
				'This webhook is not registered for GET requests. Did you mean to make a POST request?',
		});
	});

	it("runs the downstream nodes and answers with the last node's first item in responseMode 'lastNode'", async () => {
		const echo = echoNode({ responseMode: 'lastNode', responseData: 'firstEntryJson' });
		host = await startWebhookHost({
			node: echo,
			nodeType: new EchoTrigger(),
			downstream: {
				nodes: [node('Multiply', 'test.multiply', { value: '={{ $json.body.n * 10 }}' })],
				connections: chain('Echo', 'Multiply'),
				nodeTypes: { 'test.multiply': new Multiply() },
			},
		});
		const res = await postJson(host.url(), { n: 7 });
		expect(res.status).toBe(200);
		expect(res.json()).toMatchObject({ result: 70, body: { n: 7 } });
		const done = await host.executions[0].done;
		expect(done.output('Multiply')[0].pairedItem).toEqual({ item: 0 });
	});

	it("answers from a node's sendResponse in responseMode 'responseNode'", async () => {
		host = await startWebhookHost({
			node: echoNode({ responseMode: 'responseNode' }),
			nodeType: new EchoTrigger(),
			downstream: {
				nodes: [node('Respond', 'test.respond')],
				connections: chain('Echo', 'Respond'),
				nodeTypes: { 'test.respond': new Respond() },
			},
		});
		const res = await postJson(host.url(), { n: 1 });
		expect(res.status).toBe(202);
		expect(res.headers['x-answer']).toBe('yes');
		expect(res.json()).toMatchObject({ answered: { body: { n: 1 } } });
	});

	it('uses /webhook/<workflowId>/<node name>/<path> for a node without webhookId', async () => {
		host = await startWebhookHost({
			node: node('Bare', 'test.bareTrigger'),
			nodeType: new BareTrigger(),
			workflowId: 'wf1',
		});
		expect(host.url()).toBe(`${host.baseUrl}/webhook/wf1/bare/bare`);
		const res = await postJson(host.url(), { ok: 1 });
		expect(res.status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	it('fills req.params from a dynamic path (isFullPath webhooks only, as in n8n)', async () => {
		const id = '9f1c2d3e-0000-4000-8000-000000000001';
		host = await startWebhookHost({
			node: echoNode({ path: 'users/:userId', fullPath: true, responseData: 'noData' }),
			nodeType: new EchoTrigger(),
		});
		expect(host.webhooks[0]).toMatchObject({
			path: 'users/:userId',
			url: `${host.baseUrl}/webhook/${id}/users/:userId`,
		});
		const res = await postJson(host.url(`${id}/users/17`), {});
		expect(res.status).toBe(200);
		expect(host.executions[0].items[0][0].json.params).toEqual({ userId: '17' });
		await host.close();

		host = await startWebhookHost({
			node: echoNode({ path: 'users/:userId' }),
			nodeType: new EchoTrigger(),
		});
		expect(host.webhooks[0].path).toBe(`${id}/users/:userId`);
		expect((await postJson(host.url(`${id}/users/17`), {})).status).toBe(404);
	});

	it('serves /webhook/<path> for isFullPath webhooks', async () => {
		const h = await start({ fullPath: true, path: 'full/echo', responseData: 'noData' });
		expect(h.url()).toBe(`${h.baseUrl}/webhook/full/echo`);
		expect((await postJson(`${h.url()}/`, {})).status).toBe(200);
	});
});
