import * as net from 'net';

import { mulberry32, startOneChatSimulator, type OneChatSimulator } from './onechat';

interface PostOptions {
	apiKey?: string | null;
	form?: boolean;
	contentType?: string;
	rawBody?: string;
}

interface Reply {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown>;
}

let sim: OneChatSimulator;

async function post(
	endpoint: string,
	body: Record<string, string> = {},
	options: PostOptions = {},
): Promise<Reply> {
	const headers: Record<string, string> = {};
	if (options.apiKey !== null) headers.apikey = options.apiKey ?? sim.apiKey;
	let payload: string;
	if (options.rawBody !== undefined) {
		payload = options.rawBody;
	} else if (options.form) {
		payload = new URLSearchParams(body).toString();
	} else {
		payload = JSON.stringify(body);
	}
	headers['content-type'] =
		options.contentType ?? (options.form ? 'application/x-www-form-urlencoded' : 'application/json');
	const response = await fetch(`${sim.baseUrl}/${endpoint}`, { method: 'POST', headers, body: payload });
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// left empty for malformed answers
	}
	return { status: response.status, headers: response.headers, text, json };
}

function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const check = (): void => {
			if (condition()) resolve();
			else if (Date.now() - started > timeoutMs) reject(new Error('condition not met in time'));
			else setTimeout(check, 5);
		};
		check();
	});
}

beforeAll(async () => {
	sim = await startOneChatSimulator();
	sim.addSession('admin@onechat.test', 'admin-session');
	sim.addSession('alice@onechat.test', 'alice-session');
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.clearFaults();
	sim.clearLog();
});

describe('OneChat simulator: basics', () => {
	test('exposes its base URL, port and default key', () => {
		expect(sim.baseUrl).toBe(`http://127.0.0.1:${sim.port}/onechat/api`);
		expect(sim.apiKey).toBe('sim-admin-key');
	});

	test('answers 404 for unknown paths and non-POST methods', async () => {
		const unknown = await post('nope', { a: 'b' });
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ status: 'Error', description: 'Not Found' });
		const get = await fetch(`${sim.baseUrl}/singleMessage`);
		expect(get.status).toBe(404);
		expect(get.headers.get('content-type')).toBe('application/json; charset=utf-8');
		await get.text();
		expect(sim.log.map((entry) => [entry.endpoint, entry.method, entry.httpStatus])).toEqual([
			['nope', 'POST', 404],
			['singleMessage', 'GET', 404],
		]);
	});

	test('rejects a missing or wrong apikey with HTTP 200 Unauthorized, before checking fields', async () => {
		const missing = await post('singleMessage', { jid: 'bob@onechat.test', message: 'hi' }, { apiKey: null });
		expect(missing.status).toBe(200);
		expect(missing.json).toEqual({ status: 'Error', description: 'Unauthorized' });
		const wrong = await post('singleMessage', {}, { apiKey: 'wrong' });
		expect(wrong.status).toBe(200);
		expect(wrong.json).toEqual({ status: 'Error', description: 'Unauthorized' });
		expect(sim.log[0].apiKey).toBeUndefined();
		expect(sim.log[1].apiKey).toBe('wrong');
		expect(sim.deliveredCount('bob@onechat.test')).toBe(0);
	});

	test('httpStatusOnError changes the status of application errors', async () => {
		sim.setFaults({ httpStatusOnError: 401 });
		const reply = await post('singleMessage', { jid: 'bob@onechat.test', message: 'hi' }, { apiKey: 'wrong' });
		expect(reply.status).toBe(401);
		expect(reply.json.description).toBe('Unauthorized');
	});

	test('missing or empty fields give 400 Missing field', async () => {
		const noMessage = await post('singleMessage', { jid: 'bob@onechat.test' });
		expect(noMessage.status).toBe(400);
		expect(noMessage.json).toEqual({ status: 'Error', description: 'Missing field: message' });
		const emptyDomain = await post('massBroadcast', { domain: '', message: 'x' });
		expect(emptyDomain.json.description).toBe('Missing field: domain');
		const register = await post('registerMiniApp', { adminJid: 'admin@onechat.test', sessionId: 's' });
		expect(register.json.description).toBe('Missing field: appName');
		const auth = await post('authenticateUser', { jid: 'a@b', sessionId: 's', appId: 'x' });
		expect(auth.json.description).toBe('Missing field: apiKey');
		const nonString = await post('groupMessage', {}, { rawBody: '{"jid":"g@muc.x","message":5}' });
		expect(nonString.json.description).toBe('Missing field: message');
	});

	test('body errors: malformed JSON 400, unsupported type 415, too large 413', async () => {
		const malformed = await post('singleMessage', {}, { rawBody: '{"jid":' });
		expect(malformed.status).toBe(400);
		expect(malformed.json).toEqual({ status: 'Error', description: 'Malformed body' });
		const array = await post('singleMessage', {}, { rawBody: '[1]' });
		expect(array.status).toBe(400);
		const text = await post('singleMessage', {}, { rawBody: 'hi', contentType: 'text/plain' });
		expect(text.status).toBe(415);
		expect(text.json).toEqual({ status: 'Error', description: 'Unsupported content type' });
		const big = await post('massBroadcast', { domain: 'onechat.test', message: 'x'.repeat(1024 * 1024 + 10) });
		expect(big.status).toBe(413);
		expect(sim.log.map((entry) => entry.encoding)).toEqual(['json', 'json', 'other', 'json']);
		expect(sim.deliveredCount('onechat.test')).toBe(0);
	});
});

describe('OneChat simulator: message endpoints', () => {
	test('singleMessage delivers to a user jid and rejects group jids', async () => {
		const ok = await post('singleMessage', { jid: 'bob@onechat.test', message: 'hi' });
		expect(ok.status).toBe(200);
		expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(ok.json).toEqual({ status: 'Success', description: '-' });
		await post('singleMessage', { jid: 'bob@onechat.test', message: 'again' });
		const group = await post('singleMessage', { jid: 'abc@muc.onechat.test', message: 'hi' });
		expect(group.json).toEqual({ status: 'Error', description: 'Invalid jid' });
		const noAt = await post('singleMessage', { jid: 'bob', message: 'hi' });
		expect(noAt.json.description).toBe('Invalid jid');
		expect(sim.deliveredCount('bob@onechat.test')).toBe(2);
		expect(sim.log.map((entry) => entry.delivered)).toEqual([true, true, false, false]);
		expect(sim.log[0]).toMatchObject({
			seq: expect.any(Number),
			path: '/onechat/api/singleMessage',
			endpoint: 'singleMessage',
			method: 'POST',
			apiKey: 'sim-admin-key',
			contentType: 'application/json',
			encoding: 'json',
			body: { jid: 'bob@onechat.test', message: 'hi' },
			httpStatus: 200,
			delivered: true,
		});
		expect(sim.log[0].fault).toBeUndefined();
		expect(sim.log[1].seq).toBeGreaterThan(sim.log[0].seq);
	});

	test('groupMessage delivers to a group jid and rejects user jids', async () => {
		const ok = await post('groupMessage', { jid: 'abcdef-123456@muc.onechat.test', message: 'hi' });
		expect(ok.json).toEqual({ status: 'Success', description: '-' });
		const user = await post('groupMessage', { jid: 'bob@onechat.test', message: 'hi' });
		expect(user.json).toEqual({ status: 'Error', description: 'Invalid group jid' });
		expect(sim.deliveredCount('abcdef-123456@muc.onechat.test')).toBe(1);
	});

	test('massBroadcast is counted by domain', async () => {
		const ok = await post('massBroadcast', { domain: 'onechat.test', message: 'hello all' });
		expect(ok.json).toEqual({ status: 'Success', description: '-' });
		expect(sim.deliveredCount('onechat.test')).toBe(1);
		expect(sim.totalDelivered()).toBe(1);
	});

	test('accepts form-encoded bodies and records the encoding', async () => {
		const ok = await post('singleMessage', { jid: 'carol@onechat.test', message: 'a&b=c' }, { form: true });
		expect(ok.json).toEqual({ status: 'Success', description: '-' });
		expect(sim.log[0]).toMatchObject({
			encoding: 'form',
			contentType: 'application/x-www-form-urlencoded',
			body: { jid: 'carol@onechat.test', message: 'a&b=c' },
		});
		const charset = await post(
			'singleMessage',
			{ jid: 'carol@onechat.test', message: 'x' },
			{ contentType: 'application/json; charset=utf-8' },
		);
		expect(charset.json.status).toBe('Success');
		expect(sim.deliveredCount('carol@onechat.test')).toBe(2);
	});
});

describe('OneChat simulator: mini apps', () => {
	test('registerMiniApp needs a valid admin session and registers the app', async () => {
		const bad = await post('registerMiniApp', {
			adminJid: 'admin@onechat.test',
			sessionId: 'wrong',
			appName: 'Demo',
			appIcon: 'https://example.test/icon.png',
			appUrl: 'https://example.test/app',
		});
		expect(bad.status).toBe(200);
		expect(bad.json).toEqual({ status: 'Error', description: 'Invalid session' });

		const ok = await post('registerMiniApp', {
			adminJid: 'admin@onechat.test',
			sessionId: 'admin-session',
			appName: 'Demo',
			appIcon: 'https://example.test/icon.png',
			appUrl: 'https://example.test/app',
		});
		expect(ok.json).toMatchObject({ status: 'Success', description: '-' });
		const appId = ok.json.appId as string;
		const appKey = ok.json.apiKey as string;
		expect(appId).toEqual(expect.any(String));
		expect(appKey).toEqual(expect.any(String));
		expect(appKey).not.toBe(sim.apiKey);
		expect(sim.apps.get(appId)).toMatchObject({ appId, apiKey: appKey, name: 'Demo' });

		// The new app's key authorizes authenticateUser, and only that endpoint.
		const valid = { jid: 'alice@onechat.test', sessionId: 'alice-session', appId, apiKey: appKey };
		const yes = await post('authenticateUser', valid, { apiKey: appKey });
		expect(yes.json).toEqual({ status: 'Success', description: '-', isAuthenticated: true });
		const wrongSession = await post('authenticateUser', { ...valid, sessionId: 'nope' }, { apiKey: appKey });
		expect(wrongSession.json).toEqual({ status: 'Success', description: '-', isAuthenticated: false });
		const otherEndpoint = await post('singleMessage', { jid: 'a@b', message: 'x' }, { apiKey: appKey });
		expect(otherEndpoint.json.description).toBe('Unauthorized');
	});

	test('authenticateUser: wrong header key is Unauthorized; right key with dummy values is not authenticated', async () => {
		sim.registerApp({ appId: 'seeded-app', apiKey: 'seeded-key', name: 'Seeded' });
		const dummy = { jid: 'test@onechat.test', sessionId: 'test', appId: 'test', apiKey: 'test' };
		const wrongHeader = await post('authenticateUser', dummy, { apiKey: 'not-a-key' });
		expect(wrongHeader.json).toEqual({ status: 'Error', description: 'Unauthorized' });
		const adminDummy = await post('authenticateUser', dummy);
		expect(adminDummy.json).toEqual({ status: 'Success', description: '-', isAuthenticated: false });
		const appDummy = await post('authenticateUser', dummy, { apiKey: 'seeded-key' });
		expect(appDummy.json).toEqual({ status: 'Success', description: '-', isAuthenticated: false });
		const real = await post(
			'authenticateUser',
			{ jid: 'alice@onechat.test', sessionId: 'alice-session', appId: 'seeded-app', apiKey: 'seeded-key' },
			{ apiKey: 'seeded-key' },
		);
		expect(real.json.isAuthenticated).toBe(true);
		const keyMismatch = await post('authenticateUser', {
			jid: 'alice@onechat.test',
			sessionId: 'alice-session',
			appId: 'seeded-app',
			apiKey: 'other-key',
		});
		expect(keyMismatch.json.isAuthenticated).toBe(false);
	});
});

describe('OneChat simulator: faults', () => {
	const message = { jid: 'dave@onechat.test', message: 'hi' };

	test('429 for the next N requests, with Retry-After, not delivered', async () => {
		sim.setFaults({ status429: { times: 2, retryAfterSeconds: 3 } });
		const first = await post('singleMessage', message);
		const second = await post('singleMessage', message);
		const third = await post('singleMessage', message);
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('3');
		expect(first.json).toEqual({ status: 'Error', description: 'Too Many Requests' });
		expect(second.status).toBe(429);
		expect(third.status).toBe(200);
		expect(sim.log.map((entry) => entry.fault)).toEqual(['429', '429', undefined]);
		expect(sim.log.map((entry) => entry.delivered)).toEqual([false, false, true]);
		expect(sim.deliveredCount('dave@onechat.test')).toBe(1);
	});

	test('429 defaults Retry-After to 1; 503 sends Retry-After only when configured', async () => {
		sim.setFaults({ status429: { times: 1 }, status503: { times: 2 } });
		const r429 = await post('singleMessage', message);
		expect(r429.headers.get('retry-after')).toBe('1');
		const r503 = await post('singleMessage', message);
		expect(r503.status).toBe(503);
		expect(r503.json).toEqual({ status: 'Error', description: 'Service Unavailable' });
		expect(r503.headers.get('retry-after')).toBeNull();
		sim.setFaults({ status503: { times: 1, retryAfterSeconds: 2 } });
		const withHeader = await post('singleMessage', message);
		expect(withHeader.status).toBe(503);
		expect(withHeader.headers.get('retry-after')).toBe('2');
		expect(sim.deliveredCount('dave@onechat.test')).toBe(0);
	});

	test('reset-before destroys the socket without processing', async () => {
		sim.setFaults({ resetBeforeProcessing: { times: 1 } });
		await expect(post('singleMessage', message)).rejects.toThrow();
		expect(sim.log).toHaveLength(1);
		expect(sim.log[0]).toMatchObject({ fault: 'reset-before', httpStatus: undefined, delivered: false });
		expect(sim.log[0].body).toEqual(message);
		expect(sim.deliveredCount('dave@onechat.test')).toBe(0);
		const after = await post('singleMessage', message);
		expect(after.status).toBe(200);
	});

	test('reset-after processes (delivers) and then destroys the socket', async () => {
		sim.setFaults({ resetAfterProcessing: { times: 1 } });
		await expect(post('singleMessage', message)).rejects.toThrow();
		expect(sim.log[0]).toMatchObject({
			fault: 'reset-after',
			httpStatus: undefined,
			delivered: true,
			body: message,
		});
		expect(sim.deliveredCount('dave@onechat.test')).toBe(1);
	});

	test('malformed-json processes and answers 200 with truncated JSON', async () => {
		sim.setFaults({ malformedJson: { times: 1 } });
		const reply = await post('singleMessage', message);
		expect(reply.status).toBe(200);
		expect(reply.text).toBe('{"status":"Succ');
		expect(() => JSON.parse(reply.text)).toThrow();
		expect(sim.log[0]).toMatchObject({ fault: 'malformed-json', httpStatus: 200, delivered: true });
		expect(sim.deliveredCount('dave@onechat.test')).toBe(1);
	});

	test('delay holds the answer', async () => {
		sim.setFaults({ delayMs: 120 });
		const started = Date.now();
		const reply = await post('singleMessage', message);
		expect(Date.now() - started).toBeGreaterThanOrEqual(100);
		expect(reply.json.status).toBe('Success');
		expect(sim.log[0].fault).toBe('delay');
	});

	test('faults do not apply to 404s', async () => {
		sim.setFaults({ status429: { times: 1 } });
		const notFound = await post('unknownEndpoint', message);
		expect(notFound.status).toBe(404);
		const limited = await post('singleMessage', message);
		expect(limited.status).toBe(429);
	});

	/** Sends `count` singleMessage requests one after another and returns their HTTP statuses. */
	async function sendStatuses(target: OneChatSimulator, count: number): Promise<number[]> {
		const statuses: number[] = [];
		for (let i = 0; i < count; i++) {
			const response = await fetch(`${target.baseUrl}/singleMessage`, {
				method: 'POST',
				headers: { apikey: target.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify(message),
			});
			await response.text();
			statuses.push(response.status);
		}
		return statuses;
	}

	test('rate-based faults draw one PRNG number per request (mulberry32, seeded)', async () => {
		const other = await startOneChatSimulator({ seed: 7 });
		try {
			other.setFaults({ status503: { rate: 0.3 } });
			const statuses = await sendStatuses(other, 40);
			const random = mulberry32(7);
			const expected = statuses.map(() => (random() < 0.3 ? 503 : 200));
			expect(statuses).toEqual(expected);
			expect(statuses).toContain(503);
			expect(other.deliveredCount('dave@onechat.test')).toBe(statuses.filter((s) => s === 200).length);
		} finally {
			await other.close();
		}
	});

	test('the same seed gives the same fault sequence', async () => {
		const sequence = async (seed: number): Promise<number[]> => {
			const other = await startOneChatSimulator({ seed });
			try {
				other.setFaults({ status429: { rate: 0.5 } });
				return await sendStatuses(other, 20);
			} finally {
				await other.close();
			}
		};
		const a = await sequence(42);
		const b = await sequence(42);
		expect(a).toEqual(b);
		expect(a).toContain(429);
		expect(a).toContain(200);
	});
});

describe('OneChat simulator: connections', () => {
	test('counts open connections and the maximum', async () => {
		const other = await startOneChatSimulator();
		try {
			expect(other.openConnections).toBe(0);
			const sockets = await Promise.all(
				[0, 1, 2].map(
					() =>
						new Promise<net.Socket>((resolve, reject) => {
							const socket = net.connect(other.port, '127.0.0.1', () => resolve(socket));
							socket.on('error', reject);
						}),
				),
			);
			await waitFor(() => other.openConnections === 3);
			expect(other.maxOpenConnections).toBe(3);
			sockets[0].destroy();
			sockets[1].destroy();
			await waitFor(() => other.openConnections === 1);
			expect(other.maxOpenConnections).toBe(3);
			other.resetConnectionStats();
			expect(other.maxOpenConnections).toBe(1);
			sockets[2].destroy();
			await waitFor(() => other.openConnections === 0);
		} finally {
			await other.close();
		}
	});

	test('close() ends keep-alive connections and stops listening', async () => {
		const other = await startOneChatSimulator();
		const socket = net.connect(other.port, '127.0.0.1');
		const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
		socket.on('error', () => undefined);
		const body = JSON.stringify({ domain: 'onechat.test', message: 'hi' });
		const answered = new Promise<string>((resolve) => socket.once('data', (data) => resolve(data.toString())));
		socket.write(
			`POST /onechat/api/massBroadcast HTTP/1.1\r\nHost: x\r\napikey: ${other.apiKey}\r\n` +
				`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
		);
		expect(await answered).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*Keep-Alive: timeout=30/);
		expect(other.deliveredCount('onechat.test')).toBe(1);
		const started = Date.now();
		await other.close();
		await socketClosed;
		expect(Date.now() - started).toBeLessThan(1000);
		await expect(fetch(`${other.baseUrl}/massBroadcast`, { method: 'POST' })).rejects.toThrow();
	});
});
