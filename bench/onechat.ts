/**
 * OneChat throughput, in-process on n8n-core's real engine, against the simulator running in a
 * separate process. Uses the built node from dist/ (run `npm run bench`, which builds first).
 *   (a) 10,000 input items, Send to User with jid {{ $json.jid }} and a fixed message
 *   (b) one item, Relay to Users with 10,000 jids
 * Prints msg/s (from the node's execution time recorded by n8n), peak RSS and the most
 * connections the simulator saw open at once. Targets: (a) >= 3,000 msg/s, (b) >= 8,000 msg/s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { INode, INodeType } from 'n8n-workflow';

import { runWorkflow } from '../test/engine/runWorkflow';
import { ITEMS_TYPE, MANUAL_TRIGGER_TYPE } from '../test/engine/testNodes';

const COUNT = Number(process.env.BENCH_COUNT ?? 10_000);
const TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChat';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OneChat } = require('../dist/nodes/OneChat/OneChat.node.js') as { OneChat: new () => INodeType };

interface Stats { delivered: number; maxOpenConnections: number }

function ask<T>(child: ChildProcess, type: string, reply: string): Promise<T> {
	return new Promise((resolve) => {
		const listener = (message: { type: string }) => {
			if (message.type !== reply) return;
			child.off('message', listener);
			resolve(message as T);
		};
		child.on('message', listener);
		if (type) child.send({ type });
	});
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);

async function scenario(name: string, child: ChildProcess, baseUrl: string, items: object[], parameters: INode['parameters']) {
	await ask(child, 'reset', 'reset-done');
	peakRss = process.memoryUsage.rss();
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
		credentials: { oneChatApi: { baseUrl, apiKey: 'bench-key', bodyEncoding: 'json', ignoreSslIssues: false } },
	});
	const wall = performance.now() - started;
	if (result.error) throw new Error(`${name} failed: ${result.error.message}`);
	const nodeMs = result.taskData('OneChat')[0].executionTime;
	const output = result.output('OneChat');
	const stats = await ask<Stats>(child, 'stats', 'stats');
	const ok = output.filter((item) => item.json.status === 'Success' || item.json.status === 'sent').length;
	console.log(
		`${name.padEnd(44)} ${String(ok).padStart(6)} ok  node ${String(nodeMs).padStart(6)} ms  ` +
			`${Math.round((items.length === 1 ? COUNT : items.length) * 1000 / nodeMs).toString().padStart(6)} msg/s  ` +
			`(whole run ${Math.round(wall)} ms)  peak RSS ${Math.round(peakRss / 1048576)} MB  ` +
			`max connections ${stats.maxOpenConnections}  delivered ${stats.delivered}`,
	);
}

async function main() {
	const child = fork(join(__dirname, 'simulatorProcess.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'] });
	const { baseUrl } = await ask<{ baseUrl: string }>(child, '', 'ready');
	const jids = Array.from({ length: COUNT }, (_, index) => `user${index}@bench.onechat.test`);
	console.log(`OneChat benchmark: ${COUNT} messages, Node ${process.version}, in-process n8n-core engine, simulator in a child process`);
	try {
		// A short warm-up so that JIT and connection set-up are not billed to the first scenario.
		await scenario('warm-up (1,000 items)', child, baseUrl, jids.slice(0, 1000).map((jid) => ({ jid })), {
			resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: 'warm-up',
		});
		await scenario('(a) Send to User, {{ $json.jid }}, 10,000 items', child, baseUrl, jids.map((jid) => ({ jid })), {
			resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: 'Flash sale today',
		});
		await scenario('(b) Relay to Users, 1 item with 10,000 jids', child, baseUrl, [{ jids }], {
			resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.jids }}', message: 'Flash sale today',
		});
	} finally {
		clearInterval(sampler);
		child.send({ type: 'stop' });
	}
	console.log(`process peak RSS (getrusage): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

void main();
