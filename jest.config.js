/** Tests run on the Node 24 from node_modules/.bin (npm puts it first on the PATH). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The end-to-end suites need a real n8n: they run through test/e2e/jest.config.js.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
