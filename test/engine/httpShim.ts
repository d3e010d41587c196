/**
 * The parts of Express 5 (n8n 2.40 uses express 5.1.0) that n8n's webhook path and webhook nodes
 * touch, added onto plain node:http request/response objects. See webhookHost.ts for the list of
 * n8n behaviours this serves.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { parse as parseSimpleQuery } from 'node:querystring';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/** What `req` looks like to a webhook node in n8n 2.40 (express Request + n8n's additions). */
export interface ShimRequest extends IncomingMessage {
	method: string;
	url: string;
	body?: unknown;
	// From n8n-workflow's augmentation of http.IncomingMessage (declared there, set here):
	//   rawBody: Buffer       - set once the raw body was read (by n8n's body parsing, or by the
	//                           node through readRawBody()); undefined before that
	//   readRawBody()         - n8n's rawBodyReader: reads the gzip/deflate-decoded body into
	//                           rawBody, at most N8N_PAYLOAD_SIZE_MAX MiB
	//   contentType?: string  - lower-cased media type without parameters (parseIncomingMessage)
	//   encoding              - charset of the content type, lower-cased, 'utf-8' when absent
	//                           (unset when there is no Content-Type)
	//   contentDisposition?   - parsed Content-Disposition header
	/** Express 5 getter: a fresh `qs.parse(search, { allowPrototypes: true })` on every read. */
	readonly query: Record<string, unknown>;
	params: Record<string, string>;
	path: string;
	originalUrl: string;
	baseUrl: string;
	hostname: string | undefined;
	ip: string | undefined;
	protocol: 'http';
	secure: false;
	cookies?: Record<string, string>;
	get(name: string): string | string[] | undefined;
	header(name: string): string | string[] | undefined;
	res: ShimResponse;
}

/** Express Response methods n8n and nodes use, on top of ServerResponse. */
export interface ShimResponse extends ServerResponse {
	req: ShimRequest;
	locals: Record<string, unknown>;
	status(code: number): this;
	json(body?: unknown): this;
	send(body?: unknown): this;
	set(
		field: string | Record<string, string | number | string[]>,
		value?: string | number | string[],
	): this;
	header(
		field: string | Record<string, string | number | string[]>,
		value?: string | number | string[],
	): this;
	get(field: string): string | number | string[] | undefined;
	type(type: string): this;
	sendStatus(code: number): this;
}

// ---------------------------------------------------------------------------------------------
// Query parsing (express 5 'query parser' = 'extended' as n8n's AbstractServer sets it: qs)

type QueryParser = (search: string) => Record<string, unknown>;
let queryParser: QueryParser | undefined;

function getQueryParser(): QueryParser {
	if (queryParser === undefined) {
		try {
			// qs is what express 5 uses for 'extended'; it is installed here as a dependency of others.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const qs = require('qs') as { parse(str: string, options: object): Record<string, unknown> };
			queryParser = (search) => qs.parse(search, { allowPrototypes: true });
		} catch {
			queryParser = (search) => ({ ...parseSimpleQuery(search) });
		}
	}
	return queryParser;
}

// ---------------------------------------------------------------------------------------------
// parseIncomingMessage from n8n-core's own @n8n/backend-network (the function n8n's rawBodyReader calls)

type ParseIncomingMessage = (message: IncomingMessage) => void;
let parseIncoming: ParseIncomingMessage | undefined;

function getParseIncomingMessage(): ParseIncomingMessage {
	if (parseIncoming === undefined) {
		const path = require.resolve('@n8n/backend-network', {
			paths: [dirname(require.resolve('n8n-core'))],
		});
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		parseIncoming = (require(path) as { parseIncomingMessage: ParseIncomingMessage })
			.parseIncomingMessage;
	}
	return parseIncoming;
}

// ---------------------------------------------------------------------------------------------
// Raw body (what raw-body 3 does for n8n's readRawBody)

/** The error raw-body throws past the limit (an http-errors HttpError, not an n8n ResponseError). */
export class PayloadTooLargeError extends Error {
	readonly status = 413;

	readonly statusCode = 413;

	readonly expose = true;

	readonly type = 'entity.too.large';

	constructor(
		readonly limit: number,
		readonly length: number | undefined,
	) {
		super('request entity too large');
		this.name = 'PayloadTooLargeError';
	}
}

async function readAll(
	stream: Readable,
	limit: number,
	declaredLength: number | undefined,
): Promise<Buffer> {
	if (declaredLength !== undefined && declaredLength > limit) {
		stream.pause();
		throw new PayloadTooLargeError(limit, declaredLength);
	}
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let received = 0;
		const cleanup = () => {
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('error', onError);
			stream.off('aborted', onAborted);
		};
		const onData = (chunk: Buffer) => {
			received += chunk.length;
			if (received > limit) {
				cleanup();
				stream.pause();
				reject(new PayloadTooLargeError(limit, received));
				return;
			}
			chunks.push(chunk);
		};
		const onEnd = () => {
			cleanup();
			resolve(Buffer.concat(chunks, received));
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		const onAborted = () => {
			cleanup();
			reject(Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400 }));
		};
		stream.on('data', onData);
		stream.once('end', onEnd);
		stream.once('error', onError);
		stream.once('aborted', onAborted);
		stream.resume();
	});
}

// ---------------------------------------------------------------------------------------------
// Response helpers

const CHARSET_TYPES = /^(text\/|application\/(json|javascript|xml)|[^;]*\+(json|xml))/i;

function withCharset(type: string): string {
	if (/;\s*charset=/i.test(type) || !CHARSET_TYPES.test(type)) return type;
	return `${type}; charset=utf-8`;
}

const SHORT_TYPES: Record<string, string> = {
	html: 'text/html',
	text: 'text/plain',
	txt: 'text/plain',
	json: 'application/json',
	xml: 'application/xml',
	bin: 'application/octet-stream',
	js: 'application/javascript',
};

function shimResponse(res: ServerResponse, req: ShimRequest): ShimResponse {
	const r = res as ShimResponse;
	r.req = req;
	r.locals = {};
	r.status = function status(code: number) {
		if (!Number.isInteger(code))
			throw new TypeError(
				`Invalid status code: ${JSON.stringify(code)}. Status code must be an integer.`,
			);
		if (code < 100 || code > 999)
			throw new RangeError(
				`Invalid status code: ${code}. Status code must be greater than 99 and less than 1000.`,
			);
		this.statusCode = code;
		return this;
	};
	r.set = function set(field, value) {
		if (typeof field === 'object') {
			for (const [key, val] of Object.entries(field)) this.set(key, val);
			return this;
		}
		let v: string | number | string[] = Array.isArray(value) ? value.map(String) : String(value);
		if (field.toLowerCase() === 'content-type') {
			if (Array.isArray(v)) throw new TypeError('Content-Type cannot be set to an Array');
			v = withCharset(v);
		}
		this.setHeader(field, v);
		return this;
	};
	r.header = r.set;
	r.get = function get(field: string) {
		return this.getHeader(field);
	};
	r.type = function type(t: string) {
		return this.set(
			'Content-Type',
			t.includes('/') ? t : (SHORT_TYPES[t] ?? 'application/octet-stream'),
		);
	};
	r.json = function json(body?: unknown) {
		const text = JSON.stringify(body);
		if (!this.getHeader('Content-Type')) this.set('Content-Type', 'application/json');
		return this.send(text);
	};
	r.send = function send(body?: unknown) {
		let chunk: unknown = body;
		switch (typeof chunk) {
			case 'string':
				if (!this.getHeader('Content-Type')) this.type('html');
				break;
			case 'boolean':
			case 'number':
			case 'object':
				if (chunk === null) {
					chunk = '';
				} else if (Buffer.isBuffer(chunk)) {
					if (!this.getHeader('Content-Type')) this.type('bin');
				} else {
					return this.json(chunk);
				}
				break;
			default:
				break;
		}
		let payload: Buffer | undefined;
		if (typeof chunk === 'string') {
			const contentType = this.getHeader('Content-Type');
			if (typeof contentType === 'string') this.setHeader('Content-Type', withCharset(contentType));
			payload = Buffer.from(chunk, 'utf8');
		} else if (Buffer.isBuffer(chunk)) {
			payload = chunk;
		}
		if (payload !== undefined) this.setHeader('Content-Length', payload.length);
		if (this.statusCode === 204 || this.statusCode === 304) {
			this.removeHeader('Content-Type');
			this.removeHeader('Content-Length');
			this.removeHeader('Transfer-Encoding');
			payload = undefined;
		}
		if (this.statusCode === 205) {
			this.setHeader('Content-Length', '0');
			this.removeHeader('Transfer-Encoding');
			payload = undefined;
		}
		if (this.req.method === 'HEAD' || payload === undefined) this.end();
		else this.end(payload);
		return this;
	};
	r.sendStatus = function sendStatus(code: number) {
		this.status(code);
		this.type('txt');
		return this.send(STATUS_CODES[code] ?? String(code));
	};
	return r;
}

// ---------------------------------------------------------------------------------------------

export interface ShimOptions {
	/** N8N_PAYLOAD_SIZE_MAX in MiB (raw-body's `${n}mb`). */
	payloadSizeMaxMb: number;
}

/**
 * Turns a node:http request/response pair into express-5-shaped objects and applies n8n's
 * `rawBodyReader` middleware: parseIncomingMessage() plus a lazy `readRawBody()`.
 */
export function shimHttp(
	rawReq: IncomingMessage,
	rawRes: ServerResponse,
	options: ShimOptions,
): { req: ShimRequest; res: ShimResponse } {
	const req = rawReq as ShimRequest;
	const url = req.url ?? '/';
	const queryIndex = url.indexOf('?');
	const pathname = queryIndex === -1 ? url : url.slice(0, queryIndex);
	const search = queryIndex === -1 ? '' : url.slice(queryIndex + 1);

	req.originalUrl = url;
	req.baseUrl = '';
	req.path = pathname;
	req.params = {};
	req.protocol = 'http';
	req.secure = false;
	req.ip = req.socket.remoteAddress;
	const host = req.headers.host;
	req.hostname = host === undefined ? undefined : host.replace(/:\d+$/, '');
	Object.defineProperty(req, 'query', {
		configurable: true,
		enumerable: true,
		get: () => getQueryParser()(search),
	});
	req.get = function get(name: string) {
		const lc = name.toLowerCase();
		if (lc === 'referer' || lc === 'referrer') return this.headers.referrer ?? this.headers.referer;
		return this.headers[lc];
	};
	req.header = req.get;

	const res = shimResponse(rawRes, req);
	req.res = res;

	// n8n's rawBodyReader middleware
	getParseIncomingMessage()(req);
	const limit = options.payloadSizeMaxMb * 1024 * 1024;
	req.readRawBody = async function readRawBody() {
		if (this.rawBody) return;
		let stream: Readable = this;
		let declaredLength: number | undefined;
		const contentEncoding = this.headers['content-encoding'];
		if (contentEncoding === 'gzip') {
			stream = this.pipe(createGunzip());
		} else if (contentEncoding === 'deflate') {
			stream = this.pipe(createInflate());
		} else {
			const header = this.headers['content-length'];
			declaredLength = header === undefined ? undefined : Number(header);
		}
		if (this.destroyed || !stream.readable) {
			throw new HttpResponseError('Request body stream was aborted or is not readable', 400);
		}
		this.rawBody = await readAll(stream, limit, declaredLength);
		this._body = true;
	};

	return { req, res };
}

/** n8n's ResponseError family (BadRequestError, NotFoundError, UnprocessableRequestError, ...). */
export class HttpResponseError extends Error {
	constructor(
		message: string,
		readonly httpStatusCode: number,
		readonly errorCode: number = httpStatusCode,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'ResponseError';
	}
}
