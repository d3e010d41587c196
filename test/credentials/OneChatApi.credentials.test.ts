import { OneChatApi } from '../../credentials/OneChatApi.credentials';
import { OneChatMiniAppApi } from '../../credentials/OneChatMiniAppApi.credentials';
import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { runCredentialTest } from './credentialTest';

let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'cred-key-8e21' });
	simulator.registerApp({ appId: 'app-9', apiKey: 'app-key-77c3' });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearLog());

describe('OneChat credential test buttons', () => {
	it('accepts the right API key and refuses a wrong one, sending no message', async () => {
		const good = await runCredentialTest(new OneChatApi(), { baseUrl: `${simulator.baseUrl}/`, apiKey: 'cred-key-8e21' });
		expect(good.status).toBe('OK');
		const bad = await runCredentialTest(new OneChatApi(), { baseUrl: simulator.baseUrl, apiKey: 'guess' });
		expect(bad).toMatchObject({ status: 'Error', message: 'OneChat refused the API key' });
		expect(simulator.log.map((entry) => entry.endpoint)).toEqual(['authenticateUser', 'authenticateUser']);
		expect(simulator.totalDelivered()).toBe(0);
	});

	it('checks a mini-app credential by its app ID and key', async () => {
		const good = await runCredentialTest(new OneChatMiniAppApi(), {
			baseUrl: simulator.baseUrl,
			appId: 'app-9',
			apiKey: 'app-key-77c3',
		});
		expect(good.status).toBe('OK');
		expect(simulator.log[0].body).toMatchObject({ appId: 'app-9', apiKey: 'app-key-77c3' });
		const bad = await runCredentialTest(new OneChatMiniAppApi(), { baseUrl: simulator.baseUrl, appId: 'app-9', apiKey: 'x' });
		expect(bad).toMatchObject({ status: 'Error', message: 'OneChat refused the app ID or API key' });
	});
});
