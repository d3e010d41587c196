import { OpenPlatformOAuth2Api } from '../../credentials/OpenPlatformOAuth2Api.credentials';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { runCredentialTest } from './credentialTest';

let simulator: OpenPlatformSimulator;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator({ oauthClientId: 'cid', oauthClientSecret: 'csecret-123' });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.unblockAll());

describe('OpenPlatform OAuth2 credential test', () => {
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
