'use strict';
/**
 * The n8n versions the package is tested on, and what each needs to install and start on a machine
 * of this kind (the npm registry here lacks a few of their dependencies). The one place for such
 * differences of installing and starting; those of the REST API are in api.js (`dialectFor`).
 *
 *   N8N_TEST_VERSION=<version>  picks the version for install.js, instance.js, fleet.js and the e2e
 *                          suites (default: the pinned one).
 */

/** The version the suite, the demo and the benchmarks pin. */
const PINNED = '2.40.7';

const VERSIONS = {
	'2.40.7': {
		node: '24.21.0',
		// Newer linkedom needs `cssomnom`, which the registry here does not have.
		overrides: { linkedom: '0.18.12' },
	},
	// The latest 2.x that installs here: 2.41.3 (npm's latest) needs 21 @n8n/* packages of its
	// release (@n8n/agents 0.26.2, n8n-core 2.41.2, …) that this registry does not have.
	'2.41.1': {
		node: '24.21.0',
		overrides: { linkedom: '0.18.12' },
	},
	// The current 1.x line, on the Node it supports: its `xlsx` points to a CDN that cannot be reached.
	'1.123.81': {
		node: '22.23.3',
		overrides: { xlsx: '0.18.5' },
		// 1.x knows no mcp-registry module and refuses to start when it is named.
		disabledModules: '',
		// n8n's own advice at 1.x startup (and 2.x's default). With 1.x's default of 0, SQLite writes
		// an execution's status and its data in two statements outside a transaction: a reader can see
		// a finished execution that still carries the data it was resumed with.
		env: { DB_SQLITE_POOL_SIZE: '2' },
	},
};

/** The versions the compatibility layer runs the end-to-end suite on, besides the pinned one. */
const COMPATIBILITY = ['1.123.81', '2.41.1'];

/**
 * `disabledModules`: N8N_DISABLED_MODULES for this version. By default the MCP registry module,
 * which fetches https://api.n8n.io/api/mcp-servers at startup and logs a stack trace offline.
 * `env`: what else this version is started with.
 * @returns {{ version: string, node: string, overrides: Record<string, string>, major: number, disabledModules: string, env: Record<string, string> }}
 */
function versionSpec(version = process.env.N8N_TEST_VERSION || PINNED) {
	const spec = VERSIONS[version];
	if (!spec) throw new Error(`n8n ${version} is not one of the tested versions (${Object.keys(VERSIONS).join(', ')}); add it to scripts/n8n/versions.js`);
	return { disabledModules: 'mcp-registry', env: {}, ...spec, version, major: Number(version.split('.')[0]) };
}

module.exports = { PINNED, COMPATIBILITY, VERSIONS, versionSpec };
