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
import { runOperation } from '../shared/runner';
import { answerPage, SEND_AND_WAIT_WEBHOOKS } from '../shared/sendAndWait/answer';
import { toolVariant, withToolOperations } from '../shared/tool';
import { openPlatformApiConnection, openPlatformOAuth2Connection } from './credentialTest';
import { properties, router, SENDING_OPERATIONS } from './resources';
import { searchUsers } from './resources/user/pick';
import { openPlatformService } from './transport';

/**
 * Which credential the resource needs, as an "Authentication" field: n8n's editor treats every
 * field a credential's display options name as part of the credential (it hides it from the node's
 * panel and resets it), so the credentials must depend on this field and not on Resource. One
 * copy per resource group, each with its one choice, so the field follows the Resource.
 */
const authentication: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [{ name: 'App Access Token', value: 'appToken' }],
		default: 'appToken',
		displayOptions: { hide: { resource: ['oauth'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [{ name: 'OAuth2 Client', value: 'oAuth2' }],
		default: 'oAuth2',
		displayOptions: { show: { resource: ['oauth'] } },
	},
];

const nodeProperties = withToolOperations([...authentication, ...properties, optionsCollection(runOptions(SENDING_OPERATIONS))], {
	notification: ['send'],
	badge: ['increment'],
	user: ['getMany'],
});

const TOOL_DESCRIPTION =
	"Works with users of an OpenPlatform intranet app: sends a user a notification (markdown) or raises the app's badge for them, " +
	"through the user's notify or badge URL, and lists the app's users (with those URLs). Bad URLs count towards OpenPlatform's block of n8n's IP: use the URLs exactly as listed.";

export class OpenPlatform implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPlatform',
		name: 'openPlatform',
		icon: { light: 'file:openplatform.svg', dark: 'file:openplatform.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Notify OpenPlatform users (and wait for their answer), raise app badges, list users and sign users in with OpenPlatform OAuth 2.0',
		defaults: { name: 'OpenPlatform' },
		// The OAuth steps belong to a sign-in flow a workflow builds around the trigger: not an agent's to call.
		usableAsTool: toolVariant(TOOL_DESCRIPTION),
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'openPlatformApi', required: true, testedBy: 'openPlatformApiConnection', displayOptions: { show: { authentication: ['appToken'] } } },
			{ name: 'openPlatformOAuth2Api', required: true, testedBy: 'openPlatformOAuth2Connection', displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties: nodeProperties,
	};

	methods = { credentialTest: { openPlatformApiConnection, openPlatformOAuth2Connection }, listSearch: { searchUsers } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerPage(this, 'openPlatformApi');
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, openPlatformService, router);
	}
}
