import type { INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { extractCode } from '../../oauthCode';
import type { OpenPlatformClient } from '../../transport';
import { codeField, showFor } from './shared';

const description: INodeProperties[] = [
	{
		displayName: 'Authenticate With',
		name: 'authenticateWith',
		type: 'options',
		options: [
			{ name: 'Access Token', value: 'accessToken', description: 'A token from OAuth → Exchange Code for Token' },
			{ name: 'Code', value: 'code', description: 'Exchange the code first, without the token ever appearing in the output' },
		],
		default: 'code',
		displayOptions: showFor('getProfile'),
	},
	{
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'Sent as "Authorization: Bearer ..."',
		displayOptions: { show: { resource: ['oauth'], operation: ['getProfile'], authenticateWith: ['accessToken'] } },
	},
	codeField('getProfile', { authenticateWith: ['code'] }),
];

const schema = z.object({ value: z.string().trim().min(1, 'is empty') });

export const getProfile: ItemOperation<OpenPlatformClient> = {
	credentialType: 'openPlatformOAuth2Api',
	description,
	async runItem({ client, params, node }, itemIndex) {
		const withCode = params.get('authenticateWith', itemIndex, 'code') === 'code';
		const label = withCode ? 'Code' : 'Access Token';
		const raw = String(params.get(withCode ? 'code' : 'accessToken', itemIndex) ?? '');
		const { value } = parseParameters(node, schema, { value: withCode ? extractCode(raw) : raw }, { value: label }, itemIndex);
		const accessToken = withCode
			? (await client.exchangeCode(value, itemIndex)).access_token
			: value;
		return await client.profile(accessToken, itemIndex);
	},
};
