import type { ItemOperation } from '../../../shared/runner';
import type { OpenPlatformClient } from '../../transport';

/** One badge GET per input item. */
export const incrementBadge: ItemOperation<OpenPlatformClient> = {
	description: [
	{
		displayName: 'Badge URL',
		name: 'badgeUrl',
		type: 'string',
		required: true,
		default: '={{ $json.badge }}',
		description: 'The user\'s "badge" URL from a user object. Must be on the credential\'s OpenPlatform.',
		displayOptions: { show: { resource: ['badge'], operation: ['increment'] } },
	},
],
	async runItem({ client, params }, itemIndex) {
		const url = client.checkUrl(params.get('badgeUrl', itemIndex), 'badge', 'Badge URL', itemIndex);
		await client.incrementBadge(url, itemIndex);
		return { success: true };
	},
};
