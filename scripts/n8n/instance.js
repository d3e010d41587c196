'use strict';
/**
 * Starts a real n8n (`n8n start`, from the cache filled by install.js, on its Node 24) in a user
 * folder of its own, with this repository's package loaded the way n8n loads an installed
 * community package.
 *
 *   const { startN8n } = require('./instance');
 *   const n8n = await startN8n({ userFolder, port, packageDir, env, log });
 *   // n8n.url = 'http://localhost:<port>', n8n.logFile, n8n.encryptionKey, ...
 *   await n8n.stop();
 *
 * How n8n 2.40.7 finds community packages (read from its dist):
 *   n8n/dist/modules/community-packages/community-packages.module.js `nodeLoaders()` calls
 *   n8n-core/dist/nodes-loader/scan-directory-for-packages.js on
 *   `<N8N_USER_FOLDER>/.n8n/nodes/node_modules` (InstanceSettings.nodesDownloadDir + node_modules),
 *   which globs `n8n-nodes-*` and `@*\/n8n-nodes-*` directories and loads each with a
 *   LazyPackageDirectoryLoader (dist/known/*.json if present, else every file listed in
 *   package.json `n8n.nodes` / `n8n.credentials`). Node types are named `<package name>.<node name>`.
 *   No database row is needed for loading (the installed_packages table only feeds the
 *   Settings > Community nodes page).
 *
 * What a real install does (community-packages.service.js `downloadPackage`): `npm pack`, untar
 * into nodes/node_modules/<name>, drop devDependencies/peerDependencies/optionalDependencies from
 * its package.json, `npm install` its dependencies. This module does the same from `packageDir`
 * (mode 'copy', the default): the package then resolves `n8n-workflow` through n8n's NODE_PATH
 * exactly as in production, not through the repository's own node_modules. Mode 'link' symlinks
 * the repository instead (faster edit-restart loop, but the package then loads the repository's
 * own n8n-workflow copy).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const { ensureN8n } = require('./install');
const { versionSpec } = require('./versions');
const { freePorts } = require('./ports');
const { track, stopGroup, groupAlive, killAllNow, sleep } = require('./processes');

const DEFAULT_BOOT_TIMEOUT_MS = 180_000;

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * The encryption key of a user folder: the one n8n already stored in `.n8n/config`, else a new
 * random one (n8n writes it into `.n8n/config` on first start, so it stays fixed afterwards).
 */
function encryptionKeyFor(n8nFolder, requested) {
	const configFile = path.join(n8nFolder, 'config');
	let stored;
	try {
		stored = readJson(configFile).encryptionKey;
	} catch {
		stored = undefined;
	}
	if (stored && requested && stored !== requested) {
		throw new Error(`N8N_ENCRYPTION_KEY differs from the key stored in ${configFile}; n8n would refuse to start`);
	}
	return stored || requested || crypto.randomBytes(24).toString('base64url');
}

/** Copies the package the way `npm pack` + n8n's install would lay it out. */
function installPackageCopy(packageDir, target, log) {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'));
	try {
		const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], {
			cwd: packageDir,
			encoding: 'utf8',
			timeout: 120_000,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const [{ filename, files }] = JSON.parse(out);
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', path.join(packDir, path.basename(filename)), '-C', target, '--strip-components=1'], {
			timeout: 60_000,
		});
		const pkgFile = path.join(target, 'package.json');
		// eslint-disable-next-line no-unused-vars
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = readJson(pkgFile);
		fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
		if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
			log(`installing the package's runtime dependencies: ${Object.keys(pkg.dependencies).join(', ')}`);
			execFileSync(
				'npm',
				['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
				{ cwd: target, timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] },
			);
		}
		return { name: pkg.name, version: pkg.version, files: files.length };
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

/**
 * Puts the package into `<userFolder>/.n8n/nodes/node_modules/<name>` (replacing what was there)
 * and records it in `<userFolder>/.n8n/nodes/package.json` as n8n does.
 */
function installPackage({ packageDir, n8nFolder, mode, log }) {
	const source = readJson(path.join(packageDir, 'package.json'));
	if (!source.n8n || !Array.isArray(source.n8n.nodes)) {
		throw new Error(`${packageDir}/package.json has no "n8n.nodes" list; is it an n8n community package?`);
	}
	for (const file of [...source.n8n.nodes, ...(source.n8n.credentials || [])]) {
		if (!fs.existsSync(path.join(packageDir, file))) {
			throw new Error(`${path.join(packageDir, file)} is missing; run \`npm run build\` first`);
		}
	}
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(source.name)) {
		throw new Error(`n8n only scans packages named n8n-nodes-* or @scope/n8n-nodes-*, not "${source.name}"`);
	}
	const nodesDir = path.join(n8nFolder, 'nodes');
	const target = path.join(nodesDir, 'node_modules', source.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(target), { recursive: true });
	let detail;
	if (mode === 'link') {
		fs.symlinkSync(path.resolve(packageDir), target, 'dir');
		detail = `symlink to ${path.resolve(packageDir)}`;
	} else if (mode === 'copy') {
		const { files } = installPackageCopy(packageDir, target, log);
		detail = `copy of ${files} packed files`;
	} else {
		throw new Error(`packageMode must be 'copy' or 'link', not ${JSON.stringify(mode)}`);
	}
	const listFile = path.join(nodesDir, 'package.json');
	let list = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		list = readJson(listFile);
		list.dependencies = list.dependencies || {};
	} catch {
		// first package of this user folder
	}
	list.dependencies[source.name] = source.version;
	fs.writeFileSync(listFile, `${JSON.stringify(list, null, 2)}\n`);
	log(`package ${source.name}@${source.version} installed in ${target} (${detail})`);
	return { name: source.name, version: source.version, dir: target };
}

function tail(file, bytes = 6000) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.slice(-bytes);
	} catch {
		return '';
	}
}

async function allAnswer200(url, paths) {
	for (const readyPath of paths) {
		if ((await fetchStatus(`${url}${readyPath}`, 5000)) !== 200) return false;
	}
	return true;
}

async function fetchStatus(url, timeoutMs) {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
		await response.arrayBuffer();
		return response.status;
	} catch {
		return 0;
	}
}

/**
 * Starts n8n and resolves once it is fully ready.
 *
 * @param {object} [options]
 * @param {string} [options.userFolder]   N8N_USER_FOLDER; default: a new temp folder (removed by stop()
 *                                        unless keepUserFolder is set).
 * @param {number} [options.port]         Default: a free port.
 * @param {string} [options.packageDir]   Root of the community package (with its built dist/). Default:
 *                                        this repository. `null` loads no package.
 * @param {'copy'|'link'} [options.packageMode] Default 'copy' (see the header).
 * @param {object} [options.env]          Extra environment for n8n (wins over the defaults here).
 * @param {(line: string) => void} [options.log]
 * @param {number} [options.bootTimeoutMs] Default 180 s.
 * @param {boolean} [options.keepUserFolder] Keep a temp user folder after stop().
 * @param {'start'|'worker'|'webhook'} [options.command] Default 'start' (the main process). In queue
 *                                        mode: 'worker' (runs executions; `port` is its health
 *                                        server's) and 'webhook' (a webhook processor on `port`).
 * @param {{ n8nBin: string, nodeBin: string }} [options.install] Result of ensureN8n (default: calls it).
 * @returns {Promise<{ url: string, port: number, userFolder: string, logFile: string,
 *   encryptionKey: string, pid: number, bootMs: number, webhookUrl: (path: string) => string,
 *   stop: () => Promise<void> }>}
 */
async function startN8n(options = {}) {
	const log = options.log || ((line) => console.log(`[n8n] ${line}`));
	const install = options.install || (await ensureN8n({ log }));
	for (let attempt = 1; ; attempt++) {
		try {
			return await startOnce({ ...options, log, install });
		} catch (error) {
			// A free port chosen here was taken by someone else before n8n bound it: choose again.
			if (!(error instanceof PortInUseError) || attempt >= 3) throw error;
			log(`${error.message}; retrying with other ports`);
		}
	}
}

class PortInUseError extends Error {}

/** Temp user folders made here that must go when this process ends (e.g. Ctrl+C during boot). */
const tempFolders = new Set();
function removeTempFoldersNow() {
	// n8n must be dead first, or it keeps writing into the folder while it is removed.
	killAllNow();
	for (const folder of tempFolders) fs.rmSync(folder, { recursive: true, force: true });
	tempFolders.clear();
}

/** What differs between n8n's process kinds: extra environment, and the URL that says "ready". */
const COMMANDS = {
	start: { env: () => ({}), readyPaths: ['/healthz/readiness', '/rest/settings'] },
	// A worker serves only its health server; /healthz/readiness answers 200 once the database and
	// Redis are connected.
	worker: {
		env: (port) => ({ QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }),
		readyPaths: ['/healthz/readiness'],
	},
	webhook: { env: () => ({}), readyPaths: ['/healthz/readiness'] },
};

async function startOnce(options) {
	const { log, install } = options;
	const command = options.command || 'start';
	const kind = COMMANDS[command];
	if (!kind) throw new Error(`command must be one of ${Object.keys(COMMANDS).join(', ')}, not ${JSON.stringify(command)}`);
	const [autoPort, brokerPort] = await freePorts(2);
	const port = options.port || autoPort;
	const createdFolder = !options.userFolder;
	const userFolder = path.resolve(options.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-user-')));
	if (createdFolder && !options.keepUserFolder) {
		if (tempFolders.size === 0) process.once('exit', removeTempFoldersNow);
		tempFolders.add(userFolder);
	}
	const n8nFolder = path.join(userFolder, '.n8n');
	fs.mkdirSync(n8nFolder, { recursive: true });
	const packageDir = options.packageDir === undefined ? path.resolve(__dirname, '..', '..') : options.packageDir;
	const extraEnv = options.env || {};

	let pkg;
	if (packageDir !== null) {
		pkg = installPackage({ packageDir, n8nFolder, mode: options.packageMode || 'copy', log });
	}

	const encryptionKey = encryptionKeyFor(n8nFolder, extraEnv.N8N_ENCRYPTION_KEY);
	const { disabledModules, env: versionEnv } = versionSpec(install.version);
	const url = `http://localhost:${port}`;
	const env = {
		// A clean environment: only what a shell would pass, not the npm_* of an outer `npm run`.
		...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|N8N_|DB_|QUEUE_|EXECUTIONS_)/.test(key))),
		PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_SECURE_COOKIE: 'false',
		// Nothing phones home, no banners, no templates.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// n8n modules nothing here uses (versions.js says which, per version).
		...(disabledModules ? { N8N_DISABLED_MODULES: disabledModules } : {}),
		...versionEnv,
		// Task runners cannot be switched off in n8n 2.x; in the default 'internal' mode n8n starts
		// the JS runner as its own child. Each instance gets its own broker port so several
		// instances can run side by side (the default 5679 would collide).
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Community packages: loaded from <user folder>/.n8n/nodes; never reinstalled from npm.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Tests read execution data back, so keep it all; never prune during a run.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		EXECUTIONS_DATA_PRUNE: 'false',
		// N8N_LOG_LEVEL=debug on the test command: n8n's debug log, for a failure to be explained.
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...kind.env(port),
		...extraEnv,
	};
	if (install.isolatedVm === false && extraEnv.N8N_EXPRESSION_ENGINE === undefined) {
		// The default 'vm' engine needs isolated-vm; n8n would exit at startup without it.
		env.N8N_EXPRESSION_ENGINE = 'legacy';
		log("isolated-vm is not usable here: using n8n's 'legacy' expression engine");
	}
	for (const [key, value] of Object.entries(env)) if (value === undefined || value === null) delete env[key];

	const logFile = path.join(userFolder, 'n8n.log');
	const logFd = fs.openSync(logFile, 'a');
	fs.writeSync(logFd, `\n===== n8n ${command} ${new Date().toISOString()} port ${port} =====\n`);
	const started = Date.now();
	log(`starting n8n ${command} on ${url} (user folder ${userFolder}, log ${logFile})`);
	const child = spawn(install.nodeBin, [install.n8nBin, command], {
		cwd: userFolder,
		env,
		detached: true,
		stdio: ['ignore', logFd, logFd],
	});
	fs.closeSync(logFd);
	const untrack = track(child.pid);
	let exitInfo;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitInfo = { code, signal };
			resolve(exitInfo);
		});
		child.on('error', (error) => {
			exitInfo = { error };
			resolve(exitInfo);
		});
	});

	let stopping;
	const stop = () => {
		if (!stopping) {
			stopping = (async () => {
				const t = Date.now();
				// n8n shuts down gracefully on SIGTERM (N8N_GRACEFUL_SHUTDOWN_TIMEOUT above); the
				// process group also holds the task runner.
				if (exitInfo === undefined) {
					try {
						process.kill(child.pid, 'SIGTERM');
					} catch {
						// already gone
					}
					let timer;
					await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
					clearTimeout(timer);
				}
				const gone = await stopGroup(child.pid, { graceMs: 2_000, killWaitMs: 5_000 });
				untrack();
				if (!gone) log(`warning: processes of group ${child.pid} survived SIGKILL`);
				log(`n8n stopped in ${((Date.now() - t) / 1000).toFixed(1)} s`);
				if (createdFolder && !options.keepUserFolder) {
					fs.rmSync(userFolder, { recursive: true, force: true });
					tempFolders.delete(userFolder);
					if (tempFolders.size === 0) process.off('exit', removeTempFoldersNow);
				}
			})();
		}
		return stopping;
	};

	// Ready = /healthz answers 200 (the HTTP server listens) and /healthz/readiness answers 200
	// (DB connected and migrated, all routes set up: n8n/dist/abstract-server.js), and for the main
	// process the REST API answers (the active-workflow manager / publication service starts right after).
	const bootTimeoutMs = options.bootTimeoutMs || DEFAULT_BOOT_TIMEOUT_MS;
	const deadline = started + bootTimeoutMs;
	let healthAt;
	try {
		for (;;) {
			if (exitInfo !== undefined) {
				const inUse = /port (\d+) is already in use/.exec(tail(logFile, 2000));
				if (inUse && (Number(inUse[1]) === brokerPort || (!options.port && Number(inUse[1]) === port))) {
					throw new PortInUseError(`n8n could not bind port ${inUse[1]}`);
				}
				throw new Error(
					`n8n exited during startup (${exitInfo.error ? exitInfo.error.message : `code ${exitInfo.code}, signal ${exitInfo.signal}`}). Log tail (${logFile}):\n${tail(logFile)}`,
				);
			}
			if (Date.now() > deadline) {
				throw new Error(`n8n was not ready after ${bootTimeoutMs / 1000} s. Log tail (${logFile}):\n${tail(logFile)}`);
			}
			if (healthAt === undefined) {
				if ((await fetchStatus(`${url}/healthz`, 2000)) === 200) {
					healthAt = Date.now();
					log(`/healthz answered 200 after ${((healthAt - started) / 1000).toFixed(1)} s`);
				}
			}
			if (healthAt !== undefined && (await allAnswer200(url, kind.readyPaths))) break;
			await sleep(250);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	const bootMs = Date.now() - started;
	log(`n8n ${command} ready on ${url} after ${(bootMs / 1000).toFixed(1)} s (pid ${child.pid})`);

	return {
		command,
		url,
		port,
		userFolder,
		n8nFolder,
		logFile,
		encryptionKey,
		package: pkg,
		pid: child.pid,
		bootMs,
		/** Production webhook URL for a path such as `<webhookId>/<path>`. */
		webhookUrl: (webhookPath) => `${url}/webhook/${webhookPath.replace(/^\/+/, '')}`,
		/** Test webhook URL (only while the editor listens for a test event). */
		webhookTestUrl: (webhookPath) => `${url}/webhook-test/${webhookPath.replace(/^\/+/, '')}`,
		isRunning: () => exitInfo === undefined && groupAlive(child.pid),
		logTail: (bytes) => tail(logFile, bytes),
		/** The environment n8n runs with (for other tools; do not mutate). */
		env: { ...env },
		/**
		 * Runs another n8n CLI command (e.g. ['execute', '--id', id, '--rawOutput'],
		 * ['export:workflow', '--all']) against the same user folder and database, on the same
		 * Node 24, with its own task-runner port. Each call boots a second n8n process (seconds).
		 */
		runCli: (args, cliOptions = {}) => runCli(install, env, args, { log, ...cliOptions }),
		stop,
	};
}

/** Runs `n8n <args>`; resolves { code, signal, stdout, stderr, ms } (never rejects on exit codes). */
async function runCli(install, baseEnv, args, options = {}) {
	const { timeoutMs = 120_000, log = () => {} } = options;
	const [brokerPort] = await freePorts(1);
	const env = { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...(options.env || {}) };
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(install.nodeBin, [install.n8nBin, ...args], {
			cwd: env.N8N_USER_FOLDER,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const untrack = track(child.pid);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			log(`n8n ${args.join(' ')}: no end after ${timeoutMs / 1000} s, killing it`);
			stopGroup(child.pid, { graceMs: 1000 });
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			untrack();
			reject(error);
		});
		child.on('close', async (code, signal) => {
			clearTimeout(timer);
			// The CLI's own task runner may still be shutting down.
			await stopGroup(child.pid, { graceMs: 2000 });
			untrack();
			resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

module.exports = { startN8n, installPackage };

if (require.main === module) {
	// Manual use: node scripts/n8n/instance.js [userFolder] [port]  (Ctrl+C stops n8n)
	const [userFolder, port] = process.argv.slice(2);
	startN8n({ userFolder, port: port ? Number(port) : undefined, keepUserFolder: true }).then(
		(n8n) => {
			console.log(`n8n is running at ${n8n.url} (log: ${n8n.logFile}); press Ctrl+C to stop`);
			const shutdown = () => {
				n8n.stop().then(() => process.exit(0));
			};
			process.on('SIGINT', shutdown);
			process.on('SIGTERM', shutdown);
		},
		(error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
