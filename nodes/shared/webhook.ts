import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ZodError } from './vendor';

/** Helpers for trigger nodes: body reading with limits, refusals before any execution, token checks. */

export interface WebhookRequestLike {
	headers: Record<string, string | string[] | undefined>;
	/** The path and query as received (express keeps it in originalUrl). */
	url?: string;
	originalUrl?: string;
	/** Set by n8n's body parser for JSON and form bodies. */
	body?: unknown;
	/** The unparsed body, kept by n8n next to the parsed one. */
	rawBody?: Buffer;
	readable?: boolean;
	/** The caller's address as n8n sees it (express, honouring n8n's proxy-hops setting). */
	ip?: string;
	socket?: { remoteAddress?: string };
	[Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
}

export interface WebhookResponseLike {
	statusCode: number;
	headersSent?: boolean;
	setHeader(name: string, value: string | string[]): unknown;
	end(body?: string): unknown;
}

/** A file n8n received in a multipart body (formidable's file, stored in a temporary folder). */
export interface UploadedFile {
	filepath: string;
	size: number;
	mimetype?: string | null;
	originalFilename?: string | null;
}

export type BodyResult =
	| { ok: true; fields: IDataObject; files: Record<string, UploadedFile> }
	| { ok: false; status: 400 | 413 | 415; message: string };

export interface BodyRules {
	maxBytes: number;
	/** Accept multipart/form-data (already parsed by n8n into `{ data, files }`). */
	multipart?: boolean;
	/** Accept JSON sent as text/plain (what a browser sends without a CORS preflight). */
	textAsJson?: boolean;
}

/**
 * Reads a JSON, URL-encoded or (if allowed) multipart body as fields plus files, refusing what is
 * malformed (400), too large (413) or of another type (415).
 */
export async function readWebhookBody(request: WebhookRequestLike, rules: BodyRules): Promise<BodyResult> {
	const { maxBytes } = rules;
	const type = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (rules.multipart && type === 'multipart/form-data') return multipartBody(request, maxBytes);
	const declared = Number(header(request, 'content-length') ?? 0);
	if (declared > maxBytes) return tooLarge(maxBytes);
	const isJson = type === 'application/json' || (rules.textAsJson === true && type === 'text/plain');
	if (!isJson && type !== 'application/x-www-form-urlencoded') {
		const accepted = `application/json or application/x-www-form-urlencoded${rules.multipart ? ' or multipart/form-data' : ''}`;
		return { ok: false, status: 415, message: `Send the body as ${accepted}` };
	}
	const raw = await rawBodyOf(request, maxBytes);
	if (raw === 'too-large') return tooLarge(maxBytes);
	if (raw === undefined) {
		return isPlainObject(request.body) ? fieldsOnly(request.body) : malformed('The body is empty');
	}
	if (raw.length > maxBytes) return tooLarge(maxBytes);
	const text = raw.toString('utf8');
	if (type === 'application/x-www-form-urlencoded') return fieldsOnly(Object.fromEntries(new URLSearchParams(text)));
	try {
		const parsed: unknown = JSON.parse(text);
		return isPlainObject(parsed) ? fieldsOnly(parsed) : malformed('The JSON body must be an object');
	} catch {
		return malformed('The body is not valid JSON');
	}
}

function multipartBody(request: WebhookRequestLike, maxBytes: number): BodyResult {
	const body = request.body as { data?: unknown; files?: unknown } | undefined;
	if (!body || !isPlainObject(body.data ?? {})) return malformed('The multipart body could not be read');
	const fields = (body.data ?? {}) as IDataObject;
	const files: Record<string, UploadedFile> = {};
	let size = JSON.stringify(fields).length;
	for (const [name, value] of Object.entries((body.files ?? {}) as Record<string, unknown>)) {
		if (Array.isArray(value)) return malformed(`Send one file in "${name}", not ${value.length}`);
		const file = value as UploadedFile;
		if (typeof file?.filepath !== 'string') continue;
		files[name] = file;
		size += file.size;
	}
	return size > maxBytes ? tooLarge(maxBytes) : { ok: true, fields, files };
}

/** A token a caller may send as a query parameter or as a body field (form or JSON). */
export function tokenFrom(fields: IDataObject, query: IDataObject, name = 'token'): string | undefined {
	for (const value of [fields[name], query[name]]) {
		if (typeof value === 'string' && value !== '') return value;
	}
	return undefined;
}

async function rawBodyOf(request: WebhookRequestLike, maxBytes: number): Promise<Buffer | 'too-large' | undefined> {
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody.length > maxBytes ? 'too-large' : request.rawBody;
	if (!request.readable || !request[Symbol.asyncIterator]) return undefined;
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes) return 'too-large';
		chunks.push(chunk);
	}
	return size === 0 ? undefined : Buffer.concat(chunks, size);
}

/**
 * A trigger's view of one call: read the body within the node's "Max Body Size (KB)" option, and
 * refuse with a JSON error written directly to the caller, so that no execution starts.
 */
export function webhookCall(context: IWebhookFunctions, defaultMaxBodyKb: number) {
	const request = context.getRequestObject() as unknown as WebhookRequestLike;
	const response = context.getResponseObject() as unknown as WebhookResponseLike;
	return {
		request,
		response,
		async readBody(accept: Omit<BodyRules, 'maxBytes'> = {}): Promise<BodyResult> {
			const options = context.getNodeParameter('options', {}) as { maxBodyKb?: number };
			return await readWebhookBody(request, { ...accept, maxBytes: (options.maxBodyKb ?? defaultMaxBodyKb) * 1024 });
		},
		refuse(status: number, error: string): IWebhookResponseData {
			respondJson(response, status, { error });
			return { noWebhookResponse: true };
		},
		/** A valid call the workflow does not listen to (a filter): 200, so the caller does not send it again, and nothing starts. */
		ignore(reason: string): IWebhookResponseData {
			respondJson(response, 200, { ignored: reason });
			return { noWebhookResponse: true };
		},
		/** Sends the browser on with a 302; `workflowData`, when given, still starts the workflow. */
		redirect(location: string, workflowData?: IWebhookResponseData['workflowData']): IWebhookResponseData {
			if (!response.headersSent) {
				response.statusCode = 302;
				response.setHeader('location', location);
				response.setHeader('cache-control', 'no-store');
				response.end();
			}
			return { noWebhookResponse: true, ...(workflowData ? { workflowData } : {}) };
		},
		/** Answers with a body of the given type (a script, a page) and starts nothing. */
		send(status: number, contentType: string, body: string): IWebhookResponseData {
			if (!response.headersSent) {
				response.statusCode = status;
				response.setHeader('content-type', contentType);
				response.setHeader('cache-control', 'no-store');
				response.end(body);
			}
			return { noWebhookResponse: true };
		},
	};
}

/** The entries of a trigger's filter parameter: separated by commas or new lines, blanks dropped. */
export function filterEntries(value: unknown): string[] {
	return typeof value === 'string' ? value.split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry !== '') : [];
}

/** The first problem zod found, naming the field: `"user_id" must be a whole number`. */
export function describeFirstIssue(error: ZodError): string {
	const issue = error.issues[0];
	return `"${issue.path.join('.')}" ${issue.message}`;
}

/** Answers the caller directly (used for refusals, so no execution starts). */
export function respondJson(response: WebhookResponseLike, status: number, body: IDataObject): void {
	if (response.headersSent) return;
	response.statusCode = status;
	response.setHeader('content-type', 'application/json; charset=utf-8');
	response.end(JSON.stringify(body));
}

/** Compares secrets in constant time, whatever their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected)) && expected !== '';
}

function header(request: WebhookRequestLike, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function fieldsOnly(fields: IDataObject): BodyResult {
	return { ok: true, fields, files: {} };
}

function tooLarge(maxBytes: number): BodyResult {
	return { ok: false, status: 413, message: `The body is larger than ${maxBytes} bytes` };
}

function malformed(message: string): BodyResult {
	return { ok: false, status: 400, message };
}
