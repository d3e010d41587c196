import type { ItemOperation } from '../../../shared/runner';
import { invalidParameter } from '../../../shared/errors';
import type { OpenPlatformClient } from '../../transport';
import { pickedUserUrl, userPickerFields } from '../user/pick';

const show = { show: { resource: ['badge'], operation: ['increment'] } };

/** One badge GET per input item, to the item's badge URL or the picked user's. */
export const incrementBadge: ItemOperation<OpenPlatformClient> = {
	description: [
		...userPickerFields(show, 'Badge URL'),
		{
			displayName: 'Badge URL',
			name: 'badgeUrl',
			type: 'string',
			required: true,
			default: '={{ $json.badge }}',
			description: 'The user\'s "badge" URL from a user object. Must be on the credential\'s OpenPlatform.',
			displayOptions: { show: { ...show.show, recipient: ['url'] } },
		},
	],
	async runItem(run, itemIndex) {
		const { client, params, node } = run;
		if (params.get<string>('recipient', itemIndex, 'url') !== 'user') {
			await client.incrementBadge(client.checkUrl(params.get('badgeUrl', itemIndex), 'badge', 'Badge URL', itemIndex), itemIndex);
			return { success: true };
		}
		const picked = await pickedUserUrl(run, itemIndex, 'badge');
		if ('missing' in picked) throw invalidParameter(node, 'User', picked.missing, itemIndex);
		await client.incrementBadge(client.checkUrl(picked.url, 'badge', 'User', itemIndex), itemIndex);
		return { success: true };
	},
};
