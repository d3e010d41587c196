import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { messageField, targetField } from '../../messageFields';
import { messageText, userJid } from '../../schemas';
import type { OneChatClient } from '../../transport';

const schema = z.object({ jid: userJid, message: messageText });

/** One singleMessage per input item. */
export const sendToUser: ItemOperation<OneChatClient> = {
	description: [
		targetField('sendToUser', {
			displayName: 'User JID',
			name: 'jid',
			placeholder: '6581234567@onechat.net',
			description: 'The recipient, as name@domain. Use an expression such as {{ $json.jid }} to send to each input item.',
		}),
		messageField('sendToUser'),
	],
	async runItem({ client, params, node }, itemIndex) {
		const { jid, message } = parseParameters(node, schema, params.pick(['jid', 'message'], itemIndex), { jid: 'User JID', message: 'Message' }, itemIndex);
		return await client.sendTo('singleMessage', { jid }, message, itemIndex);
	},
};
