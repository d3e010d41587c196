/**
 * Writing responses: n8n's WebhookResponseHeaders (HeaderBag), sendErrorResponse, the response
 * step of webhook-request-handler.ts and the Respond to Webhook node's response.
 *
 * What n8n 2.40 answers on errors (sources: see the header of test/engine/webhookHost.ts; the
 * regular responses are described in execution.ts):
 * - Errors: a body that fails to parse -> 422 {"code":422,"message":"Failed to parse request body",
 *   "hint":"<parser message>"}. A body over the payload limit -> raw-body's 413 error is not an
 *   n8n ResponseError, so n8n answers 500 {"code":0,"message":"There was a problem executing the
 *   workflow"}. A webhook() that throws -> 500 {"code":0,"message":"Workflow Webhook Error:
 *   Workflow could not be started!"} (n8n still records a failed execution; here it goes to
 *   `host.errors`). Unknown path/method -> 404 {"code":404,"message":"The requested webhook
 *   \"POST x\" is not registered.", "hint": ...}. Methods other than DELETE/GET/HEAD/PATCH/POST/PUT/
 *   OPTIONS -> 500; OPTIONS -> 204.
 */
import '../env';

import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { BinaryDataService, getHtmlSandboxCSP, isWebhookHtmlSandboxingDisabled } from 'n8n-core';
import {
	UserError,
	type IBinaryData,
	type IDataObject,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import { HttpResponseError, type ShimResponse } from '../httpShim';
import { n8nContainer } from '../runtime';

type ResponseData = {
	data?: unknown;
	responseCode?: number;
	headers?: IDataObject;
	noWebhookResponse?: boolean;
};
type StaticResponse = { kind: 'static'; body: unknown; code?: number; headers?: HeaderBag };
type StreamResponse = { kind: 'stream'; stream: Readable; code?: number; headers?: HeaderBag };
export type CallbackData = ResponseData | StaticResponse | StreamResponse;
export type ResponseCallback = (error: Error | null, data: CallbackData) => void;

/** n8n's WebhookResponseHeaders: lower-cased, validated, protected headers dropped. */
export class HeaderBag {
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

export function sendErrorResponse(res: ShimResponse, error: Error): void {
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

export function notFound(
	path: string,
	httpMethod: string,
	webhookMethods: string[],
): HttpResponseError {
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
// Responding (webhook-request-handler.ts)

export async function sendResponse(res: ShimResponse, data: CallbackData): Promise<void> {
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

export async function sendResponseNodeResponse(
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
