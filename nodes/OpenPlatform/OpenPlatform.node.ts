import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection, runOptions } from '../shared/options';
import { runOperation } from '../shared/runner';
import { openPlatformApiConnection, openPlatformOAuth2Connection } from './credentialTest';
import { properties, router, SENDING_OPERATIONS } from './resources';
import { openPlatformService } from './transport';

export class OpenPlatform implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPlatform',
		name: 'openPlatform',
		icon: { light: 'file:openplatform.svg', dark: 'file:openplatform.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Notify OpenPlatform users, raise app badges, list users and sign users in with OpenPlatform OAuth 2.0',
		defaults: { name: 'OpenPlatform' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'openPlatformApi', required: true, testedBy: 'openPlatformApiConnection', displayOptions: { show: { resource: ['notification', 'badge', 'user'] } } },
			{ name: 'openPlatformOAuth2Api', required: true, testedBy: 'openPlatformOAuth2Connection', displayOptions: { show: { resource: ['oauth'] } } },
		],
		properties: [...properties, optionsCollection(runOptions(SENDING_OPERATIONS))],
	};

	methods = { credentialTest: { openPlatformApiConnection, openPlatformOAuth2Connection } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, openPlatformService, router);
	}
}
