import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * OpenPlatform's OAuth 2.0 neither returns `state` nor follows the usual token response, so n8n's
 * generic OAuth2 credential cannot complete against it; the OpenPlatform nodes run the flow
 * themselves with these values.
 */
export class OpenPlatformOAuth2Api implements ICredentialType {
	name = 'openPlatformOAuth2Api';

	displayName = 'OpenPlatform OAuth2 API';

	icon: Icon = { light: 'file:../nodes/OpenPlatform/openplatform.svg', dark: 'file:../nodes/OpenPlatform/openplatform.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-openplatform-operator-onechat/n8n-nodes-openplatform-operator-onechat#openplatform-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'OpenPlatform URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://intranet.example.com',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Settings → OAuth 2.0 in OpenPlatform',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to accept invalid TLS certificates, for self-hosted servers with their own certificates',
		},
	];

	// Exchanges a made-up code, which sends nothing to anybody. It proves that OpenPlatform answers
	// at the URL with OAuth 2.0 switched on (else error-nooauth). It cannot prove the client
	// secret: the v4 server checks the code before the client, so only a real sign-in does.
	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.url.replace(/\\/+$/, "")}}/oauth/token/',
			method: 'POST',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
			ignoreHttpStatusErrors: true,
			body: { code: 'credential-test', client_id: '={{$credentials.clientId}}', client_secret: '={{$credentials.clientSecret}}' },
		},
		// n8n turns a JSON array answer ([{name, error}]) into items and reads the rules on the first one.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'name', value: 'error-invalid-clientkey', message: 'OpenPlatform refused the client ID or secret' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'name', value: 'error-nooauth', message: 'OAuth 2.0 is switched off in this OpenPlatform' },
			},
		],
	};
}
