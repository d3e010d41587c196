'use strict';
/**
 * Does cancelling an n8n execution stop the OneChat node's Relay to Users? Runs a relay to many
 * recipients against a slowed OneChat simulator, cancels it (Stop through the REST API, or the
 * workflow's execution timeout) and counts the requests that still reach the simulator afterwards.
 *
 *   const figures = await measureCancel({ client, simulator, mode: 'stop' });   // or 'timeout'
 *
 * `client` is a scripts/n8n/api.js client; `simulator` an in-process OneChat simulator
 * (test/simulators/onechat.ts), whose log stamps every request with its arrival time.
 * Used by scripts/stop-figure.js (prints the figures) and test/e2e/stop.e2e.test.ts (asserts them).
 *
 * n8n 2.40.7, read from its dist: POST /rest/executions/:id/stop (executions.controller.js) calls
 * ActiveExecutions.stopExecution with a ManualExecutionCancelledError, records status 'canceled'
 * and answers. The execution timeout (workflow-runner.js, runMainProcess) calls the same
 * stopExecution from a timer, with a TimeoutExecutionCancelledError. Either way n8n-core aborts
 * the signal nodes get through getExecutionCancelSignal(); only the node can stop its requests.
 */
const { relayWorkflow } = require('./workflows');

const GRACE_MS = 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function until(check, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
		await sleep(50);
	}
}


const arrivals = (simulator) => simulator.log.filter((entry) => entry.endpoint === 'singleMessage').map((entry) => entry.receivedAt);

/** Arrival time of the first request; fails fast when the execution ends without sending any. */
async function firstArrival(client, simulator, executionId) {
	let checkedAt = Date.now();
	return await until(async () => {
		const first = arrivals(simulator)[0];
		if (first !== undefined || Date.now() - checkedAt < 1000) return first;
		checkedAt = Date.now();
		const execution = await client.getExecution(executionId, { includeData: true }).catch(() => undefined);
		if (execution && !['new', 'running'].includes(execution.status)) {
			throw new Error(`execution ${executionId} ended (${execution.status}) before any request: ${JSON.stringify(execution.data?.resultData?.error?.message)}`);
		}
		return undefined;
	}, 60_000, `request at the simulator (execution ${executionId})`);
}

/** Resolves once no request arrived for `quietMs` (or after `maxMs`). */
async function waitForQuiet(simulator, quietMs, maxMs) {
	const deadline = Date.now() + maxMs;
	while (Date.now() < deadline) {
		const times = arrivals(simulator);
		const last = times.length ? times[times.length - 1] : 0;
		if (Date.now() - last >= quietMs) return;
		await sleep(200);
	}
}

/**
 * @param {object} o `client` and `simulator` as above, then:
 * @param {'stop'|'timeout'} [o.mode] cancel by POST /rest/executions/:id/stop, or by executionTimeout
 * @param {number} [o.stopAfterMs] Stop this long after the first request arrived
 * @param {number} [o.timeoutSeconds] the workflow's executionTimeout in timeout mode
 * @param {number} [o.observeMs] how long to keep counting after the cancel
 * @param {string} [o.webhookBaseUrl] start the relay as a production execution, through a Webhook
 *   trigger called at this base URL (in queue mode a webhook processor's: the run is then on a
 *   worker, and Stop goes from main through n8n's stop request); else a manual run
 * @returns {Promise<object>} figures; times in ms, relative to the cancel. `eventually*`: once a
 *   relay that ignored the cancel has finished (the simulator unslowed after the observation)
 */
async function measureCancel({ client, simulator, mode = 'stop', recipients = 20_000, delayMs = 50, stopAfterMs = 2000, timeoutSeconds = 3, observeMs = 10_000, webhookBaseUrl, log = () => {} }) {
	simulator.clearLog();
	simulator.setFaults({ delayMs });
	const credentialId = await client.createCredential('oneChatApi', `OneChat (cancel by ${mode})`, { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
	const webhookPath = webhookBaseUrl ? `stop-relay-${mode}-${Date.now()}` : undefined;
	const workflow = relayWorkflow({
		name: `Relay to ${recipients} users, cancelled by ${mode}${webhookPath ? ', started by a webhook' : ''}`,
		recipients,
		message: 'Stop test',
		domain: 'stop.onechat.test',
		timeoutSeconds: mode === 'timeout' ? timeoutSeconds : 0,
		webhookPath,
	});
	const workflowId = await client.importWorkflow(workflow, { oneChatApi: credentialId });
	const executionId = webhookPath ? await startByWebhook(client, workflowId, `${webhookBaseUrl}/webhook/${webhookPath}`) : (await client.runWorkflowManually(workflowId, { triggerName: 'Start', wait: false })).executionId;
	const firstAt = await firstArrival(client, simulator, executionId);
	log(`${mode}: execution ${executionId}, first request arrived`);

	let cancelAt;
	let stopCallMs;
	if (mode === 'stop') {
		await sleep(firstAt + stopAfterMs - Date.now());
		const sentAt = Date.now();
		await client.request('POST', `/rest/executions/${encodeURIComponent(executionId)}/stop`);
		cancelAt = Date.now();
		stopCallMs = cancelAt - sentAt;
	} else {
		// n8n's own timer cancels; its moment is the stoppedAt recorded with the 'canceled' status.
		const ended = await until(async () => {
			const execution = await client.getExecution(executionId, { includeData: false });
			return !['new', 'running'].includes(execution.status) && execution;
		}, timeoutSeconds * 1000 + 60_000, `end of execution ${executionId}`);
		cancelAt = ended.stoppedAt ? Date.parse(ended.stoppedAt) : Date.now();
	}
	log(`${mode}: cancelled, counting requests for ${observeMs / 1000} s`);
	await sleep(cancelAt + observeMs - Date.now());

	const times = arrivals(simulator);
	const after = times.filter((t) => t > cancelAt);
	const execution = await client.getExecution(executionId, { includeData: false });
	const figures = {
		mode,
		executionId,
		recipients,
		total: times.length,
		beforeCancel: times.length - after.length,
		afterCancel: after.length,
		lateAfterCancel: after.filter((t) => t > cancelAt + GRACE_MS).length,
		// The log is in arrival order.
		lastAfterCancelMs: after.length ? after[after.length - 1] - cancelAt : null,
		cancelAfterFirstMs: cancelAt - firstAt,
		stopCallMs,
		observeMs,
		status: execution.status,
	};

	// A relay that ignored the cancel is still sending: let it finish fast so that it cannot spill
	// into whatever runs next against this simulator or this n8n.
	simulator.setFaults({ delayMs: 0 });
	await waitForQuiet(simulator, 2000, 120_000);
	figures.eventuallyAfterCancel = arrivals(simulator).filter((t) => t > cancelAt).length;
	figures.eventualStatus = (await client.getExecution(executionId, { includeData: false })).status;
	if (webhookPath) await client.deactivateWorkflow(workflowId);
	return figures;
}

/** Activates the workflow, calls its Webhook trigger and returns the execution that call started. */
async function startByWebhook(client, workflowId, url) {
	await client.activateWorkflow(workflowId);
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	if (response.status !== 200) throw new Error(`POST ${url}: HTTP ${response.status} ${await response.text()}`);
	const [execution] = await until(async () => {
		const list = await client.listExecutions({ workflowId });
		return list.length > 0 && list;
	}, 30_000, `execution of workflow ${workflowId}`);
	return execution.id;
}

module.exports = { measureCancel, GRACE_MS };
