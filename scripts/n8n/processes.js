'use strict';
/**
 * Child process groups that must not outlive this process.
 *
 * Children are spawned `detached` (their own process group), so a whole tree (n8n plus its task
 * runner, or npm plus node-gyp) can be signalled at once with kill(-pgid). The flip side is that a
 * Ctrl+C in the terminal no longer reaches them, so this module kills every registered group:
 *   - on process 'exit' (synchronously, SIGKILL),
 *   - on SIGINT / SIGTERM / SIGHUP when nobody else listens to that signal: the process exits
 *     with 128 + the signal number (as it would have died anyway), running the 'exit' hooks.
 *     A host with its own handler is expected to call stop(); the 'exit' hook is the backstop.
 */
const fs = require('node:fs');
const os = require('node:os');

const groups = new Set();
let handlersInstalled = false;

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

const HAS_PROC = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/**
 * True while any live process of the group exists. Zombies do not count: an exited child is only
 * reaped by Node's event loop, which does not run inside 'exit' handlers, and kill(-pgid, 0) would
 * still succeed for it. On Linux /proc is read; elsewhere kill(-pgid, 0) is the best there is.
 */
function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
	} catch (error) {
		if (error.code !== 'EPERM') return false;
	}
	if (!HAS_PROC) return true;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // gone meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
	}
	return false;
}

/** Blocks the thread for `ms` (only used in 'exit' handlers, where nothing async runs). */
function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** SIGKILLs every registered group and waits (synchronously, at most 3 s) until they are gone. */
function killAllNow() {
	const pids = [...groups];
	groups.clear();
	for (const pid of pids) killGroup(pid, 'SIGKILL');
	const deadline = Date.now() + 3000;
	while (pids.some(groupAlive) && Date.now() < deadline) sleepSync(20);
}

function onSignal(signal) {
	// The host listens too: it decides what happens (and stops its instances); the 'exit' hook
	// still kills whatever is left when the process ends.
	if (process.listenerCount(signal) > 1) return;
	// Exit the usual way for a signal (128 + its number) so that 'exit' hooks run: they kill the
	// groups and remove temp folders.
	process.exit(128 + (os.constants.signals[signal] || 0));
}

const signalHandlers = {
	SIGINT: () => onSignal('SIGINT'),
	SIGTERM: () => onSignal('SIGTERM'),
	SIGHUP: () => onSignal('SIGHUP'),
};

function installHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', killAllNow);
	for (const [signal, handler] of Object.entries(signalHandlers)) process.on(signal, handler);
}

function uninstallHandlers() {
	if (!handlersInstalled) return;
	handlersInstalled = false;
	process.off('exit', killAllNow);
	for (const [signal, handler] of Object.entries(signalHandlers)) process.off(signal, handler);
}

/** Registers a detached child's process group; returns a function that unregisters it. */
function track(pid) {
	groups.add(pid);
	installHandlers();
	return () => {
		groups.delete(pid);
		if (groups.size === 0) uninstallHandlers();
	};
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Stops a process group: `signal` first, SIGKILL after `graceMs`, then waits (at most
 * `killWaitMs` more) until no process of the group is left. Resolves true when the group is gone.
 */
async function stopGroup(pid, { signal = 'SIGTERM', graceMs = 10_000, killWaitMs = 5_000 } = {}) {
	if (!groupAlive(pid)) return true;
	killGroup(pid, signal);
	const graceEnd = Date.now() + graceMs;
	while (Date.now() < graceEnd) {
		if (!groupAlive(pid)) return true;
		await sleep(100);
	}
	killGroup(pid, 'SIGKILL');
	const killEnd = Date.now() + killWaitMs;
	while (Date.now() < killEnd) {
		if (!groupAlive(pid)) return true;
		await sleep(50);
	}
	return !groupAlive(pid);
}

module.exports = { track, stopGroup, groupAlive, killGroup, killAllNow, sleep };
