import { EnvHttpProxyAgent, type Dispatcher, type FormData } from './vendor';

/**
 * The one HTTP door of the package. Connections are kept alive and shared per origin across
 * executions; HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured by undici's EnvHttpProxyAgent,
 * which reads them itself.
 */

export interface TransportSettings {
	/** Accept self-signed or otherwise invalid TLS certificates (self-hosted servers). */
	ignoreSslIssues?: boolean;
	/** Most sockets kept open per origin. */
	maxConnectionsPerOrigin?: number;
}

export interface HttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	body?: string | Buffer | FormData;
	/** Per request: time allowed for the answer's headers and between body chunks. */
	timeoutMs: number;
	/** Larger answers are refused, so a misbehaving server cannot exhaust n8n's memory. */
	maxResponseBytes: number;
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/**
 * - `not-sent`: the request surely never reached the server (refused, no route, DNS): safe to retry.
 * - `unknown-outcome`: the request may have been processed (timeout or reset after sending):
 *   never retried blindly.
 * - `too-large`: the answer exceeded `maxResponseBytes`.
 * - `aborted`: the execution was cancelled.
 */
export type TransportFailureKind = 'not-sent' | 'unknown-outcome' | 'too-large' | 'aborted';

export class TransportError extends Error {
	constructor(
		readonly kind: TransportFailureKind,
		message: string,
		readonly code?: string,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
]);

// Messages use words, not codes: n8n replaces a message that mentions ECONNRESET and the like with
// its own generic text, which for a reset even advises retrying at once.
const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
	ECONNRESET: 'connection reset by the server',
	UND_ERR_SOCKET: 'connection closed by the server',
	EPIPE: 'connection broken',
};

function describeCode(code: string | undefined): string {
	return (code && CODE_WORDS[code]) ?? 'connection failed';
}

export const DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 64;
const KEEP_ALIVE_MS = 30_000;

const dispatchers = new Map<string, Dispatcher>();

function dispatcherFor(settings: TransportSettings): Dispatcher {
	const connections = settings.maxConnectionsPerOrigin ?? DEFAULT_MAX_CONNECTIONS_PER_ORIGIN;
	const key = `${settings.ignoreSslIssues === true}|${connections}`;
	let dispatcher = dispatchers.get(key);
	if (!dispatcher) {
		const tls = { rejectUnauthorized: settings.ignoreSslIssues !== true };
		dispatcher = new EnvHttpProxyAgent({
			connections,
			keepAliveTimeout: KEEP_ALIVE_MS,
			connect: tls,
			requestTls: tls,
		});
		dispatchers.set(key, dispatcher);
	}
	return dispatcher;
}

/** Sends one request. Failures are returned, not thrown, so callers decide what may be retried. */
export async function sendHttpRequest(
	request: HttpRequest,
	settings: TransportSettings = {},
): Promise<HttpResponse | TransportError> {
	const url = new URL(request.url);
	// undici's own timeouts tick coarsely (up to a second late), so a precise deadline comes from
	// an abort signal; the execution's cancel signal ends the request too.
	const deadline = AbortSignal.timeout(request.timeoutMs);
	const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
	let response: Dispatcher.ResponseData;
	try {
		response = await dispatcherFor(settings).request({
			origin: url.origin,
			path: `${url.pathname}${url.search}`,
			method: request.method,
			headers: request.headers,
			body: request.body as Dispatcher.DispatchOptions['body'],
			headersTimeout: request.timeoutMs,
			bodyTimeout: request.timeoutMs,
			signal,
		});
	} catch (error) {
		return classify(error);
	}
	const body = await readCapped(response.body, request.maxResponseBytes);
	if (body instanceof TransportError) return body;
	return { status: response.statusCode, headers: response.headers, body };
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer | TransportError> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			size += (chunk as Buffer).length;
			if (size > maxBytes) {
				body.destroy();
				return new TransportError('too-large', `The response is larger than ${maxBytes} bytes`);
			}
			chunks.push(chunk as Buffer);
		}
	} catch (error) {
		return classify(error);
	}
	return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

function classify(error: unknown): TransportError {
	if (error instanceof TransportError) return error;
	const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
	const code = err.code ?? err.cause?.code;
	if (err.name === 'TimeoutError') {
		return new TransportError(
			'unknown-outcome',
			'The request was sent but no answer came within the timeout; the server may or may not have processed it',
			'TIMEOUT',
		);
	}
	if (err.name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
		return new TransportError('aborted', 'The request was cancelled', code);
	}
	if (code && NOT_SENT_CODES.has(code)) {
		return new TransportError('not-sent', `Could not connect to the server (${describeCode(code)})`, code);
	}
	const reason =
		code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
			? 'no answer came within the timeout'
			: `the ${describeCode(code)} before the answer`;
	return new TransportError(
		'unknown-outcome',
		`The request was sent but ${reason}; the server may or may not have processed it`,
		code,
	);
}
