import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { forgetTokenErrors, sharesFor } from '../../../../nodes/OpenPlatform/tokenGuard';
import { DEFAULT_N8N_PROCESSES } from '../../../../nodes/shared/defaults';
import { runAsText } from '../../../engine/runNode';
import { DEFAULT_USERS, startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../../simulators/openplatform';
import { NODE, runOpenPlatform } from '../openPlatformWorkflow';

let simulator: OpenPlatformSimulator;
let attacker: Server;
const stolen: string[] = [];

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator();
	simulator.addUser({ id: 'u9', name: 'Muted Max', email: 'max@example.test', groups: [], roles: [], mutedApp: true });
	attacker = createServer((request, response) => {
		stolen.push(String(request.url));
		response.end('{"success":true}');
	});
	await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
	await simulator.close();
	await new Promise((resolve) => attacker.close(resolve));
});
beforeEach(() => {
	simulator.clearLog();
	simulator.unblockAll();
	forgetTokenErrors();
});

const send = (extra: Record<string, unknown> = {}) => ({
	resource: 'notification',
	operation: 'send',
	notifyUrl: '={{ $json.notify }}',
	type: 1,
	body: '=Your order **{{ $json.order }}** has shipped',
	...extra,
});

describe('OpenPlatform → Notification → Send', () => {
	it('notifies each user through their notify URL, with data objects sent as JSON text', async () => {
		const before = simulator.notifications.length;
		const result = await runOpenPlatform(simulator, send({ data: '={{ { order: $json.order } }}' }), {
			items: [
				{ notify: simulator.notifyUrl('u1'), order: 'A-1' },
				{ notify: simulator.notifyUrl('u2'), order: 'B-2' },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json)).toEqual([
			{ success: true, type: 1 },
			{ success: true, type: 1 },
		]);
		const stored = simulator.notifications.slice(before);
		expect(stored.map((entry) => [entry.userId, entry.type, entry.body, entry.data])).toEqual(
			expect.arrayContaining([
				['u1', 1, 'Your order **A-1** has shipped', '{"order":"A-1"}'],
				['u2', 1, 'Your order **B-2** has shipped', '{"order":"B-2"}'],
			]),
		);
	});

	it('refuses a notify URL on another host before any request: the token never leaves', async () => {
		const foreign = simulator.notifyUrl('u1').replace(simulator.baseUrl, `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`);
		const result = await runOpenPlatform(simulator, send(), { items: [{ notify: foreign, order: 'X' }] });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Notify URL": points to http:\/\/127\.0\.0\.1:\d+, not to the OpenPlatform of the credential/);
		expect(stolen).toEqual([]);
		expect(simulator.requests).toHaveLength(0);
	});

	it('refuses a URL of the right host that is not a notify URL', async () => {
		const result = await runOpenPlatform(simulator, send(), { items: [{ notify: simulator.badgeUrl('u1'), order: 'X' }] });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Notify URL": is not an OpenPlatform notify URL/);
		expect(simulator.requests).toHaveLength(0);
	});

	it('refuses a body over 1000 characters instead of letting OpenPlatform cut it', async () => {
		const result = await runOpenPlatform(simulator, send({ body: 'x'.repeat(1001) }), { items: [{ notify: simulator.notifyUrl('u1') }] });
		expect(result.nodeError(NODE)?.message).toBe('Invalid "Body": has 1001 characters; OpenPlatform keeps only 1000');
		expect(simulator.requests).toHaveLength(0);
	});

	it('refuses data over 1000 characters once turned into JSON text', async () => {
		const result = await runOpenPlatform(simulator, send({ data: '={{ { text: "y".repeat(995) } }}' }), { items: [{ notify: simulator.notifyUrl('u1') }] });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Data": has 1006 characters \(as JSON text\)/);
	});

	it('says plainly that a user turned notifications off or muted the app', async () => {
		const result = await runOpenPlatform(simulator, send(), {
			items: [{ notify: simulator.notifyUrl('u3') }, { notify: simulator.notifyUrl('u9') }],
			onError: 'continueRegularOutput',
		});
		expect(result.output(NODE).map((item) => item.json.error)).toEqual([
			'OpenPlatform: the user has turned notifications off, or the app is no longer assigned to the user (error-accessible)',
			'OpenPlatform: the user muted notifications from this app (error-notifications-muted)',
		]);
	});

	it('names both causes of error-accessible: notifications off, or the app revoked from the user by the admin', async () => {
		simulator.addUser({ ...DEFAULT_USERS[1], id: 'revoked1', appRevoked: true });
		const result = await runOpenPlatform(simulator, send(), { items: [{ notify: simulator.notifyUrl('revoked1') }], onError: 'continueRegularOutput' });
		expect(result.output(NODE)[0].json.error).toMatch(/turned notifications off, or the app is no longer assigned to the user \(error-accessible\)/);
		expect(result.output(NODE)[0].json.errorDescription).toMatch(/admin revoked the app/);
	});

	it('counts no refusal the server does not count: 20 users with notifications off or muted do not stop the next send', async () => {
		const result = await runOpenPlatform(simulator, send({ options: { concurrency: 4 } }), {
			items: [...Array.from({ length: 10 }, () => ({ notify: simulator.notifyUrl('u3') })), ...Array.from({ length: 10 }, () => ({ notify: simulator.notifyUrl('u4') })), { notify: simulator.notifyUrl('u1') }],
			onError: 'continueRegularOutput',
		});
		expect(result.output(NODE).at(-1)?.json).toEqual({ success: true, type: 1 });
		expect(simulator.requests).toHaveLength(21);
	});

	it('says that a blocked user\'s URL is refused as an unknown token (the server does not load blocked users)', async () => {
		simulator.addUser({ ...DEFAULT_USERS[1], id: 'blocked1', blocked: true });
		const result = await runOpenPlatform(simulator, send(), { items: [{ notify: simulator.notifyUrl('blocked1') }], onError: 'continueRegularOutput' });
		expect(result.output(NODE)[0].json.error).toBe('OpenPlatform: the access token in the URL is not valid (error-invalid-accesstoken)');
		expect(result.output(NODE)[0].json.errorDescription).toMatch(/blocked or deactivated/);
	});

	it('refuses a token of a shape OpenPlatform never hands out before any request, so it costs no token failure', async () => {
		const madeUp = simulator.notifyUrl('u1').replace(/accesstoken=[^&]+/, 'accesstoken=0000-0000-0000-0000-0000-0000-0000-00');
		const result = await runOpenPlatform(simulator, send(), { items: [{ notify: madeUp }], onError: 'continueRegularOutput' });
		expect(result.output(NODE)[0].json.error).toBe('Invalid "Notify URL": carries a token that OpenPlatform never hands out (not the shape of a user token); nothing was sent');
		expect(simulator.requests).toHaveLength(0);
		expect(simulator.tokenFailures()).toBe(0);
	});

	it('users without a notify URL (notifications off) are skipped and reported, or fail when asked to', async () => {
		const items = [{ notify: simulator.notifyUrl('u1') }, { name: 'no notify key' }, { notify: '' }];
		const before = simulator.notifications.length;
		const skipped = await runOpenPlatform(simulator, send(), { items });
		const reason = 'the user has no notify URL, which OpenPlatform leaves out when the user has turned notifications off';
		expect(skipped.output(NODE).map((item) => item.json)).toEqual([
			{ success: true, type: 1 },
			{ success: false, skipped: true, reason },
			{ success: false, skipped: true, reason },
		]);
		expect(simulator.notifications.slice(before).map((entry) => entry.userId)).toEqual(['u1']);
		const strict = await runOpenPlatform(simulator, send({ missingNotifyUrl: 'fail' }), { items: items.slice(1, 2) });
		expect(strict.nodeError(NODE)?.message).toBe(`Invalid "Notify URL": is empty: ${reason}`);
	});

	it('never lets token errors reach OpenPlatform\'s IP block, even with 32 requests in flight', async () => {
		const budget = sharesFor(1).workflow;
		const broken = simulator.notifyUrl('u1').replace(/accesstoken=[^&]+/, `accesstoken=${simulator.appId}-nobody-1234567890-1234567890`);
		const result = await runOpenPlatform(simulator, send({ options: { concurrency: 32 } }), {
			items: Array.from({ length: 40 }, () => ({ notify: broken })),
			onError: 'continueRegularOutput',
		});
		const errors = result.output(NODE).map((item) => String(item.json.error));
		expect(errors).toHaveLength(40);
		expect(errors.slice(0, budget).every((error) => /error-invalid-accesstoken/.test(error))).toBe(true);
		const refusal = `OpenPlatform: not sent, because ${budget} requests to this OpenPlatform were refused for their token or origin in the last 10 minutes`;
		expect(errors.slice(budget).every((error) => error === refusal)).toBe(true);
		expect(simulator.requests).toHaveLength(budget);
		expect(simulator.tokenFailures()).toBe(budget);
		// The record outlives the run: the next run sends nothing either, so the 11 OpenPlatform allows are never reached.
		const next = await runOpenPlatform(simulator, send(), { items: [{ notify: broken }], onError: 'continueRegularOutput' });
		expect(next.output(NODE)[0].json.error).toBe(refusal);
		expect(simulator.requests).toHaveLength(budget);
	});

	it('keeps reaching a user OpenPlatform accepted lately after bad URLs spent the share, without nearing the block', async () => {
		forgetTokenErrors();
		const good = simulator.notifyUrl('u1');
		const broken = simulator.notifyUrl('u1').replace(/accesstoken=[^&]+/, `accesstoken=${simulator.appId}-nobody-1234567890-1234567892`);
		const failuresBefore = simulator.tokenFailures();
		const result = await runOpenPlatform(simulator, send({ options: { concurrency: 1 } }), {
			items: [{ notify: good }, ...Array.from({ length: 12 }, () => ({ notify: broken })), { notify: good }, { notify: broken }],
			onError: 'continueRegularOutput',
		});
		const errors = result.output(NODE).map((item) => item.json.error as string | undefined);
		expect(errors[0]).toBeUndefined();
		expect(errors.slice(1, 13).filter((error) => error?.startsWith('OpenPlatform: not sent, because'))).toHaveLength(12 - sharesFor(1).workflow);
		// The user reached before the bad URLs is reached again; the next bad URL is still refused unsent.
		expect(errors[13]).toBeUndefined();
		expect(errors[14]).toMatch(/^OpenPlatform: not sent, because/);
		expect(simulator.tokenFailures() - failuresBefore).toBe(sharesFor(1).workflow);
	});

	it(`with the credential's default n8n Processes (${DEFAULT_N8N_PROCESSES}, a small queue-mode fleet), spends only this process's part of the IP's budget`, async () => {
		forgetTokenErrors();
		const share = sharesFor(DEFAULT_N8N_PROCESSES).workflow;
		const before = simulator.requests.length;
		const failuresBefore = simulator.tokenFailures();
		const broken = simulator.notifyUrl('u2').replace(/accesstoken=[^&]+/, `accesstoken=${simulator.appId}-nobody-1234567890-1234567891`);
		const result = await runOpenPlatform(simulator, send({ options: { concurrency: 32 } }), {
			items: Array.from({ length: 10 }, () => ({ notify: broken })),
			onError: 'continueRegularOutput',
			credential: { n8nProcesses: undefined },
		});
		const errors = result.output(NODE).map((item) => String(item.json.error));
		expect(errors.filter((error) => /error-invalid-accesstoken/.test(error))).toHaveLength(share);
		expect(errors.filter((error) => error.startsWith('OpenPlatform: not sent, because'))).toHaveLength(10 - share);
		expect(simulator.requests.length - before).toBe(share);
		expect(simulator.tokenFailures() - failuresBefore).toBe(share);
	});
});

describe('OpenPlatform after it blocked the n8n server\'s IP', () => {
	let strict: OpenPlatformSimulator;
	beforeAll(async () => {
		strict = await startOpenPlatformSimulator({ blockAfterFailures: 2 });
	});
	afterAll(async () => await strict.close());

	it('stops the run at the first error-blocked-ip instead of sending on', async () => {
		const broken = strict.notifyUrl('u1').replace(/accesstoken=[^&]+/, `accesstoken=${strict.appId}-nobody-1234567890-1234567890`);
		const result = await runOpenPlatform(strict, send({ options: { concurrency: 1 } }), {
			items: [{ notify: broken }, { notify: broken }, { notify: strict.notifyUrl('u1') }, { notify: strict.notifyUrl('u2') }, { notify: strict.notifyUrl('u2') }],
			onError: 'continueRegularOutput',
		});
		const errors = result.output(NODE).map((item) => String(item.json.error));
		expect(errors[2]).toBe("OpenPlatform: this n8n server's IP address is blocked after repeated token errors (error-blocked-ip)");
		expect(errors.slice(3).every((error) => error === "OpenPlatform: not sent, because OpenPlatform blocked this n8n server's IP address less than 10 minutes ago")).toBe(true);
		expect(strict.requests).toHaveLength(3);
	});
});

describe('OpenPlatform with an origin token', () => {
	let guarded: OpenPlatformSimulator;
	beforeAll(async () => {
		guarded = await startOpenPlatformSimulator({ originToken: 'origin-secret-6b2e' });
	});
	afterAll(async () => await guarded.close());

	it('sends X-Origin from the credential, and explains error-invalid-origin without it', async () => {
		// The wrong origin first: once a token passed, OpenPlatform skips the origin check for it until its next minute tick.
		const refused = await runOpenPlatform(guarded, send(), { items: [{ notify: guarded.notifyUrl('u1') }], credential: { originToken: 'wrong-origin-1' } });
		expect(refused.nodeError(NODE)?.message).toBe('OpenPlatform: the request came from an origin OpenPlatform does not accept (error-invalid-origin)');
		expect(refused.nodeError(NODE)?.description).toMatch(/origin token/);
		expect(runAsText(refused)).not.toContain('wrong-origin-1');

		guarded.clearLog();
		const ok = await runOpenPlatform(guarded, send(), { items: [{ notify: guarded.notifyUrl('u1') }] });
		expect(ok.error).toBeUndefined();
		expect(guarded.requests[0].headers['x-origin']).toBe('origin-secret-6b2e');
	});
});
