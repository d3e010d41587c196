// Prints "<layer>: N passed, N failed" after each jest run of `npm test` and keeps the counts;
// `node test/summaryReporter.js --total` then ends the run with one "tests: N passed, N failed" line.
const fs = require('node:fs');
const path = require('node:path');

const SUMMARY = path.join(__dirname, '..', 'test-artifacts', 'test-summary.json');

function read() {
	try {
		return JSON.parse(fs.readFileSync(SUMMARY, 'utf8'));
	} catch {
		return {};
	}
}

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const layer = process.env.TEST_LAYER || 'tests';
		const counts = {
			passed: results.numPassedTests,
			failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
			skipped: results.numPendingTests + results.numTodoTests,
		};
		const layers = { ...read(), [layer]: counts };
		fs.mkdirSync(path.dirname(SUMMARY), { recursive: true });
		fs.writeFileSync(SUMMARY, JSON.stringify(layers, null, 2));
		process.stdout.write(`\n${line(layer, counts)}\n`);
	}
}

function line(name, c) {
	return `${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
}

if (require.main === module && process.argv.includes('--reset')) fs.rmSync(SUMMARY, { force: true });
if (require.main === module && process.argv.includes('--total')) {
	const total = { passed: 0, failed: 0, skipped: 0 };
	for (const c of Object.values(read())) for (const key of Object.keys(total)) total[key] += c[key];
	process.stdout.write(`${line('tests', total)}\n`);
	if (total.failed > 0 || total.passed === 0) process.exitCode = 1;
}

module.exports = SummaryReporter;
