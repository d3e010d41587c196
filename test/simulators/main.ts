/**
 * Runs the API simulators for the demo and for manual testing:
 *
 *   npx ts-node --transpile-only test/simulators/main.ts
 *
 * To add a simulator (Operator, OpenPlatform), write a starter returning a RunningSimulator
 * and add it to SIMULATORS below.
 */
import { startOneChatSimulator } from './onechat';
import { startOperatorSimulator } from './operator';
import { startOpenPlatformSimulator } from './openplatform';
import { startSiteSimulator } from './site';

/** A mini app registered in the OneChat simulator for the demo's "OneChat Mini App API" credential. */
export const DEMO_MINI_APP = { appId: 'demo-mini-app', apiKey: 'demo-mini-app-key' };

export interface RunningSimulator {
	name: string;
	/** Lines printed once the simulator is listening (URLs, keys, seeded accounts). */
	describe(): string[];
	/** The same facts for programs (the demo creates n8n credentials from them). */
	config: Record<string, unknown>;
	close(): Promise<void>;
}

function envPort(name: string, fallback: number): number {
	const value = process.env[name];
	if (value === undefined || value === '') return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`${name} must be a port number, got "${value}"`);
	}
	return port;
}

async function startOneChat(): Promise<RunningSimulator> {
	const sim = await startOneChatSimulator({
		port: envPort('ONECHAT_SIM_PORT', 5681),
		maxLogEntries: 10_000,
	});
	sim.addSession('admin@onechat.test', 'admin-session');
	sim.addSession('alice@onechat.test', 'alice-session');
	sim.registerApp({ ...DEMO_MINI_APP, name: 'Demo mini app' });
	return {
		name: 'OneChat',
		config: { baseUrl: sim.baseUrl, apiKey: sim.apiKey, miniApp: DEMO_MINI_APP },
		describe: () => [
			`base URL: ${sim.baseUrl}`,
			`api key:  ${sim.apiKey}`,
			'sessions: admin@onechat.test / admin-session, alice@onechat.test / alice-session',
			`mini app: ${DEMO_MINI_APP.appId} / ${DEMO_MINI_APP.apiKey}`,
		],
		close: () => sim.close(),
	};
}

async function startOperator(): Promise<RunningSimulator> {
	const sim = await startOperatorSimulator({ port: envPort('OPERATOR_SIM_PORT', 5682) });
	return {
		name: 'Operator',
		config: { url: sim.url, token: sim.token, webhookToken: sim.webhookToken },
		describe: () => [
			`API URL:       ${sim.url}`,
			`API token:     ${sim.token}`,
			`webhook token: ${sim.webhookToken}`,
		],
		close: () => sim.close(),
	};
}

async function startOpenPlatform(): Promise<RunningSimulator> {
	const sim = await startOpenPlatformSimulator({
		port: envPort('OPENPLATFORM_SIM_PORT', 5683),
		maxLogEntries: 10_000,
		// A browser cannot send X-Sim-User: in the demo, Anna is signed in at OpenPlatform.
		signedInUser: 'u1',
	});
	return {
		name: 'OpenPlatform',
		// benchVerifyUrl: a live session of Ben (u2), for benchmarks that need a valid App Opened / command call.
		config: { baseUrl: sim.baseUrl, accessToken: sim.appToken('u1'), oauth: sim.oauth, benchVerifyUrl: sim.verifyUrl('u2') },
		describe: () => [
			`OpenPlatform URL: ${sim.baseUrl}`,
			`app id:           ${sim.appId}`,
			`users URL:        ${sim.usersUrl('u1')}`,
			`notify URL (u1):  ${sim.notifyUrl('u1')}`,
			`OAuth client:     ${sim.oauth.clientId} / ${sim.oauth.clientSecret}`,
			'users: u1 Anna, u2 Ben, u3 Cleo (notifications off), u4 Dan (muted the app)',
			'OAuth authorize as a user: send the header X-Sim-User: u1',
		],
		close: () => sim.close(),
	};
}

async function startSite(): Promise<RunningSimulator> {
	const sim = await startSiteSimulator({ port: envPort('SITE_SIM_PORT', 5684) });
	return {
		name: 'Site',
		config: { url: sim.url },
		describe: () => [`deliver URL: ${sim.url}`],
		close: () => sim.close(),
	};
}

export const SIMULATORS: ReadonlyArray<() => Promise<RunningSimulator>> = [
	startOneChat,
	startOperator,
	startOpenPlatform,
	startSite,
];

export async function main(): Promise<void> {
	const running: RunningSimulator[] = [];
	let stopping = false;
	const stop = async (signal: string): Promise<void> => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal} received, stopping simulators`);
		await Promise.allSettled(running.map((simulator) => simulator.close()));
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	try {
		for (const start of SIMULATORS) running.push(await start());
	} catch (error) {
		console.error('Could not start the simulators:', error);
		await Promise.allSettled(running.map((simulator) => simulator.close()));
		process.exit(1);
	}
	for (const simulator of running) {
		console.log(`${simulator.name} simulator`);
		for (const line of simulator.describe()) console.log(`  ${line}`);
	}
	// One machine-readable line for the demo script.
	console.log(`SIMULATORS ${JSON.stringify(Object.fromEntries(running.map((simulator) => [simulator.name, simulator.config])))}`);
	console.log('Press Ctrl+C to stop.');
}

if (require.main === module) {
	void main();
}
