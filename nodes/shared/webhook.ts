import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** Helpers for trigger nodes: body reading with limits, refusals before any execution, token checks. */

export interface WebhookRequestLike {
	headers: Record<string, string | string[] | undefined>;
	/** Set by n8n's body parser for JSON and form bodies. */
	body?: unknown;
	/** The unparsed body, kept by n8n next to the parsed one. */
	rawBody?: Buffer;
	readable?: boolean;
	[Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
}

export interface WebhookResponseLike {
	statusCode: number;
	headersSent?: boolean;
	setHeader(name: string, value: string): unknown;
	end(body?: string): unknown;
}

export type BodyResult =
	| { ok: true; fields: IDataObject }
	| { ok: false; status: 400 | 413 | 415; message: string };

/** Reads a JSON or URL-encoded body as an object, refusing what is malformed, too large or of another type. */
export async function readFieldsBody(request: WebhookRequestLike, maxBytes: number): Promise<BodyResult> {
	const declared = Number(header(request, 'content-length') ?? 0);
	if (declared > maxBytes) return tooLarge(maxBytes);
	const type = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
		return { ok: false, status: 415, message: 'Send the body as application/json or application/x-www-form-urlencoded' };
	}
	const raw = await rawBodyOf(request, maxBytes);
	if (raw === 'too-large') return tooLarge(maxBytes);
	if (raw === undefined) {
		return isPlainObject(request.body) ? { ok: true, fields: request.body } : malformed('The body is empty');
	}
	const text = raw.toString('utf8');
	if (type === 'application/x-www-form-urlencoded') {
		return { ok: true, fields: Object.fromEntries(new URLSearchParams(text)) };
	}
	try {
		const parsed: unknown = JSON.parse(text);
		return isPlainObject(parsed) ? { ok: true, fields: parsed } : malformed('The JSON body must be an object');
	} catch {
		return malformed('The body is not valid JSON');
	}
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

function tooLarge(maxBytes: number): BodyResult {
	return { ok: false, status: 413, message: `The body is larger than ${maxBytes} bytes` };
}

function malformed(message: string): BodyResult {
	return { ok: false, status: 400, message };
}
