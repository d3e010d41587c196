import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INode } from 'n8n-workflow';

import { OpenPlatformApi } from '../../../credentials/OpenPlatformApi.credentials';
import { OpenPlatformOAuth2Api } from '../../../credentials/OpenPlatformOAuth2Api.credentials';
import { OpenPlatformTrigger } from '../../../nodes/OpenPlatformTrigger/OpenPlatformTrigger.node';
import { forgetTokenErrors, TOKEN_ERROR_BUDGET } from '../../../nodes/OpenPlatform/tokenGuard';
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
});
afterEach(async () => {
	await host?.close();
	host = undefined;
});

async function startTrigger(parameters: INode['parameters'], oauthSecret = SECRET): Promise<WebhookHost> {
	host = await startWebhookHost({
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
			openPlatformApi: { url: simulator.baseUrl },
			openPlatformOAuth2Api: { url: simulator.baseUrl, clientId: 'n8n-client', clientSecret: oauthSecret },
		},
	});
	return host;
}

const endpoint = (server: WebhookHost, name: 'open' | 'command' | 'callback') => `${server.baseUrl}/webhook/op-hook/${name}`;
const get = async (url: string, headers: Record<string, string> = {}) => await fetch(url, { redirect: 'manual', headers });

describe('OpenPlatform Trigger → App Opened', () => {
	it('verifies the session, emits the user with notify and badge URLs, and redirects', async () => {
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
		expect(json.user).toMatchObject({ id: 'u1', notify: expect.stringContaining('/api/notify/'), badge: expect.stringContaining('/api/badge/') });
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

	it.each([
		['no session', { type: 'refresh' }, 400],
		['a forged session token', { type: 'refresh', openplatform: `PLACEHOLDER/verify/?accesstoken=1-${'a'.repeat(60)}` }, 401],
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
	it(`verifies at most ${TOKEN_ERROR_BUDGET.webhook} invalid sessions in 10 minutes, then answers 503 without asking OpenPlatform`, async () => {
		const server = await startTrigger({ event: 'appOpened', appResponse: 'redirect', redirectUrl: 'https://app.example/home' });
		const forged = `${simulator.baseUrl}/verify/?accesstoken=1-${'a'.repeat(60)}`;
		simulator.clearLog();
		const statuses: number[] = [];
		for (let call = 0; call < 12; call++) {
			statuses.push((await get(`${endpoint(server, 'open')}?openplatform=${encodeURIComponent(forged)}`)).status);
		}
		const budget = TOKEN_ERROR_BUDGET.webhook;
		expect(statuses).toEqual([...Array(budget).fill(401), ...Array(12 - budget).fill(503)]);
		expect(simulator.tokenFailures()).toBe(budget);
		expect(simulator.requests.filter((request) => request.path === '/verify/')).toHaveLength(budget);
		expect(server.executions).toHaveLength(0);
		// OpenPlatform never blocked n8n's IP: a workflow's own call still goes through.
		const badge = await fetch(simulator.badgeUrl('u1'));
		expect(await badge.json()).toEqual({ success: true });
	});
});
