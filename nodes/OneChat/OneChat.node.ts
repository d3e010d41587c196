import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection, runOptions } from '../shared/options';
import { runOperation, type OperationRouter } from '../shared/runner';
import { messageDescription, messageOperations } from './resources/message';
import { miniAppDescription, miniAppOperations } from './resources/miniApp';
import { oneChatService, type OneChatClient } from './transport';

const router: OperationRouter<OneChatClient> = {
	message: messageOperations,
	miniApp: miniAppOperations,
};

export class OneChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OneChat',
		name: 'oneChat',
		icon: { light: 'file:onechat.svg', dark: 'file:onechat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Broadcast and send OneChat messages, register mini apps and check mini-app sessions',
		defaults: { name: 'OneChat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'oneChatApi',
				required: true,
				displayOptions: { hide: { operation: ['authenticateUser'] } },
			},
			{
				name: 'oneChatMiniAppApi',
				required: true,
				displayOptions: { show: { resource: ['miniApp'], operation: ['authenticateUser'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Message', value: 'message' },
					{ name: 'Mini App', value: 'miniApp' },
				],
				default: 'message',
			},
			...messageDescription,
			...miniAppDescription,
			optionsCollection(runOptions(Object.keys(messageOperations))),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, oneChatService, router);
	}
}
