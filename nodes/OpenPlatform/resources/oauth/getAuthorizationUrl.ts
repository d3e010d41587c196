import type { INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import type { OpenPlatformClient } from '../../transport';
import { showFor } from './shared';

const description: INodeProperties[] = [
	{
		displayName: 'Redirect URI',
		name: 'redirectUri',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://n8n.example.com/webhook/sign-in/callback',
		description:
			'Where OpenPlatform sends the browser back with ?code=. OpenPlatform neither checks this address nor returns a "state", so the receiving side must protect itself (the OpenPlatform Trigger\'s OAuth Sign-in event does).',
		displayOptions: showFor('getAuthorizationUrl'),
	},
];

const schema = z.object({
	redirectUri: z
		.string()
		.trim()
		.url('must be a full URL')
		.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://'),
});

export const getAuthorizationUrl: ItemOperation<OpenPlatformClient> = {
	credentialType: 'openPlatformOAuth2Api',
	description,
	async runItem({ client, params, node }, itemIndex) {
		const { redirectUri } = parseParameters(node, schema, { redirectUri: params.get('redirectUri', itemIndex) }, { redirectUri: 'Redirect URI' }, itemIndex);
		return { url: client.authorizationUrl(redirectUri), redirectUri };
	},
};
