import type { INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { extractCode } from '../../oauthCode';
import type { OpenPlatformClient } from '../../transport';
import { codeField, showFor } from './shared';

const description: INodeProperties[] = [
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

export const exchangeCode: ItemOperation<OpenPlatformClient> = {
	credentialType: 'openPlatformOAuth2Api',
	description,
	async runItem({ client, params, node }, itemIndex) {
		const { code } = parseParameters(node, schema, { code: extractCode(String(params.get('code', itemIndex) ?? '')) }, { code: 'Code' }, itemIndex);
		const token = await client.exchangeCode(code, itemIndex);
		const include = params.get<boolean>('includeAccessToken', itemIndex, false);
		return {
			expire: token.expire,
			...(include ? { access_token: token.access_token } : { accessTokenLast4: token.access_token.slice(-4) }),
		};
	},
};
