import type {
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ignoreSslIssuesField } from './commonFields';

// The test button is the Operator Panel node's operatorApiConnection (nodes/Operator/credentialTest.ts).
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
		ignoreSslIssuesField,
	];
}
