/**
 * Process environment for running n8n-core in-process. Must be imported before anything that
 * loads n8n-core: n8n's config classes read the environment when the DI container first builds
 * them, and InstanceSettings writes `<N8N_USER_FOLDER>/.n8n/config` (with an encryption key)
 * on first use. Without this it would write into the real home directory.
 *
 * Everything goes below `<tmp>/n8n-test-engine-<pid>` (shared by the test files a jest worker
 * runs). It is removed on process exit where that event is seen; directories of processes that no
 * longer run are removed the next time this module loads.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'n8n-test-engine-';
const processStartedAt = Date.now() - process.uptime() * 1000 - 1000;

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function removeStaleDirs(): void {
	let entries: string[];
	try {
		entries = readdirSync(tmpdir());
	} catch {
		return;
	}
	for (const name of entries) {
		if (!name.startsWith(PREFIX)) continue;
		const pid = Number.parseInt(name.slice(PREFIX.length), 10);
		if (!Number.isInteger(pid) || pid <= 0) continue;
		const path = join(tmpdir(), name);
		if (pid === process.pid) {
			// a directory left by an earlier process with the same pid
			try {
				if (statSync(path).birthtimeMs >= processStartedAt) continue;
			} catch {
				continue;
			}
		} else if (isAlive(pid)) {
			continue;
		}
		try {
			rmSync(path, { recursive: true, force: true });
		} catch {
			// another process may be removing it
		}
	}
}

removeStaleDirs();

const root = join(tmpdir(), `${PREFIX}${process.pid}`);
mkdirSync(root, { recursive: true });

/**
 * Temporary directory for this process: n8n's user folder (`.n8n/config`) and, below it,
 * the filesystem binary-data store (`.n8n/storage`).
 */
export const ENGINE_TMP_DIR = root;

process.env.N8N_USER_FOLDER = root;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-test-engine-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
// n8n's ErrorReporter logs every failed node run through the Logger; keep test output quiet unless
// asked for (N8N_LOG_LEVEL=info|debug|warn|error).
process.env.N8N_LOG_LEVEL ??= 'silent';

process.once('exit', () => {
	try {
		rmSync(root, { recursive: true, force: true });
	} catch {
		// best effort
	}
});
