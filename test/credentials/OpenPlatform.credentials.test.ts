import { OpenPlatformApi } from '../../credentials/OpenPlatformApi.credentials';
import { OpenPlatformOAuth2Api } from '../../credentials/OpenPlatformOAuth2Api.credentials';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { runCredentialTest } from './credentialTest';

let simulator: OpenPlatformSimulator;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator({ oauthClientId: 'cid', oauthClientSecret: 'csecret-123' });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.unblockAll());

describe('OpenPlatform credential tests send no notification', () => {
	it('OpenPlatform API: accepts a valid app token, refuses a wrong one', async () => {
		const before = simulator.notifications.length;
		expect((await runCredentialTest(new OpenPlatformApi(), { url: simulator.baseUrl, accessToken: simulator.appToken('u1') })).status).toBe('OK');
		expect((await runCredentialTest(new OpenPlatformApi(), { url: simulator.baseUrl, usersTokenUrl: simulator.usersUrl('u1') })).status).toBe('OK');
		const bad = await runCredentialTest(new OpenPlatformApi(), { url: simulator.baseUrl, accessToken: `0-0-0-${'0'.repeat(30)}` });
		expect(bad).toMatchObject({ status: 'Error', message: 'OpenPlatform refused the app access token or origin token' });
		expect(simulator.notifications.length).toBe(before);
	});

	it('OpenPlatform OAuth2: passes where OAuth is on, fails where it is switched off', async () => {
		expect((await runCredentialTest(new OpenPlatformOAuth2Api(), { url: simulator.baseUrl, clientId: 'cid', clientSecret: 'csecret-123' })).status).toBe('OK');
		const off = await startOpenPlatformSimulator({ oauthEnabled: false });
		try {
			const result = await runCredentialTest(new OpenPlatformOAuth2Api(), { url: off.baseUrl, clientId: 'cid', clientSecret: 'csecret-123' });
			expect(result).toMatchObject({ status: 'Error', message: 'OAuth 2.0 is switched off in this OpenPlatform' });
		} finally {
			await off.close();
		}
	});
});
