import type { ItemOperation } from '../../../shared/runner';
import { invalidParameter } from '../../../shared/errors';
import type { OpenPlatformClient } from '../../transport';
import { recipientUrl, userPickerFields } from '../user/pick';

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
		const recipient = await recipientUrl(run, itemIndex, 'badge', 'badgeUrl', 'Badge URL');
		if ('missing' in recipient) throw invalidParameter(run.node, recipient.field, recipient.missing, itemIndex);
		await run.client.incrementBadge(run.client.checkUrl(recipient.url, 'badge', recipient.field, itemIndex), itemIndex);
		return { success: true };
	},
};
