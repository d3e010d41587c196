import type {
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ignoreSslIssuesField, oneChatBaseUrlField, oneChatBodyEncodingField, oneChatTestRequestBase } from './commonFields';

export class OneChatMiniAppApi implements ICredentialType {
	name = 'oneChatMiniAppApi';

	displayName = 'OneChat Mini App API';

	icon: Icon = { light: 'file:../nodes/OneChat/onechat.svg', dark: 'file:../nodes/OneChat/onechat.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-openplatform-operator-onechat/n8n-nodes-openplatform-operator-onechat#onechat-credentials';

	properties: INodeProperties[] = [
		oneChatBaseUrlField,
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description: 'The appId returned when the mini app was registered',
		},
		{
			displayName: 'App API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The apiKey returned when the mini app was registered',
		},
		oneChatBodyEncodingField,
		ignoreSslIssuesField,
	];

	// Checks a made-up session: a wrong app key is "Unauthorized", a right one "isAuthenticated: false".
	test: ICredentialTestRequest = {
		request: {
			...oneChatTestRequestBase,
			body: {
				jid: 'n8n-credential-test@onechat.invalid',
				sessionId: 'n8n-credential-test',
				appId: '={{$credentials.appId}}',
				apiKey: '={{$credentials.apiKey}}',
			},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'description', value: 'Unauthorized', message: 'OneChat refused the app ID or API key' },
			},
		],
	};
}
