import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../../shared/operationRun';
import { parseParameters } from '../../../shared/validation';
import { z } from '../../../shared/vendor';
import { extractCode } from '../../oauthCode';
import { prepareOAuthRun } from '../context';
import { codeField, showFor } from './shared';

export const description: INodeProperties[] = [
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

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(await prepareOAuthRun(this), async ({ client, params, node, connection }, itemIndex) => {
		const withCode = params.get('authenticateWith', itemIndex, 'code') === 'code';
		const label = withCode ? 'Code' : 'Access Token';
		const raw = String(params.get(withCode ? 'code' : 'accessToken', itemIndex) ?? '');
		const { value } = parseParameters(node, schema, { value: withCode ? extractCode(raw) : raw }, { value: label }, itemIndex);
		const accessToken = withCode
			? (await client.exchangeCode(value, connection.clientId, connection.clientSecret, itemIndex)).access_token
			: value;
		return await client.profile(accessToken, itemIndex);
	});
}
