// Build: compile TypeScript, bundle undici and zod once into a shared chunk, copy icons and codex files.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { series, src, dest } = require('gulp');

const DIST = 'dist';
// nodes/shared/vendor.ts is the only importer of undici and zod; its compiled file is replaced by a
// bundle, so every node requires one copy of both and the package needs no runtime dependencies.
const VENDOR_ENTRY = 'nodes/shared/vendor.ts';

function clean(done) {
	fs.rmSync(DIST, { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
		stdio: 'inherit',
	});
	done();
}

async function bundleVendor() {
	fs.rmSync(path.join(DIST, VENDOR_ENTRY.replace(/\.ts$/, '.js.map')), { force: true });
	await require('esbuild').build({
		entryPoints: [VENDOR_ENTRY],
		outfile: path.join(DIST, VENDOR_ENTRY.replace(/\.ts$/, '.js')),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		legalComments: 'inline',
		logLevel: 'warning',
	});
}

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest(DIST),
	);
}

exports.clean = clean;
exports.build = series(clean, compile, bundleVendor, copyAssets);
exports.default = exports.build;
