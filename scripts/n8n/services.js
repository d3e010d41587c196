'use strict';
/**
 * A private PostgreSQL and a private Redis for the queue-mode tests (n8n with EXECUTIONS_MODE=queue
 * needs both). Debian's packages are used (installed when missing); each instance lives in a temp
 * folder of its own, on a free loopback port, and is gone again after stop() or when this process
 * exits.
 *
 *   const { ensureServicePackages, startPostgres, startRedis } = require('./services');
 *   await ensureServicePackages({ log });
 *   const pg = await startPostgres({ log });   // { host, port, database, user, password, url, stop() }
 *   const redis = await startRedis({ log });   // { host, port, url, stop() }
 *   ...
 *   await Promise.all([pg.stop(), redis.stop()]);
 *
 * CLI self-test: `node scripts/n8n/services.js`.
 *
 * Why it looks like this:
 *   - PostgreSQL is taken from /usr/lib/postgresql/<major>/bin, never from PATH: /usr/bin/psql is
 *     Debian's pg_wrapper and /usr/local/bin may hold links or wrappers named pg_ctl, initdb, ...
 *   - PostgreSQL refuses to run as root, so as root initdb and postgres run as Debian's `postgres`
 *     system user through setpriv (which execs: the pid we hold is the postmaster itself).
 *   - setpriv --pdeathsig SIGKILL: the server dies with this process even when it is SIGKILLed and
 *     no 'exit' handler runs (the temp folder is left behind then, in the temp dir).
 *   - Durability is switched off (fsync, synchronous_commit, full_page_writes): the data is thrown
 *     away anyway and tests get faster.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { freePort } = require('./ports');
const { track, stopGroup, killGroup, sleep } = require('./processes');

const PG_ROOT = '/usr/lib/postgresql';
const PG_TOOLS = ['initdb', 'postgres', 'pg_ctl', 'psql'];
const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const START_TIMEOUT_MS = 60_000;
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function formatMs(ms) {
	return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** /usr/lib/postgresql/<highest major>/bin when it holds the server and psql, else null. */
function pgBinDir() {
	let majors = [];
	try {
		majors = fs.readdirSync(PG_ROOT).filter((name) => /^\d+$/.test(name));
	} catch {
		return null;
	}
	majors.sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const dir = path.join(PG_ROOT, major, 'bin');
		if (PG_TOOLS.every((tool) => isExecutable(path.join(dir, tool)))) return dir;
	}
	return null;
}

function redisServerBin() {
	const dirs = ['/usr/bin', ...(process.env.PATH || '').split(path.delimiter).filter(Boolean)];
	return dirs.map((dir) => path.join(dir, 'redis-server')).find(isExecutable) || null;
}

/** A small environment for the servers: nothing like PGDATA/PGPORT from ours leaks into them. */
function cleanEnv(extra = {}) {
	return { PATH: process.env.PATH || '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', ...extra };
}

/** Runs a command to completion; rejects with its output's tail when it fails. */
function run(cmd, args, { env = cleanEnv(), cwd, label = path.basename(cmd), timeoutMs = 120_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new Error(`${label}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) return resolve({ stdout, stderr });
			const output = `${stderr}\n${stdout}`.trim().slice(-3000);
			reject(new Error(`${label} failed (${signal || `exit code ${code}`})${output ? `:\n${output}` : ''}`));
		});
	});
}

/** uid/gid of a user from /etc/passwd (Node has no getpwnam). */
function systemUser(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith(`${name}:`));
	if (!line) return null;
	const [, , uid, gid] = line.split(':');
	return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * [command, args] that runs `file` under setpriv: as `user` when given, and always with a parent
 * death signal, so that the process cannot outlive us.
 */
function viaSetpriv(file, args, user) {
	const drop = user ? ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups'] : [];
	return ['setpriv', [...drop, '--pdeathsig', 'SIGKILL', '--', file, ...args]];
}

/** Installs Debian's postgresql / redis-server when missing, without starting their system services. */
async function ensureServicePackages({ log = console.log } = {}) {
	const started = Date.now();
	const missing = [];
	if (!pgBinDir()) missing.push('postgresql');
	if (!redisServerBin()) missing.push('redis-server');
	if (missing.length === 0) {
		log(`[services] postgresql (${pgBinDir()}) and redis-server (${redisServerBin()}) already installed (checked in ${formatMs(Date.now() - started)})`);
		return { pgBinDir: pgBinDir(), redisServer: redisServerBin(), installed: [] };
	}
	if (!isRoot()) {
		throw new Error(
			`missing: ${missing.join(', ')}; install Debian's packages as root: apt-get install --no-install-recommends ${missing.join(' ')}`,
		);
	}
	// Debian's postinst scripts start the system-wide services through invoke-rc.d unless
	// policy-rc.d says no (101). Docker images often ship one already: then it is left as it is.
	let ownPolicy = false;
	if (!fs.existsSync(POLICY_RC_D)) {
		fs.writeFileSync(POLICY_RC_D, '#!/bin/sh\n# temporary, from scripts/n8n/services.js: do not start services\nexit 101\n', { mode: 0o755 });
		ownPolicy = true;
	}
	const dropPolicy = () => ownPolicy && fs.rmSync(POLICY_RC_D, { force: true });
	process.on('exit', dropPolicy); // also when we are interrupted mid-install
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	// Waits for the dpkg lock instead of failing when another install (e.g. Chromium's) runs.
	const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
	const update = async () => {
		const t = Date.now();
		await run('apt-get', ['update', '-qq', ...lockWait], { env, timeoutMs: 600_000 });
		log(`[services] apt-get update done in ${formatMs(Date.now() - t)}`);
	};
	const install = () =>
		run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...lockWait, ...missing], { env, timeoutMs: 900_000 });
	try {
		log(`[services] installing Debian's ${missing.join(' ')}`);
		const t = Date.now();
		// `apt-get update` only when needed: no package lists yet, or stale ones (install fails).
		let haveLists = false;
		try {
			haveLists = fs.readdirSync('/var/lib/apt/lists').some((name) => name.includes('_Packages'));
		} catch {}
		if (!haveLists) await update();
		try {
			await install();
		} catch (error) {
			if (!haveLists) throw error;
			log(`[services] apt-get install failed (${error.message.split('\n').pop()}); updating the package lists and retrying`);
			await update();
			await install();
		}
		log(`[services] installed ${missing.join(' ')} in ${formatMs(Date.now() - t)}`);
	} finally {
		dropPolicy();
		process.off('exit', dropPolicy);
	}
	if (!pgBinDir() || !redisServerBin()) throw new Error(`apt-get install ${missing.join(' ')} did not provide the expected binaries`);
	return { pgBinDir: pgBinDir(), redisServer: redisServerBin(), installed: missing };
}

function tail(file, lines = 20) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/**
 * The temp folder, server process and exit safety shared by both services. `launch(port)` spawns
 * the server (detached: a group of its own) and `ready(port)` says whether it serves yet.
 * Resolves to { port, pid } or throws with the log's tail; retries with a new port when the
 * chosen one was taken meanwhile.
 */
function makeInstance({ say, dir }) {
	const state = { pid: null, untrack: null, stopping: null };
	// Synchronous, for process exit: nothing asynchronous runs any more then.
	const onExit = () => {
		if (state.pid) killGroup(state.pid, 'SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
	};
	process.on('exit', onExit);

	async function start({ launch, ready, logFile, portInUse }) {
		for (let attempt = 1; ; attempt++) {
			const port = await freePort();
			const logFd = fs.openSync(logFile, 'a');
			const [cmd, args, options] = launch(port);
			const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', logFd, logFd] });
			fs.closeSync(logFd);
			let exited = null;
			child.on('exit', (code, signal) => (exited = signal || `exit code ${code}`));
			child.on('error', (error) => (exited = error.message));
			state.pid = child.pid;
			state.untrack = child.pid ? track(child.pid) : null;
			const deadline = Date.now() + START_TIMEOUT_MS;
			while (!exited && Date.now() < deadline) {
				if (await ready(port)) return { port, pid: child.pid };
				await sleep(50);
			}
			const logTail = tail(logFile);
			await stop({ removeDir: false, quiet: true });
			state.stopping = null;
			if (exited && portInUse.test(logTail) && attempt < 3) {
				say(`port ${port} was taken meanwhile; retrying with another`);
				continue;
			}
			throw new Error(`${exited ? `exited (${exited})` : `not ready after ${formatMs(START_TIMEOUT_MS)}`}; ${logFile}:\n${logTail}`);
		}
	}

	/** Idempotent: every call gets the same promise. */
	function stop({ signal = 'SIGTERM', removeDir = true, quiet = false } = {}) {
		state.stopping ||= (async () => {
			const t = Date.now();
			let clean = true;
			if (state.pid) clean = await stopGroup(state.pid, { signal, graceMs: 15_000 });
			if (state.untrack) state.untrack();
			state.pid = null;
			state.untrack = null;
			if (removeDir) {
				fs.rmSync(dir, { recursive: true, force: true });
				process.off('exit', onExit);
			}
			if (!quiet) say(`stopped in ${formatMs(Date.now() - t)}${clean ? '' : ' (did not stop in time: SIGKILLed)'}`);
		})();
		return state.stopping;
	}

	return { start, stop };
}

function makeTempDir(dataRoot, prefix) {
	const parent = dataRoot || os.tmpdir();
	fs.mkdirSync(parent, { recursive: true });
	return fs.mkdtempSync(path.join(parent, prefix));
}

/**
 * A private PostgreSQL cluster: role and database `n8n` (password auth over TCP), reachable only
 * on 127.0.0.1. The unix socket lives in the temp folder (its path must stay below 108 bytes, so
 * keep dataRoot short).
 */
async function startPostgres({ log = console.log, dataRoot } = {}) {
	const say = (line) => log(`[postgres] ${line}`);
	const bin = pgBinDir();
	if (!bin) throw new Error(`no PostgreSQL server in ${PG_ROOT}/*/bin; call ensureServicePackages() (or apt-get install postgresql)`);
	let user = null;
	if (isRoot()) {
		user = systemUser('postgres');
		if (!user) throw new Error("PostgreSQL does not run as root and there is no 'postgres' user; install Debian's postgresql package");
	}
	const dir = makeTempDir(dataRoot, 'n8n-postgres-');
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	const instance = makeInstance({ say, dir });
	const timings = {};
	try {
		if (user) fs.chownSync(dir, user.uid, user.gid);
		let t = Date.now();
		// trust on the socket (only its owner and root can reach the 0700 folder), scram over TCP
		// so that the n8n role's password is really checked.
		const initdb = ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'];
		await run(...viaSetpriv(path.join(bin, 'initdb'), initdb, user), { cwd: dir, label: 'initdb' });
		timings.initdbMs = Date.now() - t;
		say(`initdb ${dataDir} in ${formatMs(timings.initdbMs)}`);

		t = Date.now();
		const settings = {
			listen_addresses: '127.0.0.1',
			unix_socket_directories: dir,
			max_connections: 300, // 4 n8n processes, each with its own pool, plus tests
			fsync: 'off',
			synchronous_commit: 'off',
			full_page_writes: 'off',
		};
		const serverArgs = (port) => ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
		const pidFile = path.join(dataDir, 'postmaster.pid');
		const { port, pid } = await instance.start({
			logFile,
			launch: (p) => [...viaSetpriv(path.join(bin, 'postgres'), serverArgs(p), user), { cwd: dir, env: cleanEnv() }],
			// What `pg_ctl start -w` waits for: line 8 of postmaster.pid turns "ready".
			ready: async () => {
				try {
					return fs.readFileSync(pidFile, 'utf8').split('\n')[7]?.trim() === 'ready';
				} catch {
					return false;
				}
			},
			portInUse: /could not (bind|create listen socket)|already in use/i,
		});
		timings.startMs = Date.now() - t;
		say(`postgres (pid ${pid}) accepts connections on 127.0.0.1:${port} after ${formatMs(timings.startMs)}`);

		t = Date.now();
		// Hex: safe inside an SQL literal and a URL.
		const password = crypto.randomBytes(16).toString('hex');
		await run(
			path.join(bin, 'psql'),
			['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres',
				'-c', `CREATE ROLE n8n LOGIN PASSWORD '${password}'`, '-c', 'CREATE DATABASE n8n OWNER n8n'],
			{ label: 'psql (create role and database n8n)' },
		);
		timings.setupMs = Date.now() - t;
		say(`role and database n8n created in ${formatMs(timings.setupMs)}`);
		return {
			host: '127.0.0.1',
			port,
			database: 'n8n',
			user: 'n8n',
			password,
			url: `postgres://n8n:${password}@127.0.0.1:${port}/n8n`,
			dir,
			logFile,
			pid,
			timings,
			// SIGINT is PostgreSQL's "fast" shutdown (what pg_ctl stop -m fast sends).
			stop: () => instance.stop({ signal: 'SIGINT' }),
		};
	} catch (error) {
		await instance.stop({ signal: 'SIGINT', quiet: true });
		throw error;
	}
}

/** Sends PING over a raw TCP connection; true when the answer is +PONG. */
function redisPing(port, host = '127.0.0.1', timeoutMs = 1000) {
	return new Promise((resolve) => {
		let reply = '';
		const socket = net.connect(port, host, () => socket.write('PING\r\n'));
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.on('error', () => done(false));
		socket.on('data', (chunk) => {
			reply += chunk;
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}

/** A private Redis without persistence, reachable only on 127.0.0.1. */
async function startRedis({ log = console.log, dataRoot } = {}) {
	const say = (line) => log(`[redis] ${line}`);
	const server = redisServerBin();
	if (!server) throw new Error('redis-server is missing; call ensureServicePackages() (or apt-get install redis-server)');
	const dir = makeTempDir(dataRoot, 'n8n-redis-');
	const logFile = path.join(dir, 'redis.log');
	const instance = makeInstance({ say, dir });
	try {
		const t = Date.now();
		const args = (port) => ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no',
			'--dir', dir, '--daemonize', 'no', '--logfile', ''];
		const { port, pid } = await instance.start({
			logFile,
			launch: (p) => [...viaSetpriv(server, args(p)), { cwd: dir, env: cleanEnv() }],
			ready: (p) => redisPing(p),
			portInUse: /address already in use|could not create server tcp listening socket/i,
		});
		const startMs = Date.now() - t;
		say(`redis-server (pid ${pid}) answers PING on 127.0.0.1:${port} after ${formatMs(startMs)}`);
		return {
			host: '127.0.0.1',
			port,
			url: `redis://127.0.0.1:${port}`,
			dir,
			logFile,
			pid,
			timings: { startMs },
			// Nothing to save (--save ''), so SIGTERM is a plain shutdown.
			stop: () => instance.stop({ signal: 'SIGTERM' }),
		};
	} catch (error) {
		await instance.stop({ quiet: true });
		throw error;
	}
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function portOpen(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
}

async function selfTest() {
	const started = Date.now();
	const log = (line) => console.log(line);
	await ensureServicePackages({ log });
	const [pg, redis] = await Promise.all([startPostgres({ log }), startRedis({ log })]);
	console.log(`[services] postgres ${pg.url}\n[services] redis    ${redis.url}`);
	try {
		const psql = path.join(pgBinDir(), 'psql');
		const query = (password) =>
			run(psql, ['-X', '-At', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-c', 'select version()'], {
				env: cleanEnv({ PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' }),
				label: 'psql select version()',
			});
		let t = Date.now();
		const { stdout } = await query(pg.password);
		console.log(`[services] select version() over TCP as n8n (${formatMs(Date.now() - t)}): ${stdout.trim()}`);
		const wrongPasswordRejected = await query('wrong').then(() => false, (error) => /password authentication failed/.test(error.message));
		if (!wrongPasswordRejected) throw new Error('postgres accepted a wrong password');
		t = Date.now();
		if (!(await redisPing(redis.port))) throw new Error('redis did not answer PING');
		console.log(`[services] redis PING -> PONG (${formatMs(Date.now() - t)})`);
	} finally {
		await Promise.all([pg.stop(), redis.stop()]);
	}
	await Promise.all([pg.stop(), redis.stop()]); // idempotent
	for (const [name, service] of [['postgres', pg], ['redis', redis]]) {
		if (fs.existsSync(service.dir)) throw new Error(`${name}: ${service.dir} is still there`);
		if (await portOpen(service.port)) throw new Error(`${name}: port ${service.port} is still open`);
	}
	console.log(`[services] self-test passed in ${formatMs(Date.now() - started)} (temp folders removed, ports closed)`);
}

if (require.main === module) {
	selfTest().then(
		() => process.exit(0),
		(error) => {
			console.error(`[services] self-test FAILED: ${error.stack || error.message}`);
			process.exit(1);
		},
	);
}

module.exports = { ensureServicePackages, startPostgres, startRedis, redisPing, pgBinDir, redisServerBin };
