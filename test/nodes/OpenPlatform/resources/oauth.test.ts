import { runAsText } from '../../../engine/runNode';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../../simulators/openplatform';
import { NODE, runOpenPlatform } from '../openPlatformWorkflow';

let simulator: OpenPlatformSimulator;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator({ oauthClientId: 'client-7', oauthClientSecret: 'secret-93fa1c' });
});
afterAll(async () => await simulator.close());

function codeFor(userId: string, redirectUri = 'https://n8n.example/callback'): string {
	const { location } = simulator.authorize(userId, redirectUri, 'client-7');
	return /[?&]code=([^&?#]+)/.exec(location ?? '')?.[1] ?? '';
}

describe('OpenPlatform → OAuth', () => {
	it('builds the authorization URL with client ID and redirect URI', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'getAuthorizationUrl', redirectUri: 'https://n8n.example/cb?x=1' });
		const url = new URL(result.output(NODE)[0].json.url as string);
		expect(url.origin + url.pathname).toBe(`${simulator.baseUrl}/oauth/authorize/`);
		expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client-7', redirect_uri: 'https://n8n.example/cb?x=1' });
	});

	it('exchanges a code, showing only the token\'s last characters by default', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'exchangeCode', code: codeFor('u1') });
		const json = result.output(NODE)[0].json;
		expect(json.expire).toEqual(expect.any(String));
		expect(json).not.toHaveProperty('access_token');
		expect(json.accessTokenLast4).toHaveLength(4);
	});

	it('reads the code from a callback URL with OpenPlatform\'s doubled "?"', async () => {
		const { location } = simulator.authorize('u1', 'https://n8n.example/callback?state=abc', 'client-7');
		expect(location).toMatch(/\?state=abc\?code=/);
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'exchangeCode', code: location ?? '', includeAccessToken: true });
		expect(result.output(NODE)[0].json.access_token).toEqual(expect.any(String));
	});

	it('gets the profile from a code without the token appearing anywhere', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'getProfile', authenticateWith: 'code', code: codeFor('u2') });
		expect(result.output(NODE)[0].json).toMatchObject({ id: 'u2', name: expect.any(String) });
		const token = (await runOpenPlatform(simulator, { resource: 'oauth', operation: 'exchangeCode', code: codeFor('u2'), includeAccessToken: true })).output(NODE)[0].json.access_token as string;
		expect(runAsText(result)).not.toContain(token);
	});

	it('gets the profile with an access token', async () => {
		const token = (await runOpenPlatform(simulator, { resource: 'oauth', operation: 'exchangeCode', code: codeFor('u1'), includeAccessToken: true })).output(NODE)[0].json.access_token;
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'getProfile', authenticateWith: 'accessToken', accessToken: token as string });
		expect(result.output(NODE)[0].json.id).toBe('u1');
		expect(runAsText(result)).not.toContain(token as string);
	});

	it('reports a wrong client secret plainly and keeps it out of the run', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'exchangeCode', code: codeFor('u1') }, {
			oauthCredential: { clientSecret: 'not-the-secret-55' },
		});
		expect(result.nodeError(NODE)?.message).toBe('OpenPlatform: the code or the OAuth client ID / secret was refused (error-invalid-accesstoken)');
		expect(runAsText(result)).not.toContain('not-the-secret-55');
		expect(runAsText(result)).not.toContain('secret-93fa1c');
	});

	it('says the OAuth access token was refused, with a hint about Exchange Code, not about notify or badge URLs', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'getProfile', authenticateWith: 'accessToken', accessToken: 'expired-or-made-up-token-42' });
		const error = result.nodeError(NODE);
		expect(error?.message).toBe('OpenPlatform: the OAuth access token was refused (error-invalid-accesstoken)');
		expect(error?.description).toMatch(/Exchange Code for Token/);
		expect(error?.description).not.toMatch(/notify|badge|in the URL/);
	});

	it('refuses an empty code', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'oauth', operation: 'exchangeCode', code: ' ' });
		expect(result.nodeError(NODE)?.message).toBe('Invalid "Code": is empty');
	});
});
