// Starts the queue-mode fleet (installing PostgreSQL and Redis from Debian when missing), sets up
// the owner on the main process, and leaves in a state file what the suites need: the same shape
// as the single-process layer's (test/e2e/n8n.ts), plus the fleet's processes.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startFleet } = require('../../scripts/n8n/fleet');
const { bootstrap } = require('../../scripts/n8n/api');

const OWNER = { email: 'queue@example.com', password: 'Queue-Passw0rd!', firstName: 'Queue', lastName: 'Mode' };

module.exports = async function globalSetup() {
	const log = (line) => process.stdout.write(`[queue] ${line}\n`);
	const started = Date.now();
	const fleet = await startFleet({ workers: 2, webhookProcessors: 2, log });
	const client = await bootstrap({ url: fleet.main.url, owner: OWNER });
	const processes = fleet.processes().map((process) => ({ name: fleet.nameOf(process), command: process.command, url: process.url, logFile: process.logFile }));
	const stateFile = path.join(os.tmpdir(), `n8n-queue-${process.pid}.json`);
	fs.writeFileSync(
		stateFile,
		JSON.stringify({
			url: fleet.main.url,
			webhookBaseUrl: fleet.webhookProcessors[0].url,
			webhookBaseUrls: fleet.webhookProcessors.map((hook) => hook.url),
			logFile: fleet.main.logFile,
			logFiles: processes.map((entry) => entry.logFile),
			processes,
			owner: OWNER,
			cookie: client.cookie,
			browserId: client.browserId,
			user: client.user,
			version: client.version,
		}),
	);
	process.env.N8N_E2E_STATE = stateFile;
	globalThis.__n8nQueue = { fleet, stateFile, started };
	log(`fleet and owner ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
};
