import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { ignoreSslIssuesField } from './commonFields';

/**
 * OpenPlatform's OAuth 2.0 neither returns `state` nor follows the usual token response, so n8n's
 * generic OAuth2 credential cannot complete against it; the OpenPlatform nodes run the flow
 * themselves with these values. The test button is the OpenPlatform nodes' openPlatformOAuth2Connection
 * (nodes/OpenPlatform/credentialTest.ts).
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
		ignoreSslIssuesField,
	];
}
