import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { startOperatorSimulator, type OperatorSimulator } from './operator';

interface Reply {
	status: number;
	headers: Headers;
	json: Record<string, unknown>;
}

interface SiteCall {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
}

interface Site {
	url: string;
	calls: SiteCall[];
	/** The next answers: status, content type and body. */
	respond: { status: number; contentType: string; body: string };
	close(): Promise<void>;
}

const MAX_UPLOAD = 64 * 1024;

let sim: OperatorSimulator;
let site: Site;

/** A tiny stand-in for the site's webhook endpoint: records every call, answers what it is told. */
async function startSite(): Promise<Site> {
	const calls: SiteCall[] = [];
	const state: Site = {
		url: '',
		calls,
		respond: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
			res.writeHead(state.respond.status, { 'Content-Type': state.respond.contentType, 'X-Site': 'yes' });
			res.end(state.respond.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/operator`;
	return state;
}

async function multipartOf(call: SiteCall): Promise<FormData> {
	const body = new Uint8Array(call.raw.buffer, call.raw.byteOffset, call.raw.byteLength);
	return await new Response(body, { headers: { 'content-type': call.headers['content-type'] ?? '' } }).formData();
}

function lastCall(): SiteCall {
	const call = site.calls[site.calls.length - 1];
	if (call === undefined) throw new Error('the site was not called');
	return call;
}

async function post(body: FormData | string, contentType?: string): Promise<Reply> {
	const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
	const response = await fetch(sim.url, { method: 'POST', headers, body });
	const text = await response.text();
	return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

function validForm(fields: Record<string, string> = {}, omit: string[] = []): FormData {
	const values: Record<string, string> = {
		token: sim.token,
		action: 'message_sent',
		user_id: '11',
		contact_id: '501',
		message: 'Hello',
		...fields,
	};
	const form = new FormData();
	for (const [name, value] of Object.entries(values)) if (!omit.includes(name)) form.append(name, value);
	return form;
}

/** Posts a body over a raw http request, chunked (no Content-Length), so the simulator must count bytes. */
function postChunked(contentType: string, parts: Buffer[]): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const target = new URL(sim.url);
		const req = http.request(
			{ method: 'POST', host: target.hostname, port: target.port, path: target.pathname, headers: { 'content-type': contentType } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			},
		);
		req.on('error', reject);
		for (const part of parts) req.write(part);
		req.end();
	});
}

beforeAll(async () => {
	sim = await startOperatorSimulator({ token: 'panel-token-1', webhookToken: 'hook-token-2', maxUploadBytes: MAX_UPLOAD });
	site = await startSite();
});

afterAll(async () => {
	await sim.close();
	await site.close();
});

beforeEach(() => {
	sim.clearSends();
	sim.setDelay(0);
	site.calls.length = 0;
	site.respond = { status: 200, contentType: 'application/json', body: '{"ok":true}' };
});

describe('Operator simulator: basics', () => {
	test('exposes its endpoint and tokens, with defaults', async () => {
		expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/operator/api`);
		expect(sim.token).toBe('panel-token-1');
		expect(sim.webhookToken).toBe('hook-token-2');
		const plain = await startOperatorSimulator();
		try {
			expect(plain.token).toBe('sim-operator-token');
			expect(plain.webhookToken).toBe('sim-webhook-token');
			expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/operator\/api$/);
		} finally {
			await plain.close();
		}
	});

	test('answers 404 JSON outside the API endpoint and records nothing', async () => {
		const other = await fetch(`${sim.url}/nothing-here`, { method: 'POST', body: validForm() });
		expect(other.status).toBe(404);
		expect(await other.json()).toEqual({ error: 'Not found' });
		const get = await fetch(sim.url);
		expect(get.status).toBe(404);
		expect(get.headers.get('content-type')).toMatch(/^application\/json/);
		expect(sim.sends).toHaveLength(0);
	});
});

describe('Operator simulator: Send message to control panel', () => {
	test('accepts a full multipart send with attaches and a file, recording everything exactly', async () => {
		const bytes = randomBytes(20_000);
		const form = validForm({ message: 'Hello, operator' });
		// Out of index order on purpose: the record follows the indexes.
		form.append('attaches[1][file_url]', 'https://cdn.example/2.jpg');
		form.append('attaches[0][file_url]', 'https://cdn.example/1.jpg');
		form.append('attaches[0][big]', 'https://cdn.example/1_200.jpg');
		form.append('attaches[1][big]', 'https://cdn.example/2_200.jpg');
		form.append('attach', new Blob([bytes], { type: 'image/jpeg' }), 'private.jpg');

		const first = await post(form);
		expect(first.status).toBe(200);
		expect(first.headers.get('content-type')).toMatch(/^application\/json/);
		expect(first.json).toEqual({ status: 'ok', message_id: expect.any(Number) });

		expect(sim.sends).toHaveLength(1);
		const send = sim.sends[0];
		expect(send.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(send.fields).toEqual({
			token: 'panel-token-1',
			action: 'message_sent',
			user_id: '11',
			contact_id: '501',
			message: 'Hello, operator',
			'attaches[1][file_url]': 'https://cdn.example/2.jpg',
			'attaches[0][file_url]': 'https://cdn.example/1.jpg',
			'attaches[0][big]': 'https://cdn.example/1_200.jpg',
			'attaches[1][big]': 'https://cdn.example/2_200.jpg',
		});
		expect(send.attaches).toEqual([
			{ file_url: 'https://cdn.example/1.jpg', big: 'https://cdn.example/1_200.jpg' },
			{ file_url: 'https://cdn.example/2.jpg', big: 'https://cdn.example/2_200.jpg' },
		]);
		expect(send.files).toHaveLength(1);
		expect(send.files[0]).toMatchObject({ field: 'attach', filename: 'private.jpg', contentType: 'image/jpeg' });
		expect(Buffer.compare(send.files[0].bytes, bytes)).toBe(0);
		expect(send).toMatchObject({ httpStatus: 200, accepted: true });

		const second = await post(validForm());
		expect(second.json.message_id).toBe((first.json.message_id as number) + 1);
		expect(sim.sends[1].seq).toBeGreaterThan(send.seq);
	});

	test.each([
		['only photos', () => {
			const form = validForm({ message: '' });
			form.append('attaches[0][file_url]', 'http://cdn.example/1.jpg');
			form.append('attaches[0][big]', 'http://cdn.example/1_200.jpg');
			return form;
		}],
		['only a file', () => {
			const form = validForm({}, ['message']);
			form.append('attach', new Blob([Buffer.from('x')]), 'a.bin');
			return form;
		}],
	])('accepts a message with %s', async (_name, build) => {
		const reply = await post(build());
		expect(reply.status).toBe(200);
		expect(sim.sends[0].accepted).toBe(true);
	});

	test('refuses a body that is not multipart with 415', async () => {
		const urlencoded = await post(new URLSearchParams({ token: sim.token, action: 'message_sent' }).toString(), 'application/x-www-form-urlencoded');
		expect(urlencoded).toMatchObject({ status: 415, json: { error: 'Send multipart/form-data' } });
		const json = await post(JSON.stringify({ token: sim.token }), 'application/json');
		expect(json.status).toBe(415);
		expect(sim.sends.map((send) => [send.httpStatus, send.accepted])).toEqual([[415, false], [415, false]]);
	});

	test.each([
		['a missing token', () => validForm({}, ['token'])],
		['a wrong token', () => validForm({ token: 'wrong' })],
	])('refuses %s with 401', async (_name, build) => {
		const reply = await post(build());
		expect(reply).toMatchObject({ status: 401, json: { error: 'Invalid token' } });
		expect(sim.sends[0]).toMatchObject({ httpStatus: 401, accepted: false });
	});

	test('tells a right token from a wrong one with a check_token action, recording both raw', async () => {
		const boundary = 'n8nOperatorCredentialTest';
		const body = (token: string): string =>
			`--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}\r\n` +
			`--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\ncheck_token\r\n--${boundary}--\r\n`;
		const right = await post(body(sim.token), `multipart/form-data; boundary=${boundary}`);
		expect(right).toMatchObject({ status: 400, json: { error: 'Unknown action' } });
		const wrong = await post(body('nope'), `multipart/form-data; boundary=${boundary}`);
		expect(wrong.status).toBe(401);
		expect(sim.sends.map((send) => send.fields)).toEqual([
			{ token: sim.token, action: 'check_token' },
			{ token: 'nope', action: 'check_token' },
		]);
		expect(sim.sends.some((send) => send.accepted)).toBe(false);
	});

	test.each([
		['user_id', '0'],
		['user_id', '-5'],
		['user_id', 'abc'],
		['user_id', '1.5'],
		['user_id', ''],
		['contact_id', '07'],
		['contact_id', ' 3'],
	])('refuses %s %j with 400', async (field, value) => {
		const reply = await post(validForm({ [field]: value }));
		expect(reply).toMatchObject({ status: 400, json: { error: `Invalid ${field}` } });
	});

	test('refuses a missing contact_id and a repeated user_id', async () => {
		expect((await post(validForm({}, ['contact_id']))).json).toEqual({ error: 'Invalid contact_id' });
		const repeated = validForm();
		repeated.append('user_id', '12');
		expect((await post(repeated)).json).toEqual({ error: 'Invalid user_id' });
		expect(sim.sends[1].fields.user_id).toEqual(['11', '12']);
	});

	test('refuses an empty message: blank text, no photo, empty or text-only attach', async () => {
		const blank = await post(validForm({ message: '  ' }));
		expect(blank).toMatchObject({ status: 400, json: { error: 'Empty message' } });
		const emptyFile = validForm({}, ['message']);
		emptyFile.append('attach', new Blob([]), 'empty.bin');
		expect((await post(emptyFile)).json).toEqual({ error: 'Empty message' });
		const textAttach = validForm({ message: '' });
		textAttach.append('attach', 'not a file');
		expect((await post(textAttach)).json).toEqual({ error: 'Empty message' });
	});

	test.each([
		['a relative URL', [['attaches[0][file_url]', 'photo.jpg']]],
		['an ftp URL', [['attaches[0][file_url]', 'ftp://cdn.example/1.jpg']]],
		['a photo without file_url', [['attaches[0][big]', 'https://cdn.example/1_200.jpg']]],
		['a photo without its thumbnail (big)', [['attaches[0][file_url]', 'https://cdn.example/1.jpg']]],
		['a plain attaches field', [['attaches', '[{"file_url":"https://cdn.example/1.jpg"}]']]],
		['a second bad entry', [['attaches[0][file_url]', 'https://cdn.example/1.jpg'], ['attaches[0][big]', 'https://cdn.example/1_200.jpg'], ['attaches[1][file_url]', '']]],
	])('refuses attaches with %s', async (_name, entries) => {
		const form = validForm();
		for (const [name, value] of entries) form.append(name, value);
		const reply = await post(form);
		expect(reply).toMatchObject({ status: 400, json: { error: 'Invalid attaches' } });
	});

	test('refuses a malformed multipart body with 400', async () => {
		const reply = await post('--b\r\nContent-Disposition: form-data; name="token"\r\n\r\nunterminated', 'multipart/form-data; boundary=b');
		expect(reply).toMatchObject({ status: 400, json: { error: 'Malformed multipart body' } });
	});

	test('refuses an upload over maxUploadBytes with 413 (declared length)', async () => {
		const form = validForm();
		form.append('attach', new Blob([randomBytes(MAX_UPLOAD + 1)]), 'big.bin');
		const reply = await post(form);
		expect(reply).toMatchObject({ status: 413, json: { error: 'Upload too large' } });
		expect(sim.sends[0]).toMatchObject({ httpStatus: 413, accepted: false, files: [] });
	});

	test('refuses a chunked upload over maxUploadBytes with 413 (counted bytes)', async () => {
		const boundary = 'chunky';
		const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attach"; filename="a.bin"\r\n\r\n`);
		const reply = await postChunked(`multipart/form-data; boundary=${boundary}`, [head, randomBytes(MAX_UPLOAD / 2), randomBytes(MAX_UPLOAD / 2)]);
		expect(reply.status).toBe(413);
		expect(JSON.parse(reply.text)).toEqual({ error: 'Upload too large' });
		// The simulator keeps serving after cutting that connection.
		expect((await post(validForm())).status).toBe(200);
	});

	test('failNext answers the next sends before any check, records them, then stops', async () => {
		sim.failNext(422, { error: 'Contact is blocked' }, 2);
		const first = await post(validForm());
		expect(first).toMatchObject({ status: 422, json: { error: 'Contact is blocked' } });
		const second = await post(validForm({ token: 'wrong' }));
		expect(second.status).toBe(422);
		const third = await post(validForm());
		expect(third.status).toBe(200);
		expect(sim.sends.map((send) => [send.httpStatus, send.accepted])).toEqual([[422, false], [422, false], [200, true]]);
		expect(sim.sends[0].fields.message).toBe('Hello');
	});

	test('failNext calls queue up in order', async () => {
		sim.failNext(503, { error: 'busy' });
		sim.failNext(500, { error: 'boom' });
		expect((await post(validForm())).status).toBe(503);
		expect((await post(validForm())).status).toBe(500);
		expect((await post(validForm())).status).toBe(200);
		expect(() => sim.failNext(42, {})).toThrow(RangeError);
	});

	test('setDelay delays the answer, the send is recorded before it', async () => {
		sim.setDelay(150);
		const started = Date.now();
		const pending = post(validForm());
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(sim.sends).toHaveLength(1);
		expect((await pending).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});

describe('Operator simulator: webhooks to the site', () => {
	test('fires an operator reply as multipart with the token field and the file byte for byte', async () => {
		const bytes = randomBytes(50_000);
		site.respond = { status: 200, contentType: 'application/json', body: '{"received":true}' };
		const answer = await sim.fireOperatorReply(site.url, {
			user_id: 501,
			contact_id: 11,
			message: 'Hi from the operator',
			attach: { filename: 'photo.png', contentType: 'image/png', bytes },
		});
		expect(answer).toMatchObject({ status: 200, text: '{"received":true}', json: { received: true } });
		expect(answer.headers['x-site']).toBe('yes');
		expect(answer.headers['content-type']).toBe('application/json');

		const call = lastCall();
		expect(call.method).toBe('POST');
		expect(call.url).toBe('/hooks/operator');
		expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		const form = await multipartOf(call);
		expect(form.get('token')).toBe('hook-token-2');
		expect(form.get('user_id')).toBe('501');
		expect(form.get('contact_id')).toBe('11');
		expect(form.get('message')).toBe('Hi from the operator');
		const file = form.get('attach') as File;
		expect(file.name).toBe('photo.png');
		expect(file.type).toBe('image/png');
		expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), bytes)).toBe(0);
	});

	test('fires an operator reply urlencoded, leaving out a missing message', async () => {
		await sim.fireOperatorReply(site.url, { user_id: '7', contact_id: 8 }, { encoding: 'urlencoded' });
		const call = lastCall();
		expect(call.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(Object.fromEntries(new URLSearchParams(call.raw.toString()))).toEqual({ token: 'hook-token-2', user_id: '7', contact_id: '8' });
	});

	test('fires an operator reply as JSON with numbers as numbers', async () => {
		await sim.fireOperatorReply(site.url, { user_id: 7, contact_id: '8', message: 'ok' }, { encoding: 'json' });
		const call = lastCall();
		expect(call.headers['content-type']).toBe('application/json');
		expect(JSON.parse(call.raw.toString())).toEqual({ token: 'hook-token-2', user_id: 7, contact_id: '8', message: 'ok' });
	});

	test('puts the token in the query string, keeping the URL\'s own query', async () => {
		await sim.fireOperatorReply(`${site.url}?site=1`, { user_id: 1, contact_id: 2, message: 'x' }, { tokenIn: 'query', encoding: 'urlencoded' });
		const call = lastCall();
		const target = new URL(call.url, 'http://site');
		expect(target.searchParams.get('token')).toBe('hook-token-2');
		expect(target.searchParams.get('site')).toBe('1');
		expect(new URLSearchParams(call.raw.toString()).has('token')).toBe(false);
	});

	test('puts the token in a JSON body (JSON by default then), or nowhere when null', async () => {
		await sim.fireUserInfoRequest(site.url, { user_id: 3 }, { tokenIn: 'json', token: 'other-token' });
		expect(lastCall().headers['content-type']).toBe('application/json');
		expect(JSON.parse(lastCall().raw.toString())).toEqual({ token: 'other-token', user_id: 3 });

		await sim.fireOperatorReply(site.url, { user_id: 1, contact_id: 2, message: 'x' }, { token: null });
		const form = await multipartOf(lastCall());
		expect(form.has('token')).toBe(false);
		expect(lastCall().url).toBe('/hooks/operator');
	});

	test('fires a user info request (urlencoded) and returns the site\'s JSON answer', async () => {
		const profile = { id: 42, name: 'Ann', gender: 'female', avatar: 'https://site.example/a.jpg', balance: '1', location: 'Berlin', about: '', custom: [{ name: 'vip', value: 'yes' }] };
		site.respond = { status: 200, contentType: 'application/json', body: JSON.stringify(profile) };
		const answer = await sim.fireUserInfoRequest(site.url, { user_id: 42 });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(profile);
		const call = lastCall();
		expect(call.method).toBe('POST');
		expect(call.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(Object.fromEntries(new URLSearchParams(call.raw.toString()))).toEqual({ token: 'hook-token-2', user_id: '42' });
	});

	test('fires a private media request (multipart when asked) and returns the answer', async () => {
		const media = { media: [{ url: 'https://site.example/p/1.jpg', big: 'https://site.example/p/1_200.jpg' }] };
		site.respond = { status: 200, contentType: 'application/json', body: JSON.stringify(media) };
		const answer = await sim.firePrivateMediaRequest(site.url, { user_id: 9 }, { encoding: 'multipart' });
		expect(answer.json).toEqual(media);
		const form = await multipartOf(lastCall());
		expect([...form.entries()]).toEqual([['token', 'hook-token-2'], ['user_id', '9']]);
	});

	test('returns an error answer as it is, with json undefined when the body is not JSON', async () => {
		site.respond = { status: 500, contentType: 'text/html', body: '<h1>oops</h1>' };
		const answer = await sim.firePrivateMediaRequest(site.url, { user_id: 9 });
		expect(answer).toEqual({ status: 500, headers: expect.objectContaining({ 'content-type': 'text/html' }), text: '<h1>oops</h1>', json: undefined });
	});

	test('sends a raw body exactly, and refuses a file it cannot encode', async () => {
		const raw = '{"token": "hook-token-2", "user_id": ';
		await sim.fireOperatorReply(site.url, { user_id: 1, contact_id: 2 }, { rawBody: { contentType: 'application/json', body: raw } });
		expect(lastCall().headers['content-type']).toBe('application/json');
		expect(lastCall().raw.toString()).toBe(raw);

		const bytes = randomBytes(100);
		await sim.fireUserInfoRequest(site.url, { user_id: 1 }, { rawBody: { contentType: 'application/octet-stream', body: bytes } });
		expect(Buffer.compare(lastCall().raw, bytes)).toBe(0);

		const attach = { filename: 'a.bin', contentType: 'application/octet-stream', bytes };
		await expect(sim.fireOperatorReply(site.url, { user_id: 1, contact_id: 2, attach }, { encoding: 'json' })).rejects.toThrow(/multipart/);
		await expect(sim.fireUserInfoRequest(site.url, { user_id: 1 }, { tokenIn: 'json', encoding: 'urlencoded' })).rejects.toThrow(/json/);
	});
});
