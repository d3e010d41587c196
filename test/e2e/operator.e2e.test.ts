import { randomBytes } from 'node:crypto';

import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { startSiteSimulator, type SiteSimulator } from '../simulators/site';
import { connect, example, webhookUrl } from './n8n';

const { state, client } = connect();
let panel: OperatorSimulator;
let site: SiteSimulator;
let credentials: Record<string, string>;
const active: string[] = [];

beforeAll(async () => {
	panel = await startOperatorSimulator({ token: 'e2e-api-token', webhookToken: 'e2e-hook-token-3c' });
	site = await startSiteSimulator();
	credentials = {
		operatorApi: await client.createCredential('operatorApi', 'Operator panel (e2e)', {
			apiUrl: panel.url,
			apiToken: panel.token,
			webhookToken: panel.webhookToken,
		}),
	};
});
afterAll(async () => {
	for (const id of active) await client.deactivateWorkflow(id);
	await panel.close();
	await site.close();
});

async function activateExample(file: string, adjust?: (workflow: ReturnType<typeof example>) => void): Promise<{ id: string; url: string }> {
	const workflow = example(file);
	adjust?.(workflow);
	const id = await client.importWorkflow(workflow, credentials);
	await client.activateWorkflow(id);
	active.push(id);
	const trigger = workflow.nodes.find((node) => String(node.type).endsWith('operatorTrigger')) as {
		webhookId: string;
		parameters: { event: string };
	};
	return { id, url: webhookUrl(state, trigger.webhookId, trigger.parameters.event) };
}

const executionsOf = async (workflowId: string) => (await client.listExecutions({ workflowId })).length;
const settle = async () => await new Promise((resolve) => setTimeout(resolve, 500));

describe('examples/operator-reply-to-site.json in n8n', () => {
	let workflow: { id: string; url: string };

	beforeAll(async () => {
		workflow = await activateExample('operator-reply-to-site.json', (json) => {
			const deliver = json.nodes.find((node) => node.name === "Deliver to the site's chat") as { parameters: Record<string, unknown> };
			deliver.parameters.url = site.url;
		});
	});

	it('delivers an operator reply (multipart, with a photo) back to the site', async () => {
		const answer = await panel.fireOperatorReply(workflow.url, {
			user_id: 501,
			contact_id: 11,
			message: 'Hello from the operator',
			attach: { filename: 'smile.png', contentType: 'image/png', bytes: randomBytes(2048) },
		});
		expect(answer.status).toBe(200);
		await client.waitForExecutions(workflow.id, { count: 1 });
		expect(site.deliveries.at(-1)?.body).toEqual({ from: 501, to: 11, text: 'Hello from the operator', hasPhoto: true });
	});

	it.each([
		['no token', { token: null }],
		['a wrong token', { token: 'e2e-hook-token-3d' }],
	])('refuses a reply with %s: 401 and no execution', async (_, options) => {
		const before = await executionsOf(workflow.id);
		const answer = await panel.fireOperatorReply(workflow.url, { user_id: 1, contact_id: 2, message: 'x' }, options);
		expect(answer.status).toBe(401);
		await settle();
		expect(await executionsOf(workflow.id)).toBe(before);
	});

	it('refuses malformed bodies before any execution', async () => {
		const before = await executionsOf(workflow.id);
		const malformed = await panel.fireOperatorReply(workflow.url, { user_id: 1, contact_id: 2 }, {
			rawBody: { contentType: 'application/json', body: '{"token": "e2e-hook-token-3c", ' },
		});
		expect(malformed.status).toBe(422);
		const badId = await panel.fireOperatorReply(workflow.url, { user_id: 'abc', contact_id: 2, message: 'x' });
		expect(badId.status).toBe(400);
		await settle();
		expect(await executionsOf(workflow.id)).toBe(before);
	});
});

describe('examples/operator-user-info.json in n8n', () => {
	it('answers a user-info request with data the workflow looked up, in the panel\'s shape', async () => {
		const workflow = await activateExample('operator-user-info.json');
		const answer = await panel.fireUserInfoRequest(workflow.url, { user_id: 11 });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			id: 11,
			name: 'Anna',
			gender: 'female',
			avatar: 'https://site.example/avatars/11.jpg',
			balance: '25.00',
			location: 'Berlin',
			about: 'Likes hiking',
			custom: [{ name: 'VIP', value: 'yes' }],
		});
		const refused = await panel.fireUserInfoRequest(workflow.url, { user_id: 11 }, { token: 'nope' });
		expect(refused.status).toBe(401);
	});
});
