import { OpenPlatformApi } from '../../../credentials/OpenPlatformApi.credentials';
import { OpenPlatformOAuth2Api } from '../../../credentials/OpenPlatformOAuth2Api.credentials';
import { openPlatformApiConnection, openPlatformOAuth2Connection } from '../../../nodes/OpenPlatform/credentialTest';
import { OpenPlatform } from '../../../nodes/OpenPlatform/OpenPlatform.node';
import { OpenPlatformTrigger } from '../../../nodes/OpenPlatformTrigger/OpenPlatformTrigger.node';
import { itIsTestedByEachNode, testButtonOf } from '../../credentials/credentialTest';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../simulators/openplatform';
import { startOperatorSimulator } from '../../simulators/operator';
import { forgetTokenErrors } from '../../../nodes/OpenPlatform/tokenGuard';
import { NODE, runOpenPlatform } from './openPlatformWorkflow';

let simulator: OpenPlatformSimulator;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator({ oauthClientId: 'cid', oauthClientSecret: 'csecret-123' });
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.unblockAll();
	forgetTokenErrors();
});

const testButton = testButtonOf(openPlatformApiConnection, 'openPlatformApi');

describe('OpenPlatform API credential test', () => {
	itIsTestedByEachNode(
		new OpenPlatformApi(),
		[
			['OpenPlatform', new OpenPlatform()],
			['OpenPlatform Trigger', new OpenPlatformTrigger()],
		],
		'openPlatformApiConnection',
		openPlatformApiConnection,
	);

	it('accepts a valid app token or users URL and refuses a wrong token, sending no notification', async () => {
		const before = simulator.notifications.length;
		expect(await testButton({ url: simulator.baseUrl, accessToken: simulator.appToken('u1') })).toEqual({
			status: 'OK',
			message: 'OpenPlatform accepted the app token',
		});
		expect((await testButton({ url: simulator.baseUrl, usersTokenUrl: simulator.usersUrl('u1') })).status).toBe('OK');
		const wrong = await testButton({ url: simulator.baseUrl, accessToken: `${simulator.appId}-u1-1234567890-1234567890` });
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain('the access token in the URL is not valid (error-invalid-accesstoken)');
		const madeUp = await testButton({ url: simulator.baseUrl, accessToken: `0-0-0-${'0'.repeat(30)}` });
		expect(madeUp).toEqual({ status: 'Error', message: expect.stringContaining('carries a token that OpenPlatform never hands out') });
		expect(simulator.notifications.length).toBe(before);
	});

	it('says that a wrong origin token can pass right after a good call, as OpenPlatform caches a token for the minute', async () => {
		const guarded = await startOpenPlatformSimulator({ originToken: 'right-origin', tokenCacheMs: 400 });
		try {
			const credential = (originToken: string) => ({ url: guarded.baseUrl, accessToken: guarded.appToken('u1'), originToken, n8nProcesses: 1 });
			const wrongFirst = await testButton(credential('wrong-origin'));
			expect(wrongFirst).toEqual({ status: 'Error', message: expect.stringContaining('error-invalid-origin') });
			const right = await testButton(credential('right-origin'));
			expect(right.status).toBe('OK');
			// Within the minute OpenPlatform skips the origin check: the Test cannot see the wrong one, and says so.
			const cached = await testButton(credential('wrong-origin'));
			expect(cached).toEqual({ status: 'OK', message: expect.stringMatching(/did not check this one: press Test again a minute later/) });
			await new Promise((resolve) => setTimeout(resolve, 450));
			expect((await testButton(credential('wrong-origin'))).status).toBe('Error');
		} finally {
			await guarded.close();
		}
	});

	it('without an app token checks that OpenPlatform answers, at no token failure', async () => {
		const failures = simulator.tokenFailures();
		const result = await testButton({ url: simulator.baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'OpenPlatform answers at this URL (no app token given, so no token was checked)' });
		expect(simulator.tokenFailures()).toBe(failures);
		expect(simulator.notifications).toHaveLength(0);
	});

	it('tells when something else answers at the URL', async () => {
		const other = await startOperatorSimulator();
		try {
			const result = await testButton({ url: `http://127.0.0.1:${other.port}` });
			expect(result).toEqual({ status: 'Error', message: 'No OpenPlatform v4 answers at this URL: check "OpenPlatform URL"' });
		} finally {
			await other.close();
		}
	});

	it('refuses a users URL on another host before sending the token there', async () => {
		const result = await testButton({ url: simulator.baseUrl, usersTokenUrl: 'https://evil.example/api/users/?accesstoken=stolen-token-9' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('not to the OpenPlatform of the credential');
		expect(result.message).not.toContain('stolen-token-9');
	});

	it('names the field when the OpenPlatform URL is not a URL', async () => {
		const result = await testButton({ url: 'intranet', accessToken: 'x' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('OpenPlatform URL');
	});
});

const oauthTestButton = testButtonOf(openPlatformOAuth2Connection, 'openPlatformOAuth2Api');

describe('OpenPlatform OAuth2 credential test', () => {
	it('costs nothing of the token-error budget: ten Test presses, and every send still goes out', async () => {
		for (let press = 0; press < 10; press++) {
			expect((await oauthTestButton({ url: simulator.baseUrl, clientId: 'cid', clientSecret: 'csecret-123' })).status).toBe('OK');
		}
		const badge = await runOpenPlatform(simulator, { resource: 'badge', operation: 'increment', badgeUrl: simulator.badgeUrl('u1') });
		expect(badge.output(NODE).map((item) => item.json)).toEqual([{ success: true }]);
	});


	itIsTestedByEachNode(
		new OpenPlatformOAuth2Api(),
		[
			['OpenPlatform', new OpenPlatform()],
			['OpenPlatform Trigger', new OpenPlatformTrigger()],
		],
		'openPlatformOAuth2Connection',
		openPlatformOAuth2Connection,
	);

	it('passes where OAuth is on, signing nobody in, and never shows the secret', async () => {
		const result = await oauthTestButton({ url: simulator.baseUrl, clientId: 'cid', clientSecret: 'csecret-123' });
		expect(result).toEqual({ status: 'OK', message: 'OpenPlatform answers with OAuth 2.0 on; the client secret is checked at the first sign-in' });
		const tokenCalls = simulator.requests.filter((request) => request.path.startsWith('/oauth/token/'));
		expect(JSON.parse(tokenCalls.at(-1)?.body ?? '{}')).toMatchObject({ code: 'n8n-credential-test', client_id: 'cid' });
		expect(simulator.requests.filter((request) => request.path.startsWith('/oauth/profile/'))).toHaveLength(0);
	});

	it('fails where OAuth is switched off', async () => {
		const off = await startOpenPlatformSimulator({ oauthEnabled: false });
		try {
			const result = await oauthTestButton({ url: off.baseUrl, clientId: 'cid', clientSecret: 'csecret-123' });
			expect(result).toEqual({ status: 'Error', message: 'OAuth 2.0 is switched off in this OpenPlatform' });
		} finally {
			await off.close();
		}
	});

	it('fails where something other than OpenPlatform answers', async () => {
		const other = await startOperatorSimulator();
		try {
			const result = await oauthTestButton({ url: `http://127.0.0.1:${other.port}`, clientId: 'cid', clientSecret: 'csecret-123' });
			expect(result).toEqual({ status: 'Error', message: 'This URL is not an OpenPlatform v4 server with OAuth 2.0: check "OpenPlatform URL"' });
		} finally {
			await other.close();
		}
	});
});
