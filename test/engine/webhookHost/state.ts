/** The state of one webhook host, and the workflow built from it for every request and run. */
import {
	Workflow,
	type IConnections,
	type IDataObject,
	type INode,
	type IWebhookData,
	type IWorkflowBase,
} from 'n8n-workflow';

import type { NodeTypeRegistry, TestCredentialsHelper } from '../runtime';
import type { WebhookExecution, WebhookHostOptions } from './types';

export interface HostState {
	options: WebhookHostOptions;
	nodeTypes: NodeTypeRegistry;
	credentialsHelper: TestCredentialsHelper;
	workflowId: string;
	nodes: INode[];
	connections: IConnections;
	staticData: IDataObject;
	baseUrl: string;
	webhooks: Array<IWebhookData & { templateSegments?: string[]; urlPath: string }>;
	executions: WebhookExecution[];
	errors: Error[];
	payloadSizeMaxMb: number;
	formDataFileSizeMaxMb: number;
	executionCounter: number;
}

export function numberFromEnv(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function createWorkflow(state: HostState): Workflow {
	return new Workflow({
		id: state.workflowId,
		name: 'Webhook test workflow',
		nodes: state.nodes,
		connections: state.connections,
		active: true,
		nodeTypes: state.nodeTypes,
		staticData: state.staticData,
	});
}

export function workflowBase(state: HostState): IWorkflowBase {
	return {
		id: state.workflowId,
		name: 'Webhook test workflow',
		active: true,
		activeVersionId: 'test-version',
		isArchived: false,
		nodes: state.nodes,
		connections: state.connections,
		staticData: state.staticData,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
}
