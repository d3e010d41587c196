'use strict';
/**
 * Scale-out benchmark (npm run bench:queue): n8n in queue mode (scripts/n8n/fleet.js), 20
 * production executions of Relay to Users with 1,000 recipients each, all started at once by calls
 * to a Webhook trigger through the webhook processor (manual runs would also stream their data to
 * main for the editor), first with 1 worker and then with 2 workers (a fresh fleet each time), against
 * the OneChat simulator (its own process). Prints msg/s for each (20,000 messages over the time from
 * the first execution's start to the last one's end, as n8n recorded them), the ratio, the CPU count
 * and how much CPU each process used, since on a small machine the ratio is bounded by the cores.
 */
const os = require('node:os');
const fs = require('node:fs');

const { startFleet } = require('../scripts/n8n/fleet');
const { bootstrap } = require('../scripts/n8n/api');
const { startSimulators } = require('../scripts/n8n/simulators');
const { relayWorkflow } = require('../scripts/n8n/workflows');

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS || 20);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS || 1_000);
const OWNER = { email: 'bench@example.com', password: 'Bench-Passw0rd!', firstName: 'Bench', lastName: 'Queue' };
const log = (line) => process.stdout.write(`[bench:queue] ${line}\n`);
const quiet = () => undefined;


/** CPU seconds a process group used so far (utime + stime of every process in it, from /proc). */
function cpuSecondsOfGroup(pgid) {
	let ticks = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
			if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// the process ended meanwhile
		}
	}
	return ticks / 100;
}

/** Busy and total CPU time of the whole machine so far (seconds, all cores), from /proc/stat. */
function machineCpu() {
	const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
	const total = fields.reduce((sum, value) => sum + value, 0);
	const idle = fields[3] + fields[4];
	return { busy: (total - idle) / 100, total: total / 100 };
}

async function measure(workers, oneChat) {
	log(`starting a fleet with ${workers} worker(s)...`);
	const fleet = await startFleet({ workers, webhookProcessors: 1, log: quiet });
	try {
		const client = await bootstrap({ url: fleet.main.url, owner: OWNER });
		const credentialId = await client.createCredential('oneChatApi', 'OneChat (bench)', { baseUrl: oneChat.baseUrl, apiKey: oneChat.apiKey });
		const workflowId = await client.importWorkflow(
			relayWorkflow({ name: `Relay ${RECIPIENTS} (bench)`, recipients: RECIPIENTS, message: 'Scale-out benchmark', domain: 'bench.onechat.test', webhookPath: 'bench-relay' }),
			{ oneChatApi: credentialId },
		);
		await client.activateWorkflow(workflowId);
		const fire = async () => {
			const response = await fetch(fleet.webhookUrl('bench-relay'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
		};
		const ended = async (count) => {
			for (const deadline = Date.now() + 600_000; ; ) {
				const executions = await client.listExecutions({ workflowId, limit: 200 });
				if (executions.length >= count && executions.every((execution) => execution.stoppedAt)) return executions;
				if (Date.now() > deadline) throw new Error('the executions did not all end within 10 minutes');
				await new Promise((resolve) => setTimeout(resolve, 1_000));
			}
		};
		// Untimed first executions, one per worker: code paths and connections warm.
		await Promise.all(Array.from({ length: workers }, fire));
		const warm = new Set((await ended(workers)).map((execution) => String(execution.id)));
		const cpuBefore = fleet.processes().map((process) => cpuSecondsOfGroup(process.pid));
		const machineBefore = machineCpu();
		await Promise.all(Array.from({ length: EXECUTIONS }, fire));
		// Polled through the list (no execution data): reading 1,000-item results back would keep main busy.
		const executions = (await ended(workers + EXECUTIONS)).filter((execution) => !warm.has(String(execution.id)));
		const failed = executions.filter((execution) => execution.status !== 'success');
		if (failed.length > 0) throw new Error(`${failed.length} of ${EXECUTIONS} executions did not succeed (${failed.map((execution) => execution.status).join(', ')})`);
		const first = Math.min(...executions.map((execution) => Date.parse(execution.startedAt)));
		const last = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt)));
		const cpu = fleet.processes().map((process, index) => `${fleet.nameOf(process)} ${(cpuSecondsOfGroup(process.pid) - cpuBefore[index]).toFixed(1)} s`);
		const machineAfter = machineCpu();
		// Cores kept busy on average (everything on the machine: n8n, the simulator, PostgreSQL, Redis, this script).
		const coresBusy = ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * os.cpus().length;
		const seconds = (last - first) / 1000;
		return { workers, seconds, msgPerSecond: (EXECUTIONS * RECIPIENTS) / seconds, cpu, coresBusy };
	} finally {
		await fleet.stop();
	}
}

async function main() {
	const simulators = await startSimulators({ log: quiet });
	try {
		const oneChat = simulators.config.OneChat;
		const results = [];
		for (const workers of [1, 2]) {
			const result = await measure(workers, oneChat);
			results.push(result);
			log(`${workers} worker(s): ${EXECUTIONS} × ${RECIPIENTS} recipients in ${result.seconds.toFixed(1)} s = ${Math.round(result.msgPerSecond).toLocaleString('en-US')} msg/s; CPU used: ${result.cpu.join(', ')}; the machine kept ${result.coresBusy.toFixed(2)} of ${os.cpus().length} cores busy`);
		}
		const [one, two] = results;
		console.log(
			`\nqueue mode, Relay to Users, ${EXECUTIONS} executions × ${RECIPIENTS.toLocaleString('en-US')} recipients, ${os.cpus().length} CPU(s):\n` +
				`  1 worker:  ${Math.round(one.msgPerSecond).toLocaleString('en-US')} msg/s\n` +
				`  2 workers: ${Math.round(two.msgPerSecond).toLocaleString('en-US')} msg/s\n` +
				`  ratio 2/1: ${(two.msgPerSecond / one.msgPerSecond).toFixed(2)}×\n` +
				`  cores busy: ${one.coresBusy.toFixed(2)} with 1 worker, ${two.coresBusy.toFixed(2)} with 2, of ${os.cpus().length}\n` +
				`On ${os.cpus().length} CPU(s) the workers, the simulator, PostgreSQL, Redis and main share the cores: a second worker can only add what the first left idle, so the ratio stays well under 2 here; with a core per worker (and the simulator elsewhere) it would approach 2.`,
		);
	} finally {
		await simulators.stop();
	}
}

main().catch((error) => {
	console.error(`[bench:queue] failed: ${error.stack || error.message}`);
	process.exit(1);
});
