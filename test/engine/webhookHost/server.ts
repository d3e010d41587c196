/**
 * The HTTP server: the request handling of webhook-request-handler.ts / live-webhooks.ts (prefix,
 * path decoding, methods, CORS, matching) and startWebhookHost. See the header of
 * test/engine/webhookHost.ts for what it reproduces.
 */
import '../env';

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { forgetCredentials } from '../../../nodes/shared/credentialMemory';
import { HttpResponseError, shimHttp } from '../httpShim';
import { ensureBinaryData, NodeTypeRegistry, TestCredentialsHelper } from '../runtime';
import { executeWebhook } from './execution';
import {
	AUTH_ALLOWLISTED_TYPES,
	matchWebhook,
	registerWebhooks,
	sanitizeCookies,
} from './registration';
import { notFound, sendErrorResponse, sendResponse, type CallbackData } from './responses';
import { numberFromEnv, type HostState } from './state';
import type { RegisteredWebhook, WebhookHost, WebhookHostOptions } from './types';

const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

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
	// Each host stands for a fresh n8n process: no credential read by an earlier one is remembered.
	forgetCredentials();

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
		credentials: state.credentialsHelper,
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
