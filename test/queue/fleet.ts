import { readFileSync } from 'node:fs';

import { connect, type E2EState } from '../e2e/n8n';

/** What the queue layer's globalSetup adds to the single-process state. */
export interface FleetState extends E2EState {
	webhookBaseUrls: string[];
	processes: Array<{ name: string; command: 'start' | 'worker' | 'webhook'; url: string; logFile: string }>;
}

export function connectFleet() {
	const { state, client } = connect();
	return { state: state as FleetState, client };
}

/** The n8n process whose log says it started the execution ("Worker started execution <id> ("), if any. */
export function ranOn(state: FleetState, executionId: string | number): string | undefined {
	const line = `Worker started execution ${executionId} (`;
	return state.processes.find((process) => process.command === 'worker' && readFileSync(process.logFile, 'utf8').includes(line))?.name;
}

/** Waits until a worker's log names the execution (it logs the start as it picks the job up). */
export async function workerOf(state: FleetState, executionId: string | number, timeoutMs = 15_000): Promise<string | undefined> {
	for (const deadline = Date.now() + timeoutMs; ; ) {
		const name = ranOn(state, executionId);
		if (name || Date.now() > deadline) return name;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
