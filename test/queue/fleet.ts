import { connect, type E2EState } from '../e2e/n8n';

/** What the queue layer's globalSetup adds to the single-process state. */
export interface FleetState extends E2EState {
	webhookBaseUrls: string[];
	processes: Array<{ name: string; command: 'start' | 'worker' | 'webhook'; url: string; logFile: string }>;
}

/** scripts/n8n/fleet.js (plain JavaScript), typed for what the suites use. */
interface FleetModule {
	workerThatRan(workers: Array<{ name: string; logFile: string }>, executionId: string | number, timeoutMs?: number): Promise<string | undefined>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { workerThatRan } = require('../../scripts/n8n/fleet') as FleetModule;

export function connectFleet() {
	const { state, client } = connect();
	return { state: state as FleetState, client };
}

/** The worker of the layer's fleet that ran the execution (waiting for its log line), if any. */
export async function workerOf(state: FleetState, executionId: string | number, timeoutMs = 15_000): Promise<string | undefined> {
	return await workerThatRan(state.processes.filter((process) => process.command === 'worker'), executionId, timeoutMs);
}
