import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { messageField, targetField } from '../../messageFields';
import { groupJid, messageText } from '../../schemas';
import type { OneChatClient } from '../../transport';

const schema = z.object({ jid: groupJid, message: messageText });

/** One groupMessage per input item. */
export const sendToGroup: ItemOperation<OneChatClient> = {
	description: [
		targetField('sendToGroup', {
			displayName: 'Group JID',
			name: 'jid',
			placeholder: 'abcdef-123456@muc.onechat.net',
			description: 'The group chat, as id@muc.domain',
		}),
		messageField('sendToGroup'),
	],
	async runItem({ client, params, node }, itemIndex) {
		const { jid, message } = parseParameters(node, schema, params.pick(['jid', 'message'], itemIndex), { jid: 'Group JID', message: 'Message' }, itemIndex);
		return await client.sendTo('groupMessage', { jid }, message, itemIndex);
	},
};
