import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { connect, example, executionError, nodeOutput, productionUrl } from './n8n';
import { answer, BROWSER, linkAfter, markdownLink, startWaiting } from './waiting';

/** Send and Wait for Response in the real n8n (also run in queue mode by test/queue). */

const { state, client } = connect();
let oneChat: OneChatSimulator;
let platform: OpenPlatformSimulator;
let credentials: { oneChatApi: string; openPlatformApi: string };

beforeAll(async () => {
	oneChat = await startOneChatSimulator({ apiKey: 'e2e-wait-key' });
	platform = await startOpenPlatformSimulator();
	credentials = {
		oneChatApi: await client.createCredential('oneChatApi', 'OneChat (send and wait)', { baseUrl: oneChat.baseUrl, apiKey: 'e2e-wait-key' }),
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (send and wait)', { url: platform.baseUrl, accessToken: platform.appToken('u1'), n8nProcesses: 1 }),
	};
});
afterAll(async () => {
	await oneChat.close();
	await platform.close();
});

const BOSS = 'boss@wait.onechat.test';
const askBoss = (parameters: Record<string, unknown>) => {
	oneChat.clearLog();
	return startWaiting(
		client,
		{ type: 'oneChat', parameters: { resource: 'message', operation: 'sendAndWait', sendTo: 'user', jid: BOSS, message: 'Approve the refund of order A-7?', ...parameters }, credentials: { oneChatApi: credentials.oneChatApi } },
		() => oneChat.log.find((entry) => entry.delivered && entry.body?.jid === (parameters.jid ?? BOSS))?.body?.message as string | undefined,
	);
};
const statusOf = async (executionId: string) => (await client.getExecution(executionId, { includeData: false })).status;
const answered = async (executionId: string) => {
	const execution = await client.waitForExecution(executionId, { timeoutMs: 60_000 });
	expect(executionError(execution)).toBeUndefined();
	expect(execution.status).toBe('success');
	return nodeOutput(execution, 'After');
};

describe('OneChat → Send and Wait for Response in n8n', () => {
	it('approval: opening a link decides nothing, a changed link is refused, the button resumes with the answer, a second answer changes nothing', async () => {
		const { executionId, message } = await askBoss({ responseType: 'approval' });
		expect(message).toMatch(/^Approve the refund of order A-7\?\n\nApprove: http\S+\nDecline: http\S+\n\nThis message was sent automatically with n8n$/);
		const approve = linkAfter(message, 'Approve');
		const decline = linkAfter(message, 'Decline');
		// Opening the link (a person, a link preview, a mail scanner) shows the confirmation page only.
		const opened = await fetch(decline, { headers: BROWSER });
		expect(opened.status).toBe(200);
		expect(await opened.text()).toContain('<button type="submit">Decline</button>');
		// A link whose answer was changed by hand fails n8n's signature check.
		expect((await answer(approve.replace('approved=true', 'approved=false'))).status).toBe(401);
		expect(await statusOf(executionId)).toBe('waiting');

		const clicked = await answer(approve);
		expect(clicked.status).toBe(200);
		expect(await clicked.text()).toContain('Your answer was recorded.');
		expect(await answered(executionId)).toEqual([{ approved: true, respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), sentTo: { type: 'user', id: BOSS }, timedOut: false }]);

		const again = await answer(decline);
		expect(await again.text()).toContain('No action required');
		expect(nodeOutput(await client.waitForExecution(executionId, { timeoutMs: 10_000 }), 'After')).toEqual([expect.objectContaining({ approved: true })]);
	});

	it('free text: the link shows a form, an empty answer is refused on the page, a real one resumes with the text', async () => {
		const { executionId, message } = await askBoss({ responseType: 'freeText', waitOptions: { appendAttribution: false } });
		expect(message).not.toContain('sent automatically with n8n');
		const link = linkAfter(message, 'Answer here');
		const page = await fetch(link, { headers: BROWSER });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<form method="post">');
		const empty = await answer(link, { text: '   ' });
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('The answer is empty.');
		expect(await statusOf(executionId)).toBe('waiting');
		expect((await answer(link, { text: 'Refund only half, please' })).status).toBe(200);
		expect(await answered(executionId)).toEqual([expect.objectContaining({ text: 'Refund only half, please', timedOut: false })]);
	});

	it('custom form to a group: a bad answer is refused field by field, a good one resumes with the fields by label', async () => {
		const group = 'managers@muc.wait.onechat.test';
		const formFields = { values: [{ fieldLabel: 'Refund', fieldType: 'dropdown', choices: 'Full, Half, None', requiredField: true }, { fieldLabel: 'Amount', fieldType: 'number' }] };
		const { executionId, message } = await askBoss({ sendTo: 'group', jid: group, responseType: 'form', formFields, waitOptions: { linkLabel: 'Decide here' } });
		const link = linkAfter(message, 'Decide here');
		const refused = await answer(link, { 'field-0': 'Double', 'field-1': 'lots' });
		expect(refused.status).toBe(400);
		expect(await refused.text()).toMatch(/Refund is not one of the choices\.[\s\S]*Amount is not a number\./);
		expect(await statusOf(executionId)).toBe('waiting');
		expect((await answer(link, { 'field-0': 'Half', 'field-1': '12.50' })).status).toBe(200);
		expect(await answered(executionId)).toEqual([{ form: { Refund: 'Half', Amount: 12.5 }, respondedAt: expect.any(String), sentTo: { type: 'group', id: group }, timedOut: false }]);
	});

	it('limit at a date: nobody answers, n8n resumes the execution with {timedOut: true}, and the link then says there is nothing to do', async () => {
		const until = new Date(Date.now() + 3_000).toISOString();
		const { executionId, message } = await askBoss({ waitOptions: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: until } } } });
		// n8n looks for executions whose wait ends every 60 s.
		const execution = await client.waitForExecution(executionId, { timeoutMs: 100_000 });
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'After')).toEqual([{ timedOut: true, waitedUntil: until, sentTo: { type: 'user', id: BOSS } }]);
		expect(await (await answer(linkAfter(message, 'Approve'))).text()).toContain('No action required');
	}, 120_000);
});

describe('OpenPlatform → Notification → Send and Wait for Response in n8n', () => {
	it('the picked user gets a notification whose markdown links answer, and the execution resumes with their answer', async () => {
		platform.reset();
		const { executionId, message } = await startWaiting(
			client,
			{
				type: 'openPlatform',
				parameters: { resource: 'notification', operation: 'sendAndWait', recipient: 'user', user: { __rl: true, mode: 'list', value: 'u2' }, body: 'May **Ben** take Friday off?', approvalOptions: { approveLabel: 'Yes', declineLabel: 'No' } },
				credentials: { openPlatformApi: credentials.openPlatformApi },
			},
			() => platform.notifications.find((entry) => entry.userId === 'u2')?.body,
		);
		const no = markdownLink(message, 'No');
		expect(no).toMatch(/^http\S+approved=false&sentTo=user%3Au2&seal=[\w-]+&signature=/);
		expect((await answer(no)).status).toBe(200);
		expect(await answered(executionId)).toEqual([{ approved: false, respondedAt: expect.any(String), sentTo: { type: 'user', id: 'u2' }, timedOut: false }]);
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
		const id = await client.importWorkflow(workflow, { oneChatApi: credentials.oneChatApi });
		await client.activateWorkflow(id);
		try {
			oneChat.clearLog();
			const request = await fetch(productionUrl(state, trigger.parameters.path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ order: 'A-7', amount: '25.00 EUR', customer: 'ann@wait.onechat.test' }),
			});
			expect(request.status).toBe(200);
			let asked: string | undefined;
			for (const deadline = Date.now() + 30_000; !asked && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
				asked = oneChat.log.find((entry) => entry.body?.jid === 'manager@onechat.net')?.body?.message as string | undefined;
			}
			expect(asked).toMatch(/^Refund request: order A-7, 25\.00 EUR for ann@wait\.onechat\.test\. Approve it\?/);
			expect((await answer(linkAfter(String(asked), label))).status).toBe(200);
			const [execution] = await client.waitForExecutions(id, { count: 1, timeoutMs: 60_000 });
			expect(execution.status).toBe('success');
			const toCustomer = oneChat.log.filter((entry) => entry.body?.jid === 'ann@wait.onechat.test').map((entry) => String(entry.body?.message));
			expect(toCustomer).toEqual([expect.stringContaining(told)]);
		} finally {
			await client.deactivateWorkflow(id);
		}
	});
});
