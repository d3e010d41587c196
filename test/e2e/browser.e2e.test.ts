import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { ARTIFACTS, launchChromium, signIn } from './chromium';
import { connect } from './n8n';

/**
 * The editor as a person sees it, in Debian's headless Chromium: every node of the package in the
 * nodes panel, every credential form with its fields. Screenshots go to test-artifacts/browser/.
 */

// Triggers are found by their description (n8n lists a trigger named "<App> Trigger" under
// "<App>"); action nodes by opening the app and finding one of their actions.
const NODES = [
	{ search: 'OneChat', name: 'OneChat', description: 'Send a message to a user', trigger: false },
	{ search: 'OneChat', name: 'OneChat Mini App Trigger', description: 'Starts the workflow when a OneChat mini-app page', trigger: true },
	{ search: 'Operator Panel', name: 'Operator Panel', description: 'Send a user message to the control panel', trigger: false },
	{ search: 'Operator Panel', name: 'Operator Panel Trigger', description: 'Starts the workflow when the Operator control panel calls the site', trigger: true },
	{ search: 'OpenPlatform', name: 'OpenPlatform', description: 'Send a notification', trigger: false },
	{ search: 'OpenPlatform', name: 'OpenPlatform Trigger', description: 'Starts the workflow when a user opens the app in OpenPlatform', trigger: true },
];

const CREDENTIALS = [
	{ name: 'OneChat API', fields: ['Base URL', 'API Key', 'Body Encoding'] },
	{ name: 'OneChat Mini App API', fields: ['App ID', 'App API Key'] },
	{ name: 'Operator Panel API', fields: ['API Endpoint URL', 'API Token', 'Webhook Token'] },
	{ name: 'OpenPlatform API', fields: ['OpenPlatform URL', 'Origin Token', 'App Access Token'] },
	{ name: 'OpenPlatform OAuth2 API', fields: ['OpenPlatform URL', 'Client ID', 'Client Secret'] },
];

const fileName = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

describe('the package in the n8n editor (headless Chromium)', () => {
	const { state, client } = connect();
	let browser: Browser;
	let page: Page;
	let workflowWithTrigger: string;

	beforeAll(async () => {
		workflowWithTrigger = await client.importWorkflow({
			name: 'Browser check',
			nodes: [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		});
		browser = await launchChromium();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await signIn(page, state.url, state.owner);
	});
	afterAll(async () => await browser?.close());

	it.each(NODES)('shows "$name" in the nodes panel', async ({ search, name, description, trigger }) => {
		// A new workflow's panel lists triggers; one that already has a trigger lists actions.
		await page.goto(trigger ? `${state.url}/workflow/new` : `${state.url}/workflow/${workflowWithTrigger}`);
		await page.click(trigger ? '[data-test-id="canvas-add-button"]' : '[data-test-id="node-creator-plus-button"]');
		await page.locator('[data-test-id="node-creator-search-bar"]').waitFor({ state: 'visible' });
		// The panel opens with its search field focused.
		await page.keyboard.type(search);
		if (!trigger) {
			await page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${name}$`) }).first().click();
		}
		// n8n 2.x lists a trigger with its description; 1.x by its own name, or only under its app,
		// whose page then starts with the trigger's description.
		const items = page.locator('[data-test-id="item-iterator-item"]');
		const byDescription = items.filter({ hasText: description });
		let item = trigger ? byDescription.or(items.filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })) : byDescription;
		const shown = await item.first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
		if (trigger && !shown) {
			await page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${search}$`) }).first().click();
			item = page.getByText(description);
		}
		await item.first().waitFor({ state: 'visible', timeout: 15_000 }).finally(async () => {
			await page.screenshot({ path: join(ARTIFACTS, `node-${fileName(name)}.png`) });
		});
		expect(await item.count()).toBeGreaterThanOrEqual(1);
	});

	it.each(CREDENTIALS)('opens the "$name" credential form with its fields', async ({ name, fields }) => {
		await page.goto(`${state.url}/home/credentials/create`);
		await page.locator('[data-test-id="new-credential-type-select"]').waitFor({ state: 'visible' });
		await page.keyboard.type(name);
		await page.locator('[data-test-id="new-credential-type-select-option"]', { hasText: new RegExp(`^\\s*${name}\\s*$`) }).first().click();
		await page.click('[data-test-id="new-credential-type-button"]');
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor({ state: 'visible', timeout: 15_000 });
		// The form is rendered in a modal layer next to the dialog element, so look page-wide.
		const label = (field: string) => page.getByText(new RegExp(`^\\s*${field}\\s*\\*?\\s*$`)).first();
		try {
			for (const field of fields) await label(field).waitFor({ state: 'visible', timeout: 10_000 });
		} finally {
			await page.screenshot({ path: join(ARTIFACTS, `credential-${fileName(name)}.png`) });
		}
		for (const field of fields) expect(await label(field).isVisible()).toBe(true);
	});
});
