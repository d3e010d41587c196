'use strict';
/**
 * The compatibility layer of `npm test`: the whole end-to-end suite (test/e2e, the browser's
 * included) once per n8n version of scripts/n8n/versions.js COMPATIBILITY, each on its own Node
 * (n8n 1.x on Node 22). Each version is installed into its own cache directory when missing. The
 * layer is named e2e@<version> in the test summary; the time of each version is printed.
 *
 *   node scripts/test-compat.js [<version> ...]    (default: every compatibility version)
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { COMPATIBILITY } = require('./n8n/versions');

const root = path.resolve(__dirname, '..');
const versions = process.argv.slice(2).length > 0 ? process.argv.slice(2) : COMPATIBILITY;
const jest = path.join(root, 'node_modules', '.bin', 'jest');
const times = [];
let failed = false;
for (const version of versions) {
	const started = Date.now();
	console.log(`\n[compat] n8n ${version}: the end-to-end suite`);
	const run = spawnSync(jest, ['-c', 'test/e2e/jest.config.js'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, N8N_TEST_VERSION: version, TEST_LAYER: `e2e@${version}` },
	});
	const minutes = ((Date.now() - started) / 60_000).toFixed(1);
	times.push(`n8n ${version}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${minutes} min (install included when it was missing)`);
	if (run.status !== 0) failed = true;
}
console.log(`\n[compat] ${times.join('; ')}`);
process.exitCode = failed ? 1 : 0;
