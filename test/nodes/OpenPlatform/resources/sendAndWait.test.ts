import type { IDataObject } from 'n8n-workflow';

import { forgetTokenErrors } from '../../../../nodes/OpenPlatform/tokenGuard';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../../simulators/openplatform';
import { NODE, runOpenPlatform } from '../openPlatformWorkflow';

/** OpenPlatform → Notification → Send and Wait for Response in n8n-core's engine. */

let simulator: OpenPlatformSimulator;
let credential: IDataObject;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator();
	credential = { accessToken: simulator.appToken('u1') };
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.reset();
	forgetTokenErrors();
});

const ask = { resource: 'notification', operation: 'sendAndWait', recipient: 'user', user: { __rl: true, mode: 'id', value: 'u2' }, type: 2, body: 'Approve **Ben**\'s leave?' };
const link = (answer: string) => `\\(http://localhost:5678/webhook-waiting/[0-9a-f-]+/[^?]+\\?${answer}&seal=[\\w-]{43}&signature=[0-9a-f]{64}\\)`;

describe('OpenPlatform → Notification → Send and Wait for Response (engine)', () => {
	it('notifies the picked user once, the markdown body ending with the signed links, and waits', async () => {
		const result = await runOpenPlatform(simulator, { ...ask, approvalOptions: { approveLabel: 'Yes [grant]' } }, { items: [{}, {}], credential });
		expect(result.nodeError(NODE)).toBeUndefined();
		expect(simulator.notifications).toHaveLength(1);
		const [notification] = simulator.notifications;
		expect(notification).toMatchObject({ userId: 'u2', type: 2 });
		expect(notification.body).toMatch(
			new RegExp(`^Approve \\*\\*Ben\\*\\*'s leave\\?\\n\\n\\[Yes grant\\]${link('approved=true&sentTo=user%3Au2')} · \\[Decline\\]${link('approved=false&sentTo=user%3Au2')}\\n\\n_This message was sent automatically with n8n_$`),
		);
		expect(result.run.waitTill?.getFullYear()).toBe(3000);
	});

	it('sends to the notify URL from the item, naming nobody in the links, and leaves the timed-out item without "sentTo"', async () => {
		const result = await runOpenPlatform(
			simulator,
			{ ...ask, recipient: 'url', notifyUrl: '={{ $json.notify }}', responseType: 'freeText', waitOptions: { appendAttribution: false, limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'days' } } } },
			{ items: [{ notify: simulator.notifyUrl('u1') }], credential },
		);
		expect(result.nodeError(NODE)).toBeUndefined();
		expect(simulator.notifications[0].body).toMatch(new RegExp(`\\n\\n\\[Answer here\\]${link('respond=text')}$`));
		expect(result.run.data.executionData?.nodeExecutionStack[0].data.main[0]).toEqual([{ json: { timedOut: true, waitedUntil: expect.any(String) }, pairedItem: { item: 0 } }]);
	});

	it('refuses a body that the links would push past 1000 characters, saying how long it may be, and sends nothing', async () => {
		const result = await runOpenPlatform(simulator, { ...ask, body: 'x'.repeat(900) }, { credential });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Body": with the answer links has \d{4} characters; OpenPlatform keeps only 1000$/);
		expect(result.nodeError(NODE)?.description).toMatch(/^Shorten the Body to at most \d{3} characters/);
		expect(simulator.notifications).toEqual([]);
	});

	it('refuses a picked user without notify URL, naming the User field', async () => {
		const result = await runOpenPlatform(simulator, { ...ask, user: { __rl: true, mode: 'id', value: 'u3' } }, { credential });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "User": Cleo Brown has no notify URL/);
		expect(simulator.notifications).toEqual([]);
	});
});
