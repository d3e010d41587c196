/**
 * The queue-mode layer: the package in n8n's distributed engine (scripts/n8n/fleet.js) — a private
 * PostgreSQL and Redis, 1 main, 2 workers and 2 webhook processors of the pinned n8n. It runs the
 * end-to-end suites again against that fleet (production webhooks through a webhook processor,
 * every execution on a worker, which onWorkers.ts checks after each file), and the suites of
 * test/queue that only a fleet can show. The browser check stays in the single-process layer.
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e', '<rootDir>/test/queue'],
	testMatch: ['**/*.e2e.test.ts', '**/*.queue.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', 'browser\\.e2e\\.test\\.ts$'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	globalSetup: '<rootDir>/test/queue/globalSetup.js',
	globalTeardown: '<rootDir>/test/queue/globalTeardown.js',
	setupFilesAfterEnv: ['<rootDir>/test/queue/onWorkers.ts'],
	maxWorkers: 1,
	testTimeout: 180000,
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
