/**
 * A real HTTP server on 127.0.0.1 (random port) that hosts ONE trigger node's webhook(s) the way
 * n8n 2.40's production webhook path (`/webhook/...`, execution mode 'webhook') does, so tests can
 * call a trigger node with real HTTP. Each request gets a real n8n-core WebhookContext and
 * `nodeType.webhook` is called with it; the workflow the trigger starts is run with the real
 * WorkflowExecute (trigger node plus the optional `downstream` nodes).
 *
 * URLs: `host.url()` is the production URL n8n shows for the node's first webhook
 * (NodeHelpers.getNodeWebhookUrl):
 *   - `/webhook/<path>` when the node has a `webhookId` and the webhook description says
 *     `isFullPath: true` (like n8n's Webhook node),
 *   - `/webhook/<webhookId>/<path>` when the node has a `webhookId` otherwise, and always for a
 *     dynamic path (with `:param` segments, to be filled in by the caller),
 *   - `/webhook/<workflowId>/<node name, lower-cased, URI-encoded>/<path>` without a webhookId
 *     (n8n then matches the decoded request path against the encoded name, so names with
 *     spaces are not reachable - faithfully reproduced).
 * Dynamic paths are matched as n8n does: first segment = webhookId, then as many segments as the
 * registered path has. So they only work with `isFullPath: true`; without it the registered path
 * already starts with the webhookId and every request 404s, in n8n and here.
 * `host.url(name)` gives the webhook with that description name; any other `host.url(x)` is
 * `<base>/webhook/<x>` (to fill dynamic segments or to probe unknown paths).
 *
 * ------------------------------------------------------------------------------------------------
 * What n8n 2.40 does to a webhook request before `webhook()` runs. Read in the published
 * n8n@2.40.7 package (dist/*.js, compiled from packages/cli/src/...):
 *   packages/cli/src/abstract-server.ts, middlewares/body-parser.ts, webhooks/webhook-request-handler.ts,
 *   webhooks/live-webhooks.ts, webhooks/webhook-helpers.ts, webhooks/webhook.service.ts,
 *   webhooks/webhook-form-data.ts, webhooks/webhook-blank-file-inputs.ts,
 *   webhooks/webhook-request-sanitizer.ts, webhooks/webhook-response.ts,
 *   webhooks/webhook-response-headers.ts, webhooks/webhook-on-received-response-extractor.ts,
 *   webhooks/webhook-last-node-response-extractor.ts, webhooks/webhook-execution-context.ts,
 *   response-helper.ts, errors/http-error-classifier.ts, errors/http-error-serializers.ts,
 *   errors/response-errors/*.ts; and n8n-core 2.40.3 webhook-context.ts,
 *   @n8n/backend-network http/parse-incoming-message.ts, formidable 3.5.4 src/.
 *
 * - Middleware order (abstract-server.ts): compression, then `rawBodyReader`, then the webhook
 *   routes, and only AFTER them the REST `bodyParser`. So webhook requests are NOT parsed by
 *   middleware. express 5.1 with `app.set('query parser', 'extended')`: `req.query` is qs-parsed
 *   (`a[b]=1` -> {a:{b:'1'}}, repeated keys -> arrays), recomputed on every read (a getter).
 * - `rawBodyReader`: `parseIncomingMessage(req)` sets `req.contentType` (lower-cased media type,
 *   no parameters), `req.encoding` (charset, lower-cased, default 'utf-8') and
 *   `req.contentDisposition`; adds `req.readRawBody()` which reads the body once into
 *   `req.rawBody` (a Buffer; gzip/deflate Content-Encoding decoded) with raw-body's limit
 *   `${N8N_PAYLOAD_SIZE_MAX}mb` (default 16 MiB; the Content-Length is checked before reading).
 * - live-webhooks.ts: `req.params` is reset to {} and, for dynamic paths (`/:id`), filled from
 *   the path. n8n's auth cookies (n8n-auth, n8n-browserId, OAuth/OIDC/form/chat cookies) are
 *   removed from the Cookie header (not for chat/form triggers).
 * - webhook-helpers.ts `parseRequestBody`, before `webhook()`:
 *     * node typeVersion 1 with `options.binaryData` true: nothing is read.
 *     * `multipart/form-data`: parsed with formidable into `req.body = { data: fields, files }`
 *       (files in os.tmpdir(), removed again after webhook() returns; max file size
 *       N8N_FORMDATA_FILE_SIZE_MAX, default 200 MiB; payload limit does NOT apply; too large ->
 *       413 {code:413,message:'The submitted form data exceeds the allowed size.'}). See multipart.ts.
 *     * typeVersion > 1: the body is read and parsed only for application/json, text/plain,
 *       application/x-www-form-urlencoded, *\/xml and *+xml. Anything else (octet-stream, images,
 *       other multipart/*, no Content-Type) stays unread: `req.body` undefined, `req.rawBody`
 *       undefined until the node calls `await req.readRawBody()`.
 *     * typeVersion 1: always `parseBody` (reads rawBody for every type but multipart/*).
 *   `parseBody`: json -> jsonParse (a leading BOM stripped); xml -> xml2js (lower-cased tags,
 *   explicitArray false, normalize); urlencoded -> querystring.parse (NOT qs: flat keys, maxKeys
 *   1000); text/plain -> string. Only the exact media types match (`application/vnd.api+json`
 *   is not parsed). Empty bodies are not parsed. `req.body` is NOT defaulted to {} on this path
 *   (WebhookContext's input item uses `body: req.body ?? {}`).
 * - Errors: a body that fails to parse -> 422 {"code":422,"message":"Failed to parse request body",
 *   "hint":"<parser message>"}. A body over the payload limit -> raw-body's 413 error is not an
 *   n8n ResponseError, so n8n answers 500 {"code":0,"message":"There was a problem executing the
 *   workflow"}. A webhook() that throws -> 500 {"code":0,"message":"Workflow Webhook Error:
 *   Workflow could not be started!"} (n8n still records a failed execution; here it goes to
 *   `host.errors`). Unknown path/method -> 404 {"code":404,"message":"The requested webhook
 *   \"POST x\" is not registered.", "hint": ...}. Methods other than DELETE/GET/HEAD/PATCH/POST/PUT/
 *   OPTIONS -> 500; OPTIONS -> 204.
 * - Responses (webhook-helpers.ts executeWebhook + webhook-request-handler.ts):
 *     * `noWebhookResponse: true` -> n8n sends nothing; the node answered through
 *       `getResponseObject()`.
 *     * no `workflowData` -> `webhookResponse` (or {"message":"Webhook call received"}) with the
 *       description's responseCode (default 200); no workflow run.
 *     * responseMode 'onReceived' (default): answered right after the execution STARTED with the
 *       evaluated description `responseData`, else `webhookResponse`, else {"message":"Workflow
 *       was started"}; 'noData' -> empty body. CAUTION: n8n evaluates `responseData` with the
 *       default 'firstEntryJson', so a webhook description WITHOUT `responseData` answers the
 *       literal text `firstEntryJson` (and a returned `webhookResponse` is ignored). Static
 *       answers get `Content-Security-Policy: sandbox ...` (N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX).
 *     * 'lastNode': after the run; the last executed node's data per `responseData`
 *       (firstEntryJson default, allEntries, firstEntryBinary, noData); a failed run -> 500
 *       {"message":"Error in workflow"}.
 *     * 'responseNode': answered when a node calls `this.sendResponse()` (Respond to Webhook);
 *       a run that ends without it -> empty body with responseCode.
 *     * 'streaming', 'formPage', 'hostedChat' are not supported by this host (500).
 * Not reproduced: compression middleware, ETag/304 handling, Prometheus metrics, execution
 * persistence, the test-webhook (`/webhook-test/`) and waiting-webhook paths.
 * ------------------------------------------------------------------------------------------------
 */
import './env';

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import {
	BinaryDataService,
	getHtmlSandboxCSP,
	isWebhookHtmlSandboxingDisabled,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	BINARY_ENCODING,
	createRunExecutionData,
	isNodeClassInstance,
	jsonParse,
	NodeHelpers,
	NodeOperationError,
	OperationalError,
	resolveWebhookDescriptionField,
	sanitizeXmlName,
	UnexpectedError,
	UserError,
	Workflow,
	WorkflowConfigurationError,
	type IBinaryData,
	type IConnections,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteResponsePromiseData,
	type IN8nHttpFullResponse,
	type INode,
	type INodeExecutionData,
	type IRun,
	type ITaskData,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowDataProxyAdditionalKeys,
	type WebhookResponseMode,
} from 'n8n-workflow';

import { HttpResponseError, shimHttp, type ShimRequest, type ShimResponse } from './httpShim';
import { parseMultipartFormData } from './multipart';
import {
	createAdditionalData,
	ensureBinaryData,
	n8nContainer,
	NodeTypeRegistry,
	TestCredentialsHelper,
	type AnyNodeType,
	type BinaryDataMode,
} from './runtime';
import { makeResult, type EngineRunResult } from './runWorkflow';

export interface WebhookHostOptions {
	/** The trigger node (n8n workflow JSON). Give it a `webhookId` as n8n does. */
	node: INode;
	nodeType: AnyNodeType;
	/** Decrypted credential data by credential TYPE name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[] | Record<string, ICredentialType>;
	/** The rest of the workflow, run with WorkflowExecute whenever the trigger emits. */
	downstream?: {
		nodes: INode[];
		connections: IConnections;
		nodeTypes?: Record<string, AnyNodeType>;
	};
	/** Workflow id (appears in paths of nodes without webhookId and in binary-data locations). */
	workflowId?: string;
	/** Workflow static data, shared by all requests (n8n persists it between calls). */
	staticData?: IDataObject;
	/** N8N_PAYLOAD_SIZE_MAX in MiB; default from the environment, else 16. */
	payloadSizeMaxMb?: number;
	/** N8N_FORMDATA_FILE_SIZE_MAX in MiB; default from the environment, else 200. */
	formDataFileSizeMaxMb?: number;
	binaryDataMode?: BinaryDataMode;
}

export interface WebhookExecution {
	/** The `workflowData` the trigger returned (one array per output). */
	items: INodeExecutionData[][];
	/** Settles when the workflow run started by this call has finished (never rejects). */
	done: Promise<EngineRunResult>;
}

export interface RegisteredWebhook {
	name: string;
	httpMethod: string;
	/** webhookPath as n8n registers it (its webhook_entity row); may contain `:param` segments. */
	path: string;
	/** The production URL the editor shows (`:param` segments to be filled in by the caller). */
	url: string;
}

export interface WebhookHost {
	/** `http://127.0.0.1:<port>` */
	baseUrl: string;
	/** See the comment at the top of this file. */
	url(pathOrName?: string): string;
	webhooks: RegisteredWebhook[];
	/** Every execution the trigger started, in order. */
	executions: WebhookExecution[];
	/** Errors thrown by the node's webhook() (n8n answers those with a 500). */
	errors: Error[];
	close(): Promise<void>;
}

const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];
const SUPPORTED_RESPONSE_MODES = ['onReceived', 'lastNode', 'responseNode'];
const EXECUTION_ENDED_WITHOUT_RESPONSE = Symbol('executionEndedWithoutResponse');
const DISALLOWED_COOKIES = new Set([
	'n8n-auth',
	'n8n-browserId',
	'n8n-oauth-session',
	'n8n-oauth-binding',
	'n8n-oidc-id-token',
	'n8n-oidc-state',
	'n8n-oidc-nonce',
	'n8n-form-oauth',
	'n8n-chat-oauth',
	'n8n-chat-oauth-refresh',
]);
const AUTH_ALLOWLISTED_TYPES = new Set([
	'@n8n/n8n-nodes-langchain.chatTrigger',
	'n8n-nodes-base.formTrigger',
	'n8n-nodes-base.form',
]);

type ResponseData = {
	data?: unknown;
	responseCode?: number;
	headers?: IDataObject;
	noWebhookResponse?: boolean;
};
type StaticResponse = { kind: 'static'; body: unknown; code?: number; headers?: HeaderBag };
type StreamResponse = { kind: 'stream'; stream: Readable; code?: number; headers?: HeaderBag };
type CallbackData = ResponseData | StaticResponse | StreamResponse;
type ResponseCallback = (error: Error | null, data: CallbackData) => void;

/** n8n's WebhookResponseHeaders: lower-cased, validated, protected headers dropped. */
class HeaderBag {
	readonly headers = new Map<string, string>();

	static fromObject(obj: object | undefined): HeaderBag {
		const bag = new HeaderBag();
		for (const [name, value] of Object.entries(obj ?? {})) bag.set(name, String(value));
		return bag;
	}

	set(name: string, value: string): void {
		const lower = name.toLowerCase();
		if (['content-security-policy', 'strict-transport-security', 'clear-site-data'].includes(lower))
			return;
		if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(lower) || /[^\t\x20-\x7e\x80-\xff]/.test(value)) return;
		this.headers.set(lower, value);
	}

	applyTo(res: ShimResponse): void {
		for (const [name, value] of this.headers) res.setHeader(name, value);
	}
}

function applySandboxCSP(res: ShimResponse): void {
	if (isWebhookHtmlSandboxingDisabled()) return;
	res.setHeader('Content-Security-Policy', getHtmlSandboxCSP());
}

// ---------------------------------------------------------------------------------------------
// n8n's sendErrorResponse (response-helper.ts + http-error-classifier/serializers)

function sendErrorResponse(res: ShimResponse, error: Error): void {
	if (res.headersSent) {
		res.end();
		return;
	}
	let status = 500;
	const body: IDataObject = { code: 0, message: error.message ?? 'Unknown error' };
	const candidate = error as Partial<HttpResponseError>;
	if (typeof candidate.httpStatusCode === 'number' && typeof candidate.errorCode === 'number') {
		status = candidate.httpStatusCode;
		body.code = candidate.errorCode;
		if (candidate.hint) body.hint = candidate.hint;
	} else if (error instanceof UserError) {
		status = 400;
	}
	res.status(status).json(body);
}

function notFound(path: string, httpMethod: string, webhookMethods: string[]): HttpResponseError {
	let message: string;
	if (webhookMethods.length > 0) {
		const methods =
			webhookMethods.length === 1
				? webhookMethods[0]
				: `${webhookMethods.slice(0, -1).join(', ')} or ${webhookMethods[webhookMethods.length - 1]}`;
		message = `This webhook is not registered for ${httpMethod} requests. Did you mean to make a ${methods} request?`;
	} else {
		message = `The requested webhook "${httpMethod} ${path}" is not registered.`;
	}
	const hint =
		webhookMethods.length === 0
			? "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)"
			: undefined;
	return new HttpResponseError(message, 404, 404, hint);
}

// ---------------------------------------------------------------------------------------------
// Body parsing (middlewares/body-parser.ts parseBody + webhook-helpers.ts parseRequestBody)

type XmlParser = { parseStringPromise(text: string): Promise<unknown> };
let xmlParser: XmlParser | undefined;
function getXmlParser(): XmlParser {
	if (xmlParser === undefined) {
		// xml2js is what n8n uses; installed here as a dependency of others.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { Parser } = require('xml2js') as { Parser: new (options: object) => XmlParser };
		xmlParser = new Parser({
			async: true,
			normalize: true,
			normalizeTags: true,
			explicitArray: false,
			tagNameProcessors: [sanitizeXmlName],
			attrNameProcessors: [sanitizeXmlName],
		});
	}
	return xmlParser;
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

async function parseBody(req: ShimRequest): Promise<void> {
	if (req.contentType?.startsWith('multipart/')) return;
	await req.readRawBody();
	const { rawBody, contentType } = req;
	const encoding = req.encoding ?? 'utf-8';
	if (!rawBody?.length) return;
	try {
		if (contentType === 'application/json') {
			req.body = jsonParse(stripBom(rawBody.toString(encoding)));
		} else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
			req.body = await getXmlParser().parseStringPromise(rawBody.toString(encoding));
		} else if (contentType === 'application/x-www-form-urlencoded') {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { parse } = require('node:querystring') as typeof import('node:querystring');
			req.body = parse(stripBom(rawBody.toString(encoding)), undefined, undefined, {
				maxKeys: 1000,
			});
		} else if (contentType === 'text/plain') {
			req.body = rawBody.toString(encoding);
		}
	} catch (error) {
		throw new HttpResponseError('Failed to parse request body', 422, 422, (error as Error).message);
	}
}

function isParsableContentType(contentType: string | undefined): boolean {
	return (
		contentType !== undefined &&
		(contentType.startsWith('application/json') ||
			contentType.startsWith('text/plain') ||
			contentType.startsWith('application/x-www-form-urlencoded') ||
			contentType.endsWith('/xml') ||
			contentType.endsWith('+xml'))
	);
}

// ---------------------------------------------------------------------------------------------

interface HostState {
	options: WebhookHostOptions;
	nodeTypes: NodeTypeRegistry;
	credentialsHelper: TestCredentialsHelper;
	workflowId: string;
	nodes: INode[];
	connections: IConnections;
	staticData: IDataObject;
	baseUrl: string;
	webhooks: Array<IWebhookData & { templateSegments?: string[]; urlPath: string }>;
	executions: WebhookExecution[];
	errors: Error[];
	payloadSizeMaxMb: number;
	formDataFileSizeMaxMb: number;
	executionCounter: number;
}

function numberFromEnv(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

function createWorkflow(state: HostState): Workflow {
	return new Workflow({
		id: state.workflowId,
		name: 'Webhook test workflow',
		nodes: state.nodes,
		connections: state.connections,
		active: true,
		nodeTypes: state.nodeTypes,
		staticData: state.staticData,
	});
}

function workflowBase(state: HostState): IWorkflowBase {
	return {
		id: state.workflowId,
		name: 'Webhook test workflow',
		active: true,
		activeVersionId: 'test-version',
		isArchived: false,
		nodes: state.nodes,
		connections: state.connections,
		staticData: state.staticData,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
}

function describeProperty<T>(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	property: string,
	fallback?: T,
): T {
	const native = resolveWebhookDescriptionField(node, description, property);
	if (native.resolved) return native.value as T;
	const raw = (description as unknown as Record<string, unknown>)[property];
	return workflow.expression.getSimpleParameterValue(
		node,
		raw as string,
		'internal',
		{},
		undefined,
		fallback as string,
	) as T;
}

const isDynamicPath = (path: string) => path.startsWith(':') || path.includes('/:');

/** WebhookService.getNodeWebhooks for the one trigger node. */
function registerWebhooks(state: HostState): void {
	const workflow = createWorkflow(state);
	const node = workflow.getNode(state.options.node.name);
	if (node === null) throw new Error('trigger node missing from the workflow');
	const nodeType = state.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const descriptions = nodeType.description.webhooks ?? [];
	if (descriptions.length === 0)
		throw new Error(`Node type "${node.type}" has no webhooks in its description`);
	if (typeof nodeType.webhook !== 'function')
		throw new Error(`Node type "${node.type}" has no webhook() method`);
	for (const description of descriptions) {
		if (description.restartWebhook === true) continue;
		let path = describeProperty<string | undefined>(workflow, node, description, 'path');
		if (path === undefined || path === null) continue;
		path = String(path).trim().replace(/^\//, '').replace(/\/$/, '');
		const isFullPath = describeProperty<boolean>(workflow, node, description, 'isFullPath', false);
		const fullPath = NodeHelpers.getNodeWebhookPath(
			state.workflowId,
			node,
			path,
			isFullPath,
			false,
		);
		const methods = describeProperty<string | string[]>(
			workflow,
			node,
			description,
			'httpMethod',
			'GET',
		);
		// what the editor shows as the production URL (NodeHelpers.getNodeWebhookUrl)
		const urlPath = NodeHelpers.getNodeWebhookUrl(
			'',
			state.workflowId,
			node,
			path,
			isFullPath,
		).slice(1);
		// WebhookService.createWebhook: a dynamic path is looked up by webhookId + segment count
		const dynamic = isDynamicPath(fullPath) && node.webhookId !== undefined;
		for (const method of String(methods).split(',')) {
			const httpMethod = method.trim();
			if (!httpMethod) continue;
			state.webhooks.push({
				httpMethod: httpMethod as IWebhookData['httpMethod'],
				node: node.name,
				path: fullPath,
				webhookDescription: description,
				workflowId: state.workflowId,
				workflowExecuteAdditionalData:
					undefined as unknown as IWebhookData['workflowExecuteAdditionalData'],
				webhookId: dynamic ? node.webhookId : undefined,
				templateSegments: dynamic ? fullPath.split('/') : undefined,
				urlPath,
			});
		}
	}
}

function matchWebhook(
	state: HostState,
	path: string,
	method: string,
): { webhook?: HostState['webhooks'][number]; params: Record<string, string>; methods: string[] } {
	const methods: string[] = [];
	let found: HostState['webhooks'][number] | undefined;
	let params: Record<string, string> = {};
	const [first, ...rest] = path.split('/');
	for (const webhook of state.webhooks) {
		let candidateParams: Record<string, string> | undefined;
		if (webhook.templateSegments === undefined) {
			if (webhook.path === path) candidateParams = {};
		} else if (first === webhook.webhookId && rest.length === webhook.templateSegments.length) {
			// findDynamicWebhook: static template segments must all occur in the request path;
			// live-webhooks.ts then takes the params position by position
			const requestSegments = new Set(rest);
			const template = webhook.templateSegments;
			if (template.every((segment) => segment.startsWith(':') || requestSegments.has(segment))) {
				const p: Record<string, string> = {};
				template.forEach((segment, index) => {
					if (segment.startsWith(':')) p[segment.slice(1)] = rest[index];
				});
				candidateParams = p;
			}
		}
		if (candidateParams === undefined) continue;
		methods.push(webhook.httpMethod);
		if (webhook.httpMethod === method && found === undefined) {
			found = webhook;
			params = candidateParams;
		}
	}
	return { webhook: found, params, methods };
}

function sanitizeCookies(req: ShimRequest): void {
	const header = req.headers.cookie;
	if (typeof header !== 'string') return;
	const cookies = header.split(';').map((cookie) => cookie.trim());
	const kept = cookies.filter((cookie) => {
		const name = cookie.split('=')[0];
		return !DISALLOWED_COOKIES.has(name) && !name.startsWith('n8n-form-auth-');
	});
	if (kept.length !== cookies.length) req.headers.cookie = kept.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Responding (webhook-request-handler.ts)

async function sendResponse(res: ShimResponse, data: CallbackData): Promise<void> {
	if ('kind' in data) {
		if (data.code !== undefined) res.status(data.code);
		data.headers?.applyTo(res);
		applySandboxCSP(res);
		if (data.kind === 'static') {
			if (typeof data.body === 'string') res.send(data.body);
			else res.json(data.body);
		} else {
			data.stream.pipe(res, { end: false });
			await finished(data.stream);
			process.nextTick(() => res.end());
		}
		return;
	}
	if (data.noWebhookResponse === true) return;
	if (data.responseCode !== undefined) res.status(data.responseCode);
	if (data.headers) {
		HeaderBag.fromObject(data.headers).applyTo(res);
		applySandboxCSP(res);
	}
	if (data.data instanceof Readable) {
		data.data.pipe(res);
		return;
	}
	if (typeof data.data === 'string') res.send(data.data);
	else res.json(data.data);
}

// ---------------------------------------------------------------------------------------------
// The webhook execution (webhook-helpers.ts executeWebhook)

interface ResponseOptions {
	responseMode: WebhookResponseMode;
	responseCode: number;
	responseData: unknown;
	responsePropertyName?: string;
	responseContentType?: string;
	responseBinaryPropertyName?: string;
}

class DescriptionEvaluator {
	constructor(
		private readonly workflow: Workflow,
		private readonly node: INode,
		private readonly webhookData: IWebhookData,
		readonly additionalKeys: IWorkflowDataProxyAdditionalKeys,
	) {}

	simple<T>(property: string, fallback?: T): T {
		return this.evaluate('getSimpleParameterValue', property, fallback);
	}

	complex<T>(property: string, fallback?: T): T {
		return this.evaluate('getComplexParameterValue', property, fallback);
	}

	private evaluate<T>(
		method: 'getSimpleParameterValue' | 'getComplexParameterValue',
		property: string,
		fallback?: T,
	): T {
		const native = resolveWebhookDescriptionField(
			this.node,
			this.webhookData.webhookDescription,
			property,
		);
		if (native.resolved) return native.value as T;
		const raw = (this.webhookData.webhookDescription as unknown as Record<string, unknown>)[
			property
		];
		return this.workflow.expression[method](
			this.node,
			raw as string,
			'webhook',
			this.additionalKeys,
			undefined,
			fallback as string,
		) as T;
	}
}

function webhookErrorMessage(error: Error, webhookType: 'Form' | 'Webhook'): string {
	if (error instanceof NodeOperationError && error.type === 'manual-form-test')
		return error.message;
	if (error instanceof WorkflowConfigurationError) return error.message;
	return `Workflow ${webhookType} Error: Workflow could not be started!`;
}

function lastNodeTaskData(run: IRun): ITaskData | undefined {
	const { runData, lastNodeExecuted } = run.data.resultData;
	if (lastNodeExecuted === undefined) return undefined;
	const tasks = runData[lastNodeExecuted];
	return tasks?.[tasks.length - 1];
}

type Extracted =
	| { ok: true; body?: unknown; stream?: Readable; contentType?: string }
	| { ok: false; error: Error };

async function extractLastNodeResponse(
	responseData: unknown,
	taskData: ITaskData,
	options: ResponseOptions,
): Promise<Extracted> {
	const firstBranch = taskData.data?.main?.[0];
	const firstItem = firstBranch && firstBranch.length > 0 ? firstBranch[0] : undefined;
	if (responseData === 'firstEntryJson') {
		if (!firstItem)
			return { ok: false, error: new OperationalError('No item to return was found') };
		let body: unknown = firstItem.json;
		if (options.responsePropertyName !== undefined) {
			body = options.responsePropertyName
				.split('.')
				.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
		}
		return { ok: true, body, contentType: options.responseContentType };
	}
	if (responseData === 'firstEntryBinary') {
		if (!firstItem)
			return { ok: false, error: new OperationalError('No item was found to return') };
		if (firstItem.binary === undefined)
			return { ok: false, error: new OperationalError('No binary data was found to return') };
		const key = options.responseBinaryPropertyName;
		if (key === undefined)
			return { ok: false, error: new OperationalError("No 'responseBinaryPropertyName' is set") };
		const binary: IBinaryData | undefined = firstItem.binary[key];
		if (binary === undefined) {
			return {
				ok: false,
				error: new OperationalError(
					`The binary property '${key}' which should be returned does not exist`,
				),
			};
		}
		if (binary.id) {
			const stream = await n8nContainer().get(BinaryDataService).getAsStream(binary.id);
			return { ok: true, stream, contentType: binary.mimeType };
		}
		return {
			ok: true,
			body: Buffer.from(binary.data, BINARY_ENCODING),
			contentType: binary.mimeType,
		};
	}
	if (responseData === 'noData') return { ok: true, body: undefined };
	return { ok: true, body: (firstBranch ?? []).map((item) => item.json) };
}

async function executeWebhook(
	state: HostState,
	webhookData: IWebhookData,
	req: ShimRequest,
	res: ShimResponse,
	responseCallback: ResponseCallback,
): Promise<void> {
	const workflow = createWorkflow(state);
	const node = workflow.getNode(webhookData.node) as INode;
	const nodeType = state.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $executionId: undefined };
	const evaluator = new DescriptionEvaluator(workflow, node, webhookData, additionalKeys);

	const options: ResponseOptions = {
		responseMode: evaluator.simple<WebhookResponseMode>('responseMode', 'onReceived'),
		responseCode: evaluator.simple<number>('responseCode', 200),
		responseData: evaluator.complex<unknown>('responseData', 'firstEntryJson'),
		responsePropertyName: evaluator.simple<string | undefined>('responsePropertyName'),
		responseContentType: evaluator.simple<string | undefined>('responseContentType'),
		responseBinaryPropertyName: evaluator.simple<string>('responseBinaryPropertyName', 'data'),
	};
	const { responseMode, responseCode } = options;
	if (
		!['onReceived', 'lastNode', 'responseNode', 'formPage', 'streaming', 'hostedChat'].includes(
			responseMode,
		)
	) {
		const message = `The response mode '${responseMode}' is not valid!`;
		responseCallback(new UnexpectedError(message), {});
		throw new HttpResponseError(message, 500);
	}

	const additionalData = createAdditionalData({
		mode: 'webhook',
		workflowData: workflowBase(state),
		credentialsHelper: state.credentialsHelper,
		baseUrl: state.baseUrl,
	});
	delete additionalData.executionId;
	additionalData.httpRequest = req as unknown as typeof additionalData.httpRequest;
	additionalData.httpResponse = res as unknown as typeof additionalData.httpResponse;

	let didSendResponse = false;
	let cleanupMultipartFiles: (() => Promise<void>) | undefined;
	try {
		if (!SUPPORTED_RESPONSE_MODES.includes(responseMode)) {
			throw new UnexpectedError(
				`responseMode '${responseMode}' is not supported by the test webhook host`,
			);
		}

		// parseRequestBody
		let skipBody = false;
		if (node.typeVersion === 1) {
			skipBody = Boolean(
				workflow.expression.getSimpleParameterValue(
					node,
					'={{$parameter["options"]["binaryData"]}}',
					'webhook',
					additionalKeys,
					undefined,
					false,
				),
			);
		}
		if (!skipBody) {
			if (req.contentType === 'multipart/form-data') {
				const { body, cleanup } = await parseMultipartFormData(req, {
					formDataFileSizeMaxMb: state.formDataFileSizeMaxMb,
				});
				req.body = body;
				cleanupMultipartFiles = cleanup;
			} else if (node.typeVersion > 1) {
				if (isParsableContentType(req.contentType)) await parseBody(req);
			} else {
				await parseBody(req);
			}
		}

		// WebhookService.runWebhook
		let webhookResultData: IWebhookResponseData;
		const closeFunctions: Array<() => Promise<void>> = [];
		try {
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				'webhook',
				webhookData,
				closeFunctions,
				null,
			);
			const webhook = nodeType.webhook as NonNullable<typeof nodeType.webhook>;
			webhookResultData = isNodeClassInstance(nodeType)
				? await (webhook as unknown as (ctx: WebhookContext) => Promise<IWebhookResponseData>).call(
						nodeType,
						context,
					)
				: await webhook.call(context);
		} catch (e) {
			const error = e instanceof Error ? e : new Error(String(e));
			state.errors.push(error);
			responseCallback(new UnexpectedError(webhookErrorMessage(error, 'Webhook')), {});
			didSendResponse = true;
			return;
		} finally {
			await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
		}

		if (cleanupMultipartFiles && webhookResultData.webhookResponse instanceof Readable) {
			const cleanup = cleanupMultipartFiles;
			void finished(webhookResultData.webhookResponse).then(cleanup, cleanup);
		} else {
			await cleanupMultipartFiles?.();
		}
		cleanupMultipartFiles = undefined;

		const responseHeaders = new HeaderBag();
		if (webhookData.webhookDescription.responseHeaders !== undefined) {
			const evaluated = evaluator.complex<
				{ entries?: Array<{ name: string; value: string }> } | undefined
			>('responseHeaders');
			for (const entry of evaluated?.entries ?? []) responseHeaders.set(entry.name, entry.value);
		}
		if (!res.headersSent) responseHeaders.applyTo(res);

		if (webhookResultData.noWebhookResponse === true && !didSendResponse) {
			responseCallback(null, { noWebhookResponse: true });
			didSendResponse = true;
		}

		if (webhookResultData.workflowData === undefined) {
			if (!didSendResponse) {
				responseCallback(null, {
					data: webhookResultData.webhookResponse ?? { message: 'Webhook call received' },
					responseCode,
				});
				didSendResponse = true;
			}
			return;
		}

		const shouldDeferOnReceivedResponse = responseMode === 'onReceived' && !didSendResponse;
		const executionId = String(++state.executionCounter);

		let resolveResponse:
			| ((value: IExecuteResponsePromiseData | typeof EXECUTION_ENDED_WITHOUT_RESPONSE) => void)
			| undefined;
		if (responseMode === 'responseNode') {
			const responsePromise = new Promise<
				IExecuteResponsePromiseData | typeof EXECUTION_ENDED_WITHOUT_RESPONSE
			>((resolve) => {
				resolveResponse = resolve;
			});
			void responsePromise.then(async (response) => {
				if (response === EXECUTION_ENDED_WITHOUT_RESPONSE) return;
				didSendResponse = true;
				await sendResponseNodeResponse(response as IN8nHttpFullResponse, res, responseCallback);
			});
		}

		const items = webhookResultData.workflowData;
		const runPromise = startExecution(state, node, items, executionId, (response) =>
			resolveResponse?.(response),
		);
		const done = runPromise.then(
			(run) => {
				resolveResponse?.(EXECUTION_ENDED_WITHOUT_RESPONSE);
				return makeResult(run);
			},
			(error: unknown) => {
				resolveResponse?.(EXECUTION_ENDED_WITHOUT_RESPONSE);
				return makeResult(failedRun(error));
			},
		);
		state.executions.push({ items, done });

		if (shouldDeferOnReceivedResponse) {
			additionalKeys.$executionId = executionId;
			additionalKeys.$execution = {
				id: executionId,
				mode: 'production',
				resumeUrl: `${additionalData.webhookWaitingBaseUrl}/${executionId}`,
				resumeFormUrl: `${additionalData.formWaitingBaseUrl}/${executionId}`,
			};
			const evaluated = evaluator.complex<unknown>('responseData', 'firstEntryJson');
			let body: unknown;
			if (evaluated === 'noData') body = undefined;
			else if (evaluated) body = evaluated;
			else if (webhookResultData.webhookResponse !== undefined)
				body = webhookResultData.webhookResponse;
			else body = { message: 'Workflow was started' };
			responseCallback(null, {
				kind: 'static',
				body,
				code: responseCode,
				headers: responseHeaders,
			});
			didSendResponse = true;
		}

		if (!didSendResponse) {
			void done.then(async ({ run }) => {
				if (didSendResponse) return;
				const taskData = lastNodeTaskData(run);
				if (run.data.resultData.error || taskData?.error !== undefined) {
					didSendResponse = true;
					responseCallback(null, { data: { message: 'Error in workflow' }, responseCode: 500 });
					return;
				}
				if (responseMode === 'responseNode') {
					await Promise.resolve();
					if (!didSendResponse) {
						didSendResponse = true;
						responseCallback(null, { data: undefined, responseCode });
					}
					return;
				}
				if (taskData === undefined) {
					didSendResponse = true;
					responseCallback(null, {
						data: {
							message: 'Workflow executed successfully but the last node did not return any data',
						},
						responseCode,
					});
					return;
				}
				const result = await extractLastNodeResponse(options.responseData, taskData, options);
				didSendResponse = true;
				if (!result.ok) {
					responseCallback(result.error, {});
					return;
				}
				if (result.contentType) responseHeaders.set('content-type', result.contentType);
				responseCallback(
					null,
					result.stream
						? {
								kind: 'stream',
								stream: result.stream,
								code: responseCode,
								headers: responseHeaders,
							}
						: { kind: 'static', body: result.body, code: responseCode, headers: responseHeaders },
				);
			});
		}
	} catch (e) {
		const error = e instanceof Error ? e : new Error(String(e));
		const asResponseError = error as Partial<HttpResponseError>;
		const responseError =
			typeof asResponseError.httpStatusCode === 'number' &&
			typeof asResponseError.errorCode === 'number' &&
			asResponseError.httpStatusCode < 500
				? error
				: new OperationalError('There was a problem executing the workflow', { cause: error });
		if (didSendResponse) throw responseError;
		responseCallback(responseError, {});
	} finally {
		await cleanupMultipartFiles?.();
	}
}

async function sendResponseNodeResponse(
	response: IN8nHttpFullResponse,
	res: ShimResponse,
	responseCallback: ResponseCallback,
): Promise<void> {
	try {
		const binaryData = (response.body as IDataObject | undefined)?.binaryData as
			| IBinaryData
			| undefined;
		if (binaryData?.id) {
			if (response.statusCode) res.status(response.statusCode);
			HeaderBag.fromObject(response.headers).applyTo(res);
			applySandboxCSP(res);
			const stream = await n8nContainer().get(BinaryDataService).getAsStream(binaryData.id);
			res.once('close', () => stream.destroy());
			stream.pipe(res, { end: false });
			await finished(stream);
			responseCallback(null, { noWebhookResponse: true });
		} else if (Buffer.isBuffer(response.body)) {
			if (response.statusCode) res.status(response.statusCode);
			HeaderBag.fromObject(response.headers).applyTo(res);
			applySandboxCSP(res);
			res.end(response.body);
			responseCallback(null, { noWebhookResponse: true });
		} else {
			responseCallback(null, {
				data: response.body,
				headers: response.headers as IDataObject,
				responseCode: response.statusCode,
			});
		}
		process.nextTick(() => res.end());
	} catch (error) {
		responseCallback(error as Error, {});
	}
}

function failedRun(error: unknown): IRun {
	const data = createRunExecutionData({});
	data.resultData.error = {
		message: error instanceof Error ? error.message : String(error),
		name: 'Error',
	} as IRun['data']['resultData']['error'];
	return {
		data,
		mode: 'webhook',
		startedAt: new Date(),
		stoppedAt: new Date(),
		status: 'error',
		storedAt: 'db',
	};
}

/** WorkflowRunner.run in regular mode: the trigger node on the stack with its output, then the rest. */
async function startExecution(
	state: HostState,
	triggerNode: INode,
	items: INodeExecutionData[][],
	executionId: string,
	onSendResponse: (response: IExecuteResponsePromiseData) => void,
): Promise<IRun> {
	const workflow = createWorkflow(state);
	const additionalData = createAdditionalData({
		mode: 'webhook',
		executionId,
		workflowData: workflowBase(state),
		credentialsHelper: state.credentialsHelper,
		baseUrl: state.baseUrl,
	});
	additionalData.hooks?.addHandler('sendResponse', (response) => onSendResponse(response));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(triggerNode.name) as INode, data: { main: items }, source: null },
			],
		},
	});
	return await new WorkflowExecute(
		additionalData,
		'webhook',
		runExecutionData,
	).processRunExecutionData(workflow);
}

// ---------------------------------------------------------------------------------------------

async function handleRequest(
	state: HostState,
	rawReq: IncomingMessage,
	rawRes: ServerResponse,
): Promise<void> {
	const { req, res } = shimHttp(rawReq, rawRes, { payloadSizeMaxMb: state.payloadSizeMaxMb });
	const method = req.method;

	const prefix = '/webhook/';
	if (!req.path.startsWith(prefix) || req.path.length === prefix.length) {
		res
			.status(404)
			.type('html')
			.send(
				`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${req.path}</pre>\n</body>\n</html>\n`,
			);
		return;
	}
	let path: string;
	try {
		path = req.path
			.slice(prefix.length)
			.split('/')
			.map((segment) => decodeURIComponent(segment))
			.join('/');
	} catch {
		sendErrorResponse(res, new HttpResponseError(`Failed to decode param '${req.path}'`, 400));
		return;
	}

	if (method !== 'OPTIONS' && !WEBHOOK_METHODS.includes(method)) {
		sendErrorResponse(res, new Error(`The method ${method} is not supported.`));
		return;
	}

	if (path.endsWith('/')) path = path.slice(0, -1);
	const requestedMethod =
		method === 'OPTIONS'
			? (req.headers['access-control-request-method'] as string | undefined)
			: method;

	if ('origin' in req.headers) {
		const { methods, webhook } = matchWebhook(state, path, requestedMethod ?? '');
		res.header('Access-Control-Allow-Methods', ['OPTIONS', ...methods].join(', '));
		if (requestedMethod) {
			const origin = String(req.headers.origin);
			const nodeOptions = webhook
				? (state.options.node.parameters?.options as IDataObject | undefined)
				: undefined;
			const allowedOrigins =
				typeof nodeOptions?.allowedOrigins === 'string' ? nodeOptions.allowedOrigins : undefined;
			if (allowedOrigins && allowedOrigins !== '*' && allowedOrigins !== origin) {
				const list = allowedOrigins.split(',');
				res.header('Access-Control-Allow-Origin', list.includes(origin) ? origin : list[0]);
			} else {
				res.header('Access-Control-Allow-Origin', origin);
			}
			if (method === 'OPTIONS') {
				res.header('Access-Control-Max-Age', '300');
				const requestedHeaders = req.headers['access-control-request-headers'];
				if (requestedHeaders?.length) res.header('Access-Control-Allow-Headers', requestedHeaders);
			}
		}
	}
	if (method === 'OPTIONS') {
		res.status(204).json({});
		return;
	}

	try {
		const { webhook, params, methods } = matchWebhook(state, path, method);
		if (webhook === undefined) throw notFound(path, method, methods);
		req.params = params;
		if (!AUTH_ALLOWLISTED_TYPES.has(state.options.node.type)) sanitizeCookies(req);

		const response = await new Promise<CallbackData>((resolve, reject) => {
			executeWebhook(state, webhook, req, res, (error, data) => {
				if (error !== null) reject(error);
				else resolve(data);
			}).catch(reject);
		});
		await sendResponse(res, response);
	} catch (e) {
		sendErrorResponse(res, e instanceof Error ? e : new Error(String(e)));
	}
}

export async function startWebhookHost(options: WebhookHostOptions): Promise<WebhookHost> {
	await ensureBinaryData(options.binaryDataMode);

	const downstreamNodes = options.downstream?.nodes ?? [];
	const nodes = downstreamNodes.some((n) => n.name === options.node.name)
		? downstreamNodes
		: [options.node, ...downstreamNodes];

	const state: HostState = {
		options,
		nodeTypes: new NodeTypeRegistry({
			...(options.downstream?.nodeTypes ?? {}),
			[options.node.type]: options.nodeType,
		}),
		credentialsHelper: new TestCredentialsHelper(options.credentials, options.credentialTypes),
		workflowId: options.workflowId ?? 'webhook-test-workflow',
		nodes,
		connections: options.downstream?.connections ?? {},
		staticData: options.staticData ?? {},
		baseUrl: '',
		webhooks: [],
		executions: [],
		errors: [],
		payloadSizeMaxMb: options.payloadSizeMaxMb ?? numberFromEnv('N8N_PAYLOAD_SIZE_MAX', 16),
		formDataFileSizeMaxMb:
			options.formDataFileSizeMaxMb ?? numberFromEnv('N8N_FORMDATA_FILE_SIZE_MAX', 200),
		executionCounter: 0,
	};

	const server: Server = createServer((req, res) => {
		handleRequest(state, req, res).catch((error: unknown) => {
			if (!res.headersSent) {
				res.statusCode = 500;
				res.setHeader('Content-Type', 'application/json; charset=utf-8');
				res.end(
					JSON.stringify({
						code: 0,
						message: error instanceof Error ? error.message : String(error),
					}),
				);
			} else {
				res.end();
			}
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	state.baseUrl = `http://127.0.0.1:${port}`;
	registerWebhooks(state);

	const webhooks: RegisteredWebhook[] = state.webhooks.map((webhook) => ({
		name: webhook.webhookDescription.name,
		httpMethod: webhook.httpMethod,
		path: webhook.path,
		url: `${state.baseUrl}/webhook/${webhook.urlPath}`,
	}));

	return {
		baseUrl: state.baseUrl,
		webhooks,
		executions: state.executions,
		errors: state.errors,
		url(pathOrName?: string): string {
			if (pathOrName === undefined) {
				const first = webhooks.find((w) => w.name === 'default') ?? webhooks[0];
				return first.url;
			}
			const named = webhooks.find((w) => w.name === pathOrName);
			if (named) return named.url;
			return `${state.baseUrl}/webhook/${pathOrName.replace(/^\//, '')}`;
		},
		async close(): Promise<void> {
			await Promise.allSettled(state.executions.map(async (execution) => await execution.done));
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
