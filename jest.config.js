/** Tests run on the Node 24 from node_modules/.bin (npm puts it first on the PATH). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
