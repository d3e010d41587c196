import type { INode } from 'n8n-workflow';

import { KEEP_ALIVE_MS, MAX_RESPONSE_BYTES, RUN_TUNING, type CallTuning, type RetryPolicy } from './defaults';
import { requestSignal } from './deadlines';
import { ItemError } from './errors';
import { waitUnlessStopped, type Pacer } from './pacing';
import type { Redactor } from './redaction';
import { isRetryableStatus, parseRetryAfterMs, retryDelayMs } from './retry';
import { EnvHttpProxyAgent, type Dispatcher, type FormData } from './vendor';

/**
 * The one HTTP door of the package: each service's client calls `callService`, which paces,
 * retries what surely was not processed, honours the run's cancel signal and turns transport
 * failures into errors. Connections are kept alive and shared per origin across executions;
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured by undici's EnvHttpProxyAgent.
 */

export interface HttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	body?: string | Buffer | FormData;
	/** Time allowed for the answer's headers and between body chunks; default: the run's timeout. */
	timeoutMs?: number;
	/** Larger answers are refused, so a misbehaving server cannot exhaust n8n's memory. */
	maxResponseBytes?: number;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

export interface ServiceAnswer {
	status: number;
	headers: HttpResponse['headers'];
	text: string;
	/** The parsed body, or undefined when the body is not JSON. */
	json: unknown;
}

/** What a run lends each of its requests: the execution's cancel signal and the run's pacer. */
export interface RunControls {
	signal?: AbortSignal;
	pacer?: Pacer;
}

/** Who calls and how: made once per run by the service's client. */
export interface ServiceCaller {
	node: INode;
	/** The service's name as users know it; starts every error message. */
	service: string;
	redactor: Redactor;
	tuning: CallTuning;
	/** Accept self-signed or otherwise invalid TLS certificates (self-hosted servers). */
	ignoreSslIssues: boolean;
	controls?: RunControls;
}

/**
 * - `not-sent`: the request surely never reached the server (refused, no route, DNS, or the run
 *   was stopped before it started): safe to retry.
 * - `unknown-outcome`: it may have been processed (timeout or reset after sending): never retried.
 * - `too-large`: the answer exceeded the size limit.
 * - `aborted`: the run was stopped while the request was in flight: it may have arrived.
 */
export type TransportFailureKind = 'not-sent' | 'unknown-outcome' | 'too-large' | 'aborted' | 'stopped';

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

/** Sends one request with the run's pacing and retries; a transport failure is thrown as an ItemError. */
export async function callService(caller: ServiceCaller, request: HttpRequest, itemIndex: number): Promise<ServiceAnswer> {
	const { signal, pacer } = caller.controls ?? {};
	const response = await withRetries(
		async () => {
			let start: number | undefined;
			try {
				start = await pacer?.turn(signal);
			} catch {
				return stoppedBeforeStart();
			}
			const response = await sendHttpRequest(request, caller, signal);
			// How long the answer took tells the pacer how late the request may have left.
			if (start !== undefined) pacer?.answered(start);
			return response;
		},
		caller.tuning.retry,
		async (ms) => await waitUnlessStopped(ms, signal),
		(untilMs) => pacer?.holdUntil(untilMs),
	);
	if (response instanceof TransportError) throw transportFailure(caller, response, itemIndex);
	const text = response.body.toString('utf8');
	return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

/**
 * Repeats `send` while its failure surely left the server untouched; returns the last result.
 * A Retry-After is passed to `onRetryAfter` (as a performance.now() time) so the whole run waits.
 */
export async function withRetries(
	send: () => Promise<HttpResponse | TransportError>,
	policy: RetryPolicy,
	wait: (ms: number) => Promise<boolean | void>,
	onRetryAfter: (untilMs: number) => void = () => undefined,
): Promise<HttpResponse | TransportError> {
	for (let attempt = 0; ; attempt++) {
		const canRetry = attempt < policy.maxRetries;
		const response = await send();
		if (response instanceof TransportError) {
			if (!canRetry || response.kind !== 'not-sent') return response;
			if ((await wait(retryDelayMs(attempt, policy) ?? policy.maxDelayMs)) === false) return stoppedBeforeStart();
			continue;
		}
		if (!isRetryableStatus(response.status)) return response;
		const retryAfter = response.headers['retry-after'];
		// The server's wait applies to every request of the run, retried or not.
		const requestedMs = parseRetryAfterMs(retryAfter);
		if (requestedMs !== undefined && requestedMs <= policy.maxRetryAfterMs) onRetryAfter(performance.now() + requestedMs);
		const delay = canRetry ? retryDelayMs(attempt, policy, retryAfter) : undefined;
		if (delay === undefined) return response;
		if ((await wait(delay)) === false) return stoppedBeforeStart();
	}
}

type TransportSettings = { ignoreSslIssues?: boolean; tuning?: Pick<CallTuning, 'timeoutMs' | 'maxConnectionsPerOrigin'> };

/** Sends one request. Failures are returned, not thrown, so callers decide what may be retried. */
export async function sendHttpRequest(request: HttpRequest, settings: TransportSettings = {}, stop?: AbortSignal): Promise<HttpResponse | TransportError> {
	if (stop?.aborted) return stoppedBeforeStart();
	const timeoutMs = request.timeoutMs ?? settings.tuning?.timeoutMs ?? RUN_TUNING.timeoutMs;
	// The deadline and the execution's cancel signal (Stop, execution timeout) end the request.
	const { signal, done } = requestSignal(timeoutMs, stop);
	try {
		return await dispatch(request, settings, timeoutMs, signal, stop);
	} finally {
		done();
	}
}

async function dispatch(request: HttpRequest, settings: TransportSettings, timeoutMs: number, signal: AbortSignal, stop?: AbortSignal): Promise<HttpResponse | TransportError> {
	const url = new URL(request.url);
	let response: Dispatcher.ResponseData;
	try {
		response = await dispatcherFor(settings.ignoreSslIssues === true, settings.tuning?.maxConnectionsPerOrigin).request({
			origin: url.origin,
			path: `${url.pathname}${url.search}`,
			method: request.method,
			headers: request.headers,
			body: request.body as Dispatcher.DispatchOptions['body'],
			headersTimeout: timeoutMs,
			bodyTimeout: timeoutMs,
			signal,
		});
	} catch (error) {
		return classify(error, stop);
	}
	const body = await readCapped(response, request.maxResponseBytes ?? MAX_RESPONSE_BYTES, stop);
	if (body instanceof TransportError) return body;
	return { status: response.statusCode, headers: response.headers, body };
}

const dispatchers = new Map<string, Dispatcher>();

function dispatcherFor(ignoreSslIssues: boolean, connections = RUN_TUNING.maxConnectionsPerOrigin): Dispatcher {
	const key = `${ignoreSslIssues}|${connections}`;
	let dispatcher = dispatchers.get(key);
	if (!dispatcher) {
		const tls = { rejectUnauthorized: !ignoreSslIssues };
		dispatcher = new EnvHttpProxyAgent({ connections, keepAliveTimeout: KEEP_ALIVE_MS, connect: tls, requestTls: tls });
		dispatchers.set(key, dispatcher);
	}
	return dispatcher;
}

/**
 * Reads the answer, refusing more than `maxBytes`. An answer with a Content-Length (undici ends it
 * there) is read in one piece; a chunked one is counted as it arrives.
 */
async function readCapped(response: Dispatcher.ResponseData, maxBytes: number, stop?: AbortSignal): Promise<Buffer | TransportError> {
	const { body } = response;
	const declared = Number(response.headers['content-length']);
	try {
		if (declared > maxBytes) {
			// Nothing reads this body: its abort error would otherwise be unhandled.
			body.once('error', () => undefined).destroy();
			return tooLarge(maxBytes);
		}
		if (Number.isInteger(declared) && declared >= 0) return Buffer.from(await body.arrayBuffer());
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of body) {
			size += (chunk as Buffer).length;
			if (size > maxBytes) {
				body.destroy();
				return tooLarge(maxBytes);
			}
			chunks.push(chunk as Buffer);
		}
		return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
	} catch (error) {
		return classify(error, stop);
	}
}

function tooLarge(maxBytes: number): TransportError {
	return new TransportError('too-large', `The response is larger than ${maxBytes} bytes`);
}

function stoppedBeforeStart(): TransportError {
	return new TransportError('stopped', 'Not sent: the execution was stopped before this request started');
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

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

function classify(error: unknown, stop?: AbortSignal): TransportError {
	if (error instanceof TransportError) return error;
	const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
	const code = err.code ?? err.cause?.code;
	if (stop?.aborted) {
		return new TransportError('aborted', 'The execution was stopped while this request was in flight; the server may or may not have received it', code);
	}
	if (err.name === 'TimeoutError') {
		return new TransportError('unknown-outcome', 'The request was sent but no answer came within the timeout; the server may or may not have processed it', 'TIMEOUT');
	}
	if (code && NOT_SENT_CODES.has(code)) {
		return new TransportError('not-sent', `Could not connect to the server (${describeCode(code)})`, code);
	}
	const reason = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'no answer came within the timeout' : `the ${describeCode(code)} before the answer`;
	return new TransportError('unknown-outcome', `The request was sent but ${reason}; the server may or may not have processed it`, code);
}

const HINTS: Record<TransportFailureKind, (service: string) => string> = {
	'not-sent': (service) => `Check the ${service} base URL in the credential and that the server is reachable from n8n.`,
	'unknown-outcome': () => 'It was not retried, to avoid sending twice. Check on the receiving side before sending it again.',
	'too-large': () => 'The server sent far more data than expected; check the base URL in the credential.',
	aborted: () => 'The execution was stopped. Check on the receiving side whether this one arrived.',
	stopped: () => 'The execution was stopped; nothing more is sent.',
};

function transportFailure(caller: ServiceCaller, error: TransportError, itemIndex: number): ItemError {
	const hint = HINTS[error.kind](caller.service);
	const stopped = error.kind === 'aborted' || error.kind === 'stopped';
	return new ItemError(
		caller.node,
		{
			message: `${caller.service}: ${error.message}`,
			description: error.code && !stopped ? `${hint} (${error.code})` : hint,
			itemIndex,
			outcome: error.kind === 'unknown-outcome' || error.kind === 'too-large' || error.kind === 'aborted' ? 'unknown' : 'failed',
			response: { transportFailure: error.kind, reason: error.code ?? '' },
		},
		caller.redactor,
	);
}

function parseJson(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
