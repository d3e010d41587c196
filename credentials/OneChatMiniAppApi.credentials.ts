import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OneChatMiniAppApi implements ICredentialType {
	name = 'oneChatMiniAppApi';

	displayName = 'OneChat Mini App API';

	icon: Icon = { light: 'file:../nodes/OneChat/onechat.svg', dark: 'file:../nodes/OneChat/onechat.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-openplatform-operator-onechat/n8n-nodes-openplatform-operator-onechat#onechat-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.onechat.net/onechat/api',
		},
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
		{
			displayName: 'Body Encoding',
			name: 'bodyEncoding',
			type: 'options',
			options: [
				{ name: 'JSON', value: 'json' },
				{ name: 'Form (URL-Encoded)', value: 'form' },
			],
			default: 'json',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to accept invalid TLS certificates, for self-hosted servers with their own certificates',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { apikey: '={{$credentials.apiKey}}' },
		},
	};

	// Checks a made-up session: a wrong app key is "Unauthorized", a right one "isAuthenticated: false".
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/authenticateUser',
			method: 'POST',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
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
