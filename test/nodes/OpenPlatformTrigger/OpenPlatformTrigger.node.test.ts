import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INode } from 'n8n-workflow';
import { Agent, request } from 'undici';

import { OpenPlatformApi } from '../../../credentials/OpenPlatformApi.credentials';
import { OpenPlatformOAuth2Api } from '../../../credentials/OpenPlatformOAuth2Api.credentials';
import { OpenPlatformTrigger } from '../../../nodes/OpenPlatformTrigger/OpenPlatformTrigger.node';
import { forgetTokenErrors, sharesFor } from '../../../nodes/OpenPlatform/tokenGuard';

/** The engine here is one n8n process (the credential says so). */
const SHARES = sharesFor(1);
import { forgetLearntTokens } from '../../../nodes/OpenPlatform/tokenShapes';
import { forgetSessionChecks } from '../../../nodes/OpenPlatformTrigger/sessionChecks';
import { forgetSignInsOfThisProcess } from '../../../nodes/OpenPlatformTrigger/signInRecord';
import { signState, stateKey } from '../../../nodes/OpenPlatformTrigger/state';
import { startWebhookHost, type WebhookHost } from '../../engine/webhookHost';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../simulators/openplatform';

const TYPE = 'n8n-nodes-openplatform-operator-onechat.openPlatformTrigger';
const WORKFLOW_ID = 'wf-openplatform';
const SECRET = 'oauth-secret-27c4';

let simulator: OpenPlatformSimulator;
let host: WebhookHost | undefined;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator({ oauthClientId: 'n8n-client', oauthClientSecret: SECRET });
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.unblockAll();
	forgetTokenErrors();
	forgetSessionChecks();
	forgetLearntTokens();
	forgetSignInsOfThisProcess();
});
afterEach(async () => {
	await host?.close();
	host = undefined;
});

async function startTrigger(parameters: INode['parameters'], oauthSecret = SECRET, staticData?: IDataObject): Promise<WebhookHost> {
	host = await startWebhookHost({
		staticData,
		workflowId: WORKFLOW_ID,
		node: {
			id: 'op-trigger',
			name: 'OpenPlatform',
			type: TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'op-hook',
			parameters: { options: {}, ...parameters },
			credentials: { openPlatformApi: { id: 'a', name: 'api' }, openPlatformOAuth2Api: { id: 'o', name: 'oauth' } },
		},
		nodeType: new OpenPlatformTrigger(),
		credentialTypes: [new OpenPlatformApi(), new OpenPlatformOAuth2Api()],
		credentials: {
			openPlatformApi: { url: simulator.baseUrl, n8nProcesses: 1 },
			openPlatformOAuth2Api: { url: simulator.baseUrl, clientId: 'n8n-client', clientSecret: oauthSecret },
		},
	});
	return host;
}

const endpoint = (server: WebhookHost, name: 'open' | 'command' | 'callback') => `${server.baseUrl}/webhook/op-hook/${name}`;
const get = async (url: string, headers: Record<string, string> = {}) => await fetch(url, { redirect: 'manual', headers });

/** Each loopback address is another caller to n8n (Linux routes all of 127.0.0.0/8 to this machine). */
const agents = new Map<string, Agent>();
async function getFrom(address: string, url: string): Promise<number> {
	let agent = agents.get(address);
	if (!agent) {
		agent = new Agent({ localAddress: address });
		agents.set(address, agent);
	}
	const response = await request(url, { dispatcher: agent });
	await response.body.dump();
	return response.statusCode;
}
afterAll(async () => await Promise.all([...agents.values()].map(async (agent) => await agent.close())));

const openWith = (server: WebhookHost, verifyUrl: string) => `${endpoint(server, 'open')}?openplatform=${encodeURIComponent(verifyUrl)}`;
const verifyCalls = () => simulator.requests.filter((entry) => entry.path === '/verify/').length;

describe('OpenPlatform Trigger → App Opened', () => {
	it('verifies the session, emits the user without the permanent API URLs, and redirects', async () => {
		const server = await startTrigger({ event: 'appOpened', appResponse: 'redirect', redirectUrl: 'https://app.example/home' });
		const opened = simulator.openApp('u1', endpoint(server, 'open'));
		const response = await get(opened);
		expect(response.status).toBe(302);
		// The app page gets OpenPlatform's query, as if OpenPlatform had opened it (the bridge needs it).
		const location = new URL(response.headers.get('location') ?? '');
		const given = new URL(opened).searchParams;
		expect(`${location.origin}${location.pathname}`).toBe('https://app.example/home');
		expect(location.searchParams.get('openplatform')).toBe(given.get('openplatform'));
		expect(location.searchParams.get('rev')).toBe(given.get('rev'));
		expect(location.searchParams.get('language')).toBe(given.get('language'));
		expect(server.executions).toHaveLength(1);
		const json = server.executions[0].items[0][0].json as { user: Record<string, unknown>; app: Record<string, unknown> };
		expect(json.user).toMatchObject({ id: 'u1', name: 'Anna Novak', roles: ['admin', 'user'] });
		for (const key of ['notify', 'badge']) expect(json.user).not.toHaveProperty(key);
		for (const key of ['verifytoken', 'users', 'meta', 'services']) expect(json.app).not.toHaveProperty(key);
		expect(JSON.stringify(json)).not.toContain(simulator.appToken('u1'));
	});

	it('sends the browser no permanent token when it answers with the workflow\'s data', async () => {
		const server = await startTrigger({ event: 'appOpened', appResponse: 'lastNode' });
		const response = await get(simulator.openApp('u2', endpoint(server, 'open')));
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain('Ben Adams');
		expect(page).not.toContain('accesstoken');
		expect(page).not.toContain(simulator.appToken('u2'));
	});

	it('keeps the notify, badge, users, meta and services URLs when the workflow asks for them', async () => {
		const server = await startTrigger({ event: 'appOpened', appResponse: 'redirect', redirectUrl: 'https://app.example/', includeApiUrls: true });
		expect((await get(simulator.openApp('u1', endpoint(server, 'open')))).status).toBe(302);
		const json = server.executions[0].items[0][0].json as { user: Record<string, unknown>; app: Record<string, unknown> };
		expect(json.user).toMatchObject({ notify: simulator.notifyUrl('u1'), badge: simulator.badgeUrl('u1') });
		expect(json.app).toMatchObject({ users: simulator.usersUrl('u1'), meta: expect.stringContaining('/api/meta/'), services: expect.stringContaining('/api/services/') });
		expect(json.app).not.toHaveProperty('verifytoken');
	});

	it('refuses a verify URL on another host with 400 and asks nobody', async () => {
		const server = await startTrigger({ event: 'appOpened', redirectUrl: 'https://app.example/' });
		// A look-alike OpenPlatform on another port of this machine, which records what reaches it.
		const reached: string[] = [];
		const lookalike = createServer((request, response) => {
			reached.push(String(request.url));
			response.end('{}');
		});
		await new Promise<void>((resolve) => lookalike.listen(0, '127.0.0.1', resolve));
		try {
			simulator.clearLog();
			const forged = `http://127.0.0.1:${(lookalike.address() as AddressInfo).port}/verify/?accesstoken=${'1'.repeat(40)}`;
			const response = await get(`${endpoint(server, 'open')}?openplatform=${encodeURIComponent(forged)}`);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ error: expect.stringContaining('not to the OpenPlatform of the credential') });
			expect(reached).toEqual([]);
			expect(simulator.requests).toHaveLength(0);
			expect(server.executions).toHaveLength(0);
		} finally {
			await new Promise((resolve) => lookalike.close(resolve));
		}
	});

	it('answers 401 for an ended session', async () => {
		const server = await startTrigger({ event: 'appOpened', redirectUrl: 'https://app.example/' });
		const opened = simulator.openApp('u2', endpoint(server, 'open'));
		simulator.expireSessions('u2');
		const response = await get(opened);
		expect(response.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('answers 400 when the page was not opened by OpenPlatform', async () => {
		const server = await startTrigger({ event: 'appOpened', redirectUrl: 'https://app.example/' });
		expect((await get(endpoint(server, 'open'))).status).toBe(400);
		expect(server.executions).toHaveLength(0);
	});
});

describe('OpenPlatform Trigger → Command Received', () => {
	it('serves the bridge script that relays OP.on("command") to the trigger', async () => {
		const server = await startTrigger({ event: 'commandReceived' });
		const response = await get(endpoint(server, 'open'));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
		const script = await response.text();
		expect(script).toContain(JSON.stringify(endpoint(server, 'command')));
		expect(script).toContain("window.OP.on('command', relay)");
		expect(server.executions).toHaveLength(0);
	});

	it('emits {type, body, user} for a command relayed with a live session (text/plain, as the script sends)', async () => {
		const server = await startTrigger({ event: 'commandReceived' });
		const response = await fetch(endpoint(server, 'command'), {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: JSON.stringify({ type: 'refresh', body: { orderId: 7 }, openplatform: simulator.verifyUrl('u1') }),
		});
		expect(response.status).toBe(204);
		expect(server.executions[0].items[0][0].json).toMatchObject({ event: 'commandReceived', type: 'refresh', body: { orderId: 7 }, user: { id: 'u1' } });
	});

	it('starts only for the listed "Command Types": others get 200, start nothing and cost no verify call', async () => {
		const server = await startTrigger({ event: 'commandReceived', commandTypes: 'refresh, export' });
		const relay = async (type: string) =>
			await fetch(endpoint(server, 'command'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ type, openplatform: simulator.verifyUrl('u1') }) });
		const before = verifyCalls();
		const ignored = await relay('delete');
		expect(ignored.status).toBe(200);
		expect(await ignored.json()).toEqual({ ignored: 'not a command type this workflow listens to' });
		expect(verifyCalls()).toBe(before);
		expect(server.executions).toHaveLength(0);
		expect((await relay('export')).status).toBe(204);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].items[0][0].json).toMatchObject({ type: 'export' });
	});

	it.each([
		['no session', { type: 'refresh' }, 400],
		['a made-up session token (refused by its shape)', { type: 'refresh', openplatform: `PLACEHOLDER/verify/?accesstoken=1-${'a'.repeat(60)}` }, 401],
		['a session on another host', { type: 'refresh', openplatform: `https://evil.example/verify/?accesstoken=1-${'a'.repeat(60)}` }, 400],
		['no type', { openplatform: 'PLACEHOLDER/verify/?accesstoken=x' }, 400],
	])('refuses a relayed command with %s', async (_, body, status) => {
		const server = await startTrigger({ event: 'commandReceived' });
		const text = JSON.stringify(body).replace('PLACEHOLDER', simulator.baseUrl);
		const response = await fetch(endpoint(server, 'command'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
		expect(response.status).toBe(status);
		expect(server.executions).toHaveLength(0);
	});
});

describe('OpenPlatform Trigger → OAuth Sign-in', () => {
	async function signIn(server: WebhookHost, userId: string) {
		const start = await get(endpoint(server, 'open'));
		expect(start.status).toBe(302);
		const setCookie = start.headers.get('set-cookie') ?? '';
		expect(setCookie).toMatch(/^n8n_openplatform_signin_\w+=[\w-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/);
		const authorize = new URL(start.headers.get('location') ?? '');
		// The signed-in browser at OpenPlatform (the simulator takes the user from a header).
		const atPlatform = await get(authorize.toString(), { 'x-sim-user': userId });
		expect(atPlatform.status).toBe(302);
		// What this browser sends back to n8n on the callback.
		const cookie = setCookie.split(';')[0];
		return { authorize, callback: atPlatform.headers.get('location') ?? '', cookie };
	}

	it('goes start → OpenPlatform → callback (with the doubled "?") → profile → redirect', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' });
		const { authorize, callback, cookie } = await signIn(server, 'u2');
		expect(authorize.searchParams.get('client_id')).toBe('n8n-client');
		expect(authorize.searchParams.get('redirect_uri')).toMatch(new RegExp(`^${endpoint(server, 'callback')}\\?state=`));
		expect(callback).toMatch(/\?state=[^?]+\?code=/);
		const done = await get(callback, { cookie });
		expect(done.status).toBe(302);
		expect(done.headers.get('location')).toBe('https://app.example/welcome');
		// The browser's sign-in cookie is spent.
		expect(done.headers.get('set-cookie')).toMatch(/^n8n_openplatform_signin_\w+=; Max-Age=0;/);
		expect(server.executions).toHaveLength(1);
		const json = server.executions[0].items[0][0].json;
		expect(json).toMatchObject({ event: 'oauthSignIn', user: { id: 'u2' }, sessionExpires: expect.any(String) });
		expect(JSON.stringify(json)).not.toMatch(/access_token/);
	});

	it('refuses a forged state with 400 and starts nothing', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' });
		const { callback, cookie } = await signIn(server, 'u1');
		const forged = callback.replace(/state=[^.]+\.[^?]+/, `state=${signState('attacker-key', 60_000)}`);
		const response = await get(forged, { cookie });
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ error: 'The sign-in state is forged' });
		expect(server.executions).toHaveLength(0);
	});

	it('forged states cost no credential read once the credential was read; a real sign-in still completes', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' });
		const { callback, cookie } = await signIn(server, 'u1');
		for (const key of ['attacker-1', 'attacker-2', 'attacker-3']) {
			const forged = callback.replace(/state=[^.]+\.[^?]+/, `state=${signState(key, 60_000)}`);
			expect((await get(forged, { cookie })).status).toBe(400);
		}
		expect((await get(callback, { cookie })).status).toBe(302);
		expect(server.credentials.readsOf('openPlatformOAuth2Api')).toBe(1);
		expect(server.executions).toHaveLength(1);
	});

	it('refuses an expired state with 400', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' });
		const expired = signState(stateKey(SECRET, WORKFLOW_ID, 'op-trigger'), -1_000);
		const code = /code=([^&]+)/.exec(simulator.authorize('u1', 'https://x.example/', 'n8n-client').location ?? '')?.[1];
		const response = await get(`${endpoint(server, 'callback')}?state=${expired}?code=${code}`);
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ error: 'The sign-in took too long; start again' });
		expect(server.executions).toHaveLength(0);
	});

	it('refuses a valid callback in a browser that did not start the sign-in (login CSRF), and a replay after use', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' });
		// An attacker starts a sign-in as themselves and sends the victim the callback URL.
		const attacker = await signIn(server, 'u1');
		const victim = await signIn(server, 'u2');
		const tokenCallsBefore = simulator.requests.filter((request) => request.path.startsWith('/oauth/token/')).length;
		for (const headers of [{}, { cookie: victim.cookie }] as Array<Record<string, string>>) {
			const response = await get(attacker.callback, headers);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ error: 'This sign-in was not started in this browser; start again' });
		}
		expect(simulator.requests.filter((request) => request.path.startsWith('/oauth/token/'))).toHaveLength(tokenCallsBefore);
		expect(server.executions).toHaveLength(0);
		// The attacker's own browser completes once; the spent cookie is gone from a real browser.
		expect((await get(attacker.callback, { cookie: attacker.cookie })).status).toBe(302);
		expect((await get(attacker.callback)).status).toBe(400);
		expect(server.executions).toHaveLength(1);
	});

	it('answers 502 and starts nothing when OpenPlatform refuses the client secret', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' }, 'wrong-secret');
		const { callback, cookie } = await signIn(server, 'u1');
		const response = await get(callback, { cookie });
		expect(response.status).toBe(502);
		expect(server.executions).toHaveLength(0);
	});
});

describe('OpenPlatform Trigger against strangers who would get n8n blocked', () => {
	const redirect = { event: 'appOpened', appResponse: 'redirect', redirectUrl: 'https://app.example/home' };

	/** A verify URL of a session that a later login of the same user replaced: the real shape, dead at the server. */
	function staleVerifyUrl(userId: string): string {
		const stale = simulator.verifyUrl(userId);
		simulator.verifyUrl(userId);
		return stale;
	}

	it('refuses made-up session tokens by their shape, asking OpenPlatform nothing', async () => {
		const server = await startTrigger(redirect);
		// Two real sessions teach the trigger this OpenPlatform's checksum constant.
		for (const user of ['u1', 'u2']) expect((await get(openWith(server, simulator.verifyUrl(user)))).status).toBe(302);
		simulator.clearLog();
		const real = new URL(simulator.verifyUrl('u1')).searchParams.get('accesstoken') as string;
		const [checksum, hex] = real.split('-');
		const madeUp = [
			`1-${'a'.repeat(60)}`,
			`123-${'ab'.repeat(60)}`,
			// The right shape, another checksum: only a token OpenPlatform encrypted has the server's constant.
			`${Number(checksum) + 7}-${hex}`,
			`${checksum}-${hex.slice(0, -2)}${hex.slice(-2) === 'ff' ? 'fe' : 'ff'}`,
		];
		for (let round = 0; round < 3; round++) {
			for (const token of madeUp) expect((await get(openWith(server, `${simulator.baseUrl}/verify/?accesstoken=${token}`))).status).toBe(401);
		}
		expect(verifyCalls()).toBe(0);
		expect(simulator.tokenFailures()).toBe(0);
		expect((await get(openWith(server, simulator.verifyUrl('u2')))).status).toBe(302);
	});

	it('made-up sessions and URLs of other hosts cost one credential read per CREDENTIAL_MEMORY_MS; real users are still verified', async () => {
		const server = await startTrigger(redirect);
		for (let index = 0; index < 6; index++) expect((await get(openWith(server, `${simulator.baseUrl}/verify/?accesstoken=${index}-${'ab'.repeat(60)}`))).status).toBe(401);
		expect((await get(openWith(server, 'http://evil.example/verify/?accesstoken=abc'))).status).toBe(400);
		expect((await get(openWith(server, simulator.verifyUrl('u2')))).status).toBe(302);
		expect(server.credentials.readsOf('openPlatformApi')).toBe(1);
		expect(server.executions).toHaveLength(1);
	});

	it('lets one user\'s stale app window cost one refusal at OpenPlatform however often it is reloaded, and lets others in', async () => {
		const server = await startTrigger(redirect);
		const stale = staleVerifyUrl('u2');
		simulator.clearLog();
		for (let reload = 0; reload < 6; reload++) expect((await get(openWith(server, stale))).status).toBe(401);
		expect(verifyCalls()).toBe(1);
		expect(simulator.tokenFailures()).toBe(1);
		// Another user, and the same user's live session, get in.
		expect((await get(openWith(server, simulator.verifyUrl('u1')))).status).toBe(302);
		expect((await get(openWith(server, simulator.verifyUrl('u2')))).status).toBe(302);
		expect(server.executions).toHaveLength(2);
	});

	it(`lets one client address spend only its share (${SHARES.perAddress}), so valid sessions from other addresses still get in`, async () => {
		const server = await startTrigger(redirect);
		const stale = Array.from({ length: 6 }, () => staleVerifyUrl('u3'));
		simulator.clearLog();
		const statuses: number[] = [];
		for (const url of stale) statuses.push(await getFrom('127.0.0.2', openWith(server, url)));
		const share = SHARES.perAddress;
		expect(statuses).toEqual([...Array(share).fill(401), ...Array(6 - share).fill(429)]);
		expect(verifyCalls()).toBe(share);
		expect(await getFrom('127.0.0.3', openWith(server, simulator.verifyUrl('u1')))).toBe(302);
		expect(await getFrom('127.0.0.3', openWith(server, staleVerifyUrl('u4')))).toBe(401);
		expect(await getFrom('127.0.0.4', openWith(server, simulator.verifyUrl('u2')))).toBe(302);
		expect(server.executions).toHaveLength(2);
	});

	it('sends one stale token once, however many callers send it at the same time', async () => {
		const server = await startTrigger(redirect);
		const stale = staleVerifyUrl('u1');
		simulator.clearLog();
		const statuses = await Promise.all(Array.from({ length: 10 }, async (_, index) => await getFrom(`127.0.1.${index + 1}`, openWith(server, stale))));
		expect(statuses).toEqual(Array(10).fill(401));
		expect(verifyCalls()).toBe(1);
	});

	it(`never lets any number of callers get n8n's IP blocked: at most ${SHARES.webhook} refusals reach OpenPlatform, then 503`, async () => {
		const server = await startTrigger(redirect);
		const stale = Array.from({ length: 12 }, () => staleVerifyUrl('u2'));
		simulator.clearLog();
		const statuses: number[] = [];
		for (const [index, url] of stale.entries()) statuses.push(await getFrom(`127.0.2.${index + 1}`, openWith(server, url)));
		const budget = SHARES.webhook;
		expect(statuses).toEqual([...Array(budget).fill(401), ...Array(12 - budget).fill(503)]);
		expect(simulator.tokenFailures()).toBe(budget);
		expect(verifyCalls()).toBe(budget);
		expect(server.executions).toHaveLength(0);
		// OpenPlatform never blocked n8n's IP: a workflow's own call still goes through.
		const badge = await fetch(simulator.badgeUrl('u1'));
		expect(await badge.json()).toEqual({ success: true });
	});

	it('counts no sign-in failure: made-up codes in callbacks cost nothing, and the next real sign-in works', async () => {
		const server = await startTrigger({ event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' });
		for (let attempt = 0; attempt < 6; attempt++) {
			const attacker = await signInAs(server, 'u1');
			const forged = attacker.callback.replace(/code=[^&?#]+$/, `code=x1abcdx${attempt}madeupsession`);
			const response = await get(forged, { cookie: attacker.cookie });
			expect(response.status).toBe(502);
			expect(await response.text()).not.toContain('madeupsession');
		}
		expect(simulator.tokenFailures()).toBe(0);
		const real = await signInAs(server, 'u2');
		expect((await get(real.callback, { cookie: real.cookie })).status).toBe(302);
		expect(server.executions).toHaveLength(1);
	});
});

/** Starts a sign-in in a fresh browser and lets OpenPlatform answer it for the user: the callback and the browser's cookie. */
async function signInAs(server: WebhookHost, userId: string, browserCookie = '') {
	const start = await get(endpoint(server, 'open'), browserCookie ? { cookie: browserCookie } : {});
	const cookie = [(start.headers.get('set-cookie') ?? '').split(';')[0], browserCookie].filter(Boolean).join('; ');
	const atPlatform = await get(start.headers.get('location') ?? '', { 'x-sim-user': userId });
	return { callback: atPlatform.headers.get('location') ?? '', cookie };
}

const tokenExchanges = () => simulator.requests.filter((entry) => entry.path.startsWith('/oauth/token/')).length;

describe('OpenPlatform Trigger → OAuth Sign-in, used once', () => {
	const signInParameters = { event: 'oauthSignIn', successRedirectUrl: 'https://app.example/welcome' };

	it('refuses a callback replayed with the same cookie, and starts nothing more', async () => {
		const server = await startTrigger(signInParameters);
		const { callback, cookie } = await signInAs(server, 'u1');
		expect((await get(callback, { cookie })).status).toBe(302);
		const exchanges = tokenExchanges();
		const replay = await get(callback, { cookie });
		expect(replay.status).toBe(400);
		expect(await replay.json()).toEqual({ error: 'This sign-in was already completed; start again' });
		expect(tokenExchanges()).toBe(exchanges);
		expect(server.executions).toHaveLength(1);
	});

	it('refuses the replay in another n8n process too: the record is in the workflow\'s static data, not in memory', async () => {
		const persisted: IDataObject = {};
		const first = await startTrigger(signInParameters, SECRET, persisted);
		const { callback, cookie } = await signInAs(first, 'u2');
		expect((await get(callback, { cookie })).status).toBe(302);
		await first.close();
		host = undefined;
		// Another process: the same workflow (node, static data as n8n saved it to its database), nothing in memory.
		forgetSignInsOfThisProcess();
		const second = await startTrigger(signInParameters, SECRET, JSON.parse(JSON.stringify(persisted)) as IDataObject);
		const replayed = callback.replace(endpoint(first, 'callback'), endpoint(second, 'callback'));
		const replay = await get(replayed, { cookie });
		expect(replay.status).toBe(400);
		expect(second.executions).toHaveLength(0);
	});

	it('refuses a code that signed someone in when another browser brings it (code substitution), and lets its own browser sign in again', async () => {
		const server = await startTrigger(signInParameters);
		const victim = await signInAs(server, 'u2');
		const done = await get(victim.callback, { cookie: victim.cookie });
		expect(done.status).toBe(302);
		const browserCookie = done.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n_openplatform_browser_'))?.split(';')[0] ?? '';
		expect(browserCookie).toMatch(/^n8n_openplatform_browser_\w+=[\w-]+$/);
		const victimCode = /code=([^&?#]+)$/.exec(victim.callback)?.[1] ?? '';

		// The attacker completes their own started sign-in with the victim's code.
		const attacker = await signInAs(server, 'u1');
		const exchanges = tokenExchanges();
		const substituted = await get(attacker.callback.replace(/code=[^&?#]+$/, `code=${victimCode}`), { cookie: attacker.cookie });
		expect(substituted.status).toBe(400);
		const answer = await substituted.text();
		expect(answer).toContain('already used in another browser');
		expect(answer).not.toContain(victimCode);
		expect(tokenExchanges()).toBe(exchanges);

		// The victim's own browser signs in again within the same OpenPlatform session (the same code).
		const again = await signInAs(server, 'u2', browserCookie);
		expect(/code=([^&?#]+)$/.exec(again.callback)?.[1]).toBe(victimCode);
		expect((await get(again.callback, { cookie: again.cookie })).status).toBe(302);
		expect(server.executions.map((execution) => (execution.items[0][0].json.user as IDataObject).id)).toEqual(['u2', 'u2']);
	});
});
