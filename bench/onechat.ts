/**
 * OneChat throughput, in-process on n8n-core's real engine, against the simulator running in a
 * separate process. Uses the built node from dist/ (run `npm run bench`, which builds first).
 * BENCH_COUNT (default 10,000) sets the number of messages of each measured scenario; BENCH_DIST
 * another build to measure (e.g. an older commit's dist/, for a before/after in the same session).
 *   (a) BENCH_COUNT input items, Send to User with jid {{ $json.jid }} and a fixed message
 *   (b) one item, Relay to Users with BENCH_COUNT jids
 *   raw undici: the same BENCH_COUNT singleMessage POSTs sent with undici directly, as the node
 *       sends them (header `apikey`, `content-type: application/json`, `accept: application/json`,
 *       JSON body {jid, message}), 32 in flight (the node's default Concurrency) through an
 *       EnvHttpProxyAgent configured like the node's dispatcher (its HTTP module in nodes/shared:
 *       `connections` = the run's concurrency, keep-alive 30 s, same TLS options), with undici's
 *       `request()` API, as the node uses it. Each answer is read and parsed
 *       and its `status` checked, which any client must do. No n8n, no retries, no validation:
 *       the ceiling of this machine, client process and simulator. It is timed with
 *       performance.now() from the first request to the last answer; the node scenarios use the
 *       node's execution time as n8n records it (also its first request to its output).
 * Printed per scenario: msg/s, peak RSS of this process during the scenario and its peak JS heap in
 * use (RSS keeps what earlier scenarios grew, the heap does not), the most connections
 * open at the simulator, and the simulator's own load (event-loop utilisation, CPU time, peak RSS),
 * so a run shows whether the simulator was the limit. Then (a) and (b) as a share of raw undici:
 * the shares, not the absolute msg/s, are what to compare between runs on this shared machine.
 *
 * Order, chosen so that JIT warm-up and machine noise are billed fairly:
 *   1. warm-up of the node (2,000 items, Send to User) and of raw undici (5,000 POSTs): both code
 *      paths, and the simulator's, are compiled and the node's connections are open before anything
 *      is timed (with 1,000 of each, the first raw undici run of 10,000 was still 30-50% slower
 *      than the second);
 *   2. raw undici (first), 3. (a) Send to User, 4. (b) Relay to Users, 5. raw undici (second).
 * The raw undici reference is the mean of 2 and 5, which bracket the node scenarios in time, so a
 * slow phase of the shared machine affects the reference about as much as the node's figures; the
 * spread between 2 and 5 is printed as a noise indicator. Each raw undici run uses its own agent,
 * primed with 2×32 untimed requests (as the node's scenarios find their connections open from the
 * warm-up), and closed afterwards, so the node's scenarios see only the node's own connections.
 * A full garbage collection runs before each scenario, so none inherits the previous one's garbage;
 * peak RSS per scenario is measured from there.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { INode, INodeType } from 'n8n-workflow';
import { EnvHttpProxyAgent } from 'undici';

import { runWorkflow } from '../test/engine/runWorkflow';
import { ITEMS_TYPE, MANUAL_TRIGGER_TYPE } from '../test/engine/testNodes';
import { ask, forkOneChatSimulator } from '../test/simulators/simulatorProcess';

const COUNT = Number(process.env.BENCH_COUNT ?? 10_000);
/** Warm-up sizes: long enough that the JIT of this process and of the simulator has settled. */
const WARM_UP_NODE = 2_000;
const WARM_UP_RAW = 5_000;
/** The node's default Concurrency, which the node also uses as its connections per origin. */
const CONCURRENCY = 32;
/** The node's KEEP_ALIVE_MS (nodes/shared). */
const KEEP_ALIVE_MS = 30_000;
const API_KEY = 'bench-key';
const MESSAGE = 'Flash sale today';
const TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChat';
/** BENCH_DIST: another build of the package (a checkout of an older commit) to compare with the same bench. */
const DIST = process.env.BENCH_DIST ?? join(__dirname, '..', 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OneChat } = require(join(DIST, 'nodes', 'OneChat', 'OneChat.node.js')) as { OneChat: new () => INodeType };

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Stats {
	delivered: number;
	maxOpenConnections: number;
	openConnections: number;
	eventLoopUtilization: number;
	cpuMs: number;
	peakRss: number;
	maxRss: number;
}

interface Result {
	/** Short name for the summary lines. */
	label: string;
	messages: number;
	ms: number;
	msgPerSecond: number;
	peakRss: number;
	peakHeap: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

// RSS does not shrink back after a scenario (V8 keeps the pages), so the JS heap in use is sampled
// too: it is what a scenario itself needed.
let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
	const memory = process.memoryUsage();
	peakRss = Math.max(peakRss, memory.rss);
	peakHeap = Math.max(peakHeap, memory.heapUsed);
}, 10);

/** Collects garbage, resets the simulator's counters and this process's peak RSS. */
async function startScenario(child: ChildProcess): Promise<void> {
	collectGarbage();
	await ask(child, 'reset', 'reset-done');
	const memory = process.memoryUsage();
	peakRss = memory.rss;
	peakHeap = memory.heapUsed;
}

async function finishScenario(
	child: ChildProcess,
	name: string,
	ok: number,
	messages: number,
	ms: number,
	wall: number,
	otherConnections = 0,
): Promise<Result> {
	const memory = process.memoryUsage();
	const scenarioPeakRss = Math.max(peakRss, memory.rss);
	const scenarioPeakHeap = Math.max(peakHeap, memory.heapUsed);
	const stats = await ask<Stats>(child, 'stats', 'stats');
	const msgPerSecond = (messages * 1000) / ms;
	console.log(
		`${name.replace(': ', ', ').padEnd(46)} ${String(ok).padStart(6)} ok  ${String(Math.round(ms)).padStart(6)} ms  ` +
			`${thousands(msgPerSecond).padStart(6)} msg/s  (whole run ${Math.round(wall)} ms)  peak RSS ${mb(scenarioPeakRss)} (heap ${mb(scenarioPeakHeap)})  ` +
			`max connections ${stats.maxOpenConnections - otherConnections}  delivered ${stats.delivered}  ` +
			`| simulator: busy ${Math.round(stats.eventLoopUtilization * 100)}%, CPU ${stats.cpuMs} ms, peak RSS ${mb(stats.peakRss)}`,
	);
	return { label: name.split(': ')[0], messages, ms, msgPerSecond, peakRss: scenarioPeakRss, peakHeap: scenarioPeakHeap };
}

async function nodeScenario(
	name: string,
	child: ChildProcess,
	baseUrl: string,
	items: object[],
	messages: number,
	parameters: INode['parameters'],
): Promise<Result> {
	await startScenario(child);
	const started = performance.now();
	const result = await runWorkflow({
		nodes: [
			{ id: '1', name: 'Start', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '2', name: 'Items', type: ITEMS_TYPE, typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(items) } },
			{
				id: '3', name: 'OneChat', type: TYPE, typeVersion: 1, position: [400, 0], parameters,
				credentials: { oneChatApi: { id: '1', name: 'OneChat' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'OneChat', type: 'main', index: 0 }]] },
		},
		nodeTypes: { [TYPE]: new OneChat() },
		credentials: { oneChatApi: { baseUrl, apiKey: API_KEY, bodyEncoding: 'json', ignoreSslIssues: false } },
	});
	const wall = performance.now() - started;
	if (result.error) throw new Error(`${name} failed: ${result.error.message}`);
	const nodeMs = result.taskData('OneChat')[0].executionTime;
	const output = result.output('OneChat');
	const ok = output.filter((item) => item.json.status === 'Success' || item.json.status === 'sent').length;
	return await finishScenario(child, name, ok, messages, nodeMs, wall);
}

/** `count` POSTs of `jids` (cycled) through `agent`, CONCURRENCY in flight; returns how many answered Success. */
async function sendRaw(agent: EnvHttpProxyAgent, baseUrl: string, jids: string[], count: number): Promise<number> {
	const url = new URL(`${baseUrl}/singleMessage`);
	const origin = url.origin;
	const path = url.pathname;
	const headers = { apikey: API_KEY, 'content-type': 'application/json', accept: 'application/json' };
	let next = 0;
	let ok = 0;
	const lane = async () => {
		while (next < count) {
			const jid = jids[next++ % jids.length];
			const response = await agent.request({
				origin,
				path,
				method: 'POST',
				headers,
				body: JSON.stringify({ jid, message: MESSAGE }),
			});
			const answer = (await response.body.json()) as { status?: string };
			if (response.statusCode === 200 && answer.status === 'Success') ok++;
		}
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, lane));
	return ok;
}

async function rawScenario(name: string, child: ChildProcess, baseUrl: string, jids: string[]): Promise<Result> {
	// Connections of the node's dispatcher, idle now; not counted as this scenario's.
	const { openConnections: others } = await ask<{ openConnections: number }>(child, 'reset', 'reset-done');
	const tls = { rejectUnauthorized: true };
	const agent = new EnvHttpProxyAgent({ connections: CONCURRENCY, keepAliveTimeout: KEEP_ALIVE_MS, connect: tls, requestTls: tls });
	try {
		await sendRaw(agent, baseUrl, jids, 2 * CONCURRENCY); // opens the connections, untimed
		await startScenario(child);
		const started = performance.now();
		const ok = await sendRaw(agent, baseUrl, jids, jids.length);
		const ms = performance.now() - started;
		return await finishScenario(child, name, ok, jids.length, ms, ms, others);
	} finally {
		await agent.close();
		// Wait until the simulator saw these connections close, so the next scenario's count is its own.
		for (let waited = 0; waited < 2_000; waited += 20) {
			const stats = await ask<Stats>(child, 'stats', 'stats');
			if (stats.openConnections <= others) break;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}
}

async function main() {
	const { child, baseUrl } = await forkOneChatSimulator();
	const jids = Array.from({ length: COUNT }, (_, index) => `user${index}@bench.onechat.test`);
	const count = thousands(COUNT);
	console.log(
		`OneChat benchmark: ${count} messages per scenario, Node ${process.version}, in-process n8n-core engine, ` +
			`simulator in a child process, ${CONCURRENCY} in flight`,
	);
	const results: Result[] = [];
	try {
		// Warm-up: JIT of both code paths and the node's connections, before anything is timed.
		const warmJids = Array.from({ length: Math.max(WARM_UP_NODE, WARM_UP_RAW) }, (_, index) => `warm${index}@bench.onechat.test`);
		const warmNode = warmJids.slice(0, WARM_UP_NODE);
		results.push(await nodeScenario(`warm-up node: ${thousands(WARM_UP_NODE)} items`, child, baseUrl, warmNode.map((jid) => ({ jid })), WARM_UP_NODE, {
			resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: 'warm-up',
		}));
		results.push(await rawScenario(`warm-up raw undici: ${thousands(WARM_UP_RAW)} POSTs`, child, baseUrl, warmJids.slice(0, WARM_UP_RAW)));
		const rawBefore = await rawScenario(`raw undici (first): ${count} POSTs`, child, baseUrl, jids);
		results.push(rawBefore);
		const sendToUser = await nodeScenario(`(a) Send to User: {{ $json.jid }}, ${count} items`, child, baseUrl, jids.map((jid) => ({ jid })), COUNT, {
			resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: MESSAGE,
		});
		results.push(sendToUser);
		const relay = await nodeScenario(`(b) Relay to Users: 1 item with ${count} jids`, child, baseUrl, [{ jids }], COUNT, {
			resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.jids }}', message: MESSAGE,
		});
		results.push(relay);
		const rawAfter = await rawScenario(`raw undici (second): ${count} POSTs`, child, baseUrl, jids);
		results.push(rawAfter);

		const raw = (rawBefore.msgPerSecond + rawAfter.msgPerSecond) / 2;
		const spread = Math.abs(rawBefore.msgPerSecond - rawAfter.msgPerSecond) / raw;
		console.log(
			`raw undici (reference): ${thousands(raw)} msg/s, mean of ${thousands(rawBefore.msgPerSecond)} (first) and ` +
				`${thousands(rawAfter.msgPerSecond)} (second); spread ${Math.round(spread * 100)}%`,
		);
		console.log(`Send to User:   ${(sendToUser.msgPerSecond / raw).toFixed(2)} of raw undici (${thousands(sendToUser.msgPerSecond)} msg/s)`);
		console.log(`Relay to Users: ${(relay.msgPerSecond / raw).toFixed(2)} of raw undici (${thousands(relay.msgPerSecond)} msg/s)`);
		console.log(
			`peak RSS (heap in use) per scenario: ${results.map((result) => `${result.label} ${mb(result.peakRss)} (${mb(result.peakHeap)})`).join('; ')}`,
		);
	} finally {
		clearInterval(sampler);
		const simulator = await ask<Stats>(child, 'stats', 'stats');
		child.send({ type: 'stop' });
		console.log(
			`process peak RSS (getrusage): ${mb(process.resourceUsage().maxRSS * 1024)}; simulator process: ${mb(simulator.maxRss)}`,
		);
	}
}

void main();
