'use strict';
/**
 * Runs the repository's API simulators (test/simulators/main.ts, TypeScript) as a child process
 * through ts-node, on free ports by default, and returns the settings they print on their
 * machine-readable `SIMULATORS {...}` line.
 *
 *   const sims = await startSimulators({ log });
 *   sims.config.OneChat  // { baseUrl, apiKey, miniApp: { appId, apiKey } }
 *   await sims.stop();
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { track, stopGroup } = require('./processes');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * @param {object} [options]
 * @param {Record<string, number>} [options.ports] ONECHAT_SIM_PORT etc.; default 0 (free port) for all.
 * @param {(line: string) => void} [options.log]
 * @param {number} [options.timeoutMs] Default 60 s (ts-node compiles on start).
 * @param {string} [options.logFile] Where the simulators' output goes (default: kept in memory, last 8 kB).
 */
async function startSimulators(options = {}) {
	const log = options.log || ((line) => console.log(`[simulators] ${line}`));
	const timeoutMs = options.timeoutMs || 60_000;
	const ports = { ONECHAT_SIM_PORT: 0, OPERATOR_SIM_PORT: 0, OPENPLATFORM_SIM_PORT: 0, SITE_SIM_PORT: 0, ...(options.ports || {}) };
	const tsNode = path.join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
	if (!fs.existsSync(tsNode)) throw new Error(`${tsNode} is missing; run npm install in ${REPO_ROOT}`);
	const env = { ...process.env };
	for (const [key, value] of Object.entries(ports)) env[key] = String(value);

	const started = Date.now();
	const child = spawn(process.execPath, [tsNode, '--transpile-only', 'test/simulators/main.ts'], {
		cwd: REPO_ROOT,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const untrack = track(child.pid);
	const logStream = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	let output = '';
	let exited;

	const stop = async () => {
		await stopGroup(child.pid, { graceMs: 5_000 });
		untrack();
		if (logStream) logStream.end();
	};

	let config;
	try {
		config = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the simulators printed no SIMULATORS line within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
			let buffered = '';
			const onData = (chunk) => {
				const text = chunk.toString();
				output = (output + text).slice(-8000);
				if (logStream) logStream.write(text);
				buffered += text;
				let newline;
				while ((newline = buffered.indexOf('\n')) !== -1) {
					const line = buffered.slice(0, newline);
					buffered = buffered.slice(newline + 1);
					if (line.startsWith('SIMULATORS ')) {
						clearTimeout(timer);
						try {
							resolve(JSON.parse(line.slice('SIMULATORS '.length)));
						} catch (error) {
							reject(new Error(`could not parse the SIMULATORS line: ${error.message}`));
						}
					}
				}
			};
			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
			child.on('exit', (code, signal) => {
				exited = { code, signal };
				clearTimeout(timer);
				reject(new Error(`the simulators exited (code ${code}, signal ${signal}) before they were ready:\n${output}`));
			});
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
		});
	} catch (error) {
		await stop();
		throw error;
	}
	log(`simulators ready in ${((Date.now() - started) / 1000).toFixed(1)} s: OneChat ${config.OneChat && config.OneChat.baseUrl}`);
	return {
		config,
		pid: child.pid,
		output: () => output,
		isRunning: () => exited === undefined,
		stop,
	};
}

module.exports = { startSimulators };
