// Installs (once per machine, cached) and starts a real n8n with this package, sets up the owner,
// and leaves what the suites need in a state file. The built dist/ must exist (npm test builds).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n } = require('../../scripts/n8n/install');
const { startN8n } = require('../../scripts/n8n/instance');
const { bootstrap } = require('../../scripts/n8n/api');

const OWNER = { email: 'e2e@example.com', password: 'E2e-Passw0rd!', firstName: 'End', lastName: 'ToEnd' };

module.exports = async function globalSetup() {
	const log = (line) => process.stdout.write(`[e2e] ${line}\n`);
	const started = Date.now();
	const install = await ensureN8n({ log });
	const installedAt = Date.now();
	const n8n = await startN8n({ install, log });
	const client = await bootstrap({ url: n8n.url, owner: OWNER });
	const booted = Date.now();
	log(`n8n ready at ${n8n.url}: install check ${((installedAt - started) / 1000).toFixed(1)} s, boot ${((booted - installedAt) / 1000).toFixed(1)} s`);
	const stateFile = path.join(os.tmpdir(), `n8n-e2e-${process.pid}.json`);
	fs.writeFileSync(stateFile, JSON.stringify({ url: n8n.url, logFile: n8n.logFile, owner: OWNER, cookie: client.cookie, browserId: client.browserId, user: client.user, version: client.version }));
	process.env.N8N_E2E_STATE = stateFile;
	globalThis.__n8nE2E = { n8n, stateFile };
};
