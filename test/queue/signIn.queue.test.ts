import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { example } from '../e2e/n8n';
import { connectFleet } from './fleet';

const { state, client } = connectFleet();
let platform: OpenPlatformSimulator;
let workflowId: string;
let webhookId: string;

const get = async (url: string, headers: Record<string, string> = {}) => await fetch(url, { redirect: 'manual', headers });
/** The sign-in URL `path` of the example's trigger, on webhook processor `index`. */
const on = (index: number, path: string) => `${state.webhookBaseUrls[index]}/webhook/${webhookId}/${path}`;
const tokenExchanges = () => platform.requests.filter((entry) => entry.path.startsWith('/oauth/token/')).length;

beforeAll(async () => {
	platform = await startOpenPlatformSimulator();
	const credentials = {
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (queue)', { url: platform.baseUrl, accessToken: platform.appToken('u1') }),
		openPlatformOAuth2Api: await client.createCredential('openPlatformOAuth2Api', 'OpenPlatform OAuth2 (queue)', {
			url: platform.baseUrl,
			clientId: platform.oauth.clientId,
			clientSecret: platform.oauth.clientSecret,
		}),
	};
	const workflow = example('openplatform-sign-in.json');
	workflowId = await client.importWorkflow(workflow, credentials, { name: 'Sign-in across processes' });
	await client.activateWorkflow(workflowId);
	webhookId = (workflow.nodes.find((node) => typeof node.webhookId === 'string') as { webhookId: string }).webhookId;
});
afterAll(async () => {
	await client.deactivateWorkflow(workflowId);
	await platform.close();
});

describe('OpenPlatform sign-in across n8n processes', () => {
	it('starts on one webhook processor, completes on the other, and a replay is refused on the first', async () => {
		expect(state.webhookBaseUrls).toHaveLength(2);
		const start = await get(on(0, 'open'));
		expect(start.status).toBe(302);
		const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
		const atPlatform = await get(start.headers.get('location') ?? '', { 'x-sim-user': 'u2' });
		// OpenPlatform sends the browser back to the URL n8n gave it; here the other processor receives it.
		const callback = (atPlatform.headers.get('location') ?? '').replace(state.webhookBaseUrls[0], state.webhookBaseUrls[1]);
		expect(callback.startsWith(state.webhookBaseUrls[1])).toBe(true);
		const done = await get(callback, { cookie });
		expect(done.status).toBe(302);
		const [execution] = await client.waitForExecutions(workflowId, { count: 1 });
		expect(execution.status).toBe('success');

		const exchanges = tokenExchanges();
		const replay = await get(callback.replace(state.webhookBaseUrls[1], state.webhookBaseUrls[0]), { cookie });
		expect(replay.status).toBe(400);
		expect(await replay.json()).toEqual({ error: 'This sign-in was already completed; start again' });
		expect(tokenExchanges()).toBe(exchanges);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await client.listExecutions({ workflowId })).toHaveLength(1);
	});
});
