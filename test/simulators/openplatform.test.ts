import {
	DEFAULT_USERS,
	startOpenPlatformSimulator,
	type OpenPlatformSimulator,
	type OpenPlatformSimulatorOptions,
} from './openplatform';

interface Reply {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
}

let sim: OpenPlatformSimulator;

async function call(url: string, init: RequestInit = {}): Promise<Reply> {
	const response = await fetch(url, { redirect: 'manual', ...init });
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
	return call(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
}

function errorOf(name: string): Array<Record<string, unknown>> {
	return [expect.objectContaining({ name, error: expect.any(String) })];
}

function withQuery(url: string, query: Record<string, string>): string {
	const target = new URL(url);
	for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
	return target.toString();
}

async function withSimulator(
	options: OpenPlatformSimulatorOptions,
	run: (other: OpenPlatformSimulator) => Promise<void>,
): Promise<void> {
	const other = await startOpenPlatformSimulator(options);
	try {
		await run(other);
	} finally {
		await other.close();
	}
}

beforeAll(async () => {
	sim = await startOpenPlatformSimulator({ seedUsers: 2500 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
	for (const id of ['u1', 'u2', 'u3', 'u4']) sim.markRead(id);
});

describe('OpenPlatform simulator: tokens and URLs', () => {
	test('hands out permanent appid-userid-checksum-checksum tokens', async () => {
		const token = sim.appToken('u1');
		expect(token.split('-')).toHaveLength(4);
		expect(token.startsWith(`${sim.appId}-u1-`)).toBe(true);
		expect(token.length).toBeGreaterThanOrEqual(30);
		expect(sim.notifyUrl('u1')).toBe(`${sim.baseUrl}/api/notify/?accesstoken=${token}`);
		expect(sim.badgeUrl('u1')).toBe(`${sim.baseUrl}/api/badge/?accesstoken=${token}`);
		expect(sim.usersUrl('u2')).toBe(`${sim.baseUrl}/api/users/?accesstoken=${sim.appToken('u2')}`);
		// The same secret gives the same tokens after a restart.
		await withSimulator({}, async (other) => {
			expect(other.appToken('u1')).toBe(token);
		});
	});

	test('unknown routes answer 404 text/plain', async () => {
		const reply = await call(`${sim.baseUrl}/api/nothing/`);
		expect(reply.status).toBe(404);
		expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(reply.text).toBe('404: The resource not found');
	});
});

describe('OpenPlatform simulator: notify', () => {
	test('stores a JSON notification and answers {"success":true}', async () => {
		const reply = await postJson(sim.notifyUrl('u1'), { type: 1, body: 'Hello __Anna__', data: 'ref-1' });
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
		expect(reply.text).toBe('{"success":true}');
		expect(sim.notifications).toEqual([
			{ userId: 'u1', type: 1, body: 'Hello __Anna__', data: 'ref-1', at: expect.any(Number) },
		]);
		expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/notify/', status: 200, ip: '127.0.0.1' });
	});

	test('accepts form-urlencoded; a non-number type becomes 0', async () => {
		const form = await call(sim.notifyUrl('u2'), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ type: '2', body: 'From a form' }).toString(),
		});
		expect(form.json).toEqual({ success: true });
		await postJson(sim.notifyUrl('u2'), { type: 'warning', body: 'typed' });
		expect(sim.notifications.map((n) => [n.type, n.body, n.data])).toEqual([
			[2, 'From a form', ''],
			[0, 'typed', ''],
		]);
	});

	test('a missing or empty body is a field error, checked before the token', async () => {
		const expected = [{ name: 'body', error: 'The field "body" is invalid', path: 'body', prefix: 'body' }];
		const missing = await postJson(sim.notifyUrl('u1'), { type: 0 });
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual(expected);
		const emptyWithBadToken = await postJson(`${sim.baseUrl}/api/notify/?accesstoken=garbage`, { body: '  ' });
		expect(emptyWithBadToken.json).toEqual(expected);
		expect(sim.tokenFailures()).toBe(0);
		expect(sim.notifications).toHaveLength(0);
	});

	test('body and data are cut to 1000 characters silently; an object data is stored as ""', async () => {
		const long = await postJson(sim.notifyUrl('u1'), { body: 'b'.repeat(1500), data: 'd'.repeat(1200) });
		expect(long.status).toBe(200);
		const objectData = await postJson(sim.notifyUrl('u1'), { body: 'with object', data: { id: 7 } });
		expect(objectData.json).toEqual({ success: true });
		expect(sim.notifications[0].body).toHaveLength(1000);
		expect(sim.notifications[0].data).toHaveLength(1000);
		expect(sim.notifications[1].data).toBe('');
	});

	test('past 15 unread notifications it still answers success but stores nothing', async () => {
		for (let i = 1; i <= 17; i++) {
			const reply = await postJson(sim.notifyUrl('u2'), { body: `n${i}` });
			expect(reply.json).toEqual({ success: true });
		}
		expect(sim.notifications.filter((n) => n.userId === 'u2')).toHaveLength(15);
		expect(sim.unreadCount('u2')).toBe(17);
		sim.markRead('u2');
		await postJson(sim.notifyUrl('u2'), { body: 'after reading' });
		expect(sim.notifications.at(-1)?.body).toBe('after reading');
		// Opening the app resets the counter too.
		for (let i = 0; i < 16; i++) await postJson(sim.notifyUrl('u1'), { body: `x${i}` });
		expect(sim.notifications.filter((n) => n.userId === 'u1')).toHaveLength(15);
		sim.openApp('u1', 'https://app.example.test/');
		await postJson(sim.notifyUrl('u1'), { body: 'after opening' });
		expect(sim.notifications.at(-1)?.body).toBe('after opening');
	});

	test('notifications off → error-accessible; muted app → error-notifications-muted', async () => {
		const off = await postJson(sim.notifyUrl('u3'), { body: 'hi' });
		expect(off.status).toBe(400);
		expect(off.json).toEqual([{ name: 'error-accessible', error: 'User account is not accessible.' }]);
		const muted = await postJson(sim.notifyUrl('u4'), { body: 'hi' });
		expect(muted.json).toEqual(errorOf('error-notifications-muted'));
		expect(sim.notifications).toHaveLength(0);
		expect(sim.tokenFailures()).toBe(0);
	});

	test('text/plain or no content type → 400 HTML page; GET → 401 HTML login page', async () => {
		const plain = await call(sim.notifyUrl('u1'), {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: JSON.stringify({ body: 'hi' }),
		});
		expect(plain.status).toBe(400);
		expect(plain.headers.get('content-type')).toMatch(/^text\/html/);
		expect(plain.text).toContain('<!DOCTYPE html>');
		const none = await call(sim.notifyUrl('u1'), { method: 'POST', body: new Uint8Array(Buffer.from('body=hi')) });
		expect(none.status).toBe(400);
		expect(none.headers.get('content-type')).toMatch(/^text\/html/);
		const get = await call(sim.notifyUrl('u1'));
		expect(get.status).toBe(401);
		expect(get.headers.get('content-type')).toMatch(/^text\/html/);
		expect(get.text).toContain('Sign in');
		expect(sim.notifications).toHaveLength(0);
	});

	test('an invalid token → error-invalid-accesstoken', async () => {
		const reply = await postJson(`${sim.baseUrl}/api/notify/?accesstoken=${sim.appId}-u1-123-456789012345678`, { body: 'x' });
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual([{ name: 'error-invalid-accesstoken', error: 'Invalid access token.' }]);
		expect(sim.tokenFailures()).toBe(1);
	});
});

describe('OpenPlatform simulator: badge', () => {
	test('GET increments the badge; POST → 404 text/plain', async () => {
		expect((await call(sim.badgeUrl('u1'))).json).toEqual({ success: true });
		expect((await call(sim.badgeUrl('u1'))).text).toBe('{"success":true}');
		expect(sim.badgeCount('u1')).toBe(2);
		const post = await postJson(sim.badgeUrl('u1'), {});
		expect(post.status).toBe(404);
		expect(post.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(post.text).toBe('404: The resource not found');
		expect(sim.badgeCount('u1')).toBe(2);
	});

	test('/api/badges/ is an alias of /api/badge/', async () => {
		const before = sim.badgeCount('u2');
		expect((await call(sim.badgeUrl('u2').replace('/api/badge/', '/api/badges/'))).json).toEqual({ success: true });
		expect(sim.badgeCount('u2')).toBe(before + 1);
	});

	test('an app the admin revoked from the user: notify → error-accessible (not counted), badge → success', async () => {
		await withSimulator({}, async (other) => {
			other.addUser({ ...DEFAULT_USERS[1], appRevoked: true });
			expect((await postJson(other.notifyUrl('u2'), { body: 'hi' })).json).toEqual(errorOf('error-accessible'));
			expect((await call(other.badgeUrl('u2'))).json).toEqual({ success: true });
			expect(other.tokenFailures()).toBe(0);
		});
	});
});

describe('OpenPlatform simulator: users', () => {
	interface UsersPage {
		items: Array<Record<string, unknown>>;
		count: number;
		page: number | null;
		pages: number | null;
		limit: number;
	}

	async function users(query: Record<string, string>): Promise<UsersPage> {
		const reply = await call(withQuery(sim.usersUrl(), query));
		expect(reply.status).toBe(200);
		return reply.json as UsersPage;
	}

	test('filters by id, q and group; user objects carry their own URLs', async () => {
		const byId = await users({ id: 'u1,u3' });
		expect(byId.items.map((u) => u.id).sort()).toEqual(['u1', 'u3']);
		const anna = byId.items.find((u) => u.id === 'u1') as Record<string, unknown>;
		expect(anna).toMatchObject({
			name: 'Anna Novak',
			email: 'anna@openplatform.test',
			groups: ['staff', 'sales'],
			notifications: true,
			badge: sim.badgeUrl('u1'),
			notify: sim.notifyUrl('u1'),
		});
		const cleo = byId.items.find((u) => u.id === 'u3') as Record<string, unknown>;
		expect(cleo.notifications).toBe(false);
		expect(cleo).not.toHaveProperty('notify');
		expect(cleo.badge).toBe(sim.badgeUrl('u3'));

		expect((await users({ q: 'NOVAK' })).items.map((u) => u.id)).toEqual(['u1']);
		expect((await users({ q: 'ben@openplatform' })).items.map((u) => u.id)).toEqual(['u2']);
		expect((await users({ group: 'dev' })).items.map((u) => u.id).sort()).toEqual(['u2', 'u4']);
	});

	test('ignores role and roles, as 4.9 does (every user comes back, whatever the role)', async () => {
		for (const query of [{ role: 'no-such-role-xyz' }, { roles: 'admin' }, { role: 'admin', limit: '1000' }] as Array<Record<string, string>>) {
			const answer = await users(query);
			expect(answer.count).toBe(2504);
		}
		const mixed = await users({ role: 'admin', limit: '1000' });
		expect(mixed.items.some((u) => !(u.roles as string[]).includes('admin'))).toBe(true);
	});

	test('pages through 2,500+ users 1,000 at a time; the default limit is 500', async () => {
		const first = await users({ limit: '1000' });
		expect(first).toMatchObject({ count: 2504, page: 1, pages: 3, limit: 1000 });
		expect(first.items).toHaveLength(1000);
		const third = await users({ page: '3', limit: '1000' });
		expect(third).toMatchObject({ page: 3, pages: 3 });
		expect(third.items).toHaveLength(504);
		const second = await users({ page: '2', limit: '1000' });
		const ids = new Set([...first.items, ...second.items, ...third.items].map((u) => u.id));
		expect(ids.size).toBe(2504);
		const byDefault = await users({});
		expect(byDefault).toMatchObject({ page: 1, pages: 6, limit: 500 });
		expect(byDefault.items).toHaveLength(500);
		expect((await users({ limit: '5000' })).limit).toBe(1000);
	});

	test('an invalid or zero page or limit answers page: null, pages: null', async () => {
		const queries: Array<Record<string, string>> = [{ page: '0' }, { page: 'abc' }, { limit: '0' }, { limit: 'x' }];
		for (const query of queries) {
			const answer = await users(query);
			expect(answer.page).toBeNull();
			expect(answer.pages).toBeNull();
			expect(answer.count).toBe(2504);
		}
	});

	test('users of an app without the read-users permission → error-permissions', async () => {
		await withSimulator({ allowReadUsers: false }, async (other) => {
			const reply = await call(other.usersUrl());
			expect(reply.json).toEqual(errorOf('error-permissions'));
		});
	});
});

describe('OpenPlatform simulator: verify', () => {
	test('answers the meta object; an expired session answers error-offline', async () => {
		const url = sim.verifyUrl('u1');
		const token = new URL(url).searchParams.get('accesstoken') as string;
		expect(url.startsWith(`${sim.baseUrl}/verify/?accesstoken=`)).toBe(true);
		// Total.js encrypt: <checksum>-<hex of "<length>=A<scrambled>">, about 110–130 hex characters.
		expect(token).toMatch(/^\d+-(?:3\d)+3d41(?:[0-9a-f]{2})+$/);
		expect(token.length).toBeGreaterThan(110);
		expect(token.length).toBeLessThan(160);

		const reply = await call(url);
		expect(reply.status).toBe(200);
		const meta = reply.json as Record<string, unknown>;
		for (const key of ['date', 'url', 'id', 'openplatform', 'openplatformid', 'email', 'verifytoken', 'name', 'version', 'profile', 'meta', 'services', 'users']) {
			expect(meta).toHaveProperty(key);
		}
		expect(meta).toMatchObject({ id: sim.appId, openplatform: sim.baseUrl, users: sim.usersUrl('u1') });
		expect(meta.profile).toMatchObject({ id: 'u1', name: 'Anna Novak', notify: sim.notifyUrl('u1'), badge: sim.badgeUrl('u1') });
		expect((await call(`${sim.baseUrl}/api/verify/?accesstoken=${token}`)).status).toBe(200);

		sim.expireSessions('u1');
		const offline = await call(url);
		expect(offline.status).toBe(400);
		expect(offline.json).toEqual([{ name: 'error-offline', error: 'User is offline' }]);
		const garbage = await call(`${sim.baseUrl}/verify/?accesstoken=123-abc`);
		expect(garbage.json).toEqual(errorOf('error-invalid-accesstoken'));
		expect(sim.tokenFailures()).toBe(1);
	});

	test('a later login kills earlier verify URLs with error-invalid-accesstoken, counted; the profile of a user with notifications off has no notify URL', async () => {
		const first = sim.verifyUrl('u3');
		const second = sim.verifyUrl('u3');
		for (let reload = 0; reload < 3; reload++) expect((await call(first)).json).toEqual(errorOf('error-invalid-accesstoken'));
		expect(sim.tokenFailures()).toBe(3);
		const meta = (await call(second)).json as { profile: Record<string, unknown> };
		expect(meta.profile.notifications).toBe(false);
		expect(meta.profile).not.toHaveProperty('notify');
	});

	test('every verify token shares one checksum constant: the checksum minus the hex\'s character codes', async () => {
		const constants = new Set(['u1', 'u2', 'u3', 'u1'].map((user) => {
			const [checksum, hex] = (new URL(sim.verifyUrl(user)).searchParams.get('accesstoken') as string).split('-');
			return Number(checksum) - [...hex].reduce((sum, char) => sum + char.charCodeAt(0), 0);
		}));
		expect(constants.size).toBe(1);
	});

	test('a blocked or inactive user is unknown to the app API: error-invalid-accesstoken, counted', async () => {
		await withSimulator({}, async (other) => {
			const verify = other.verifyUrl('u2');
			other.addUser({ ...DEFAULT_USERS[1], blocked: true });
			expect((await call(verify)).json).toEqual(errorOf('error-invalid-accesstoken'));
			expect((await call(other.badgeUrl('u2'))).json).toEqual(errorOf('error-invalid-accesstoken'));
			expect((await postJson(other.notifyUrl('u2'), { body: 'hi' })).json).toEqual(errorOf('error-invalid-accesstoken'));
			other.addUser({ ...DEFAULT_USERS[0], inactive: true });
			expect((await call(other.usersUrl('u1'))).json).toEqual(errorOf('error-invalid-accesstoken'));
			expect(other.tokenFailures()).toBe(4);
		});
	});

	test('openApp builds the URL OpenPlatform loads', async () => {
		const opened = sim.openApp('u2', 'https://app.example.test/run?x=1');
		const url = new URL(opened);
		expect(opened.startsWith('https://app.example.test/run?x=1&openplatform=')).toBe(true);
		expect(url.searchParams.get('language')).toBe('en');
		expect(url.searchParams.get('rev')).toBeTruthy();
		const verify = url.searchParams.get('openplatform') as string;
		const meta = (await call(verify)).json as Record<string, unknown>;
		expect(meta).toMatchObject({ url: 'https://app.example.test/run?x=1', profile: expect.objectContaining({ id: 'u2' }) });
		expect(sim.openApp('u2', 'https://app.example.test/plain')).toMatch(/^https:\/\/app\.example\.test\/plain\?openplatform=/);
	});
});

describe('OpenPlatform simulator: X-Origin and IP blocking', () => {
	test('with an origin token, token calls need the right X-Origin', async () => {
		await withSimulator({ originToken: 'origin-secret' }, async (other) => {
			const missing = await postJson(other.notifyUrl('u1'), { body: 'hi' });
			expect(missing.json).toEqual([{ name: 'error-invalid-origin', error: 'Your IP address is not in whitelist.' }]);
			const wrong = await call(other.badgeUrl('u1'), { headers: { 'x-origin': 'nope' } });
			expect(wrong.json).toEqual(errorOf('error-invalid-origin'));
			const right = await postJson(other.notifyUrl('u1'), { body: 'hi' }, { 'x-origin': 'origin-secret' });
			expect(right.json).toEqual({ success: true });
			const verify = await call(other.verifyUrl('u1'), { headers: { 'x-origin': 'origin-secret' } });
			expect(verify.status).toBe(200);
			expect(verify.headers.get('x-origin')).toBe('origin-secret');
			expect(other.tokenFailures()).toBe(2);
		});
	});

	test('after 11 failures the 12th call and later ones, valid tokens included, get error-blocked-ip', async () => {
		const bad = `${sim.baseUrl}/api/badge/?accesstoken=${sim.appId}-nobody-1234567890-1234567890`;
		for (let i = 0; i < 11; i++) {
			expect((await call(bad)).json).toEqual(errorOf('error-invalid-accesstoken'));
		}
		expect(sim.tokenFailures()).toBe(11);
		const blocked = await call(sim.badgeUrl('u1'));
		expect(blocked.status).toBe(400);
		expect(blocked.json).toEqual([{ name: 'error-blocked-ip', error: 'Your IP has been blocked.' }]);
		expect((await postJson(sim.notifyUrl('u1'), { body: 'hi' })).json).toEqual(errorOf('error-blocked-ip'));
		expect((await call(sim.usersUrl())).json).toEqual(errorOf('error-blocked-ip'));
		expect((await call(sim.verifyUrl('u1'))).json).toEqual(errorOf('error-blocked-ip'));
		// Another IP (Total.js trusts X-Forwarded-For) is not blocked.
		expect((await call(sim.badgeUrl('u1'), { headers: { 'x-forwarded-for': '10.0.0.9' } })).json).toEqual({ success: true });
		sim.unblockAll();
		expect((await call(sim.badgeUrl('u1'))).json).toEqual({ success: true });
	});

	test('forgets every failure (and lifts the block) when its periodic clean-up comes', async () => {
		await withSimulator({ blockAfterFailures: 1, failureMemoryMs: 300 }, async (other) => {
			const bad = `${other.baseUrl}/api/badge/?accesstoken=${other.appId}-nobody-1234567890-1234567890`;
			await call(bad);
			expect((await call(other.badgeUrl('u1'))).json).toEqual(errorOf('error-blocked-ip'));
			await new Promise((resolve) => setTimeout(resolve, 350));
			expect((await call(other.badgeUrl('u1'))).json).toEqual({ success: true });
			expect(other.tokenFailures()).toBe(0);
		});
	});

	test('a token that passed in the current minute skips the X-Origin check until the minute tick empties the cache', async () => {
		await withSimulator({ originToken: 'right', tokenCacheMs: 400 }, async (other) => {
			expect((await call(other.usersUrl(), { headers: { 'x-origin': 'wrong' } })).json).toEqual(errorOf('error-invalid-origin'));
			expect((await call(other.usersUrl(), { headers: { 'x-origin': 'right' } })).status).toBe(200);
			// Cached: the wrong origin token passes now...
			expect((await call(other.usersUrl(), { headers: { 'x-origin': 'wrong' } })).status).toBe(200);
			// ...but another token of the same app is checked in full.
			expect((await call(other.badgeUrl('u2'), { headers: { 'x-origin': 'wrong' } })).json).toEqual(errorOf('error-invalid-origin'));
			await new Promise((resolve) => setTimeout(resolve, 450));
			expect((await call(other.usersUrl(), { headers: { 'x-origin': 'wrong' } })).json).toEqual(errorOf('error-invalid-origin'));
			expect(other.tokenFailures()).toBe(3);
		});
	});

	test('OAuth failures and the notify route\'s own refusals never count towards the block', async () => {
		await withSimulator({ blockAfterFailures: 1 }, async (other) => {
			for (let attempt = 0; attempt < 5; attempt++) {
				await postJson(`${other.baseUrl}/oauth/token/`, { code: 'x-made-up', client_id: other.oauth.clientId, client_secret: 'nope' });
				await call(`${other.baseUrl}/oauth/profile/`, { headers: { authorization: 'Bearer made-up' } });
				await postJson(other.notifyUrl('u3'), { body: 'hi' });
				await postJson(other.notifyUrl('u4'), { body: 'hi' });
				await postJson(other.notifyUrl('u1'), {});
			}
			expect(other.tokenFailures()).toBe(0);
			expect((await call(other.badgeUrl('u1'))).json).toEqual({ success: true });
		});
	});

	test('invalid origins count towards the block', async () => {
		await withSimulator({ originToken: 'o', blockAfterFailures: 2 }, async (other) => {
			await call(other.badgeUrl('u1'));
			await call(other.badgeUrl('u1'));
			const blocked = await call(other.badgeUrl('u1'), { headers: { 'x-origin': 'o' } });
			expect(blocked.json).toEqual(errorOf('error-blocked-ip'));
		});
	});
});

describe('OpenPlatform simulator: OAuth 2.0', () => {
	const callback = 'https://n8n.example.test/rest/oauth/callback';

	function codeOf(location: string): string {
		return location.slice(location.lastIndexOf('?code=') + '?code='.length);
	}

	test('authorize without a signed-in user answers the 401 login page', async () => {
		const reply = await call(
			`${sim.baseUrl}/oauth/authorize/?client_id=${sim.oauth.clientId}&redirect_uri=${encodeURIComponent(callback)}`,
		);
		expect(reply.status).toBe(401);
		expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
	});

	test('authorize appends ?code= blindly and drops state', async () => {
		const plain = sim.authorize('u1', callback);
		expect(plain.status).toBe(302);
		expect(plain.location).toMatch(new RegExp(`^${callback}\\?code=[^?&]+$`));

		const withQueryString = `${callback}?a=1&state=s1`;
		const url = `${sim.baseUrl}/oauth/authorize/?client_id=${sim.oauth.clientId}&redirect_uri=${encodeURIComponent(withQueryString)}&state=ignored&response_type=code`;
		const reply = await call(url, { headers: { 'x-sim-user': 'u1' } });
		expect(reply.status).toBe(302);
		const location = reply.headers.get('location') as string;
		expect(location.startsWith(`${withQueryString}?code=`)).toBe(true);
		expect(location.split('?')).toHaveLength(3);
		expect(location).not.toContain('ignored');
		// The same code for the whole session.
		expect(codeOf(location)).toBe(codeOf(plain.location as string));
	});

	test('authorize errors: wrong client, missing parameter, OAuth off', async () => {
		expect(sim.authorize('u1', callback, 'nope')).toMatchObject({ status: 400, body: JSON.stringify([{ name: 'error-invalid-clientkey', error: 'Invalid OAuth 2 client key' }]) });
		expect(JSON.parse(sim.authorize('u1', '').body)).toEqual(errorOf('error-data'));
		await withSimulator({ oauthEnabled: false }, async (other) => {
			expect(JSON.parse(other.authorize('u1', callback).body)).toEqual(errorOf('error-nooauth'));
			const token = await postJson(`${other.baseUrl}/oauth/token/`, { code: 'x', client_id: 'a', client_secret: 'b' });
			expect(token.json).toEqual(errorOf('error-nooauth'));
		});
	});

	test('token exchange: exactly access_token + expire, twice the same token, any body encoding', async () => {
		const code = codeOf(sim.authorize('u2', callback).location as string);
		const body = { code, client_id: sim.oauth.clientId, client_secret: sim.oauth.clientSecret };
		const first = await postJson(`${sim.baseUrl}/oauth/token/`, body);
		expect(first.status).toBe(200);
		const answer = first.json as { access_token: string; expire: string };
		expect(Object.keys(answer)).toEqual(['access_token', 'expire']);
		const expire = Date.parse(answer.expire);
		expect(new Date(expire).toISOString()).toBe(answer.expire);
		expect(Math.abs(expire - Date.now() - 3 * 24 * 3600 * 1000)).toBeLessThan(60_000);

		const second = await postJson(`${sim.baseUrl}/oauth/token/`, body);
		expect(second.json).toEqual(answer);

		const form = await call(`${sim.baseUrl}/oauth/token/`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(body).toString(),
		});
		expect(form.json).toEqual(answer);
		const multipart = new FormData();
		for (const [key, value] of Object.entries(body)) multipart.append(key, value);
		const fromMultipart = await call(`${sim.baseUrl}/oauth/token/`, { method: 'POST', body: multipart });
		expect(fromMultipart.json).toEqual(answer);

		// Any client may exchange the code.
		sim.addOAuthClient('other-client', 'other-secret');
		const other = await postJson(`${sim.baseUrl}/oauth/token/`, { code, client_id: 'other-client', client_secret: 'other-secret' });
		expect(other.status).toBe(200);
	});

	test('token exchange errors: wrong secret, HTTP Basic ignored, bad code', async () => {
		const code = codeOf(sim.authorize('u1', callback).location as string);
		const wrong = await postJson(`${sim.baseUrl}/oauth/token/`, { code, client_id: sim.oauth.clientId, client_secret: 'nope' });
		expect(wrong.status).toBe(400);
		expect(wrong.json).toEqual(errorOf('error-invalid-accesstoken'));
		const basic = await postJson(`${sim.baseUrl}/oauth/token/`, { code }, {
			authorization: `Basic ${Buffer.from(`${sim.oauth.clientId}:${sim.oauth.clientSecret}`).toString('base64')}`,
		});
		expect(basic.json).toEqual(errorOf('error-invalid-accesstoken'));
		const badCode = await postJson(`${sim.baseUrl}/oauth/token/`, { code: 'nope', client_id: sim.oauth.clientId, client_secret: sim.oauth.clientSecret });
		expect(badCode.json).toEqual(errorOf('error-invalid-accesstoken'));
		expect((await call(`${sim.baseUrl}/oauth/token/`)).status).toBe(401);
	});

	test('the older error-invalid-clientkey answer for a wrong client is available as an option', async () => {
		const other = await startOpenPlatformSimulator({ oauthClientError: 'error-invalid-clientkey' });
		try {
			const code = codeOf(other.authorize('u1', callback).location as string);
			const wrong = await postJson(`${other.baseUrl}/oauth/token/`, { code, client_id: other.oauth.clientId, client_secret: 'nope' });
			expect(wrong.json).toEqual(errorOf('error-invalid-clientkey'));
		} finally {
			await other.close();
		}
	});

	test('profile: the raw user record, email and phone only with the full profile', async () => {
		async function profileFrom(other: OpenPlatformSimulator): Promise<Record<string, unknown>> {
			const code = codeOf(other.authorize('u1', callback).location as string);
			const token = await postJson(`${other.baseUrl}/oauth/token/`, { code, client_id: other.oauth.clientId, client_secret: other.oauth.clientSecret });
			const { access_token: accessToken } = token.json as { access_token: string };
			const reply = await call(`${other.baseUrl}/oauth/profile/`, { headers: { authorization: `Bearer ${accessToken}` } });
			expect(reply.status).toBe(200);
			return reply.json as Record<string, unknown>;
		}

		const limited = await profileFrom(sim);
		expect(limited).toMatchObject({ id: 'u1', name: 'Anna Novak', firstname: 'Anna', lastname: 'Novak', company: 'Example Ltd.', language: 'en', groups: ['staff', 'sales'], photo: '20200506_anna01.jpg', gender: 'female' });
		for (const key of ['email', 'phone', 'repo', 'dtbirth', 'notify', 'badge']) expect(limited).not.toHaveProperty(key);

		await withSimulator({ oauthFullProfile: true }, async (other) => {
			const full = await profileFrom(other);
			expect(full).toMatchObject({ email: 'anna@openplatform.test', phone: '+421900000001' });
			expect(full).toHaveProperty('dtbirth');
			expect(full).not.toHaveProperty('notify');
		});

		const bad = await call(`${sim.baseUrl}/oauth/profile/`, { headers: { authorization: 'Bearer nope' } });
		expect(bad.json).toEqual(errorOf('error-invalid-accesstoken'));
		expect((await call(`${sim.baseUrl}/oauth/profile/`)).json).toEqual(errorOf('error-invalid-accesstoken'));
	});
});
