/**
 * A real HTTP server that behaves like the OneChat server API
 * (massBroadcast, singleMessage, groupMessage, registerMiniApp, authenticateUser),
 * with injectable faults, for tests, benchmarks and the demo.
 *
 * Only Node's built-in `http` module is used. The hot path (a JSON singleMessage with
 * a valid key) does no logging and no per-request allocation beyond the log entry.
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import { readBodyCapped, startLoopbackServer } from './server';

export interface OneChatSimulatorOptions {
	/** Port to listen on; 0 or undefined picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** The admin api key expected in the `apikey` header. Default 'sim-admin-key'. */
	apiKey?: string;
	/** Seed of the PRNG used for rate-based faults. Default 1. */
	seed?: number;
	/**
	 * Keep at most about this many log entries (older ones are dropped in chunks).
	 * Default: unlimited. Useful for long-running demos and benchmarks.
	 */
	maxLogEntries?: number;
}

export type OneChatEndpoint =
	| 'massBroadcast'
	| 'singleMessage'
	| 'groupMessage'
	| 'registerMiniApp'
	| 'authenticateUser';

export type FaultKind = 'delay' | '429' | '503' | 'reset-before' | 'reset-after' | 'malformed-json';

export interface FaultSpec {
	/** The next N API requests get the fault (checked first, decremented per hit). */
	times?: number;
	/** 0..1 probability per API request once `times` is used up, drawn from the seeded PRNG. */
	rate?: number;
}

export interface RetryableFaultSpec extends FaultSpec {
	/** Value of the Retry-After header. 429 defaults to 1; 503 sends none unless set. */
	retryAfterSeconds?: number;
}

export interface Faults {
	/** Delay every API POST by this many milliseconds before answering (0 = off). */
	delayMs: number;
	status429: RetryableFaultSpec;
	status503: RetryableFaultSpec;
	/** Destroy the socket (TCP reset) without processing the request. */
	resetBeforeProcessing: FaultSpec;
	/** Process the request (counts as delivered), then reset the socket without answering. */
	resetAfterProcessing: FaultSpec;
	/** Process the request, then answer 200 with a truncated JSON text. */
	malformedJson: FaultSpec;
	/**
	 * HTTP status for application-level errors (Unauthorized, Invalid jid, Invalid group jid,
	 * Invalid session). The real API answers them with 200, which is the default (undefined).
	 */
	httpStatusOnError?: number;
	/**
	 * Refuse (`{status: "Error", description}`, default description "Refused") every API request
	 * whose body field `field` equals `value`: one item of a batch refused by the API.
	 */
	refuseWhere?: { field: string; value: string; description?: string };
	/** Accept the admin key for this many more API requests, then answer Unauthorized: a key revoked mid-run. */
	revokeKeyAfterRequests?: number;
}

export interface RecordedRequest {
	seq: number;
	/** Date.now() when the request arrived. */
	receivedAt: number;
	path: string;
	/** The last path segment under /onechat/api/, e.g. 'singleMessage'; '' when outside the API. */
	endpoint: string;
	method: string;
	/** The `apikey` header as received. */
	apiKey: string | undefined;
	contentType: string | undefined;
	encoding: 'json' | 'form' | 'other';
	body: Record<string, unknown> | undefined;
	/** Status answered; undefined while pending or when the socket was destroyed. */
	httpStatus: number | undefined;
	fault?: FaultKind;
	/** True when the request was processed with a Success result. */
	delivered: boolean;
}

export interface RegisteredApp {
	appId: string;
	apiKey: string;
	name?: string;
}

export interface OneChatSimulator {
	readonly baseUrl: string;
	readonly port: number;
	readonly apiKey: string;
	readonly log: RecordedRequest[];
	/** Current number of open TCP connections. */
	readonly openConnections: number;
	/** Highest number of simultaneously open connections since start or resetConnectionStats(). */
	readonly maxOpenConnections: number;
	/** Processed deliveries for a jid (singleMessage, groupMessage) or a domain (massBroadcast). */
	deliveredCount(jidOrDomain: string): number;
	/** Sum of all deliveredCount values. */
	totalDelivered(): number;
	addSession(jid: string, sessionId: string): void;
	registerApp(app: RegisteredApp): void;
	/** Registered mini apps (seeded ones and those created through registerMiniApp). */
	readonly apps: ReadonlyMap<string, RegisteredApp>;
	/** Replace the given fault settings (other settings stay); `times` counters restart. */
	setFaults(faults: Partial<Faults>): void;
	clearFaults(): void;
	/** Clear the request log and the delivery counters. */
	clearLog(): void;
	resetConnectionStats(): void;
	close(): Promise<void>;
}

const API_PREFIX = '/onechat/api/';
const MAX_BODY_BYTES = 1024 * 1024;

const ENDPOINTS: ReadonlySet<string> = new Set<OneChatEndpoint>([
	'massBroadcast',
	'singleMessage',
	'groupMessage',
	'registerMiniApp',
	'authenticateUser',
]);

const REQUIRED_FIELDS: Readonly<Record<OneChatEndpoint, readonly string[]>> = {
	massBroadcast: ['domain', 'message'],
	singleMessage: ['jid', 'message'],
	groupMessage: ['jid', 'message'],
	registerMiniApp: ['adminJid', 'sessionId', 'appName', 'appIcon', 'appUrl'],
	authenticateUser: ['jid', 'sessionId', 'appId', 'apiKey'],
};

/** A user jid: local@domain (the domain must not start with `muc.`, that is a group). */
const USER_JID = /^[^@\s]+@(?!muc\.)[^@\s]+$/;
/** A group jid: id@muc.domain */
const GROUP_JID = /^[^@\s]+@muc\.[^@\s]+$/;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const SUCCESS_TEXT = '{"status":"Success","description":"-"}';

interface Outcome {
	status: number;
	payload: Record<string, unknown> | string;
	delivered: boolean;
	retryAfterSeconds?: number;
}

interface Decision {
	delay: boolean;
	pre: 'reset-before' | '429' | '503' | undefined;
	post: 'reset-after' | 'malformed-json' | undefined;
}

const NO_FAULTS: Decision = { delay: false, pre: undefined, post: undefined };

function emptyFaults(): Faults {
	return {
		delayMs: 0,
		status429: {},
		status503: {},
		resetBeforeProcessing: {},
		resetAfterProcessing: {},
		malformedJson: {},
		httpStatusOnError: undefined,
		refuseWhere: undefined,
		revokeKeyAfterRequests: undefined,
	};
}

/** mulberry32: a tiny, fast 32-bit seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function errorOutcome(status: number, description: string): Outcome {
	return { status, payload: { status: 'Error', description }, delivered: false };
}

function isNonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0;
}

function mediaType(contentType: string | undefined): string {
	if (contentType === undefined) return '';
	const semicolon = contentType.indexOf(';');
	return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}


function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value.join(', ') : value;
}

export async function startOneChatSimulator(
	options: OneChatSimulatorOptions = {},
): Promise<OneChatSimulator> {
	const host = options.host ?? '127.0.0.1';
	const adminKey = options.apiKey ?? 'sim-admin-key';
	const random = mulberry32(options.seed ?? 1);
	const maxLogEntries = options.maxLogEntries;

	const log: RecordedRequest[] = [];
	let seq = 0;
	const delivered = new Map<string, number>();
	const sessions = new Map<string, Set<string>>();
	const apps = new Map<string, RegisteredApp>();
	const appKeys = new Set<string>();
	let faults = emptyFaults();
	let faultsActive = false;
	/** Admin-key requests still accepted while revokeKeyAfterRequests is set. */
	let keyUsesLeft: number | undefined;

	const timers = new Set<NodeJS.Timeout>();
	let closing = false;

	function recomputeFaultsActive(): void {
		const specActive = (spec: FaultSpec): boolean =>
			(spec.times ?? 0) > 0 || (spec.rate ?? 0) > 0;
		faultsActive =
			faults.delayMs > 0 ||
			specActive(faults.status429) ||
			specActive(faults.status503) ||
			specActive(faults.resetBeforeProcessing) ||
			specActive(faults.resetAfterProcessing) ||
			specActive(faults.malformedJson);
	}

	/** Consumes one `times` or draws one PRNG number when the spec is rate-based. */
	function hit(spec: FaultSpec): boolean {
		if (spec.times !== undefined && spec.times > 0) {
			spec.times--;
			return true;
		}
		if (spec.rate !== undefined && spec.rate > 0) {
			return random() < spec.rate;
		}
		return false;
	}

	/**
	 * Decided synchronously when the request arrives, so the fault sequence follows
	 * arrival order. The chains short-circuit: a request that gets a 429 does not use up
	 * a reset-after.
	 */
	function decideFaults(): Decision {
		if (!faultsActive) return NO_FAULTS;
		const decision: Decision = { delay: faults.delayMs > 0, pre: undefined, post: undefined };
		if (hit(faults.resetBeforeProcessing)) decision.pre = 'reset-before';
		else if (hit(faults.status429)) decision.pre = '429';
		else if (hit(faults.status503)) decision.pre = '503';
		if (decision.pre === undefined) {
			if (hit(faults.resetAfterProcessing)) decision.post = 'reset-after';
			else if (hit(faults.malformedJson)) decision.post = 'malformed-json';
		}
		recomputeFaultsActive();
		return decision;
	}

	function countDelivery(key: string): void {
		delivered.set(key, (delivered.get(key) ?? 0) + 1);
	}

	function hasSession(jid: string, sessionId: string): boolean {
		const set = sessions.get(jid);
		return set !== undefined && set.has(sessionId);
	}

	/** Counts one use of the admin key; true once the revocation switch has used up its requests. */
	function keyRevoked(apiKey: string): boolean {
		if (keyUsesLeft === undefined || apiKey !== adminKey) return false;
		if (keyUsesLeft <= 0) return true;
		keyUsesLeft--;
		return false;
	}

	function appError(description: string): Outcome {
		return errorOutcome(faults.httpStatusOnError ?? 200, description);
	}

	function handleApi(
		endpoint: OneChatEndpoint,
		apiKey: string | undefined,
		body: Record<string, unknown>,
	): Outcome {
		const authorized =
			apiKey !== undefined &&
			(apiKey === adminKey || (endpoint === 'authenticateUser' && appKeys.has(apiKey))) &&
			!keyRevoked(apiKey);
		if (!authorized) return appError('Unauthorized');

		for (const field of REQUIRED_FIELDS[endpoint]) {
			if (!isNonEmptyString(body[field])) return errorOutcome(400, `Missing field: ${field}`);
		}
		const refuse = faults.refuseWhere;
		if (refuse !== undefined && body[refuse.field] === refuse.value) {
			return appError(refuse.description ?? 'Refused');
		}

		switch (endpoint) {
			case 'singleMessage': {
				const jid = body.jid as string;
				if (!USER_JID.test(jid)) return appError('Invalid jid');
				countDelivery(jid);
				return { status: 200, payload: SUCCESS_TEXT, delivered: true };
			}
			case 'groupMessage': {
				const jid = body.jid as string;
				if (!GROUP_JID.test(jid)) return appError('Invalid group jid');
				countDelivery(jid);
				return { status: 200, payload: SUCCESS_TEXT, delivered: true };
			}
			case 'massBroadcast': {
				countDelivery(body.domain as string);
				return { status: 200, payload: SUCCESS_TEXT, delivered: true };
			}
			case 'registerMiniApp': {
				if (!hasSession(body.adminJid as string, body.sessionId as string)) {
					return appError('Invalid session');
				}
				const app: RegisteredApp = {
					appId: `app-${randomBytes(6).toString('hex')}`,
					apiKey: randomBytes(16).toString('hex'),
					name: body.appName as string,
				};
				registerApp(app);
				return {
					status: 200,
					payload: { status: 'Success', description: '-', appId: app.appId, apiKey: app.apiKey },
					delivered: true,
				};
			}
			case 'authenticateUser': {
				const app = apps.get(body.appId as string);
				const isAuthenticated =
					app !== undefined &&
					app.apiKey === body.apiKey &&
					hasSession(body.jid as string, body.sessionId as string);
				return {
					status: 200,
					payload: { status: 'Success', description: '-', isAuthenticated },
					delivered: true,
				};
			}
		}
	}

	function registerApp(app: RegisteredApp): void {
		const previous = apps.get(app.appId);
		if (previous !== undefined) appKeys.delete(previous.apiKey);
		apps.set(app.appId, { ...app });
		appKeys.add(app.apiKey);
	}

	function send(res: http.ServerResponse, entry: RecordedRequest, outcome: Outcome): void {
		const text = typeof outcome.payload === 'string' ? outcome.payload : JSON.stringify(outcome.payload);
		const headers: http.OutgoingHttpHeaders = {
			'Content-Type': JSON_CONTENT_TYPE,
			'Content-Length': Buffer.byteLength(text),
		};
		if (outcome.retryAfterSeconds !== undefined) headers['Retry-After'] = String(outcome.retryAfterSeconds);
		entry.httpStatus = outcome.status;
		res.writeHead(outcome.status, headers);
		res.end(text);
	}

	function sendMalformed(res: http.ServerResponse, entry: RecordedRequest, outcome: Outcome): void {
		const full = typeof outcome.payload === 'string' ? outcome.payload : JSON.stringify(outcome.payload);
		// Any strict prefix of a JSON object text is invalid JSON.
		const text = full.slice(0, Math.min(15, full.length - 1));
		entry.httpStatus = 200;
		res.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
		res.end(text);
	}

	function resetSocket(req: http.IncomingMessage): void {
		const socket = req.socket;
		if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
		else socket.destroy();
	}

	function record(entry: RecordedRequest): void {
		log.push(entry);
		if (maxLogEntries !== undefined && log.length >= maxLogEntries * 2) {
			log.splice(0, log.length - maxLogEntries);
		}
	}

	function parseBody(
		raw: Buffer,
		encoding: RecordedRequest['encoding'],
	): Record<string, unknown> | undefined {
		if (encoding === 'json') {
			try {
				const parsed: unknown = JSON.parse(raw.toString('utf8'));
				if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
					return parsed as Record<string, unknown>;
				}
			} catch {
				// fall through
			}
			return undefined;
		}
		if (encoding === 'form') {
			const body: Record<string, unknown> = {};
			for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) body[key] = value;
			return body;
		}
		return undefined;
	}

	function finish(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		entry: RecordedRequest,
		endpoint: OneChatEndpoint,
		decision: Decision,
	): void {
		if (closing || res.destroyed) return;
		if (decision.pre === 'reset-before') {
			entry.fault = 'reset-before';
			resetSocket(req);
			return;
		}
		if (decision.pre === '429') {
			entry.fault = '429';
			const outcome = errorOutcome(429, 'Too Many Requests');
			outcome.retryAfterSeconds = faults.status429.retryAfterSeconds ?? 1;
			send(res, entry, outcome);
			return;
		}
		if (decision.pre === '503') {
			entry.fault = '503';
			const outcome = errorOutcome(503, 'Service Unavailable');
			outcome.retryAfterSeconds = faults.status503.retryAfterSeconds;
			send(res, entry, outcome);
			return;
		}

		let outcome: Outcome;
		const body = entry.body;
		if (entry.encoding === 'other') {
			outcome = errorOutcome(415, 'Unsupported content type');
		} else if (body === undefined) {
			outcome = errorOutcome(400, 'Malformed body');
		} else {
			outcome = handleApi(endpoint, entry.apiKey, body);
		}
		entry.delivered = outcome.delivered;

		if (decision.post === 'reset-after') {
			entry.fault = 'reset-after';
			resetSocket(req);
			return;
		}
		if (decision.post === 'malformed-json') {
			entry.fault = 'malformed-json';
			sendMalformed(res, entry, outcome);
			return;
		}
		send(res, entry, outcome);
	}

	function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = req.url ?? '/';
		const query = url.indexOf('?');
		const path = query === -1 ? url : url.slice(0, query);
		const endpoint = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : '';
		const contentType = req.headers['content-type'];
		const type = mediaType(contentType);
		const entry: RecordedRequest = {
			seq: ++seq,
			receivedAt: Date.now(),
			path,
			endpoint,
			method: req.method ?? '',
			apiKey: headerValue(req.headers.apikey),
			contentType,
			encoding:
				type === 'application/json'
					? 'json'
					: type === 'application/x-www-form-urlencoded'
						? 'form'
						: 'other',
			body: undefined,
			httpStatus: undefined,
			delivered: false,
		};
		record(entry);

		if (req.method !== 'POST' || !ENDPOINTS.has(endpoint)) {
			req.resume();
			send(res, entry, errorOutcome(404, 'Not Found'));
			return;
		}

		const decision = decideFaults();
		readBodyCapped(req, MAX_BODY_BYTES, () => tooLarge(req, res, entry), (raw) => {
			// Parsed before any fault, so the log shows what the client sent even when reset.
			entry.body = parseBody(raw, entry.encoding);
			if (decision.delay) {
				entry.fault = 'delay';
				const timer = setTimeout(() => {
					timers.delete(timer);
					finish(req, res, entry, endpoint as OneChatEndpoint, decision);
				}, faults.delayMs);
				timers.add(timer);
				return;
			}
			finish(req, res, entry, endpoint as OneChatEndpoint, decision);
		});
	}

	function tooLarge(req: http.IncomingMessage, res: http.ServerResponse, entry: RecordedRequest): void {
		// Answer, then close the connection: the rest of the body is not read.
		res.setHeader('Connection', 'close');
		send(res, entry, errorOutcome(413, 'Payload Too Large'));
		res.on('finish', () => req.socket.destroy());
	}

	const loopback = await startLoopbackServer(onRequest, { port: options.port, host });
	const port = loopback.port;
	const baseUrl = `${loopback.origin}/onechat/api`;

	const simulator: OneChatSimulator = {
		baseUrl,
		port,
		apiKey: adminKey,
		log,
		get openConnections() {
			return loopback.openConnections;
		},
		get maxOpenConnections() {
			return loopback.maxOpenConnections;
		},
		apps,
		deliveredCount(jidOrDomain: string): number {
			return delivered.get(jidOrDomain) ?? 0;
		},
		totalDelivered(): number {
			let total = 0;
			for (const count of delivered.values()) total += count;
			return total;
		},
		addSession(jid: string, sessionId: string): void {
			let set = sessions.get(jid);
			if (set === undefined) {
				set = new Set<string>();
				sessions.set(jid, set);
			}
			set.add(sessionId);
		},
		registerApp,
		setFaults(update: Partial<Faults>): void {
			const next: Faults = { ...faults };
			if (update.delayMs !== undefined) next.delayMs = update.delayMs;
			if (update.status429 !== undefined) next.status429 = { ...update.status429 };
			if (update.status503 !== undefined) next.status503 = { ...update.status503 };
			if (update.resetBeforeProcessing !== undefined) {
				next.resetBeforeProcessing = { ...update.resetBeforeProcessing };
			}
			if (update.resetAfterProcessing !== undefined) {
				next.resetAfterProcessing = { ...update.resetAfterProcessing };
			}
			if (update.malformedJson !== undefined) next.malformedJson = { ...update.malformedJson };
			if ('httpStatusOnError' in update) next.httpStatusOnError = update.httpStatusOnError;
			if ('refuseWhere' in update) next.refuseWhere = update.refuseWhere && { ...update.refuseWhere };
			if ('revokeKeyAfterRequests' in update) {
				next.revokeKeyAfterRequests = update.revokeKeyAfterRequests;
				keyUsesLeft = update.revokeKeyAfterRequests;
			}
			faults = next;
			recomputeFaultsActive();
		},
		clearFaults(): void {
			faults = emptyFaults();
			keyUsesLeft = undefined;
			recomputeFaultsActive();
		},
		clearLog(): void {
			log.length = 0;
			delivered.clear();
		},
		resetConnectionStats(): void {
			loopback.resetConnectionStats();
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
