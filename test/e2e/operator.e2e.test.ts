import { randomBytes, randomUUID } from 'node:crypto';

import { startOperatorSimulator, type OperatorSimulator } from '../simulators/operator';
import { startSiteSimulator, type SiteSimulator } from '../simulators/site';
import { connect, example, logsOf, webhookUrl } from './n8n';

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

	it('with "Only From Bot IDs", answers other bots\' replies 200 and starts nothing', async () => {
		const filtered = await activateExample('operator-reply-to-site.json', (json) => {
			const trigger = json.nodes.find((node) => String(node.type).endsWith('operatorTrigger')) as { webhookId: string; parameters: Record<string, unknown> };
			trigger.webhookId = randomUUID();
			trigger.parameters.onlyFromBotIds = '501';
			const deliver = json.nodes.find((node) => node.name === "Deliver to the site's chat") as { parameters: Record<string, unknown> };
			deliver.parameters.url = site.url;
		});
		const other = await panel.fireOperatorReply(filtered.url, { user_id: 777, contact_id: 11, message: 'from another bot' });
		expect(other.status).toBe(200);
		await settle();
		expect(await executionsOf(filtered.id)).toBe(0);
		const listed = await panel.fireOperatorReply(filtered.url, { user_id: 501, contact_id: 11, message: 'from the listed bot' });
		expect(listed.status).toBe(200);
		await client.waitForExecutions(filtered.id, { count: 1 });
		expect(site.deliveries.at(-1)?.body).toMatchObject({ from: 501, text: 'from the listed bot' });
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

describe('request events in n8n: only the matching answer node can answer', () => {
	type WorkflowJson = ReturnType<typeof example>;
	type Node = Record<string, unknown> & { name: string; parameters: Record<string, unknown> };
	const ANSWER = 'Answer the panel';
	const LOOK_UP = 'Look up the user';

	/** The user-info example, changed; each variant gets its own webhook path so all can be active. */
	async function activateVariant(respond: string, adjust: (workflow: WorkflowJson, nodes: Record<string, Node>) => void) {
		return await activateExample('operator-user-info.json', (workflow) => {
			const nodes = Object.fromEntries((workflow.nodes as Node[]).map((node) => [node.name, node]));
			const trigger = nodes['Panel asks for user info'];
			trigger.webhookId = randomUUID();
			trigger.parameters.respond = respond;
			adjust(workflow, nodes);
		});
	}
	const logOf = () => logsOf(state);

	it('refuses a workflow ending in a Code node with "When Last Node Finishes": 500, no execution, the fix in the log', async () => {
		const workflow = await activateVariant('lastNode', (json) => {
			json.nodes = json.nodes.filter((node) => node.name !== ANSWER);
			json.connections = { 'Panel asks for user info': { main: [[{ node: LOOK_UP, type: 'main', index: 0 }]] } };
		});
		const answer = await panel.fireUserInfoRequest(workflow.url, { user_id: 11 });
		expect(answer.status).toBe(500);
		expect(answer.text).not.toContain('Anna');
		await settle();
		expect(await executionsOf(workflow.id)).toBe(0);
		expect(logOf()).toContain(`a branch ends with the node "${LOOK_UP}", whose output would reach the panel unchecked; end every branch with Operator Panel → Answer User Info`);
	});

	it('refuses n8n\'s Respond to Webhook node after the trigger: 500, no execution', async () => {
		const workflow = await activateVariant('responseNode', (json) => {
			json.nodes.push({
				parameters: { respondWith: 'firstIncomingItem', options: {} },
				id: randomUUID(),
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [480, 200],
			});
			json.connections = {
				'Panel asks for user info': { main: [[{ node: LOOK_UP, type: 'main', index: 0 }]] },
				[LOOK_UP]: { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }, { node: ANSWER, type: 'main', index: 0 }]] },
			};
		});
		const answer = await panel.fireUserInfoRequest(workflow.url, { user_id: 11 });
		expect(answer.status).toBe(500);
		expect(answer.text).not.toContain('Anna');
		await settle();
		expect(await executionsOf(workflow.id)).toBe(0);
		expect(logOf()).toContain('"Respond to Webhook" (Respond to Webhook) would send an unchecked answer');
	});

	it('answers with the checked answer node as last node, and never with 200 for a wrong shape under "continue on fail"', async () => {
		const good = await activateVariant('lastNode', () => undefined);
		const answer = await panel.fireUserInfoRequest(good.url, { user_id: 11 });
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ id: 11, name: 'Anna', custom: [{ name: 'VIP', value: 'yes' }] });

		const broken = await activateVariant('lastNode', (_json, nodes) => {
			nodes[ANSWER].onError = 'continueRegularOutput';
			nodes[ANSWER].parameters.avatar = 'not a url';
		});
		const refused = await panel.fireUserInfoRequest(broken.url, { user_id: 11 });
		expect(refused.status).toBe(500);
		expect(refused.text).not.toContain('Anna');
		await client.waitForExecutions(broken.id, { count: 1 });
	});
});
