import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection, runOptions } from '../shared/options';
import { runOperation, type OperationRouter } from '../shared/runner';
import { toolVariant, withToolOperations } from '../shared/tool';
import { operatorApiConnection } from './credentialTest';
import { OPERATOR_NODE_NAME } from './panelAnswer';
import { messageDescription, messageOperations } from './resources/message';
import { panelRequestDescription, panelRequestOperations } from './resources/panelRequest';
import { operatorService, type OperatorClient } from './transport';

const router: OperationRouter<OperatorClient> = {
	message: messageOperations,
	panelRequest: panelRequestOperations,
};

const properties: INodeProperties[] = withToolOperations([
	// A literal: n8n's lint reads the default from here.
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
], { message: ['sendToControlPanel'] });

const TOOL_DESCRIPTION =
	"Hands a site user's chat message (and optionally a file) to the Operator control panel, where an operator answers it. " +
	'Needs the site user id and the bot (contact) id the message is for.';

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
		// The panel's requests are answered only inside the workflow its trigger started: not an agent's to call.
		usableAsTool: toolVariant(TOOL_DESCRIPTION),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'operatorApi', required: true, testedBy: 'operatorApiConnection', displayOptions: { show: { resource: ['message'] } } },
		],
		properties,
	};

	methods = { credentialTest: { operatorApiConnection } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, operatorService, router);
	}
}
