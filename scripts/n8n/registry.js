'use strict';
/**
 * A real npm registry on loopback for the Community Nodes install test: verdaccio (from npm,
 * installed once per machine into the cache next to n8n), with this package published to it
 * from the freshly packed tarball and everything else proxied to the public registry. Gone again
 * after stop() or when this process exits.
 *
 *   const { startRegistry } = require('./registry');
 *   const registry = await startRegistry({ log });   // { url, publish(tarball), stop() }
 *
 * CLI self-test: `node scripts/n8n/registry.js <tarball>`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFile } = require('node:child_process');
const { promisify } = require('node:util');

const { cacheRoot } = require('./install');
const { freePort } = require('./ports');
const { track, stopGroup, sleep } = require('./processes');

const VERDACCIO_VERSION = '6.10.4';
const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';
const START_TIMEOUT_MS = 60_000;

function cacheDir() {
	return path.join(cacheRoot(), `verdaccio-${VERDACCIO_VERSION}`);
}

/** npm without the settings of an outer `npm run` (prefix, registry of the project, …). */
function npmEnv() {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
}

async function ensureVerdaccio({ log }) {
	const dir = cacheDir();
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (fs.existsSync(path.join(dir, '.install-complete'))) return bin;
	const started = Date.now();
	log(`installing verdaccio ${VERDACCIO_VERSION} into ${dir}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'verdaccio-cache', private: true, dependencies: { verdaccio: VERDACCIO_VERSION } }));
	await promisify(execFile)('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: npmEnv(), timeout: 10 * 60_000, maxBuffer: 16 << 20 });
	fs.writeFileSync(path.join(dir, '.install-complete'), new Date().toISOString());
	log(`verdaccio installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return bin;
}

/** Verdaccio 6 wants Node 22 or later: the project's own Node 24 (devDependency `node`) when there. */
function nodeForVerdaccio() {
	const projectNode = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'node');
	return fs.existsSync(projectNode) ? projectNode : process.execPath;
}

function configYaml(dir, port) {
	return [
		`storage: ${path.join(dir, 'storage')}`,
		'auth:',
		'  htpasswd:',
		`    file: ${path.join(dir, 'htpasswd')}`,
		'    max_users: 10',
		'uplinks:',
		'  npmjs:',
		'    url: https://registry.npmjs.org/',
		'packages:',
		`  '${PACKAGE}':`,
		'    access: $all',
		'    publish: $authenticated',
		"  '**':",
		'    access: $all',
		'    proxy: npmjs',
		`listen: 127.0.0.1:${port}`,
		'log: { type: stdout, format: pretty, level: warn }',
		'',
	].join('\n');
}

async function startRegistry({ log = console.log } = {}) {
	const say = (line) => log(`[registry] ${line}`);
	const bin = await ensureVerdaccio({ log: say });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-registry-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	fs.writeFileSync(path.join(dir, 'config.yaml'), configYaml(dir, port));
	const logFile = path.join(dir, 'verdaccio.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(nodeForVerdaccio(), [bin, '--config', path.join(dir, 'config.yaml')], { cwd: dir, env: npmEnv(), stdio: ['ignore', out, out], detached: true });
	const untrack = track(child.pid);
	const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
	process.once('exit', removeDir);
	const started = Date.now();
	for (;;) {
		const ping = await fetch(`${url}/-/ping`).catch(() => undefined);
		if (ping?.ok) break;
		if (child.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) {
			throw new Error(`verdaccio did not answer on ${url} (log ${logFile}):\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
		}
		await sleep(200);
	}
	say(`verdaccio (pid ${child.pid}) answers on ${url} after ${Date.now() - started} ms`);

	// A user to publish as: the registry's own sign-up (what `npm adduser` calls).
	const user = { name: 'e2e-publisher', password: 'E2e-Publisher-1' };
	const signUp = await fetch(`${url}/-/user/org.couchdb.user:${user.name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...user, type: 'user' }) });
	const { token } = await signUp.json();
	if (!token) throw new Error(`verdaccio sign-up failed (HTTP ${signUp.status})`);

	return {
		url,
		logFile,
		/** `npm publish <tarball>` to this registry; resolves with the published version. */
		async publish(tarball) {
			const host = url.replace(/^http:/, '');
			await promisify(execFile)('npm', ['publish', tarball, `--registry=${url}/`, `--${host}/:_authToken=${token}`, '--access=public', '--loglevel=error'], { env: npmEnv(), timeout: 120_000 });
			const meta = await (await fetch(`${url}/${PACKAGE}`)).json();
			say(`published ${PACKAGE}@${meta['dist-tags'].latest}`);
			return meta['dist-tags'].latest;
		},
		async stop() {
			await stopGroup(child.pid);
			untrack();
			fs.closeSync(out);
			removeDir();
		},
	};
}

module.exports = { startRegistry, PACKAGE };

if (require.main === module) {
	(async () => {
		const registry = await startRegistry();
		try {
			if (process.argv[2]) console.log(await registry.publish(path.resolve(process.argv[2])));
		} finally {
			await registry.stop();
		}
	})().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
