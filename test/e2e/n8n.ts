import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of scripts/n8n/api.js (plain JavaScript) the suites use, typed. */
export interface Execution {
	id: string;
	status: string;
	mode: string;
	data?: unknown;
}

export interface N8nClient {
	url: string;
	version?: string;
	createCredential(type: string, name: string, data: Record<string, unknown>): Promise<string>;
	updateCredential(id: string, type: string, name: string, data: Record<string, unknown>): Promise<void>;
	importWorkflow(json: object | string, credentialIdMap?: Record<string, string>, options?: { name?: string }): Promise<string>;
	activateWorkflow(id: string): Promise<void>;
	deactivateWorkflow(id: string): Promise<void>;
	runWorkflowManually(id: string, options?: { triggerName?: string; wait?: boolean; timeoutMs?: number; intervalMs?: number }): Promise<{ executionId: string; status: string; execution: Execution }>;
	waitForExecution(id: string, options?: { timeoutMs?: number; intervalMs?: number }): Promise<Execution>;
	listExecutions(filter?: { workflowId?: string; status?: string | string[]; limit?: number }): Promise<Execution[]>;
	waitForExecutions(workflowId: string, options?: { count?: number; timeoutMs?: number }): Promise<Execution[]>;
	getExecution(id: string, options?: { includeData?: boolean }): Promise<Execution>;
	nodeTypes(): Promise<string[]>;
	credentialTypes(): Promise<string[]>;
	request(method: string, path: string, options?: { body?: unknown; expect?: number[] }): Promise<{ status: number; body: unknown; text: string }>;
}

interface ApiModule {
	createClient(options: { url: string; cookie: string; browserId: string; user: unknown; version?: string }): N8nClient;
	nodeOutput(execution: Execution, nodeName: string): Array<Record<string, unknown>> | undefined;
	executionError(execution: Execution): { message: string } | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = require('../../scripts/n8n/api') as ApiModule;

export const { nodeOutput, executionError } = api;

/** scripts/n8n/workflows.js: Manual Trigger → Code → a OneChat node, as imported by tests and benchmarks. */
interface WorkflowsModule {
	relayWorkflow(options: { name: string; recipients: number; message: string; domain?: string; timeoutSeconds?: number }): object;
	sendToUserWorkflow(options: { name: string; count: number; message: string; options?: Record<string, unknown> }): object;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { relayWorkflow, sendToUserWorkflow } = require('../../scripts/n8n/workflows') as WorkflowsModule;

export interface E2EState {
	/** The main process: editor and REST API. */
	url: string;
	/** Where production webhooks go: the main process, or in queue mode a webhook processor. */
	webhookBaseUrl?: string;
	/** The main process's log. */
	logFile: string;
	/** Every n8n process's log (in queue mode main, workers and webhook processors). */
	logFiles?: string[];
	owner: { email: string; password: string };
	cookie: string;
	browserId: string;
	user: unknown;
	/** n8n's version, which picks the REST dialect (scripts/n8n/api.js dialectFor). */
	version?: string;
}

/** The n8n that globalSetup started, and a logged-in client for it. */
export function connect(): { state: E2EState; client: N8nClient } {
	const file = process.env.N8N_E2E_STATE;
	if (!file) throw new Error('N8N_E2E_STATE is not set: run the e2e suites through test/e2e/jest.config.js');
	const state = JSON.parse(readFileSync(file, 'utf8')) as E2EState;
	return { state, client: api.createClient(state) };
}

export const EXAMPLES = join(__dirname, '..', '..', 'examples');

export function example(name: string): { nodes: Array<Record<string, unknown>>; [key: string]: unknown } {
	return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as { nodes: Array<Record<string, unknown>> };
}

/** A production webhook URL: /webhook/<path>, on the process that receives webhooks. */
export function productionUrl(state: E2EState, path: string): string {
	return `${state.webhookBaseUrl ?? state.url}/webhook/${path}`;
}

/** The production URL of a trigger node of an imported example: /webhook/<webhookId>/<path>. */
export function webhookUrl(state: E2EState, webhookId: string, path: string): string {
	return productionUrl(state, `${webhookId}/${path}`);
}

/** What all n8n processes logged so far. */
export function logsOf(state: E2EState): string {
	return (state.logFiles ?? [state.logFile]).map((file) => readFileSync(file, 'utf8')).join('\n');
}

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 30_000, what = 'condition'): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
