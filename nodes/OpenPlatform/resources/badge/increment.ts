import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../../shared/operationRun';
import { prepareApiRun } from '../context';

export const description: INodeProperties[] = [
	{
		displayName: 'Badge URL',
		name: 'badgeUrl',
		type: 'string',
		required: true,
		default: '={{ $json.badge }}',
		description: 'The user\'s "badge" URL from a user object. Must be on the credential\'s OpenPlatform.',
		displayOptions: { show: { resource: ['badge'], operation: ['increment'] } },
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(await prepareApiRun(this), async ({ client, params }, itemIndex) => {
		const url = client.checkUrl(params.get('badgeUrl', itemIndex), 'badge', 'Badge URL', itemIndex);
		await client.incrementBadge(url, itemIndex);
		return { success: true };
	});
}
