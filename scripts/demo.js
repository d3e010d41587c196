'use strict';
/**
 * npm start: the whole thing at localhost. Builds the package (npm start runs the build first),
 * installs the pinned n8n once per machine, starts the simulators and n8n with this package,
 * creates the owner and the credentials, imports and activates the example workflows, and prints
 * the editor URL and login. Ctrl+C stops everything it started.
 *
 * npm run start:queue (`--queue`): the same demo in n8n's queue mode (scripts/n8n/fleet.js): a
 * private PostgreSQL and Redis, the main process (editor, REST API) on N8N_PORT, 2 workers and a
 * webhook processor on N8N_PORT + 10, which receives every production webhook. Its data lives in
 * temp folders and is gone after Ctrl+C.
 *
 * Ports: N8N_PORT (default 5678); the simulators on N8N_PORT + 3 to + 6.
 */
const fs = require('node:fs');
const path = require('node:path');

const { ensureN8n } = require('./n8n/install');
const { startN8n } = require('./n8n/instance');
const { bootstrap } = require('./n8n/api');
const { startSimulators } = require('./n8n/simulators');
const { startFleet } = require('./n8n/fleet');

const ROOT = path.resolve(__dirname, '..');
const PORT = Number(process.env.N8N_PORT || 5678);
const QUEUE = process.argv.includes('--queue');
const OWNER = { email: 'demo@example.com', password: 'Demo-Passw0rd', firstName: 'Demo', lastName: 'User' };
const log = (line) => console.log(`[demo] ${line}`);

/** Example file → whether it is activated (webhook and schedule triggers need it). */
const EXAMPLES = [
	['onechat-scheduled-broadcast.json', false],
	['onechat-mini-app-session.json', true],
	['onechat-approval.json', true],
	['operator-reply-to-site.json', true],
	['operator-user-info.json', true],
	['openplatform-notify-on-event.json', true],
	['openplatform-sign-in.json', true],
	['openplatform-command.json', true],
	['openplatform-notify-user.json', false],
];

/** Credentials for the simulators, and the examples imported (and activated where they have a trigger). */
async function setUpDemo(client, config) {
	const { OneChat, Operator, OpenPlatform } = config;
	const credentials = {
		oneChatApi: await client.createCredential('oneChatApi', 'OneChat (simulator)', { baseUrl: OneChat.baseUrl, apiKey: OneChat.apiKey }),
		oneChatMiniAppApi: await client.createCredential('oneChatMiniAppApi', 'OneChat mini app (simulator)', {
			baseUrl: OneChat.baseUrl,
			appId: OneChat.miniApp.appId,
			apiKey: OneChat.miniApp.apiKey,
		}),
		operatorApi: await client.createCredential('operatorApi', 'Operator panel (simulator)', {
			apiUrl: Operator.url,
			apiToken: Operator.token,
			webhookToken: Operator.webhookToken,
		}),
		openPlatformApi: await client.createCredential('openPlatformApi', 'OpenPlatform (simulator)', {
			url: OpenPlatform.baseUrl,
			accessToken: OpenPlatform.accessToken,
			// The single-process demo is one n8n; the queue demo runs 4 processes (the default).
			...(QUEUE ? {} : { n8nProcesses: 1 }),
		}),
		openPlatformOAuth2Api: await client.createCredential('openPlatformOAuth2Api', 'OpenPlatform OAuth2 (simulator)', {
			url: OpenPlatform.baseUrl,
			clientId: OpenPlatform.oauth.clientId,
			clientSecret: OpenPlatform.oauth.clientSecret,
		}),
	};
	for (const [file, activate] of EXAMPLES) {
		const id = await client.importWorkflow(path.join(ROOT, 'examples', file), credentials);
		if (activate) await client.activateWorkflow(id);
		log(`imported ${file}${activate ? ' (active)' : ''}`);
	}
}

/** One n8n with its data in .n8n-demo (kept between runs). */
async function startSingle(install) {
	const userFolder = path.join(ROOT, '.n8n-demo');
	const firstRun = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
	const n8n = await startN8n({ install, userFolder, port: PORT, packageDir: ROOT, log });
	return { editorUrl: n8n.url, webhookBaseUrl: n8n.url, firstRun, stop: () => n8n.stop(), processes: [] };
}

/** The queue-mode fleet, fresh each time. */
async function startQueue() {
	const fleet = await startFleet({ workers: 2, webhookProcessors: 1, mainPort: PORT, webhookPorts: [PORT + 10], packageDir: ROOT, log });
	const processes = fleet.processes().map((process) => `${fleet.nameOf(process).padEnd(10)} ${process.command === 'worker' ? `${process.url}/healthz` : process.url}  (log ${process.logFile})`);
	return { editorUrl: fleet.main.url, webhookBaseUrl: fleet.webhookProcessors[0].url, firstRun: true, stop: () => fleet.stop(), processes };
}

async function main() {
	const started = Date.now();
	const install = await ensureN8n({ log });
	const simulators = await startSimulators({
		log,
		ports: { ONECHAT_SIM_PORT: PORT + 3, OPERATOR_SIM_PORT: PORT + 4, OPENPLATFORM_SIM_PORT: PORT + 5, SITE_SIM_PORT: PORT + 6 },
	});
	const stops = [simulators.stop];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

	const n8n = QUEUE ? await startQueue() : await startSingle(install);
	stops.push(n8n.stop);
	const client = await bootstrap({ url: n8n.editorUrl, owner: OWNER });
	if (n8n.firstRun) await setUpDemo(client, simulators.config);
	else log('existing demo data in .n8n-demo reused (delete the folder for a fresh start)');

	const { Operator } = simulators.config;
	const fleet = QUEUE ? `\n  Queue mode (PostgreSQL and Redis private to this demo):\n${n8n.processes.map((line) => `    ${line}`).join('\n')}\n  Production webhooks go to the webhook processor: ${n8n.webhookBaseUrl}/webhook/...\n` : '';
	console.log(`
n8n with n8n-nodes-openplatform-operator-onechat is running${QUEUE ? ' in queue mode' : ''} (ready in ${((Date.now() - started) / 1000).toFixed(0)} s)

  Editor:   ${n8n.editorUrl}
  Login:    ${OWNER.email} / ${OWNER.password}
${fleet}
  Simulators: OneChat ${simulators.config.OneChat.baseUrl}, Operator ${Operator.url},
              OpenPlatform ${simulators.config.OpenPlatform.baseUrl}, site ${simulators.config.Site.url}
  Try:  curl -X POST ${n8n.webhookBaseUrl}/webhook/order-shipped -H 'content-type: application/json' -d '{"order":"A-1","team":"sales"}'
        open ${n8n.webhookBaseUrl}/webhook/4b2d8f6a-5c3e-4d7f-9b1a-2c3d4e5f6a99/open   (sign in with OpenPlatform; the simulator signs you in as u1)

Press Ctrl+C to stop everything.`);
}

main().catch((error) => {
	console.error(`[demo] failed: ${error.message}`);
	process.exit(1);
});
