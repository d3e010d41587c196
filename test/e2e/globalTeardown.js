const fs = require('node:fs');

module.exports = async function globalTeardown() {
	const state = globalThis.__n8nE2E;
	if (!state) return;
	await state.n8n.stop();
	fs.rmSync(state.stateFile, { force: true });
};
