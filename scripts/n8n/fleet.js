'use strict';
/**
 * n8n in queue mode on this machine: a private PostgreSQL and Redis (services.js), then one main
 * process (`n8n start`: editor, REST API, schedules; it runs no executions), `workers` ×
 * `n8n worker` (they run every execution, manual ones too) and `webhookProcessors` × `n8n webhook`
 * (they receive production webhook calls; main does not). Each process has a user folder of its own
 * with the package installed in it, as on separate machines, and all share the encryption key,
 * the database and Redis.
 *
 *   const { startFleet } = require('./fleet');
 *   const fleet = await startFleet({ workers: 2, webhookProcessors: 1, log });
 *   fleet.main.url                 // editor and REST API
 *   fleet.webhookUrl('<id>/<path>') // production webhooks, through the (first) webhook processor
 *   await workerThatRan(workers, executionId) // 'worker-1', ... from the workers' logs
 *   await fleet.stop();
 *
 * Why these settings (n8n 2.40.7, read from its dist):
 *   - OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: otherwise manual runs (POST /rest/workflows/:id/run)
 *     execute on main.
 *   - N8N_DISABLE_PRODUCTION_MAIN_PROCESS: otherwise main serves /webhook/* too.
 *   - Binary data: n8n 2.x defaults to the 'database' mode in queue mode, which every process reads;
 *     'filesystem' is unsupported there.
 *   - One user folder per process: workers would otherwise share n8nEventLog-worker.log, and n8n's
 *     crash recovery of one would mark the other's running executions as crashed.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');

const { ensureServicePackages, startPostgres, startRedis } = require('./services');
const { startN8n } = require('./instance');
const { freePort } = require('./ports');
const { ensureN8n } = require('./install');

/** The environment every process of the fleet shares. */
function sharedEnv({ postgres, redis, encryptionKey, webhookBaseUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// The URLs n8n shows and hands out for production webhooks are the webhook processor's.
		WEBHOOK_URL: `${webhookBaseUrl}/`,
	};
}

/**
 * @param {object} [options]
 * @param {number} [options.workers] Default 2.
 * @param {number} [options.webhookProcessors] Default 1.
 * @param {(line: string) => void} [options.log]
 * @param {object} [options.env] Extra environment for every process.
 * @param {string|null} [options.packageDir] As for startN8n.
 * @param {number} [options.mainPort] Default: a free port.
 * @param {number[]} [options.webhookPorts] Ports of the webhook processors; default: free ports.
 */
async function startFleet(options = {}) {
	const { workers = 2, webhookProcessors = 1, env: extraEnv = {} } = options;
	const log = options.log || ((line) => console.log(`[fleet] ${line}`));
	const started = Date.now();
	const stoppers = [];
	const stop = async () => {
		// Processes first (they hold connections), then the services, in reverse order of start.
		for (const group of stoppers.splice(0).reverse()) await Promise.all(group.map((stopOne) => stopOne().catch(() => undefined)));
	};
	try {
		await ensureServicePackages({ log: (line) => log(line) });
		const install = await ensureN8n({ log });
		const [postgres, redis] = await Promise.all([startPostgres({ log }), startRedis({ log })]);
		stoppers.push([postgres.stop, redis.stop]);
		const encryptionKey = crypto.randomBytes(24).toString('base64url');
		// The webhook processors' ports are chosen first: every process must know the webhook URL.
		const webhookPorts = [];
		for (let index = 0; index < webhookProcessors; index++) webhookPorts.push((options.webhookPorts || [])[index] || (await freePort()));
		const webhookBaseUrl = webhookPorts.length > 0 ? `http://localhost:${webhookPorts[0]}` : undefined;
		const env = { ...sharedEnv({ postgres, redis, encryptionKey, webhookBaseUrl: webhookBaseUrl || 'http://localhost' }), ...extraEnv };
		const common = { install, log, packageDir: options.packageDir, bootTimeoutMs: 240_000 };

		// Main first: it creates the database schema the others need.
		const main = await startN8n({ ...common, command: 'start', port: options.mainPort, env: { ...env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } });
		stoppers.push([main.stop]);
		const others = await Promise.all([
			...Array.from({ length: workers }, () => startN8n({ ...common, command: 'worker', env })),
			...webhookPorts.map((port) => startN8n({ ...common, command: 'webhook', port, env })),
		]);
		stoppers.push(others.map((process) => process.stop));
		const workerProcesses = others.slice(0, workers);
		const webhookProcesses = others.slice(workers);
		const names = new Map([[main, 'main'], ...workerProcesses.map((worker, index) => [worker, `worker-${index + 1}`]), ...webhookProcesses.map((hook, index) => [hook, `webhook-${index + 1}`])]);
		log(`queue-mode fleet ready after ${((Date.now() - started) / 1000).toFixed(1)} s: ${[...names.values()].join(', ')}`);

		return {
			main,
			workers: workerProcesses,
			webhookProcessors: webhookProcesses,
			postgres,
			redis,
			encryptionKey,
			/** Name of each n8n process ('main', 'worker-1', 'webhook-1', ...). */
			nameOf: (process) => names.get(process),
			/** Production webhook URL, through webhook processor `index` (default the first). */
			webhookUrl: (webhookPath, index = 0) => webhookProcesses[index].webhookUrl(webhookPath),
			/** Every n8n process of the fleet, main first. */
			processes: () => [main, ...workerProcesses, ...webhookProcesses],
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * Which worker ran an execution, from the workers' logs ("Worker started execution <id> (", which a
 * worker logs as it picks the job up), waiting up to `timeoutMs`; undefined when none did.
 * `workers`: { name, logFile } of each worker.
 */
async function workerThatRan(workers, executionId, timeoutMs = 10_000) {
	const line = `Worker started execution ${executionId} (`;
	for (const deadline = Date.now() + timeoutMs; ; ) {
		const worker = workers.find((candidate) => readLog(candidate.logFile).includes(line));
		if (worker) return worker.name;
		if (Date.now() > deadline) return undefined;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

function readLog(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

module.exports = { startFleet, workerThatRan };

if (require.main === module) {
	// Manual use: node scripts/n8n/fleet.js  (Ctrl+C stops everything)
	startFleet().then(
		(fleet) => {
			console.log(`main (editor, REST API): ${fleet.main.url}`);
			for (const worker of fleet.workers) console.log(`${fleet.nameOf(worker)}: health ${worker.url}/healthz, log ${worker.logFile}`);
			for (const hook of fleet.webhookProcessors) console.log(`${fleet.nameOf(hook)} (production webhooks): ${hook.url}/webhook/...`);
			const shutdown = () => fleet.stop().then(() => process.exit(0));
			process.on('SIGINT', shutdown);
			process.on('SIGTERM', shutdown);
		},
		(error) => {
			console.error(error.stack || error.message);
			process.exit(1);
		},
	);
}
