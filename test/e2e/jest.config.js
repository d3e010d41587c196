/**
 * End-to-end tests against a real n8n with this package installed (see scripts/n8n/): the pinned
 * version, or N8N_TEST_VERSION (scripts/n8n/versions.js; the compatibility layer runs them all).
 * One n8n for the whole run (globalSetup); each suite starts the simulators it needs in-process.
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.js',
	maxWorkers: 1,
	testTimeout: 120000,
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
