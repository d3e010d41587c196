import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { startOneChatSimulator, type OneChatSimulator } from '../simulators/onechat';
import { DEFAULT_USERS, startOpenPlatformSimulator, type OpenPlatformSimulator } from '../simulators/openplatform';
import { ARTIFACTS, launchChromium, signIn } from './chromium';
import type { N8nClient } from './n8n';

/**
 * The package as users get it: `npm pack` of this checkout is published to a real npm registry
 * on loopback (verdaccio, scripts/n8n/registry.js), and a fresh n8n without the package installs
 * it through Settings → Community Nodes → Install, in Chromium. Then a workflow is built the way a
 * person does in the editor and run with "Execute workflow"; the output panel shows the result.
 *
 * The one deviation from a user's n8n: n8n installs community packages from another registry
 * than registry.npmjs.org only with an enterprise licence feature, which this n8n gets through n8n's
 * own end-to-end test switch (E2E_TESTS=true, PATCH /rest/e2e/feature).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRegistry, PACKAGE } = require('../../scripts/n8n/registry') as {
	startRegistry(options: { log: (line: string) => void }): Promise<{ url: string; publish(tarball: string): Promise<string>; stop(): Promise<void> }>;
	PACKAGE: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n } = require('../../scripts/n8n/instance') as {
	startN8n(options: { packageDir: null; env: Record<string, string>; log: (line: string) => void }): Promise<{ url: string; stop(): Promise<void> }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bootstrap, request } = require('../../scripts/n8n/api') as {
	bootstrap(options: { url: string; owner: Record<string, string> }): Promise<N8nClient & { cookie: string; browserId: string }>;
	request(url: string, method: string, path: string, options: { body?: unknown; browserId?: string }): Promise<{ status: number }>;
};

const OWNER = { email: 'installer@example.com', password: 'Install-Passw0rd!', firstName: 'Ina', lastName: 'Staller' };
const log = (line: string) => process.stdout.write(`[community install] ${line}\n`);

let registry: Awaited<ReturnType<typeof startRegistry>>;
let n8n: Awaited<ReturnType<typeof startN8n>>;
let client: N8nClient;
let simulator: OneChatSimulator;
let platform: OpenPlatformSimulator;
let browser: Browser;
let page: Page;
let version: string;

const shot = async (name: string) => await page.screenshot({ path: join(ARTIFACTS, `community-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`) });

beforeAll(async () => {
	registry = await startRegistry({ log });
	const packDir = mkdtempSync(join(tmpdir(), 'package-tarball-'));
	execFileSync('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], { cwd: join(__dirname, '..', '..'), stdio: 'ignore' });
	version = await registry.publish(join(packDir, readdirSync(packDir)[0]));
	n8n = await startN8n({
		packageDir: null,
		env: { E2E_TESTS: 'true', N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url, N8N_UNVERIFIED_PACKAGES_ENABLED: 'true' },
		log,
	});
	client = await bootstrap({ url: n8n.url, owner: OWNER });
	const licensed = await request(n8n.url, 'PATCH', '/rest/e2e/feature', { body: { feature: 'feat:communityNodes:customRegistry', enabled: true }, browserId: 'e2e' });
	expect(licensed.status).toBe(200);
	simulator = await startOneChatSimulator({ apiKey: 'ui-built-key' });
	platform = await startOpenPlatformSimulator();
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	await signIn(page, n8n.url, OWNER);
}, 300_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await registry?.stop();
	await simulator?.close();
	await platform?.close();
});

describe('installing the package through Settings → Community Nodes, and building a workflow in the editor', () => {
	it('installs the published tarball from the registry; all node types load', async () => {
		await page.goto(`${n8n.url}/settings/community-nodes`);
		await shot('1-settings');
		await page.getByRole('button', { name: /install/i }).first().click();
		await page.locator('[data-test-id="package-name-input"]').fill(PACKAGE);
		await page.locator('[data-test-id="user-agreement-checkbox"]').click();
		await shot('2-modal');
		await page.locator('[data-test-id="install-community-package-button"]').click();
		await page.locator('[data-test-id="community-package-card"]', { hasText: PACKAGE }).waitFor({ timeout: 120_000 }).finally(async () => await shot('3-installed'));
		expect(await page.locator('[data-test-id="community-package-card"]', { hasText: version }).count()).toBe(1);
		const types = await client.nodeTypes();
		for (const node of ['oneChat', 'oneChatMiniAppTrigger', 'operator', 'operatorTrigger', 'openPlatform', 'openPlatformTrigger', 'oneChatTool']) expect(types).toContain(`${PACKAGE}.${node}`);
	}, 180_000);

	it('builds Manual Trigger → OneChat "Send a message to a user" in the editor, runs it with "Execute workflow", and shows the output', async () => {
		await client.createCredential('oneChatApi', 'OneChat (editor)', { baseUrl: simulator.baseUrl, apiKey: 'ui-built-key' });
		await newWorkflowWithManualTrigger();
		await addAction('OneChat', 'Send a message to a user');
		await page.locator('[data-test-id="parameter-input-jid"] input').fill('editor@onechat.test');
		// The message as an expression: the field's "Expression" switch (shown on hover), then typing;
		// the expression editor closes the braces itself and previews the result.
		const message = parameterItem('message');
		await message.hover();
		await message.locator('[data-test-id="radio-button-expression"]').dispatchEvent('click');
		await message.locator('.cm-content').click();
		await page.keyboard.type('The answer is {{ 6 * 7');
		await message.getByText('The answer is 42').waitFor();
		await shot('4-onechat-node');
		const output = await executeWorkflowAndOpen('Send a message to a user', '1 item');
		expect(output).toMatch(/editor@onechat\.test\s+Success/);
		expect(simulator.log.filter((entry) => entry.delivered).map((entry) => entry.body)).toEqual([{ jid: 'editor@onechat.test', message: 'The answer is 42' }]);
	}, 180_000);

	it('builds Manual Trigger → OpenPlatform "Get many users" the same way and shows the users in the output', async () => {
		await client.createCredential('openPlatformApi', 'OpenPlatform (editor)', { url: platform.baseUrl, accessToken: platform.appToken('u1'), n8nProcesses: 1 });
		await newWorkflowWithManualTrigger();
		await addAction('OpenPlatform', 'Get many users');
		await shot('6-openplatform-node');
		const output = await executeWorkflowAndOpen('Get many users', `${DEFAULT_USERS.length} items`);
		for (const user of DEFAULT_USERS) expect(output).toContain(user.name);
	}, 180_000);
});

function parameterItem(name: string) {
	return page.locator('[data-test-id="parameter-item"]', { has: page.locator(`[data-test-id="parameter-input-${name}"]`) });
}

async function newWorkflowWithManualTrigger(): Promise<void> {
	await page.goto(`${n8n.url}/workflow/new`);
	await page.click('[data-test-id="canvas-add-button"]');
	await page.locator('[data-test-id="node-creator-search-bar"]').waitFor({ state: 'visible' });
	// The panel opens with its search field focused.
	await page.keyboard.type('Manual');
	const manual = page.locator('[data-test-id="item-iterator-item"]', { hasText: /Trigger manually|Manual Trigger/ }).first();
	await manual.waitFor({ timeout: 15_000 }).finally(async () => await shot('manual-trigger'));
	await manual.click();
}

/** The nodes panel's "+", the app found by name, one of its actions: the node's panel opens. */
async function addAction(app: string, action: string): Promise<void> {
	await page.click('[data-test-id="node-creator-plus-button"]');
	await page.locator('[data-test-id="node-creator-search-bar"]').waitFor({ state: 'visible' });
	await page.keyboard.type(app);
	await page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${app}$`) }).first().click();
	await page.locator('[data-test-id="item-iterator-item"]', { hasText: action }).first().click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'visible' });
	// The only credential of the node's type is chosen by n8n itself.
	await page.locator('[data-test-id="node-credentials-select"]').waitFor({ state: 'visible' });
}

/** Closes the node's panel, presses "Execute workflow", opens the node again: its output panel's text. */
async function executeWorkflowAndOpen(nodeTitle: string, itemCount: string): Promise<string> {
	// 2.x closes the node's panel with ×, 1.x with "Back to canvas".
	await page.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first().click();
	await page.click('[data-test-id="execute-workflow-button"]');
	const node = page.locator('[data-test-id="canvas-node"]', { hasText: nodeTitle });
	// n8n marks a node that ran successfully with a check mark and its item count on the canvas.
	await node.locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 60_000 }).finally(async () => await shot(`${nodeTitle}-executed`));
	await node.dblclick();
	const output = page.locator('[data-test-id="output-panel"]');
	await output.getByText(itemCount).waitFor();
	await shot(`${nodeTitle}-output`);
	return await output.innerText();
}
