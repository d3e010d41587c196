import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { connect } from './n8n';

// The credential forms' "Test" button calls POST /rest/credentials/test; these tests call it the
// same way, so n8n's own credential tester runs each credential's test request against the simulators.
const { client } = connect();

interface TestResult {
	status: 'OK' | 'Error';
	message: string;
}

async function testButton(type: string, data: Record<string, unknown>): Promise<TestResult> {
	const name = `${type} (credential test e2e)`;
	const id = await client.createCredential(type, name, data);
	const answer = await client.request('POST', '/rest/credentials/test', { body: { credentials: { id, name, type, data } } });
	return (answer.body as { data: TestResult }).data;
}

describe('credential test buttons, run by n8n', () => {
	let onechat: OneChatSimulator;
	let panel: OperatorSimulator;
	let platform: OpenPlatformSimulator;

	beforeAll(async () => {
		onechat = await startOneChatSimulator({ apiKey: 'e2e-cred-key-5d' });
		onechat.registerApp({ appId: 'e2e-cred-app', apiKey: 'e2e-cred-app-key' });
		panel = await startOperatorSimulator({ token: 'e2e-cred-token-90' });
		platform = await startOpenPlatformSimulator({ oauthClientId: 'e2e-cid', oauthClientSecret: 'e2e-csecret' });
	});
	afterAll(async () => {
		await onechat.close();
		await panel.close();
		await platform.close();
	});

	it('OneChat API: OK for the right key, an error naming the key for a wrong one; no message sent', async () => {
		onechat.clearLog();
		expect(await testButton('oneChatApi', { baseUrl: onechat.baseUrl, apiKey: 'e2e-cred-key-5d' })).toMatchObject({ status: 'OK' });
		const wrong = await testButton('oneChatApi', { baseUrl: onechat.baseUrl, apiKey: 'not-the-key-e2e' });
		expect(wrong).toEqual({ status: 'Error', message: 'OneChat refused the API key' });
		expect(onechat.log.map((entry) => entry.endpoint)).toEqual(['authenticateUser', 'authenticateUser']);
		expect(onechat.totalDelivered()).toBe(0);
	});

	it('OneChat mini app: OK for the registered app, an error for a wrong app key', async () => {
		expect(await testButton('oneChatMiniAppApi', { baseUrl: onechat.baseUrl, appId: 'e2e-cred-app', apiKey: 'e2e-cred-app-key' })).toMatchObject({ status: 'OK' });
		const wrong = await testButton('oneChatMiniAppApi', { baseUrl: onechat.baseUrl, appId: 'e2e-cred-app', apiKey: 'wrong-app-key' });
		expect(wrong).toEqual({ status: 'Error', message: 'OneChat refused the app ID or API key' });
		expect(onechat.totalDelivered()).toBe(0);
	});

	it('Operator panel: OK for the right token, an error for a wrong one; nothing reaches the panel as a message', async () => {
		expect(await testButton('operatorApi', { apiUrl: panel.url, apiToken: 'e2e-cred-token-90', webhookToken: 'w' })).toMatchObject({ status: 'OK' });
		const wrong = await testButton('operatorApi', { apiUrl: panel.url, apiToken: 'wrong-token-e2e', webhookToken: 'w' });
		expect(wrong).toEqual({ status: 'Error', message: 'The panel refused the API token' });
		expect(await testButton('operatorApi', { apiUrl: `${panel.url}/nothing-here`, apiToken: 'e2e-cred-token-90' })).toEqual({
			status: 'Error',
			message: 'No Operator API at this URL',
		});
		expect(panel.sends.map((entry) => entry.fields.action)).toEqual(['check_token', 'check_token']);
		expect(panel.sends.some((entry) => entry.accepted)).toBe(false);
	});

	it('OpenPlatform API: OK for an app token, an error for a wrong one, OK without one; no notification sent', async () => {
		const before = platform.notifications.length;
		expect(await testButton('openPlatformApi', { url: platform.baseUrl, accessToken: platform.appToken('u1') })).toEqual({
			status: 'OK',
			message: 'OpenPlatform accepted the app token',
		});
		const wrong = await testButton('openPlatformApi', { url: platform.baseUrl, accessToken: `${platform.appId}-u1-1234567890-1234567890` });
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain('the access token in the URL is not valid (error-invalid-accesstoken)');
		const madeUp = await testButton('openPlatformApi', { url: platform.baseUrl, accessToken: `0-0-0-${'0'.repeat(30)}` });
		expect(madeUp).toMatchObject({ status: 'Error', message: expect.stringContaining('carries a token that OpenPlatform never hands out') });
		const failures = platform.tokenFailures();
		expect(await testButton('openPlatformApi', { url: platform.baseUrl })).toMatchObject({ status: 'OK' });
		expect(platform.tokenFailures()).toBe(failures);
		expect(platform.notifications.length).toBe(before);
	});

	it('OpenPlatform OAuth2: OK where OAuth is on, an error where it is off', async () => {
		expect(await testButton('openPlatformOAuth2Api', { url: platform.baseUrl, clientId: 'e2e-cid', clientSecret: 'e2e-csecret' })).toMatchObject({ status: 'OK' });
		const off = await startOpenPlatformSimulator({ oauthEnabled: false });
		try {
			const result = await testButton('openPlatformOAuth2Api', { url: off.baseUrl, clientId: 'e2e-cid', clientSecret: 'e2e-csecret' });
			expect(result).toEqual({ status: 'Error', message: 'OAuth 2.0 is switched off in this OpenPlatform' });
		} finally {
			await off.close();
		}
	});

	it('never echoes a secret in the answer', async () => {
		const secret = 'leak-check-secret-b7f3';
		for (const [type, data] of [
			['oneChatApi', { baseUrl: onechat.baseUrl, apiKey: secret }],
			['operatorApi', { apiUrl: 'http://127.0.0.1:9/api', apiToken: secret }],
			['openPlatformApi', { url: platform.baseUrl, usersTokenUrl: `https://evil.example/api/users/?accesstoken=${secret}` }],
		] as const) {
			const result = await testButton(type, data);
			expect(result.status).toBe('Error');
			expect(JSON.stringify(result)).not.toContain(secret);
		}
	});
});
