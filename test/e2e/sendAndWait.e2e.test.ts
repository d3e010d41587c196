import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { connect, example, executionError, nodeOutput, productionUrl } from './n8n';

const { state, client } = connect();
let simulator: OneChatSimulator;
let credentialId: string;
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' };

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'e2e-wait-key' });
	credentialId = await client.createCredential('oneChatApi', 'OneChat (send and wait)', { baseUrl: simulator.baseUrl, apiKey: 'e2e-wait-key' });
});
afterAll(async () => await simulator.close());

/** Manual Trigger → OneChat Send and Wait for Response → a No Op that shows what came out. */
async function startWaiting(parameters: Record<string, unknown>): Promise<{ executionId: string; message: string }> {
	const id = await client.importWorkflow(
		{
			name: `Send and wait (${String(parameters.responseType)})`,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					name: 'Ask',
					type: 'n8n-nodes-openplatform-operator-onechat.oneChat',
					typeVersion: 1,
					position: [220, 0],
					parameters: { resource: 'message', operation: 'sendAndWait', sendTo: 'user', jid: 'boss@wait.onechat.test', message: 'Approve the refund of order A-7?', ...parameters },
					credentials: { oneChatApi: { id: 'sim', name: 'OneChat' } },
				},
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
			],
			connections: { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] }, Ask: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		},
		{ oneChatApi: credentialId },
	);
	simulator.clearLog();
	const { executionId } = await client.runWorkflowManually(id, { wait: false });
	for (const deadline = Date.now() + 30_000; ; ) {
		const sent = simulator.log.find((entry) => entry.endpoint === 'singleMessage' && entry.delivered);
		const execution = sent ? await client.getExecution(executionId, { includeData: false }) : undefined;
		if (sent && execution?.status === 'waiting') return { executionId, message: String(sent.body?.message) };
		if (Date.now() > deadline) throw new Error('the message was not sent, or the execution is not waiting');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const linkAfter = (message: string, label: string) => new RegExp(`^${label}: (\\S+)$`, 'm').exec(message)?.[1] ?? '';

describe('OneChat → Send and Wait for Response in n8n', () => {
	it('approval: the message carries signed links; a preview decides nothing, a click resumes with approved, a second click changes nothing', async () => {
		const { executionId, message } = await startWaiting({ responseType: 'approval' });
		expect(message).toMatch(/^Approve the refund of order A-7\?\n\nApprove: http\S+\nDecline: http\S+\n\nThis message was sent automatically with n8n$/);
		const approve = linkAfter(message, 'Approve');
		const decline = linkAfter(message, 'Decline');
		// A chat app fetching the link for a preview card.
		expect((await fetch(decline, { headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0' } })).status).toBe(204);
		// A link whose answer was changed by hand fails n8n's signature check.
		expect((await fetch(approve.replace('approved=true', 'approved=false'), { headers: BROWSER })).status).toBe(401);
		expect((await client.getExecution(executionId, { includeData: false })).status).toBe('waiting');

		const clicked = await fetch(approve, { headers: BROWSER });
		expect(clicked.status).toBe(200);
		expect(await clicked.text()).toContain('<h1>Approved</h1>');
		const execution = await client.waitForExecution(executionId, { timeoutMs: 60_000 });
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'After')).toEqual([{ approved: true, respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);

		const again = await fetch(decline, { headers: BROWSER });
		expect(await again.text()).not.toContain('<h1>Declined</h1>');
		const after = await client.waitForExecution(executionId, { timeoutMs: 10_000 });
		expect(nodeOutput(after, 'After')).toEqual([expect.objectContaining({ approved: true })]);
	});

	it('free text: the link shows a form, an empty answer is refused on the page, a real one resumes with the text', async () => {
		const { executionId, message } = await startWaiting({ responseType: 'freeText', waitOptions: { appendAttribution: false } });
		expect(message).not.toContain('sent automatically with n8n');
		const link = linkAfter(message, 'Answer here');
		const page = await fetch(link, { headers: BROWSER });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<form method="post">');
		const post = async (text: string) =>
			await fetch(link, { method: 'POST', headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ text }).toString() });
		const empty = await post('   ');
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('The answer is empty.');
		expect((await client.getExecution(executionId, { includeData: false })).status).toBe('waiting');
		expect((await post('Refund only half, please')).status).toBe(200);
		const execution = await client.waitForExecution(executionId, { timeoutMs: 60_000 });
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'After')).toEqual([{ text: 'Refund only half, please', respondedAt: expect.any(String) }]);
	});
});

describe('examples/onechat-approval.json in n8n', () => {
	it.each([
		['Approve the refund', 'was approved'],
		['Decline', 'was not approved'],
	])('a refund request waits for the manager; "%s" decides what the customer is told', async (label, told) => {
		const workflow = example('onechat-approval.json');
		// Each case gets its own webhook path, so both can be active.
		const trigger = workflow.nodes[0] as { parameters: { path: string }; webhookId: string };
		trigger.parameters.path = `refund-requested-${told.length}`;
		trigger.webhookId = `${trigger.webhookId.slice(0, -2)}${told.length}`;
		const id = await client.importWorkflow(workflow, { oneChatApi: credentialId });
		await client.activateWorkflow(id);
		try {
			simulator.clearLog();
			const request = await fetch(productionUrl(state, trigger.parameters.path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ order: 'A-7', amount: '25.00 EUR', customer: 'ann@wait.onechat.test' }),
			});
			expect(request.status).toBe(200);
			let asked: string | undefined;
			for (const deadline = Date.now() + 30_000; !asked && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
				asked = simulator.log.find((entry) => entry.body?.jid === 'manager@onechat.net')?.body?.message as string | undefined;
			}
			expect(asked).toMatch(/^Refund request: order A-7, 25\.00 EUR for ann@wait\.onechat\.test\. Approve it\?/);
			expect((await fetch(linkAfter(String(asked), label), { headers: BROWSER })).status).toBe(200);
			const [execution] = await client.waitForExecutions(id, { count: 1, timeoutMs: 60_000 });
			expect(execution.status).toBe('success');
			const toCustomer = simulator.log.filter((entry) => entry.body?.jid === 'ann@wait.onechat.test').map((entry) => String(entry.body?.message));
			expect(toCustomer).toEqual([expect.stringContaining(told)]);
		} finally {
			await client.deactivateWorkflow(id);
		}
	});
});
