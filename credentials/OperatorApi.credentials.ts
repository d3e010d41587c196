import type {
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

// The test posts action "check_token", which is not a message: the panel answers 401 for a wrong
// token and 400 (unknown action) for a right one, so nothing reaches the operators.
const TEST_BOUNDARY = 'n8nOperatorCredentialTest';
const TEST_BODY =
	`={{ "--${TEST_BOUNDARY}\\r\\nContent-Disposition: form-data; name=\\"token\\"\\r\\n\\r\\n" + $credentials.apiToken + ` +
	`"\\r\\n--${TEST_BOUNDARY}\\r\\nContent-Disposition: form-data; name=\\"action\\"\\r\\n\\r\\ncheck_token\\r\\n--${TEST_BOUNDARY}--\\r\\n" }}`;

export class OperatorApi implements ICredentialType {
	name = 'operatorApi';

	displayName = 'Operator Panel API';

	icon: Icon = { light: 'file:../nodes/Operator/operator.svg', dark: 'file:../nodes/Operator/operator.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-openplatform-operator-onechat/n8n-nodes-openplatform-operator-onechat#operator-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Endpoint URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://panel.example.com/api/operator',
			description: 'The Operator API endpoint of your installation (the administrator gives it)',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as the "token" parameter with every request to the panel',
		},
		{
			displayName: 'Webhook Token',
			name: 'webhookToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The token the panel passes on each webhook call (may be the same as the API token). Calls without it are refused with 401.',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to accept invalid TLS certificates, for self-hosted panels with their own certificates',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.apiUrl}}',
			method: 'POST',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
			ignoreHttpStatusErrors: true,
			headers: { 'content-type': `multipart/form-data; boundary=${TEST_BOUNDARY}` },
			body: TEST_BODY,
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'The panel refused the API token' } },
			{ type: 'responseCode', properties: { value: 403, message: 'The panel refused the API token' } },
			{ type: 'responseCode', properties: { value: 404, message: 'No Operator API at this URL' } },
		],
	};
}
