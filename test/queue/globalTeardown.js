const fs = require('node:fs');

module.exports = async function globalTeardown() {
	const state = globalThis.__n8nQueue;
	if (!state) return;
	await state.fleet.stop();
	fs.rmSync(state.stateFile, { force: true });
	process.stdout.write(`[queue] layer done in ${((Date.now() - state.started) / 1000).toFixed(1)} s (fleet start to stop)\n`);
};
