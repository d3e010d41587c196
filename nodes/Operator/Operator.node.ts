import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection, runOptions } from '../shared/options';
import { runOperation, type OperationRouter } from '../shared/runner';
import { operatorApiConnection } from './credentialTest';
import { OPERATOR_NODE_NAME } from './panelAnswer';
import { messageDescription, messageOperations } from './resources/message';
import { panelRequestDescription, panelRequestOperations } from './resources/panelRequest';
import { operatorService, type OperatorClient } from './transport';

const router: OperationRouter<OperatorClient> = {
	message: messageOperations,
	panelRequest: panelRequestOperations,
};

export class Operator implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Operator Panel',
		name: OPERATOR_NODE_NAME,
		icon: { light: 'file:operator.svg', dark: 'file:operator.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Hand site users' messages to the Operator control panel and answer the panel's requests",
		defaults: { name: 'Operator Panel' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'operatorApi', required: true, testedBy: 'operatorApiConnection', displayOptions: { show: { resource: ['message'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Message', value: 'message' },
					{ name: 'Panel Request', value: 'panelRequest' },
				],
				default: 'message',
			},
			...messageDescription,
			...panelRequestDescription,
			optionsCollection(runOptions(Object.keys(messageOperations)), { show: { resource: ['message'] } }),
		],
	};

	methods = { credentialTest: { operatorApiConnection } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, operatorService, router);
	}
}
