'use strict';
/**
 * In one run of a real n8n 2.40.7: the same 10,000 recipients sent (a) by OneChat → Send to User
 * with jid {{ $json.jid }} and (b) by n8n's HTTP Request node with an equivalent JSON body, to the
 * same OneChat simulator. Prints each node's execution time as n8n recorded it, msg/s, the ratio
 * and n8n's peak memory. Run with `npm run bench:n8n` (it builds first).
 *
 * n8n runs the execution in its main process, so while it sends 2 × BENCH_COUNT requests it may
 * not answer the status polls for a long time on a busy 2-core machine (seen: no answer within the
 * default 30 s). The wait for the execution therefore allows each poll POLL_TIMEOUT_MS, asks again
 * when a poll got no answer, and gives up only after RUN_DEADLINE_MS in all.
 */
const fs = require('node:fs');

const { ensureN8n } = require('../scripts/n8n/install');
const { startN8n } = require('../scripts/n8n/instance');
const { bootstrap } = require('../scripts/n8n/api');
const { startSimulators } = require('../scripts/n8n/simulators');

const COUNT = Number(process.env.BENCH_COUNT || 10_000);
const MESSAGE = 'Flash sale today';
const RUN_DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS || 10 * 60_000);
const POLL_TIMEOUT_MS = 120_000;
const POLL_INTERVAL_MS = 1_000;
const log = (line) => console.log(`[bench] ${line}`);

function workflow(baseUrl, apiKey) {
	const node = (name, type, typeVersion, position, parameters, extra = {}) => ({ name, type, typeVersion, position, parameters, ...extra });
	return {
		name: 'Side by side: OneChat node vs HTTP Request node',
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('Recipients', 'n8n-nodes-base.code', 2, [220, 0], {
				jsCode: `return Array.from({ length: ${COUNT} }, (_, i) => ({ json: { jid: 'user' + i + '@bench.onechat.test' } }));`,
			}),
			node('OneChat', 'n8n-nodes-openplatform-operator-onechat.oneChat', 1, [460, -120], {
				resource: 'message',
				operation: 'sendToUser',
				jid: '={{ $json.jid }}',
				message: MESSAGE,
			}, { credentials: { oneChatApi: { id: 'bench', name: 'OneChat (bench)' } } }),
			node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, [460, 120], {
				method: 'POST',
				url: `${baseUrl}/singleMessage`,
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'apikey', value: apiKey }] },
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ jid: $json.jid, message: ${JSON.stringify(MESSAGE)} }) }}`,
				options: {},
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
			Recipients: { main: [[{ node: 'OneChat', type: 'main', index: 0 }, { node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
	};
}

/** Peak resident memory (VmHWM) of n8n's main process and its children, in MB. */
function peakMemoryMb(rootPid) {
	let total = 0;
	for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
			const pgid = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2];
			if (Number(pgid) !== rootPid) continue;
			total += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
		} catch {
			// the process ended meanwhile
		}
	}
	return Math.round(total);
}

async function main() {
	const install = await ensureN8n({ log });
	const simulators = await startSimulators({ log });
	const n8n = await startN8n({ install, log });
	try {
		const { baseUrl, apiKey } = simulators.config.OneChat;
		const client = await bootstrap({ url: n8n.url, owner: { email: 'bench@example.com', password: 'Bench-Passw0rd', firstName: 'Bench', lastName: 'Mark' } });
		const credential = await client.createCredential('oneChatApi', 'OneChat (bench)', { baseUrl, apiKey });
		const id = await client.importWorkflow(workflow(baseUrl, apiKey), { oneChatApi: credential });
		log(`running ${COUNT} recipients through both nodes in one execution...`);
		const started = Date.now();
		const run = await client.runWorkflowManually(id, {
			timeoutMs: RUN_DEADLINE_MS,
			requestTimeoutMs: POLL_TIMEOUT_MS,
			retryUnanswered: true,
			intervalMs: POLL_INTERVAL_MS,
			onUnanswered: (error, attempt) =>
				log(`poll ${attempt} got no answer (${error.message}); n8n is busy with the execution, asking again (${Math.round((Date.now() - started) / 1000)} s so far)`),
		});
		log(`execution ${run.executionId} ended (${run.status}) after ${Math.round((Date.now() - started) / 1000)} s`);
		const runData = run.execution.data.resultData.runData;
		const timeOf = (name) => runData[name][0].executionTime;
		const countOf = (name) => runData[name][0].data.main[0].length;
		const oneChat = timeOf('OneChat');
		const http = timeOf('HTTP Request');
		console.log(`\nn8n ${install.version}, ${COUNT} recipients, execution ${run.executionId} (${run.status})`);
		console.log(`(a) OneChat → Send to User:   ${String(oneChat).padStart(7)} ms  ${Math.round((COUNT * 1000) / oneChat).toString().padStart(6)} msg/s  (${countOf('OneChat')} items out)`);
		console.log(`(b) HTTP Request node:        ${String(http).padStart(7)} ms  ${Math.round((COUNT * 1000) / http).toString().padStart(6)} msg/s  (${countOf('HTTP Request')} items out)`);
		console.log(`ratio (b)/(a): ${(http / oneChat).toFixed(1)}× faster with the OneChat node (target ≥ 3×)`);
		console.log(`n8n peak memory (VmHWM, main process and children): ${peakMemoryMb(n8n.pid)} MB`);
	} finally {
		await n8n.stop();
		await simulators.stop();
	}
}

main().catch((error) => {
	console.error(`[bench] failed: ${error.stack || error.message}`);
	process.exit(1);
});
