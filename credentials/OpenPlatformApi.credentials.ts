import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { MAX_N8N_PROCESSES } from '../nodes/OpenPlatform/tokenGuard';
import { DEFAULT_N8N_PROCESSES } from '../nodes/shared/defaults';
import { ignoreSslIssuesField } from './commonFields';

// The test button is the OpenPlatform node's openPlatformApiConnection (nodes/OpenPlatform/credentialTest.ts).
export class OpenPlatformApi implements ICredentialType {
	name = 'openPlatformApi';

	displayName = 'OpenPlatform API';

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
			description: 'Notify, badge, users and verify URLs handed to the nodes must be on this origin; others are refused',
		},
		{
			displayName: 'Origin Token',
			name: 'originToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The app\'s origin token, sent as X-Origin. Leave empty when OpenPlatform accepts the app by its IP address.',
		},
		{
			displayName: 'App Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For User → Get Many: the app token (appid-userid-checksum-checksum) from the "users" URL of a verify response. Alternatively paste that whole URL below.',
		},
		{
			displayName: 'Users URL (With Token)',
			name: 'usersTokenUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'https://intranet.example.com/api/users/?accesstoken=...',
			description: 'The "users" URL of a verify response (used instead of the App Access Token when given)',
		},
		{
			displayName: 'n8n Processes',
			name: 'n8nProcesses',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_N8N_PROCESSES, numberPrecision: 0 },
			default: DEFAULT_N8N_PROCESSES,
			description:
				"How many n8n processes (main, workers, webhook processors) call this OpenPlatform from one IP address. OpenPlatform blocks an IP for about 10 minutes after 11 token errors, and n8n processes share no memory, so each process spends only its part of 10 (1 process: 5 for workflows, 4 for the trigger's callers, 1 for tokens accepted before; 2: 2, 2 and 1; 3: 1, 1 and 1; 4 or 5: 1 for both and 1). A token request needs room in that part, so no more of them run at a time. Set 1 for a single n8n.",
		},
		ignoreSslIssuesField,
	];
}
