import type { INodeProperties } from 'n8n-workflow';

import { parseParameters, parseResponse } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { httpUrl, requiredText, userJid } from '../../schemas';
import { ONECHAT, type OneChatClient } from '../../transport';

const show = { show: { resource: ['miniApp'], operation: ['register'] } };

function textField(displayName: string, name: string, description: string, placeholder = ''): INodeProperties {
	return { displayName, name, type: 'string', required: true, default: '', placeholder, description, displayOptions: show };
}

const description: INodeProperties[] = [
	textField('Admin JID', 'adminJid', 'The OneChat admin registering the app', 'admin@onechat.net'),
	textField('Admin Session ID', 'sessionId', "The admin's current session ID"),
	textField('App Name', 'appName', 'Name shown in OneChat'),
	textField('App Icon URL', 'appIcon', 'Public URL of the icon image', 'https://example.com/icon.png'),
	textField('App URL', 'appUrl', 'The page OneChat opens for the mini app', 'https://example.com/mini-app'),
	{
		displayName:
			'OneChat returns the new app\'s API key only once. Turn on "Include API Key in Output" for the registration run and copy the key into a "OneChat Mini App API" credential.',
		name: 'apiKeyNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Include API Key in Output',
		name: 'includeApiKey',
		type: 'boolean',
		default: false,
		description:
			'Whether to output the new API key in clear text. Off: only its last 4 characters are shown, so the key does not end up in execution logs.',
		displayOptions: show,
	},
];

const schema = z.object({
	adminJid: userJid,
	sessionId: requiredText,
	appName: requiredText,
	appIcon: httpUrl,
	appUrl: httpUrl,
});

const labels = {
	adminJid: 'Admin JID',
	sessionId: 'Admin Session ID',
	appName: 'App Name',
	appIcon: 'App Icon URL',
	appUrl: 'App URL',
};

const registration = z.object({
	appId: z.union([z.string().min(1), z.number()]).transform(String),
	apiKey: z.string().min(1),
});

export const register: ItemOperation<OneChatClient> = {
	description,
	async runItem({ client, params, node }, itemIndex) {
		const fields = parseParameters(node, schema, params.pick(Object.keys(labels), itemIndex), labels, itemIndex);
		const answer = await client.post('registerMiniApp', fields, itemIndex);
		// The fresh key is a secret too: keep it out of any error about a malformed answer.
		const redactor = client.redactor.withSecrets([typeof answer.apiKey === 'string' ? answer.apiKey : undefined]);
		const { appId, apiKey } = parseResponse(node, ONECHAT, registration, answer, itemIndex, redactor);
		const includeApiKey = params.get<boolean>('includeApiKey', itemIndex, false);
		return {
			appId,
			appName: fields.appName,
			appUrl: fields.appUrl,
			...(includeApiKey ? { apiKey } : { apiKeyLast4: apiKey.slice(-4) }),
			status: answer.status,
		};
	},
};
