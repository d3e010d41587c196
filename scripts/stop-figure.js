'use strict';
/**
 * Does Stop stop the OneChat node? In a real n8n 2.40.7 with this package, a Relay to Users of
 * 20,000 recipients (simulator slowed to 50 ms per request, Concurrency 32) is cancelled once by
 * Stop (POST /rest/executions/:id/stop) and once by the workflow's execution timeout; prints how
 * many requests still reached OneChat afterwards. The figure: requests more than 1 s after the
 * cancel (want 0). Run with `npm run stop:figure` (it builds first). Exits 0 whatever the
 * figures; 1 only when the measurement could not run.
 */
const path = require('node:path');

const { ensureN8n } = require('./n8n/install');
const { startN8n } = require('./n8n/instance');
const { bootstrap } = require('./n8n/api');
const { measureCancel, GRACE_MS } = require('./n8n/cancel');

const OBSERVE_MS = 10_000;
const log = (line) => console.log(`[stop-figure] ${line}`);

// The simulator runs in this process (TypeScript, through ts-node): its log, with each request's
// arrival time, and its delay setting are read and set directly.
function loadSimulator() {
	require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
	return require('../test/simulators/onechat');
}

function print(f) {
	const what = f.mode === 'stop' ? `Stop (answered in ${f.stopCallMs} ms, ${f.cancelAfterFirstMs} ms after the first request)` : `execution timeout (cancelled ${f.cancelAfterFirstMs} ms after the first request)`;
	console.log(`\n${what}, execution ${f.executionId}:`);
	console.log(`  requests at OneChat:        ${f.total} of ${f.recipients}`);
	console.log(`  after the cancel:           ${f.afterCancel}`);
	console.log(`  more than ${GRACE_MS / 1000} s after it:     ${f.lateAfterCancel}   (the figure; want 0)`);
	const stillSending = f.lastAfterCancelMs !== null && f.lastAfterCancelMs > f.observeMs - 500 ? ' (still sending when counting ended)' : '';
	console.log(`  last one, after the cancel: ${f.lastAfterCancelMs === null ? '-' : `${f.lastAfterCancelMs} ms${stillSending}`}`);
	console.log(`  execution status:           ${f.status}`);
	console.log(`  eventually (simulator unslowed after ${OBSERVE_MS / 1000} s): ${f.eventuallyAfterCancel} requests after the cancel, status ${f.eventualStatus}`);
}

async function main() {
	const { startOneChatSimulator } = loadSimulator();
	const install = await ensureN8n({ log });
	const simulator = await startOneChatSimulator({ apiKey: 'stop-figure-key' });
	const n8n = await startN8n({ install, log });
	try {
		const client = await bootstrap({ url: n8n.url, owner: { email: 'stop@example.com', password: 'Stop-Passw0rd', firstName: 'Stop', lastName: 'Figure' } });
		const results = [];
		for (const mode of ['stop', 'timeout']) results.push(await measureCancel({ client, simulator, mode, observeMs: OBSERVE_MS, log }));
		results.forEach(print);
	} finally {
		await n8n.stop();
		await simulator.close();
	}
}

main().catch((error) => {
	console.error(`[stop-figure] could not measure: ${error.stack || error.message}`);
	process.exit(1);
});
