import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { optionsCollection, runOptions } from '../shared/options';
import { runOperation, type OperationRouter } from '../shared/runner';
import { answerPage, SEND_AND_WAIT_WEBHOOKS } from '../shared/sendAndWait/answer';
import { toolVariant, withToolOperations } from '../shared/tool';
import { messageDescription, messageOperations, messageRouter } from './resources/message';
import { miniAppDescription, miniAppOperations } from './resources/miniApp';
import { oneChatService, type OneChatClient } from './transport';

const router: OperationRouter<OneChatClient> = {
	message: messageRouter,
	miniApp: miniAppOperations,
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
			{ name: 'Mini App', value: 'miniApp' },
		],
		default: 'message',
	},
	...messageDescription,
	...miniAppDescription,
	optionsCollection(runOptions(Object.keys(messageOperations))),
], { message: ['sendToUser', 'sendToGroup', 'relayToUsers', 'broadcastToDomain'] });

const TOOL_DESCRIPTION =
	'Sends OneChat messages: to one user (a JID like 6581234567@onechat.net), to a group chat (a JID with @muc.), ' +
	'the same message to a list of users (one outcome per recipient), or a broadcast to every user of a domain. ' +
	'A broadcast reaches everybody on the domain: use it only when asked to message everyone. Messages cannot be recalled.';

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
		// Mini-app registration and session checks are for workflows built around a mini app, not for agents.
		usableAsTool: toolVariant(TOOL_DESCRIPTION),
		webhooks: SEND_AND_WAIT_WEBHOOKS,
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
		properties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerPage(this, 'oneChatApi');
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, oneChatService, router);
	}
}
