import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { OperationRouter } from '../../shared/runner';
import type { OpenPlatformClient } from '../transport';
import { incrementBadge } from './badge/increment';
import { sendNotification } from './notification/send';
import { sendNotificationAndWait } from './notification/sendAndWait';
import { exchangeCode } from './oauth/exchangeCode';
import { getAuthorizationUrl } from './oauth/getAuthorizationUrl';
import { getProfile } from './oauth/getProfile';
import { getManyUsers } from './user/getMany';

/** The operations that send a message to a user (paced by "Max Messages per Second"). */
export const SENDING_OPERATIONS = ['send', 'increment'];

export const router: OperationRouter<OpenPlatformClient> = {
	notification: { send: sendNotification, sendAndWait: sendNotificationAndWait },
	badge: { increment: incrementBadge },
	user: { getMany: getManyUsers },
	oauth: { getAuthorizationUrl, exchangeCode, getProfile },
};

function operationField(resource: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultValue,
	};
}

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Badge', value: 'badge' },
			{ name: 'Notification', value: 'notification' },
			{ name: 'OAuth', value: 'oauth' },
			{ name: 'User', value: 'user' },
		],
		default: 'notification',
	},
	operationField(
		'notification',
		[
			{ name: 'Send', value: 'send', action: 'Send a notification', description: 'Notify a user through their notify URL' },
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWait',
				action: 'Send a notification and wait for response',
				description: 'Notify a user with answer links, and wait until they answer',
			},
		],
		'send',
	),
	operationField(
		'badge',
		[{ name: 'Increment', value: 'increment', action: 'Increment a badge', description: "Raise the app's badge for a user" }],
		'increment',
	),
	operationField(
		'user',
		[{ name: 'Get Many', value: 'getMany', action: 'Get many users', description: "List the app's users" }],
		'getMany',
	),
	operationField(
		'oauth',
		[
			{ name: 'Exchange Code for Token', value: 'exchangeCode', action: 'Exchange a code for a token', description: 'Turn the code from the redirect into an access token' },
			{ name: 'Get Authorization URL', value: 'getAuthorizationUrl', action: 'Get the authorization URL', description: 'Build the URL that starts a sign-in' },
			{ name: 'Get Profile', value: 'getProfile', action: 'Get the signed in user profile', description: 'Read the signed-in user\'s profile' },
		],
		'getAuthorizationUrl',
	),
	...sendNotification.description,
	...sendNotificationAndWait.description,
	...incrementBadge.description,
	...getManyUsers.description,
	...getAuthorizationUrl.description,
	...exchangeCode.description,
	...getProfile.description,
];
