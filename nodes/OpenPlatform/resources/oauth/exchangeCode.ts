import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../../shared/operationRun';
import { parseParameters } from '../../../shared/validation';
import { z } from '../../../shared/vendor';
import { extractCode } from '../../oauthCode';
import { prepareOAuthRun } from '../context';
import { codeField, showFor } from './shared';

export const description: INodeProperties[] = [
	codeField('exchangeCode'),
	{
		displayName: 'Include Access Token in Output',
		name: 'includeAccessToken',
		type: 'boolean',
		default: false,
		description:
			'Whether to output the access token in clear text. Off: only its last 4 characters, so the token does not end up in execution logs; use OAuth → Get Profile with "Authenticate With: Code" to read the profile without it.',
		displayOptions: showFor('exchangeCode'),
	},
];

const schema = z.object({ code: z.string().trim().min(1, 'is empty') });

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(await prepareOAuthRun(this), async ({ client, params, node, connection }, itemIndex) => {
		const { code } = parseParameters(node, schema, { code: extractCode(String(params.get('code', itemIndex) ?? '')) }, { code: 'Code' }, itemIndex);
		const token = await client.exchangeCode(code, connection.clientId, connection.clientSecret, itemIndex);
		const include = params.get<boolean>('includeAccessToken', itemIndex, false);
		return {
			expire: token.expire,
			...(include ? { access_token: token.access_token } : { accessTokenLast4: token.access_token.slice(-4) }),
		};
	});
}
