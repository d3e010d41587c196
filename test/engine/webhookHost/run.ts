/** Running the workflow a webhook call started (WorkflowRunner.run in regular mode). */
import '../env';

import { WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	type IExecuteResponsePromiseData,
	type INode,
	type INodeExecutionData,
	type IRun,
} from 'n8n-workflow';

import { createAdditionalData } from '../runtime';
import { createWorkflow, workflowBase, type HostState } from './state';

export function failedRun(error: unknown): IRun {
	const data = createRunExecutionData({});
	data.resultData.error = {
		message: error instanceof Error ? error.message : String(error),
		name: 'Error',
	} as IRun['data']['resultData']['error'];
	return {
		data,
		mode: 'webhook',
		startedAt: new Date(),
		stoppedAt: new Date(),
		status: 'error',
		storedAt: 'db',
	};
}

/** WorkflowRunner.run in regular mode: the trigger node on the stack with its output, then the rest. */
export async function startExecution(
	state: HostState,
	triggerNode: INode,
	items: INodeExecutionData[][],
	executionId: string,
	onSendResponse: (response: IExecuteResponsePromiseData) => void,
): Promise<IRun> {
	const workflow = createWorkflow(state);
	const additionalData = createAdditionalData({
		mode: 'webhook',
		executionId,
		workflowData: workflowBase(state),
		credentialsHelper: state.credentialsHelper,
		baseUrl: state.baseUrl,
	});
	additionalData.hooks?.addHandler('sendResponse', (response) => onSendResponse(response));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(triggerNode.name) as INode, data: { main: items }, source: null },
			],
		},
	});
	return await new WorkflowExecute(
		additionalData,
		'webhook',
		runExecutionData,
	).processRunExecutionData(workflow);
}
