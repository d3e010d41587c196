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
			// From jest's start to the end of the last test: set-up (n8n install and boot) included.
			seconds: Math.round((Date.now() - results.startTime) / 1000),
		};
		const layers = { ...read(), [layer]: counts };
		fs.mkdirSync(path.dirname(SUMMARY), { recursive: true });
		fs.writeFileSync(SUMMARY, JSON.stringify(layers, null, 2));
		process.stdout.write(`\n${line(layer, counts)}\n`);
	}
}

function line(name, c) {
	const time = c.seconds === undefined ? '' : ` (${(c.seconds / 60).toFixed(1)} min)`;
	return `${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}${time}`;
}

if (require.main === module && process.argv.includes('--reset')) fs.rmSync(SUMMARY, { force: true });
if (require.main === module && process.argv.includes('--total')) {
	const total = { passed: 0, failed: 0, skipped: 0 };
	const layers = read();
	for (const c of Object.values(layers)) for (const key of Object.keys(total)) total[key] += c[key];
	for (const [name, c] of Object.entries(layers)) process.stdout.write(`  ${line(name, c)}\n`);
	process.stdout.write(`${line('tests', total)}\n`);
	if (total.failed > 0 || total.passed === 0) process.exitCode = 1;
}

module.exports = SummaryReporter;
