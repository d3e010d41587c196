import { startOneChatSimulator, type OneChatSimulator } from '../../../simulators/onechat';
import { NODE, runOneChat } from '../oneChatWorkflow';

/** OneChat → Message → Send and Wait for Response in n8n-core's engine: what is sent, and how the run waits. */

let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'sim-key-wait' });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearLog());

const ask = { resource: 'message', operation: 'sendAndWait', sendTo: 'user', jid: 'boss@onechat.test', message: 'Refund order A-7?' };
const sentMessages = () => simulator.log.filter((entry) => entry.delivered).map((entry) => ({ endpoint: entry.endpoint, jid: entry.body?.jid, message: String(entry.body?.message) }));
const link = (name: string) => `http://localhost:5678/webhook-waiting/[0-9a-f-]+/[^?]+\\?${name}&seal=[\\w-]{43}&signature=[0-9a-f]{64}`;

describe('OneChat → Send and Wait for Response (engine)', () => {
	it('sends the first item\'s message once, with signed approval links naming the recipient, and waits without a limit', async () => {
		const result = await runOneChat(simulator, { ...ask, approvalOptions: { approveLabel: 'Refund it', declineLabel: 'Keep it' } }, { items: [{ n: 1 }, { n: 2 }] });
		expect(result.error).toBeUndefined();
		const [sent, ...more] = sentMessages();
		expect(more).toEqual([]);
		expect(sent.endpoint).toBe('singleMessage');
		expect(sent.message).toMatch(
			new RegExp(`^Refund order A-7\\?\\n\\nRefund it: ${link('approved=true&sentTo=user%3Aboss%40onechat.test')}\\nKeep it: ${link('approved=false&sentTo=user%3Aboss%40onechat.test')}\\n\\nThis message was sent automatically with n8n$`),
		);
		expect(result.run.waitTill?.getFullYear()).toBe(3000);
	});

	it('"Approve Only" sends one link; Free Text and Custom Form one answer link with its label; a group JID is checked as a group', async () => {
		await runOneChat(simulator, { ...ask, approvalOptions: { approvalType: 'single' }, waitOptions: { appendAttribution: false } });
		expect(sentMessages()[0].message).toMatch(new RegExp(`^Refund order A-7\\?\\n\\nApprove: ${link('approved=true&sentTo=user%3Aboss%40onechat.test')}$`));
		simulator.clearLog();
		await runOneChat(simulator, { ...ask, sendTo: 'group', jid: 'ops@muc.onechat.test', responseType: 'freeText', waitOptions: { linkLabel: 'Tell us why' } });
		expect(sentMessages()[0]).toMatchObject({ endpoint: 'groupMessage', jid: 'ops@muc.onechat.test', message: expect.stringMatching(new RegExp(`\\nTell us why: ${link('respond=text&sentTo=group%3Aops%40muc.onechat.test')}\\n`)) });
		simulator.clearLog();
		const wrongGroup = await runOneChat(simulator, { ...ask, sendTo: 'group', jid: 'boss@onechat.test' });
		expect(wrongGroup.nodeError(NODE)?.message).toMatch(/^Invalid "JID"/);
		expect(sentMessages()).toEqual([]);
	});

	it('with a limit, waits until then, and leaves n8n the timed-out item to pass on when nobody answers', async () => {
		const before = Date.now();
		const result = await runOneChat(simulator, { ...ask, waitOptions: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' } } } });
		const waitTill = result.run.waitTill?.getTime() ?? 0;
		expect(waitTill - before).toBeGreaterThanOrEqual(7_200_000);
		expect(waitTill - Date.now()).toBeLessThanOrEqual(7_200_000);
		const waiting = result.run.data.executionData?.nodeExecutionStack[0];
		expect(waiting?.node.name).toBe(NODE);
		expect(waiting?.data.main[0]).toEqual([
			{ json: { timedOut: true, waitedUntil: new Date(waitTill).toISOString(), sentTo: { type: 'user', id: 'boss@onechat.test' } }, pairedItem: { item: 0 } },
		]);
		const at = new Date(Date.now() + 86_400_000).toISOString();
		const dated = await runOneChat(simulator, { ...ask, waitOptions: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at } } } });
		expect(dated.run.waitTill?.toISOString()).toBe(at);
	});

	it.each([
		[{ waitOptions: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' } } } }, /^Invalid "Limit Wait Time": 2020-01-01T00:00:00.000Z is in the past/],
		[{ waitOptions: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: 'next week' } } } }, /^Invalid "Options": is not a date and time/],
		[{ waitOptions: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'hours' } } } }, /^Invalid "Options": must be more than 0/],
		[{ responseType: 'form' }, /^Invalid "Form Fields": has no fields: add at least one/],
		[{ responseType: 'form', formFields: { values: [{ fieldLabel: 'Kind', fieldType: 'dropdown', choices: ' , ' }] } }, /^Invalid "Form Fields": is a dropdown without choices/],
		[{ responseType: 'form', formFields: { values: [{ fieldLabel: 'A' }, { fieldLabel: 'A' }] } }, /^Invalid "Form Fields": has the label "A" twice/],
		[{ approvalOptions: { approveLabel: '  ' } }, /^Invalid "Approval Options": is empty/],
	])('refuses bad settings before sending anything (%j)', async (settings, message) => {
		const result = await runOneChat(simulator, { ...ask, ...settings });
		expect(result.nodeError(NODE)?.message).toMatch(message);
		expect(sentMessages()).toEqual([]);
	});

	it('with "On Error: Continue", a refused send becomes one error item instead of a wait', async () => {
		const result = await runOneChat(simulator, { ...ask, jid: 'not a jid' }, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect(result.run.waitTill).toBeUndefined();
		expect(result.output(NODE)).toEqual([{ json: expect.objectContaining({ outcome: 'failed', error: expect.stringMatching(/^Invalid "JID"/) }), pairedItem: { item: 0 } }]);
	});
});
