'use strict';
/**
 * One end-to-end pass against a real n8n 2.40.7 with this package loaded:
 *
 *   ensureN8n -> (dist/ must be built) -> simulators -> startN8n (fresh temp user folder)
 *   -> owner setup -> the package's 6 node types are loaded
 *   -> OneChat credential + "Manual Trigger -> OneChat Send to User" workflow, run manually, succeeded
 *   -> OneChat Mini App Trigger workflow published; its production webhook answers 401 to a bad
 *      session without recording an execution, and starts one for a good session
 *   -> everything stopped. Prints timings; exit code 0 when every check passed.
 *
 * Usage: node scripts/n8n/smoke.js [--keep] [--build]
 *   --keep   keep the temp user folder (n8n.log, database) and print its path
 *   --build  run `npm run build` first (default: fail when dist/ is missing)
 * Runs on Node >= 20 (use the repository's node_modules/.bin/node, Node 24); n8n itself always
 * runs on the Node 24 of the install cache.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { ensureN8n } = require('./install');
const { startN8n } = require('./instance');
const { startSimulators } = require('./simulators');
const { bootstrap, nodeOutput, executionError } = require('./api');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
const EXPECTED_NODE_TYPES = ['oneChat', 'oneChatMiniAppTrigger', 'operator', 'operatorTrigger', 'openPlatform', 'openPlatformTrigger'].map(
	(name) => `${PACKAGE}.${name}`,
);
const OWNER = { email: 'owner@smoke.test', password: 'Smoke-Passw0rd', firstName: 'Smoke', lastName: 'Owner' };
const TOTAL_TIMEOUT_MS = 15 * 60_000;

const timings = [];
function log(line) {
	console.log(`[smoke] ${line}`);
}
async function step(label, fn) {
	const t = Date.now();
	log(`${label} ...`);
	const result = await fn();
	const ms = Date.now() - t;
	timings.push([label, ms]);
	log(`${label}: ok (${(ms / 1000).toFixed(1)} s)`);
	return result;
}
function assert(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
}

function sendWorkflow() {
	return {
		name: 'Smoke: manual send to a OneChat user',
		nodes: [
			{ id: crypto.randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: crypto.randomUUID(),
				name: 'Send to Alice',
				type: `${PACKAGE}.oneChat`,
				typeVersion: 1,
				position: [240, 0],
				parameters: { resource: 'message', operation: 'sendToUser', jid: 'alice@onechat.test', message: 'Hello from the n8n smoke test' },
				credentials: { oneChatApi: { id: 'onechat-sim', name: 'OneChat (simulator)' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Send to Alice', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function miniAppWorkflow(webhookId) {
	return {
		name: 'Smoke: mini app session check',
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Mini app opened',
				type: `${PACKAGE}.oneChatMiniAppTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { responseMode: 'onReceived', options: {} },
				credentials: { oneChatMiniAppApi: { id: 'onechat-mini-app-sim', name: 'OneChat mini app (simulator)' } },
			},
			{ id: crypto.randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		],
		connections: { 'Mini app opened': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function postJson(url, body) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(15_000),
	});
	return { status: response.status, text: await response.text() };
}

async function main() {
	const args = new Set(process.argv.slice(2));
	const startedAt = Date.now();
	let sims;
	let n8n;
	let cleaningUp;
	const cleanup = () => {
		if (!cleaningUp) {
			cleaningUp = Promise.allSettled([n8n ? n8n.stop() : undefined, sims ? sims.stop() : undefined]);
		}
		return cleaningUp;
	};
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			log(`${signal}: stopping n8n and the simulators`);
			cleanup().then(() => process.exit(130));
		});
	}
	const watchdog = setTimeout(() => {
		log(`gave up after ${TOTAL_TIMEOUT_MS / 60_000} min`);
		cleanup().then(() => process.exit(1));
	}, TOTAL_TIMEOUT_MS);
	watchdog.unref();

	let failed;
	try {
		const install = await step('ensure n8n is installed', () => ensureN8n({ log: (line) => log(`install: ${line}`) }));

		if (args.has('--build')) {
			await step('npm run build', () => execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 600_000 }));
		}
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((file) => !fs.existsSync(path.join(REPO_ROOT, file)));
		assert(missing.length === 0, `built files missing (${missing.join(', ')}); run \`npm run build\` or pass --build`);

		sims = await step('start the simulators', () => startSimulators({ log: (line) => log(line) }));
		const onechat = sims.config.OneChat;

		// No userFolder: startN8n makes a fresh temp one and removes it in stop() unless --keep.
		n8n = await step('start n8n', () =>
			startN8n({ packageDir: REPO_ROOT, install, log: (line) => log(`n8n: ${line}`), keepUserFolder: args.has('--keep') }),
		);

		const client = await step('set up the owner account', () => bootstrap({ url: n8n.url, owner: OWNER }));

		await step('check the node types are loaded', async () => {
			const types = await client.nodeTypes();
			const absent = EXPECTED_NODE_TYPES.filter((type) => !types.includes(type));
			assert(absent.length === 0, `node types not loaded: ${absent.join(', ')} (n8n knows ${types.length} types; see ${n8n.logFile})`);
			log(`  ${EXPECTED_NODE_TYPES.length} package node types present among ${types.length}`);
		});

		await step('manual run: Manual Trigger -> OneChat Send to User', async () => {
			const credentialId = await client.createCredential('oneChatApi', 'OneChat (simulator)', {
				baseUrl: onechat.baseUrl,
				apiKey: onechat.apiKey,
				bodyEncoding: 'json',
				ignoreSslIssues: false,
			});
			const workflowId = await client.importWorkflow(sendWorkflow(), { 'onechat-sim': credentialId });
			const run = await client.runWorkflowManually(workflowId, { timeoutMs: 60_000 });
			const error = executionError(run.execution);
			assert(run.status === 'success', `execution ${run.executionId} ended "${run.status}"${error ? `: ${error.message} (${error.node})` : ''}`);
			const items = nodeOutput(run.execution, 'Send to Alice') || [];
			assert(items.length === 1 && items[0].status === 'Success' && items[0].jid === 'alice@onechat.test', `unexpected output ${JSON.stringify(items)}`);
			log(`  execution ${run.executionId}: ${JSON.stringify(items[0])}`);
		});

		await step('published Mini App Trigger: bad session refused, good session runs', async () => {
			const credentialId = await client.createCredential('oneChatMiniAppApi', 'OneChat mini app (simulator)', {
				baseUrl: onechat.baseUrl,
				appId: onechat.miniApp.appId,
				apiKey: onechat.miniApp.apiKey,
				bodyEncoding: 'json',
				ignoreSslIssues: false,
			});
			const webhookId = crypto.randomUUID();
			const workflowId = await client.importWorkflow(miniAppWorkflow(webhookId), { 'onechat-mini-app-sim': credentialId });
			await client.activateWorkflow(workflowId);
			const hookUrl = n8n.webhookUrl(`${webhookId}/onechat-mini-app`);
			log(`  production webhook ${hookUrl}`);

			const bad = await postJson(hookUrl, { jid: 'alice@onechat.test', sessionId: 'not-a-session' });
			assert(bad.status === 401, `bad session: expected HTTP 401, got ${bad.status} ${bad.text}`);
			// Executions are saved asynchronously; give a wrongly started one time to appear.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const afterBad = await client.listExecutions({ workflowId });
			assert(afterBad.length === 0, `bad session recorded ${afterBad.length} execution(s)`);
			log(`  bad session -> ${bad.status} ${bad.text}; executions recorded: 0`);

			const good = await postJson(hookUrl, { jid: 'alice@onechat.test', sessionId: 'alice-session', coupon: 'SMOKE' });
			assert(good.status === 200, `good session: expected HTTP 200, got ${good.status} ${good.text}`);
			const [execution] = await client.waitForExecutions(workflowId, { count: 1, timeoutMs: 30_000 });
			assert(execution.status === 'success' && execution.mode === 'webhook', `good session execution: ${JSON.stringify(execution)}`);
			const full = await client.getExecution(execution.id, { includeData: true });
			const [item] = nodeOutput(full, 'Done') || [];
			assert(item && item.jid === 'alice@onechat.test' && item.authenticated === true && item.body.coupon === 'SMOKE', `trigger output ${JSON.stringify(item)}`);
			log(`  good session -> ${good.status}; execution ${execution.id} (${execution.mode}, ${execution.status})`);
		});
	} catch (error) {
		failed = error;
		log(`FAILED: ${error.message}`);
		if (n8n) log(`n8n log: ${n8n.logFile}\n${n8n.logTail(3000)}`);
	}

	const keptFolder = n8n && args.has('--keep') ? n8n.userFolder : undefined;
	await step('stop n8n and the simulators', cleanup);
	clearTimeout(watchdog);

	console.log('\n[smoke] timings');
	for (const [label, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${label}`);
	if (n8n) console.log(`  ${(n8n.bootMs / 1000).toFixed(1).padStart(7)} s  (n8n boot: spawn -> ready)`);
	console.log(`  ${((Date.now() - startedAt) / 1000).toFixed(1).padStart(7)} s  total`);
	if (keptFolder) console.log(`[smoke] user folder kept: ${keptFolder} (log: ${path.join(keptFolder, 'n8n.log')})`);
	console.log(failed ? '[smoke] FAILED' : '[smoke] PASSED');
	process.exitCode = failed ? 1 : 0;
}

if (require.main === module) {
	const [major] = process.versions.node.split('.').map(Number);
	if (major < 20) {
		console.error(`[smoke] needs Node >= 20; run it with ${path.join(REPO_ROOT, 'node_modules', '.bin', 'node')}`);
		process.exit(1);
	}
	main();
}

module.exports = { main };
