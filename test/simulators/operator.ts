/**
 * A real HTTP server that behaves like the DatingPro "Operator" control panel, for tests and the demo:
 *
 * - its API endpoint takes "Send message to control panel" posts from the site
 *   (multipart/form-data with `token`, `action=message_sent`, `user_id`, `contact_id`, `message`,
 *   `attaches[i][file_url]` / `attaches[i][big]` and an `attach` file), records each one and
 *   answers like the panel;
 * - it calls the site's webhooks the way the panel does ("Send message from control panel",
 *   "Get user info from site", "Get user private media from site"), each call passing `token`.
 *
 * Only Node's built-ins are used: `http` for the server, and the web `Response` (multipart
 * parsing), `FormData`, `Blob` and `fetch` globals for the rest.
 */
import * as http from 'http';

import { readBodyCapped, startLoopbackServer } from './server';

export interface OperatorSimulatorOptions {
	/** Port to listen on; 0 or undefined picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** The API token expected in the `token` field of every send. Default 'sim-operator-token'. */
	token?: string;
	/** The token the panel passes on its webhook calls. Default 'sim-webhook-token'. */
	webhookToken?: string;
	/** Largest accepted request body in bytes (413 above it). Default 10 MiB. */
	maxUploadBytes?: number;
}

export interface RecordedFile {
	field: string;
	filename: string;
	contentType: string;
	bytes: Buffer;
}

export interface RecordedSend {
	/** Arrival order of the request, from 1. */
	seq: number;
	contentType: string | undefined;
	/** The text fields as received (the token too); a repeated field becomes an array. */
	fields: Record<string, string | string[]>;
	/** The `attaches[i][...]` photo objects, ordered by index (only the keys that were sent). */
	attaches: Array<{ file_url?: string; big?: string }>;
	files: RecordedFile[];
	/** The HTTP status answered (recorded before any delay set by setDelay). */
	httpStatus: number;
	/** True when the send passed every check and got a message_id. */
	accepted: boolean;
}

export interface WebhookCallOptions {
	/** Default: the simulator's webhookToken; null = send no token. */
	token?: string | null;
	/** Where the token travels: a body field ('form', the default), the query string, or a JSON body field. */
	tokenIn?: 'form' | 'query' | 'json';
	/**
	 * Body encoding. Default: multipart for operator replies, urlencoded for the two requests,
	 * json when tokenIn is 'json'.
	 */
	encoding?: 'multipart' | 'urlencoded' | 'json';
	/** Send exactly this body instead of the built one (for hostile tests). */
	rawBody?: { contentType: string; body: string | Buffer };
	/** Abort the call after this many milliseconds. Default 30000. */
	timeoutMs?: number;
}

export interface WebhookAnswer {
	status: number;
	/** Lower-cased header names. */
	headers: Record<string, string>;
	text: string;
	/** The parsed body; undefined when it is not JSON. */
	json: unknown;
}

export interface OperatorReply {
	user_id: number | string;
	contact_id: number | string;
	message?: string;
	attach?: { filename: string; contentType: string; bytes: Buffer };
}

export interface OperatorSimulator {
	/** The API endpoint the site posts to, e.g. http://127.0.0.1:PORT/operator/api */
	readonly url: string;
	readonly port: number;
	readonly token: string;
	readonly webhookToken: string;
	readonly sends: RecordedSend[];
	clearSends(): void;
	/** The next `times` (default 1) sends get this HTTP status and JSON body, before any other check. */
	failNext(status: number, body: unknown, times?: number): void;
	/** Delay every answer by this many milliseconds (0 = off). */
	setDelay(ms: number): void;
	fireOperatorReply(webhookUrl: string, reply: OperatorReply, options?: WebhookCallOptions): Promise<WebhookAnswer>;
	fireUserInfoRequest(
		webhookUrl: string,
		request: { user_id: number | string },
		options?: WebhookCallOptions,
	): Promise<WebhookAnswer>;
	firePrivateMediaRequest(
		webhookUrl: string,
		request: { user_id: number | string },
		options?: WebhookCallOptions,
	): Promise<WebhookAnswer>;
	close(): Promise<void>;
}

const API_PATH = '/operator/api';
const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const DEFAULT_WEBHOOK_TIMEOUT_MS = 30_000;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A positive integer as a plain decimal string (no sign, no leading zero, no spaces). */
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;
/** PHP bracket notation for one photo object key: attaches[0][file_url] */
const ATTACH_KEY = /^attaches\[([0-9]+)\]\[([^[\]]*)\]$/;

interface Outcome {
	status: number;
	payload: unknown;
	accepted: boolean;
}

interface Failure {
	status: number;
	body: unknown;
	remaining: number;
}

interface ParsedForm {
	fields: Record<string, string | string[]>;
	files: RecordedFile[];
	attaches: Array<{ file_url?: string; big?: string }>;
	/** False when a field named attaches... is not in attaches[i][key] form or is a file. */
	attachesWellFormed: boolean;
}

type BodyValue = string | number;

function mediaType(contentType: string | undefined): string {
	if (contentType === undefined) return '';
	const semicolon = contentType.indexOf(';');
	return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function ignoreError(): void {
	// A client that goes away mid-body is not an error of the simulator.
}

function refusal(status: number, error: string): Outcome {
	return { status, payload: { error }, accepted: false };
}

/** The value of a field sent exactly once as text; undefined when missing or repeated. */
function single(fields: Record<string, string | string[]>, name: string): string | undefined {
	if (!Object.prototype.hasOwnProperty.call(fields, name)) return undefined;
	const value = fields[name];
	return typeof value === 'string' ? value : undefined;
}

function isHttpUrl(value: string | undefined): boolean {
	if (value === undefined) return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** The part of the web File interface that is used (checked by shape, not by realm-bound instanceof). */
interface FileLike {
	name: string;
	type: string;
	arrayBuffer(): Promise<ArrayBuffer>;
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedForm> {
	const body = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
	const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();

	const collected = new Map<string, string | string[]>();
	const files: RecordedFile[] = [];
	const photos = new Map<number, { file_url?: string; big?: string }>();
	let attachesWellFormed = true;

	for (const [name, value] of form.entries()) {
		const isText = typeof value === 'string';
		if (name.startsWith('attaches')) {
			const match = ATTACH_KEY.exec(name);
			if (match === null || !isText) {
				attachesWellFormed = false;
			} else {
				const index = Number(match[1]);
				const photo = photos.get(index) ?? {};
				// PHP keeps the last value of a repeated key; so does this.
				if (match[2] === 'file_url') photo.file_url = value;
				else if (match[2] === 'big') photo.big = value;
				photos.set(index, photo);
			}
		}
		if (isText) {
			const previous = collected.get(name);
			if (previous === undefined) collected.set(name, value);
			else if (typeof previous === 'string') collected.set(name, [previous, value]);
			else previous.push(value);
		} else {
			const file = value as unknown as FileLike;
			files.push({
				field: name,
				filename: file.name,
				contentType: file.type,
				bytes: Buffer.from(await file.arrayBuffer()),
			});
		}
	}

	const attaches = [...photos.entries()].sort((a, b) => a[0] - b[0]).map(([, photo]) => photo);
	// fromEntries defines own properties, so a field named "__proto__" cannot touch the prototype.
	return { fields: Object.fromEntries(collected), files, attaches, attachesWellFormed };
}

function answerHeaders(headers: Headers): Record<string, string> {
	const result: Record<string, string> = {};
	headers.forEach((value, name) => {
		result[name.toLowerCase()] = value;
	});
	return result;
}

export async function startOperatorSimulator(options: OperatorSimulatorOptions = {}): Promise<OperatorSimulator> {
	const host = options.host ?? '127.0.0.1';
	const apiToken = options.token ?? 'sim-operator-token';
	const webhookToken = options.webhookToken ?? 'sim-webhook-token';
	const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
	if (!Number.isFinite(maxUploadBytes) || maxUploadBytes < 0) {
		throw new RangeError(`maxUploadBytes must be a number of bytes, got ${maxUploadBytes}`);
	}

	const sends: RecordedSend[] = [];
	let seq = 0;
	let lastMessageId = 0;
	const failures: Failure[] = [];
	let delayMs = 0;

	const timers = new Set<NodeJS.Timeout>();
	let closing = false;

	function takeFailure(): Outcome | undefined {
		const failure = failures[0];
		if (failure === undefined) return undefined;
		failure.remaining--;
		if (failure.remaining <= 0) failures.shift();
		return { status: failure.status, payload: failure.body, accepted: false };
	}

	function validate(form: ParsedForm): Outcome {
		const { fields } = form;
		if (single(fields, 'token') !== apiToken) return refusal(401, 'Invalid token');
		if (single(fields, 'action') !== 'message_sent') return refusal(400, 'Unknown action');
		if (!POSITIVE_INTEGER.test(single(fields, 'user_id') ?? '')) return refusal(400, 'Invalid user_id');
		if (!POSITIVE_INTEGER.test(single(fields, 'contact_id') ?? '')) return refusal(400, 'Invalid contact_id');

		const message = single(fields, 'message') ?? '';
		const hasFile = form.files.some((file) => file.field === 'attach' && file.bytes.length > 0);
		if (message.trim() === '' && !hasFile && form.attaches.length === 0) return refusal(400, 'Empty message');
		// The contract's photo object has both URLs: the original and the thumbnail.
		if (!form.attachesWellFormed || !form.attaches.every((photo) => isHttpUrl(photo.file_url) && isHttpUrl(photo.big))) {
			return refusal(400, 'Invalid attaches');
		}

		lastMessageId++;
		return { status: 200, payload: { status: 'ok', message_id: lastMessageId }, accepted: true };
	}

	/** Answers after the configured delay; `closeAfter` ends the connection (the body was not read). */
	function answer(req: http.IncomingMessage, res: http.ServerResponse, outcome: Outcome, closeAfter = false): void {
		const write = (): void => {
			if (closing || res.destroyed || res.headersSent) return;
			const text = outcome.payload === undefined ? '' : JSON.stringify(outcome.payload);
			const headers: http.OutgoingHttpHeaders = {
				'Content-Type': JSON_CONTENT_TYPE,
				'Content-Length': Buffer.byteLength(text),
			};
			if (closeAfter) {
				headers.Connection = 'close';
				res.on('finish', () => req.socket.destroy());
			}
			res.writeHead(outcome.status, headers);
			res.end(text);
		};
		if (delayMs <= 0) {
			write();
			return;
		}
		const timer = setTimeout(() => {
			timers.delete(timer);
			write();
		}, delayMs);
		timers.add(timer);
	}

	function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
		req.on('error', ignoreError);
		const url = req.url ?? '/';
		const query = url.indexOf('?');
		const path = query === -1 ? url : url.slice(0, query);
		if (req.method !== 'POST' || path !== API_PATH) {
			req.resume();
			answer(req, res, refusal(404, 'Not found'));
			return;
		}

		// Decided on arrival, so failNext follows the order in which sends arrive.
		const forced = takeFailure();
		const contentType = req.headers['content-type'];
		const isMultipart = mediaType(contentType) === 'multipart/form-data';
		const entry: RecordedSend = {
			seq: ++seq,
			contentType,
			fields: {},
			attaches: [],
			files: [],
			httpStatus: 0,
			accepted: false,
		};

		const conclude = (outcome: Outcome, closeAfter = false): void => {
			if (closing) return;
			entry.httpStatus = outcome.status;
			entry.accepted = outcome.accepted;
			sends.push(entry);
			answer(req, res, outcome, closeAfter);
		};
		const tooLarge = (): void => {
			conclude(forced ?? (isMultipart ? refusal(413, 'Upload too large') : refusal(415, 'Send multipart/form-data')), true);
		};

		readBodyCapped(req, maxUploadBytes, tooLarge, (raw) => void finish(raw));

		const finish = async (raw: Buffer): Promise<void> => {
			let form: ParsedForm | undefined;
			if (isMultipart) {
				try {
					form = await parseMultipart(raw, contentType as string);
					entry.fields = form.fields;
					entry.attaches = form.attaches;
					entry.files = form.files;
				} catch {
					form = undefined;
				}
			}
			if (forced !== undefined) conclude(forced);
			else if (!isMultipart) conclude(refusal(415, 'Send multipart/form-data'));
			else if (form === undefined) conclude(refusal(400, 'Malformed multipart body'));
			else conclude(validate(form));
		};
	}

	/** Calls a site webhook the way the panel does. */
	async function fireWebhook(
		webhookUrl: string,
		fields: Array<[string, BodyValue | undefined]>,
		attach: OperatorReply['attach'],
		defaultEncoding: 'multipart' | 'urlencoded',
		callOptions: WebhookCallOptions,
	): Promise<WebhookAnswer> {
		const token = callOptions.token === undefined ? webhookToken : callOptions.token;
		const tokenIn = callOptions.tokenIn ?? 'form';
		const encoding = callOptions.encoding ?? (tokenIn === 'json' ? 'json' : defaultEncoding);
		if (tokenIn === 'json' && encoding !== 'json') {
			throw new Error(`tokenIn 'json' needs encoding 'json', not '${encoding}'`);
		}
		if (attach !== undefined && encoding !== 'multipart' && callOptions.rawBody === undefined) {
			throw new Error(`an attach file can only be sent with encoding 'multipart', not '${encoding}'`);
		}

		const target = new URL(webhookUrl);
		if (tokenIn === 'query' && token !== null) target.searchParams.append('token', token);

		const present: Array<[string, BodyValue]> = [];
		if (tokenIn !== 'query' && token !== null) present.push(['token', token]);
		for (const [name, value] of fields) if (value !== undefined) present.push([name, value]);

		const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'operator-panel-simulator' };
		let body: string | Uint8Array | FormData | URLSearchParams;
		if (callOptions.rawBody !== undefined) {
			headers['content-type'] = callOptions.rawBody.contentType;
			const raw = callOptions.rawBody.body;
			body = typeof raw === 'string' ? raw : new Uint8Array(raw);
		} else if (encoding === 'multipart') {
			const form = new FormData();
			for (const [name, value] of present) form.append(name, String(value));
			if (attach !== undefined) {
				form.append('attach', new Blob([new Uint8Array(attach.bytes)], { type: attach.contentType }), attach.filename);
			}
			body = form;
		} else if (encoding === 'urlencoded') {
			const params = new URLSearchParams();
			for (const [name, value] of present) params.append(name, String(value));
			body = params;
		} else {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(Object.fromEntries(present));
		}

		const response = await fetch(target, {
			method: 'POST',
			headers,
			body,
			redirect: 'manual',
			signal: AbortSignal.timeout(callOptions.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS),
		});
		const text = await response.text();
		let json: unknown;
		if (text.trim() !== '') {
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
		}
		return { status: response.status, headers: answerHeaders(response.headers), text, json };
	}

	const loopback = await startLoopbackServer(onRequest, { port: options.port, host });
	const port = loopback.port;
	const url = `${loopback.origin}${API_PATH}`;

	const simulator: OperatorSimulator = {
		url,
		port,
		token: apiToken,
		webhookToken,
		sends,
		clearSends(): void {
			sends.length = 0;
		},
		failNext(status: number, body: unknown, times = 1): void {
			if (!Number.isInteger(status) || status < 100 || status > 599) {
				throw new RangeError(`failNext needs an HTTP status (100-599), got ${status}`);
			}
			if (!Number.isInteger(times) || times < 1) {
				throw new RangeError(`failNext needs times >= 1, got ${times}`);
			}
			failures.push({ status, body, remaining: times });
		},
		setDelay(ms: number): void {
			if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setDelay needs ms >= 0, got ${ms}`);
			delayMs = ms;
		},
		fireOperatorReply(webhookUrl, reply, callOptions = {}) {
			return fireWebhook(
				webhookUrl,
				[
					['user_id', reply.user_id],
					['contact_id', reply.contact_id],
					['message', reply.message],
				],
				reply.attach,
				'multipart',
				callOptions,
			);
		},
		fireUserInfoRequest(webhookUrl, request, callOptions = {}) {
			return fireWebhook(webhookUrl, [['user_id', request.user_id]], undefined, 'urlencoded', callOptions);
		},
		firePrivateMediaRequest(webhookUrl, request, callOptions = {}) {
			return fireWebhook(webhookUrl, [['user_id', request.user_id]], undefined, 'urlencoded', callOptions);
		},
		async close(): Promise<void> {
			closing = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			await loopback.close();
		},
	};
	return simulator;
}
