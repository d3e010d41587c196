import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starting and asking the OneChat simulator of test/simulators/childProcess.ts (benchmark, timing tests). */

/** Sends `type` (none for the first 'ready') and resolves with the child's next message of type `reply`. */
export function ask<T>(child: ChildProcess, type: string, reply: string): Promise<T> {
	return new Promise((resolve) => {
		const listener = (message: { type: string }) => {
			if (message.type !== reply) return;
			child.off('message', listener);
			resolve(message as T);
		};
		child.on('message', listener);
		if (type) child.send({ type });
	});
}

/** Forks the simulator (keeping about `maxLogEntries` log entries) and waits until it listens. */
export async function forkOneChatSimulator(maxLogEntries?: number): Promise<{ child: ChildProcess; baseUrl: string; apiKey: string }> {
	const child = fork(join(__dirname, 'childProcess.ts'), maxLogEntries === undefined ? [] : [String(maxLogEntries)], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
	});
	const { baseUrl, apiKey } = await ask<{ baseUrl: string; apiKey: string }>(child, '', 'ready');
	return { child, baseUrl, apiKey };
}
