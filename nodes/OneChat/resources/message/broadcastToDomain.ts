import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { messageField, targetField } from '../../messageFields';
import { domain, messageText } from '../../schemas';
import type { OneChatClient } from '../../transport';

const schema = z.object({ domain, message: messageText });

/** One massBroadcast per input item: OneChat delivers it to every user of the domain. */
export const broadcastToDomain: ItemOperation<OneChatClient> = {
	description: [
		targetField('broadcastToDomain', {
			displayName: 'Domain',
			name: 'domain',
			placeholder: 'onechat.net',
			description: 'Every user of this domain receives the message',
		}),
		messageField('broadcastToDomain'),
	],
	async runItem({ client, params, node }, itemIndex) {
		const fields = parseParameters(node, schema, params.pick(['domain', 'message'], itemIndex), { domain: 'Domain', message: 'Message' }, itemIndex);
		return await client.sendTo('massBroadcast', { domain: fields.domain }, fields.message, itemIndex);
	},
};
