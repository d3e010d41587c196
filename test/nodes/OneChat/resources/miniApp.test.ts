import { startOneChatSimulator, type OneChatSimulator } from '../../../simulators/onechat';
import { NODE, runAsText, runOneChat } from '../oneChatWorkflow';

let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'admin-key-3c1e' });
	simulator.addSession('admin@onechat.test', 'admin-session');
	simulator.addSession('alice@onechat.test', 'alice-session');
	simulator.registerApp({ appId: 'app-1', apiKey: 'app-key-5d7f0a' });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearLog());

const register = {
	resource: 'miniApp',
	operation: 'register',
	adminJid: 'admin@onechat.test',
	sessionId: 'admin-session',
	appName: 'Coupons',
	appIcon: 'https://example.com/icon.png',
	appUrl: 'https://example.com/coupons',
};

describe('Mini App → Register', () => {
	it('registers and shows only the last characters of the new key by default', async () => {
		const result = await runOneChat(simulator, register);
		const json = result.output(NODE)[0].json;
		expect(json).toMatchObject({ appName: 'Coupons', appUrl: 'https://example.com/coupons', status: 'Success' });
		const app = simulator.apps.get(json.appId as string);
		expect(app).toBeDefined();
		expect(json.apiKeyLast4).toBe(app?.apiKey.slice(-4));
		expect(runAsText(result)).not.toContain(app?.apiKey);
	});

	it('outputs the key when asked to', async () => {
		const result = await runOneChat(simulator, { ...register, includeApiKey: true });
		const json = result.output(NODE)[0].json;
		expect(json.apiKey).toBe(simulator.apps.get(json.appId as string)?.apiKey);
	});

	it('names the invalid URL field and sends nothing', async () => {
		const result = await runOneChat(simulator, { ...register, appUrl: 'coupons.html' });
		expect(result.nodeError(NODE)?.message).toBe('Invalid "App URL": must be a full URL such as https://example.com/app');
		expect(simulator.log).toHaveLength(0);
	});

	it('reports a wrong admin session as the API describes it', async () => {
		const result = await runOneChat(simulator, { ...register, sessionId: 'stale' });
		expect(result.nodeError(NODE)?.message).toBe('OneChat: Invalid session');
	});
});

describe('Mini App → Authenticate User', () => {
	const authenticate = { resource: 'miniApp', operation: 'authenticateUser', jid: '={{ $json.jid }}', sessionId: '={{ $json.sessionId }}' };
	const miniAppCredential = { appId: 'app-1', apiKey: 'app-key-5d7f0a' };

	it('tells a valid session from an invalid one, using the mini-app credential', async () => {
		const result = await runOneChat(simulator, authenticate, {
			items: [
				{ jid: 'alice@onechat.test', sessionId: 'alice-session' },
				{ jid: 'alice@onechat.test', sessionId: 'forged' },
			],
			miniAppCredential,
		});
		expect(result.output(NODE).map((item) => item.json)).toEqual([
			{ jid: 'alice@onechat.test', isAuthenticated: true },
			{ jid: 'alice@onechat.test', isAuthenticated: false },
		]);
		expect(simulator.log[0]).toMatchObject({ apiKey: 'app-key-5d7f0a', body: { appId: 'app-1', jid: 'alice@onechat.test' } });
		expect(runAsText(result)).not.toContain('app-key-5d7f0a');
	});

	it('refuses an empty session ID', async () => {
		const result = await runOneChat(simulator, authenticate, {
			items: [{ jid: 'alice@onechat.test', sessionId: '' }],
			miniAppCredential,
		});
		expect(result.nodeError(NODE)?.message).toBe('Invalid "Session ID": is empty');
	});
});
