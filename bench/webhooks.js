'use strict';
/**
 * Issue 15, first figures: what refusing a stranger costs each trigger of the package, next to
 * n8n's own Webhook node with header auth (the peer), in one run of a real n8n. For each call
 * kind: BENCH_CALLS calls one at a time (median, p99 latency) and BENCH_CALLS calls with
 * BENCH_CONCURRENCY in flight (refusals per second); each figure also as a ratio to the peer's.
 * Run with `npm run bench:webhooks` (it builds first). No simulators are needed: every call is refused
 * before any request leaves n8n.
 */
const { startN8n } = require('../scripts/n8n/instance');
const { bootstrap } = require('../scripts/n8n/api');

const CALLS = Number(process.env.BENCH_CALLS || 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 20);
const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
const log = (line) => console.log(`[bench] ${line}`);

const trigger = (name, type, parameters, credentials, webhookId) => ({
	name,
	type,
	typeVersion: 1,
	position: [0, 0],
	parameters,
	webhookId,
	...(credentials ? { credentials } : {}),
});

const WORKFLOWS = [
	{
		name: 'Webhook node, header auth (peer)',
		node: { ...trigger('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: 'bench-peer', authentication: 'headerAuth', options: {} }, { httpHeaderAuth: { id: 'header', name: 'header' } }, 'b0000000-0000-4000-8000-000000000001'), typeVersion: 2 },
	},
	{ name: 'Operator Panel Trigger', node: trigger('Operator replied', `${PACKAGE}.operatorTrigger`, { event: 'operatorReply', options: {} }, { operatorApi: { id: 'operator', name: 'operator' } }, 'b0000000-0000-4000-8000-000000000002') },
	{ name: 'OpenPlatform Trigger', node: trigger('Command', `${PACKAGE}.openPlatformTrigger`, { event: 'commandReceived', options: {} }, { openPlatformApi: { id: 'openplatform', name: 'openplatform' } }, 'b0000000-0000-4000-8000-000000000003') },
	{ name: 'OneChat Mini App Trigger', node: trigger('Mini app', `${PACKAGE}.oneChatMiniAppTrigger`, { options: {} }, { oneChatMiniAppApi: { id: 'miniapp', name: 'miniapp' } }, 'b0000000-0000-4000-8000-000000000004') },
];

/** The refused calls: each with the status n8n or the trigger must answer. */
function calls(base) {
	const json = { 'content-type': 'application/json' };
	return [
		{ name: 'n8n, unknown webhook', url: `${base}/webhook/no-such-path`, init: { method: 'POST', headers: json, body: '{}' }, status: 404 },
		{ name: 'Webhook node, wrong header auth (peer)', peer: true, url: `${base}/webhook/bench-peer`, init: { method: 'POST', headers: { ...json, 'x-bench-token': 'wrong' }, body: '{"a":1}' }, status: 403 },
		{ name: 'Operator Panel Trigger, wrong token', url: `${base}/webhook/b0000000-0000-4000-8000-000000000002/operatorReply`, init: { method: 'POST', headers: json, body: '{"token":"wrong","user_id":1,"contact_id":2,"message":"hi"}' }, status: 401 },
		{ name: 'OpenPlatform Trigger, verify URL of another host', url: `${base}/webhook/b0000000-0000-4000-8000-000000000003/command`, init: { method: 'POST', headers: json, body: '{"type":"x","verify":"http://evil.example/verify/?token=abc"}' }, status: 400 },
		{ name: 'Mini App Trigger, JSON without jid', url: `${base}/webhook/b0000000-0000-4000-8000-000000000004/onechat-mini-app`, init: { method: 'POST', headers: json, body: '{"sessionId":"s"}' }, status: 400 },
	];
}

async function timed(call) {
	const started = process.hrtime.bigint();
	const response = await fetch(call.url, call.init);
	await response.arrayBuffer();
	if (response.status !== call.status) throw new Error(`${call.name}: HTTP ${response.status}, expected ${call.status}`);
	return Number(process.hrtime.bigint() - started) / 1e6;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function measure(call) {
	for (let i = 0; i < 20; i++) await timed(call);
	const one = [];
	for (let i = 0; i < CALLS; i++) one.push(await timed(call));
	one.sort((a, b) => a - b);
	let next = 0;
	const started = Date.now();
	await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
		while (next++ < CALLS) await timed(call);
	}));
	const perSecond = CALLS / ((Date.now() - started) / 1000);
	return { median: quantile(one, 0.5), p99: quantile(one, 0.99), perSecond };
}

async function main() {
	const n8n = await startN8n({ log });
	try {
		const client = await bootstrap({ url: n8n.url, owner: { email: 'bench@example.com', password: 'Bench-Passw0rd', firstName: 'Bench', lastName: 'Mark' } });
		const credentials = {
			httpHeaderAuth: await client.createCredential('httpHeaderAuth', 'header', { name: 'X-Bench-Token', value: 'right-token' }),
			operatorApi: await client.createCredential('operatorApi', 'operator', { apiUrl: 'http://127.0.0.1:9/api', apiToken: 'api-token', webhookToken: 'right-hook-token-1234' }),
			openPlatformApi: await client.createCredential('openPlatformApi', 'openplatform', { url: 'http://127.0.0.1:9', accessToken: 'app-u1-1234567890-123456789012345678', n8nProcesses: 1 }),
			oneChatMiniAppApi: await client.createCredential('oneChatMiniAppApi', 'miniapp', { baseUrl: 'http://127.0.0.1:9', appId: 'app', apiKey: 'key' }),
		};
		for (const workflow of WORKFLOWS) {
			const id = await client.importWorkflow({ name: workflow.name, nodes: [workflow.node], connections: {}, settings: { executionOrder: 'v1' } }, credentials);
			await client.activateWorkflow(id);
		}
		const results = [];
		for (const call of calls(n8n.url)) results.push({ call, ...(await measure(call)) });
		const peer = results.find((result) => result.call.peer);
		const ratio = (value, of) => (value / of).toFixed(2);
		console.log(`\nn8n ${client.version}: ${CALLS} refused calls one at a time, then ${CALLS} with ${CONCURRENCY} in flight`);
		console.log('call | median ms | p99 ms | refusals/s | median / peer | p99 / peer | refusals/s / peer');
		for (const { call, median, p99, perSecond } of results) {
			console.log(`${call.name} | ${median.toFixed(1)} | ${p99.toFixed(1)} | ${perSecond.toFixed(0)} | ${ratio(median, peer.median)} | ${ratio(p99, peer.p99)} | ${ratio(perSecond, peer.perSecond)}`);
		}
	} finally {
		await n8n.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
