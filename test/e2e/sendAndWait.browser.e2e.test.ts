import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { ARTIFACTS, launchChromium } from './chromium';
import { connect, executionError, nodeOutput } from './n8n';
import { linkAfter, markdownLink, startWaiting } from './waiting';

/**
 * Send and Wait for Response as the person sees it, in Debian's headless Chromium: the link from
 * the message that reached the simulator is opened, the button clicked or the form filled, and
 * the execution is seen resuming with the answer. Screenshots go to test-artifacts/browser/.
 */

const { client } = connect();
let browser: Browser;
let page: Page;
let oneChat: OneChatSimulator;
let platform: OpenPlatformSimulator;
let credentials: { oneChatApi: string; openPlatformApi: string };

beforeAll(async () => {
	oneChat = await startOneChatSimulator({ apiKey: 'browser-wait-key' });
	platform = await startOpenPlatformSimulator();
	credentials = {
		oneChatApi: await client.createCredential('oneChatApi', 'OneChat (browser)', { baseUrl: oneChat.baseUrl, apiKey: 'browser-wait-key' }),
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (browser)', { url: platform.baseUrl, accessToken: platform.appToken('u1'), n8nProcesses: 1 }),
	};
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 420, height: 800 } });
});
afterAll(async () => {
	await browser?.close();
	await oneChat?.close();
	await platform?.close();
});

async function resumedWith(executionId: string) {
	const execution = await client.waitForExecution(executionId, { timeoutMs: 60_000 });
	expect(executionError(execution)).toBeUndefined();
	expect(execution.status).toBe('success');
	return nodeOutput(execution, 'After');
}

describe('answering Send and Wait for Response in Chromium', () => {
	it('OneChat approval: the link opens a confirmation page, the button approves, the execution resumes; the link again says no action is required', async () => {
		oneChat.clearLog();
		const { executionId, message } = await startWaiting(
			client,
			{
				type: 'oneChat',
				parameters: { resource: 'message', operation: 'sendAndWait', sendTo: 'user', jid: 'boss@browser.onechat.test', message: 'Pay invoice 42?', approvalOptions: { approveLabel: 'Pay it' } },
				credentials: { oneChatApi: credentials.oneChatApi },
			},
			() => oneChat.log.find((entry) => entry.delivered)?.body?.message as string | undefined,
		);
		await page.goto(linkAfter(message, 'Pay it'));
		await page.screenshot({ path: join(ARTIFACTS, 'send-and-wait-approval.png') });
		expect((await client.getExecution(executionId, { includeData: false })).status).toBe('waiting');
		await page.getByRole('button', { name: 'Pay it' }).click();
		await page.getByText('Your answer was recorded.').waitFor({ timeout: 15_000 });
		expect(await resumedWith(executionId)).toEqual([expect.objectContaining({ approved: true, sentTo: { type: 'user', id: 'boss@browser.onechat.test' } })]);
		await page.goto(linkAfter(message, 'Pay it'));
		await page.getByText('No action required').waitFor({ timeout: 15_000 });
	});

	it('OpenPlatform custom form: the form refuses a bad answer in the page, then the filled form resumes the execution with its fields', async () => {
		platform.reset();
		const formFields = {
			values: [
				{ fieldLabel: 'Days', fieldType: 'number', requiredField: true },
				{ fieldLabel: 'Kind', fieldType: 'dropdown', choices: 'Holiday, Sick leave', requiredField: true },
				{ fieldLabel: 'Note', fieldType: 'textarea', requiredField: true },
			],
		};
		const { executionId, message } = await startWaiting(
			client,
			{
				type: 'openPlatform',
				parameters: { resource: 'notification', operation: 'sendAndWait', recipient: 'user', user: { __rl: true, mode: 'id', value: 'u2' }, body: 'Your leave request', responseType: 'form', formFields },
				credentials: { openPlatformApi: credentials.openPlatformApi },
			},
			() => platform.notifications.find((entry) => entry.userId === 'u2')?.body,
		);
		await page.goto(markdownLink(message, 'Answer here'));
		// Only spaces pass the browser's own "required" check; the node refuses them.
		await page.getByLabel('Days *').fill('3');
		await page.getByLabel('Kind *').selectOption('Holiday');
		await page.getByLabel('Note *').fill('   ');
		await page.getByRole('button', { name: 'Send' }).click();
		await page.getByText('Note is required.').waitFor({ timeout: 15_000 });
		expect((await client.getExecution(executionId, { includeData: false })).status).toBe('waiting');
		// The refused page kept what was entered.
		expect(await page.getByLabel('Days *').inputValue()).toBe('3');
		await page.getByLabel('Note *').fill('Back on Monday');
		await page.screenshot({ path: join(ARTIFACTS, 'send-and-wait-form.png') });
		await page.getByRole('button', { name: 'Send' }).click();
		await page.getByText('Your answer was recorded.').waitFor({ timeout: 15_000 });
		expect(await resumedWith(executionId)).toEqual([{ form: { Days: 3, Kind: 'Holiday', Note: 'Back on Monday' }, respondedAt: expect.any(String), sentTo: { type: 'user', id: 'u2' }, timedOut: false }]);
	});
});
