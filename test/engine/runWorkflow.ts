/**
 * Runs a workflow in-process with n8n-core's real WorkflowExecute (no mocked IExecuteFunctions).
 *
 *   const result = await runWorkflow({
 *     nodes, connections,                      // n8n workflow JSON (see loadWorkflowFixture)
 *     nodeTypes: { 'n8n-nodes-openplatform-operator-onechat.oneChat': new OneChat() },
 *     credentials: { oneChatApi: { baseUrl, apiKey } },   // by credential TYPE name
 *   });
 *   result.output('OneChat');                 // items of the node's first output, last run
 *   result.nodeError('OneChat');              // the node's error, if it failed
 *   result.error;                             // the execution's error, if it failed
 *
 * The node types `test.manualTrigger` and `test.items` (testNodes.ts) are always registered.
 * Without `startNode` the run starts where n8n would (Workflow.getStartNode()). Mode is
 * 'manual', as when clicking "Execute workflow" in the editor.
 */
import './env';

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type IPinData,
	type IRun,
	type ITaskData,
	type IWorkflowBase,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	createAdditionalData,
	ensureBinaryData,
	NodeTypeRegistry,
	TestCredentialsHelper,
	type AnyNodeType,
	type BinaryDataMode,
} from './runtime';

export interface EngineRunOptions {
	/** n8n workflow JSON nodes. */
	nodes: INode[];
	connections: IConnections;
	/** Type name -> instance, e.g. 'n8n-nodes-openplatform-operator-onechat.oneChat': new OneChat(). */
	nodeTypes: Record<string, AnyNodeType>;
	/** Decrypted credential data by credential TYPE name, e.g. { oneChatApi: { baseUrl, apiKey } }. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/**
	 * Optional credential type definitions (instances of the package's credential classes). With
	 * them the engine applies property defaults, `authenticate` and `preAuthentication` as n8n does.
	 */
	credentialTypes?: ICredentialType[] | Record<string, ICredentialType>;
	/** Name of the node to start from. */
	startNode?: string;
	/** Binary-data mode, 'filesystem' (n8n 2.40's default) unless given. */
	binaryDataMode?: BinaryDataMode;
	/** Execution mode, 'manual' unless given. */
	mode?: WorkflowExecuteMode;
	pinData?: IPinData;
	settings?: IWorkflowSettings;
	staticData?: IWorkflowBase['staticData'];
	/** Cancels the execution this long after it started, as n8n's Stop (and an execution timeout) does. */
	cancelAfterMs?: number;
}

export interface EngineRunResult {
	run: IRun;
	/** Items of `outputIndex` (default 0) of the node's last run; [] when it did not run or emitted nothing. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Top-level execution error, if any. */
	error?: ExecutionError;
	/** Error recorded on the node's last run, if any. */
	nodeError(nodeName: string): ExecutionError | undefined;
	/** All task data (one per run) of a node. */
	taskData(nodeName: string): ITaskData[];
	/** Date.now() when the execution was cancelled (with `cancelAfterMs`). */
	cancelledAt?: number;
}

/** Workflow JSON as n8n exports it (only the fields the engine uses are typed). */
export interface WorkflowFixture {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	pinData?: IPinData;
	settings?: IWorkflowSettings;
	staticData?: IWorkflowBase['staticData'];
}

/** Reads a workflow JSON file in n8n's export format. */
export function loadWorkflowFixture(path: string): WorkflowFixture {
	const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<WorkflowFixture>;
	if (!Array.isArray(parsed.nodes) || parsed.connections === undefined) {
		throw new Error(`${path} is not an n8n workflow export (needs "nodes" and "connections")`);
	}
	return {
		name: parsed.name,
		nodes: parsed.nodes,
		connections: parsed.connections,
		pinData: parsed.pinData,
		settings: parsed.settings,
		staticData: parsed.staticData,
	};
}

let workflowCounter = 0;

export async function runWorkflow(options: EngineRunOptions): Promise<EngineRunResult> {
	await ensureBinaryData(options.binaryDataMode);

	const mode = options.mode ?? 'manual';
	const nodeTypes = new NodeTypeRegistry(options.nodeTypes);
	const workflowId = `test-workflow-${++workflowCounter}`;
	const executionId = randomUUID();

	const workflow = new Workflow({
		id: workflowId,
		name: 'Test workflow',
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		staticData: options.staticData,
		settings: options.settings,
		pinData: options.pinData,
	});

	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: workflow.name ?? 'Test workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: options.nodes,
		connections: options.connections,
		settings: options.settings,
		staticData: options.staticData,
		pinData: options.pinData,
		createdAt: new Date(),
		updatedAt: new Date(),
	};

	const additionalData = createAdditionalData({
		mode,
		executionId,
		workflowData,
		credentialsHelper: new TestCredentialsHelper(options.credentials, options.credentialTypes),
	});

	let startNode: INode | undefined;
	if (options.startNode !== undefined) {
		const node = workflow.getNode(options.startNode);
		if (node === null) throw new Error(`Start node "${options.startNode}" is not in the workflow`);
		startNode = node;
	}

	const execution = new WorkflowExecute(additionalData, mode).run({
		workflow,
		startNode,
		pinData: options.pinData,
	});
	let cancelledAt: number | undefined;
	const cancel = () => {
		cancelledAt = Date.now();
		execution.cancel();
	};
	const canceller = options.cancelAfterMs === undefined ? undefined : setTimeout(cancel, options.cancelAfterMs);
	try {
		const result = makeResult(await execution);
		return cancelledAt === undefined ? result : { ...result, cancelledAt };
	} finally {
		clearTimeout(canceller);
	}
}

/** Wraps an IRun with the lookup helpers of EngineRunResult. */
export function makeResult(run: IRun): EngineRunResult {
	const runData = run.data.resultData.runData;
	const taskData = (nodeName: string): ITaskData[] => runData[nodeName] ?? [];
	const lastTask = (nodeName: string): ITaskData | undefined => {
		const tasks = taskData(nodeName);
		return tasks[tasks.length - 1];
	};
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName, outputIndex = 0) => lastTask(nodeName)?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName) => lastTask(nodeName)?.error,
		taskData,
	};
}
