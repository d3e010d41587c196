import type {
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ignoreSslIssuesField, oneChatBaseUrlField, oneChatBodyEncodingField, oneChatTestRequestBase } from './commonFields';

export class OneChatApi implements ICredentialType {
	name = 'oneChatApi';

	displayName = 'OneChat API';

	icon: Icon = { light: 'file:../nodes/OneChat/onechat.svg', dark: 'file:../nodes/OneChat/onechat.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-openplatform-operator-onechat/n8n-nodes-openplatform-operator-onechat#onechat-credentials';

	properties: INodeProperties[] = [
		oneChatBaseUrlField,
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Consumer key of the approved app from the OneChat Developer Portal, sent as header "apikey"',
		},
		oneChatBodyEncodingField,
		ignoreSslIssuesField,
	];

	// Sends no message: authenticateUser with made-up values answers "Unauthorized" only when the
	// API key itself is wrong.
	test: ICredentialTestRequest = {
		request: {
			...oneChatTestRequestBase,
			body: {
				jid: 'n8n-credential-test@onechat.invalid',
				sessionId: 'n8n-credential-test',
				appId: 'n8n-credential-test',
				apiKey: 'not a real key',
			},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'description', value: 'Unauthorized', message: 'OneChat refused the API key' },
			},
		],
	};
}
