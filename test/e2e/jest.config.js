/**
 * End-to-end tests against a real n8n 2.40.7 with this package installed (see scripts/n8n/).
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
