import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class OneChatApi implements ICredentialType {
	name = 'oneChatApi';

	displayName = 'OneChat API';

	icon: Icon = { light: 'file:../nodes/OneChat/onechat.svg', dark: 'file:../nodes/OneChat/onechat.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-openplatform-operator-onechat/n8n-nodes-openplatform-operator-onechat#onechat-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.onechat.net/onechat/api',
			description: 'The OneChat API root; operations are called at <Base URL>/massBroadcast and so on',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Consumer key of the approved app from the OneChat Developer Portal, sent as header "apikey"',
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
			description: 'How request bodies are encoded. The OneChat documentation does not say; JSON works with the public API.',
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

	// Sends no message: authenticateUser with made-up values answers "Unauthorized" only when the
	// API key itself is wrong.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/authenticateUser',
			method: 'POST',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
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
