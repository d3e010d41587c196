'use strict';
/**
 * Issue 15: what the triggers cost per call, next to n8n's own Webhook node, in one run of a real
 * n8n with the simulators. Three tables, every figure also as a ratio to its peer:
 *   1. refusals: each trigger event's forged call (wrong token, made-up session, …) against the
 *      Webhook node with header auth and a wrong header: BENCH_CALLS calls one at a time (median,
 *      p99) and BENCH_CALLS with BENCH_CONCURRENCY in flight (refusals per second);
 *   2. accepted calls that start an execution, BENCH_CONCURRENCY in flight (calls per second),
 *      against the Webhook node with the right header;
 *   3. Operator's User Info Requested, request → answer at BENCH_CONCURRENCY callers (p50, p99 of
 *      5 rounds of BENCH_CALLS, taking turns with the peer), against Webhook (Respond: Using
 *      'Respond to Webhook' node) → Respond to Webhook.
 * Bodies are JSON for every caller alike. Run with `npm run bench:webhooks` (it builds first).
 *   BENCH_SECTIONS=refusals,accepted,answers  the tables to measure (default: all three)
 *   BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE":"legacy"}'  what else n8n is started with
 *   BENCH_TRIGGER_VERSION=1  the package's triggers at version 1 (default 2, as the editor adds them)
 */
const { startN8n } = require('../scripts/n8n/instance');
const { bootstrap } = require('../scripts/n8n/api');
const { startSimulators } = require('../scripts/n8n/simulators');

const CALLS = Number(process.env.BENCH_CALLS || 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 20);
/** Accepted calls are counted in one page of n8n's execution list (api.js asks for 100). */
const ACCEPTED_CALLS = 100;
const ANSWER_ROUNDS = 5;
const SECTIONS = (process.env.BENCH_SECTIONS || 'refusals,accepted,answers').split(',');
const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
const log = (line) => console.log(`[bench] ${line}`);

/** The package's triggers at the version the editor adds (BENCH_TRIGGER_VERSION=1: workflows made before 2 existed). */
const TRIGGER_VERSION = Number(process.env.BENCH_TRIGGER_VERSION || 2);

let nextWebhookId = 1;
/** A one-trigger workflow (plus `after`, the nodes the trigger feeds in a chain). */
function workflow(name, trigger, after = []) {
	const webhookId = `b0000000-0000-4000-8000-${String(nextWebhookId++).padStart(12, '0')}`;
	const nodes = [{ name: 'Trigger', typeVersion: TRIGGER_VERSION, position: [0, 0], webhookId, ...trigger }, ...after.map((node, index) => ({ typeVersion: 1, position: [220 * (index + 1), 0], ...node }))];
	const connections = Object.fromEntries(nodes.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] }]));
	return { webhookId, json: { name, nodes, connections, settings: { executionOrder: 'v1' } } };
}

const credential = (type) => ({ [type]: { id: type, name: type } });
const json = { 'content-type': 'application/json' };
const post = (body, headers = {}) => ({ method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

/** Every workflow the bench activates; `calls` are made against its production URL base. */
function workflows() {
	const operator = (event, respond, after) => workflow(`Operator ${event}`, { type: `${PACKAGE}.operatorTrigger`, parameters: { event, respond, options: {} }, credentials: credential('operatorApi') }, after);
	const platform = (event) => workflow(`OpenPlatform ${event}`, { type: `${PACKAGE}.openPlatformTrigger`, parameters: { event, ...({ appOpened: { redirectUrl: 'https://app.example/' }, oauthSignIn: { successRedirectUrl: 'https://app.example/signed-in' } })[event], options: {} }, credentials: credential(event === 'oauthSignIn' ? 'openPlatformOAuth2Api' : 'openPlatformApi') });
	const answerUserInfo = { name: 'Answer', type: `${PACKAGE}.operator`, parameters: { resource: 'panelRequest', operation: 'answerUserInfo', id: '={{ $json.user_id }}', name: 'Anna', gender: 'female', avatar: '', balance: '25.00', location: 'Berlin', about: '' } };
	const respond = { name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.5, parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ id: $json.body.user_id, name: "Anna", gender: "female", avatar: "", balance: "25.00", location: "Berlin", about: "" }) }}', options: {} } };
	const peer = (responseMode, after) =>
		workflow(`Webhook node (${responseMode})`, { type: 'n8n-nodes-base.webhook', typeVersion: 2, parameters: { httpMethod: 'POST', path: `bench-${responseMode}`, authentication: 'headerAuth', responseMode, options: {} }, credentials: credential('httpHeaderAuth') }, after);
	const miniApp = workflow('Mini App', { type: `${PACKAGE}.oneChatMiniAppTrigger`, parameters: { options: {} }, credentials: credential('oneChatMiniAppApi') });
	return {
		peer: peer('onReceived'),
		peerAnswer: peer('responseNode', [respond]),
		operatorReply: operator('operatorReply'),
		userInfo: operator('userInfoRequested', 'responseNode', [answerUserInfo]),
		privateMedia: operator('privateMediaRequested', 'responseNode', [{ ...answerUserInfo, parameters: { resource: 'panelRequest', operation: 'answerPrivateMedia', media: '[]' } }]),
		appOpened: platform('appOpened'),
		command: platform('commandReceived'),
		signIn: platform('oauthSignIn'),
		miniApp,
	};
}

/** OpenPlatform sessions: Ben's live one, and made-up ones of the shape OpenPlatform never issues. */
function openPlatformSessions(sims) {
	return {
		verifyUrl: sims.config.OpenPlatform.benchVerifyUrl,
		madeUp: (index) => `${sims.config.OpenPlatform.baseUrl}/verify/?accesstoken=${index}-${'ab'.repeat(60)}`,
	};
}

function calls(base, w, sessions) {
	const url = (flow, path) => `${base}/webhook/${flow.webhookId}/${path}`;
	const peerUrl = `${base}/webhook/bench-onReceived`;
	const wrong = { token: 'wrong-token', user_id: 11 };
	return {
		refusals: [
			{ name: 'n8n, unknown webhook (404)', url: () => `${base}/webhook/no-such-path`, init: () => post({}), status: 404, noRatio: true },
			{ name: 'Webhook node, wrong header auth (peer)', peer: true, url: () => peerUrl, init: () => post({ a: 1 }, { 'x-bench-token': 'wrong' }), status: 403 },
			{ name: 'Operator Operator Replied, wrong token', url: () => url(w.operatorReply, 'operatorReply'), init: () => post({ ...wrong, contact_id: 2, message: 'hi' }), status: 401 },
			{ name: 'Operator User Info Requested, wrong token', url: () => url(w.userInfo, 'userInfoRequested'), init: () => post(wrong), status: 401 },
			{ name: 'Operator Private Media Requested, wrong token', url: () => url(w.privateMedia, 'privateMediaRequested'), init: () => post(wrong), status: 401 },
			{ name: 'OpenPlatform App Opened, made-up session', url: (i) => `${url(w.appOpened, 'open')}?openplatform=${encodeURIComponent(sessions.madeUp(i))}`, init: () => ({ method: 'GET' }), status: 401 },
			{ name: 'OpenPlatform Command Received, made-up session', url: () => url(w.command, 'command'), init: (i) => post({ type: 'refresh', openplatform: sessions.madeUp(i) }), status: 401 },
			{ name: 'OpenPlatform Command Received, verify URL of another host', url: () => url(w.command, 'command'), init: () => post({ type: 'refresh', openplatform: 'http://evil.example/verify/?accesstoken=abc' }), status: 400 },
			{ name: 'OpenPlatform OAuth Sign-in, forged state', url: () => `${url(w.signIn, 'callback')}?state=forged&code=abc`, init: () => ({ method: 'GET' }), status: 400 },
			{ name: 'Mini App, JSON without jid', url: () => url(w.miniApp, 'onechat-mini-app'), init: () => post({ sessionId: 's' }), status: 400 },
			{ name: 'Mini App, forged session (OneChat is asked)', url: () => url(w.miniApp, 'onechat-mini-app'), init: (i) => post({ jid: `mallory${i}@onechat.test`, sessionId: 'forged' }), status: 401 },
		],
		accepted: [
			{ name: 'Webhook node, right header (peer)', peer: true, flow: w.peer, url: () => peerUrl, init: () => post({ a: 1 }, { 'x-bench-token': 'right-token' }), status: 200 },
			{ name: 'Operator Operator Replied', flow: w.operatorReply, url: () => url(w.operatorReply, 'operatorReply'), init: (i) => post({ token: 'right-hook-token-1234', user_id: 11, contact_id: 2, message: `hi ${i}` }), status: 200 },
			{ name: 'OpenPlatform Command Received (OpenPlatform verifies)', flow: w.command, url: () => url(w.command, 'command'), init: () => post({ type: 'refresh', openplatform: sessions.verifyUrl }), status: 204 },
			{ name: 'Mini App, real session (OneChat is asked)', flow: w.miniApp, url: () => url(w.miniApp, 'onechat-mini-app'), init: () => post({ jid: 'alice@onechat.test', sessionId: 'alice-session' }), status: 200 },
		],
		answers: [
			{ name: 'Webhook → Respond to Webhook (peer)', peer: true, url: () => `${base}/webhook/bench-responseNode`, init: (i) => post({ user_id: 11 + (i % 5) }, { 'x-bench-token': 'right-token' }), status: 200 },
			{ name: 'Operator User Info Requested → Answer User Info', url: () => url(w.userInfo, 'userInfoRequested'), init: (i) => post({ token: 'right-hook-token-1234', user_id: 11 + (i % 5) }), status: 200 },
		],
	};
}

async function timed(call, index) {
	const started = process.hrtime.bigint();
	const response = await fetch(call.url(index), call.init(index));
	await response.arrayBuffer();
	if (response.status !== call.status) throw new Error(`${call.name}: HTTP ${response.status}, expected ${call.status}`);
	return Number(process.hrtime.bigint() - started) / 1e6;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** `count` calls with CONCURRENCY in flight: their latencies (sorted) and calls per second. */
async function inFlight(call, count) {
	let next = 0;
	const latencies = [];
	const started = Date.now();
	await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
		for (let index = next++; index < count; index = next++) latencies.push(await timed(call, index));
	}));
	return { latencies: latencies.sort((a, b) => a - b), perSecond: count / ((Date.now() - started) / 1000) };
}

async function refusal(call) {
	for (let i = 0; i < 20; i++) await timed(call, i);
	const one = [];
	for (let i = 0; i < CALLS; i++) one.push(await timed(call, i));
	one.sort((a, b) => a - b);
	const { perSecond } = await inFlight(call, CALLS);
	return { median: quantile(one, 0.5), p99: quantile(one, 0.99), perSecond };
}

function table(title, header, rows) {
	const peer = rows.find((row) => row.call.peer);
	const ratio = (row, key) => (row.call.noRatio ? '' : (row[key] / peer[key]).toFixed(2));
	console.log(`\n${title}\n| call | ${header.map(([label]) => label).join(' | ')} | ${header.map(([label]) => `${label} / peer`).join(' | ')} |`);
	console.log(`|---|${header.map(() => '---:').join('|')}|${header.map(() => '---:').join('|')}|`);
	for (const row of rows) console.log(`| ${row.call.name} | ${header.map(([, key, digits]) => row[key].toFixed(digits)).join(' | ')} | ${header.map(([, key]) => ratio(row, key)).join(' | ')} |`);
}


async function main() {
	const sims = await startSimulators({ log: () => {} });
	const n8n = await startN8n({ log, env: JSON.parse(process.env.BENCH_N8N_ENV || '{}') });
	try {
		const client = await bootstrap({ url: n8n.url, owner: { email: 'bench@example.com', password: 'Bench-Passw0rd', firstName: 'Bench', lastName: 'Mark' } });
		const { OneChat, OpenPlatform } = sims.config;
		const credentials = {
			httpHeaderAuth: await client.createCredential('httpHeaderAuth', 'header', { name: 'X-Bench-Token', value: 'right-token' }),
			operatorApi: await client.createCredential('operatorApi', 'operator', { apiUrl: 'http://127.0.0.1:9/api', apiToken: 'api-token', webhookToken: 'right-hook-token-1234' }),
			openPlatformApi: await client.createCredential('openPlatformApi', 'openplatform', { url: OpenPlatform.baseUrl, accessToken: OpenPlatform.accessToken, n8nProcesses: 1 }),
			openPlatformOAuth2Api: await client.createCredential('openPlatformOAuth2Api', 'openplatform oauth', { url: OpenPlatform.baseUrl, clientId: OpenPlatform.oauth.clientId, clientSecret: OpenPlatform.oauth.clientSecret }),
			oneChatMiniAppApi: await client.createCredential('oneChatMiniAppApi', 'miniapp', { baseUrl: OneChat.baseUrl, ...OneChat.miniApp }),
		};
		const flows = workflows();
		for (const flow of Object.values(flows)) {
			flow.id = await client.importWorkflow(flow.json, credentials);
			await client.activateWorkflow(flow.id);
		}
		const all = calls(n8n.url, flows, openPlatformSessions(sims));
		console.log(`\nn8n ${client.version}; the package's triggers at version ${TRIGGER_VERSION}; ${CALLS} calls per figure, ${CONCURRENCY} in flight where concurrent`);

		const refused = [];
		for (const call of SECTIONS.includes('refusals') ? all.refusals : []) refused.push({ call, ...(await refusal(call)) });
		if (refused.length > 0) table('Refusals (one at a time: median, p99 in ms; then in flight: refusals/s)', [['median ms', 'median', 1], ['p99 ms', 'p99', 1], ['refusals/s', 'perSecond', 0]], refused);

		const accepted = [];
		for (const call of SECTIONS.includes('accepted') ? all.accepted : []) {
			const { perSecond } = await inFlight(call, ACCEPTED_CALLS);
			await client.waitForExecutions(call.flow.id, { count: ACCEPTED_CALLS, timeoutMs: 300_000 });
			accepted.push({ call, perSecond });
		}
		if (accepted.length > 0) table(`Accepted calls, each starting an execution (${ACCEPTED_CALLS} calls with ${CONCURRENCY} in flight; the executions all ended after)`, [['calls/s', 'perSecond', 0]], accepted);

		// Tail latencies drift with the machine's other load: peer and trigger take turns, round by round.
		const answers = SECTIONS.includes('answers') ? all.answers : [];
		const latencies = new Map(answers.map((call) => [call, []]));
		for (const call of answers) await inFlight(call, 20);
		for (let round = 0; round < ANSWER_ROUNDS; round++) {
			for (const call of round % 2 === 0 ? answers : [...answers].reverse()) latencies.get(call).push(...(await inFlight(call, CALLS)).latencies);
		}
		const answered = answers.map((call) => {
			const sorted = latencies.get(call).sort((a, b) => a - b);
			return { call, p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) };
		});
		if (answered.length > 0) table(`Request → answer, ${CONCURRENCY} callers at once, ${ANSWER_ROUNDS} alternating rounds of ${CALLS} calls each (ms)`, [['p50 ms', 'p50', 1], ['p90 ms', 'p90', 1], ['p99 ms', 'p99', 1]], answered);
	} finally {
		await n8n.stop();
		await sims.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
