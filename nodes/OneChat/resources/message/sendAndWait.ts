import { SEND_AND_WAIT_OPERATION, type INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/errors';
import type { FirstItemOperation } from '../../../shared/runner';
import { sendAndWaitFields } from '../../../shared/sendAndWait/description';
import { answerLinks, ATTRIBUTION, readSendAndWait, waitForAnswer } from '../../../shared/sendAndWait/send';
import { z } from '../../../shared/vendor';
import { messageField, showFor } from '../../messageFields';
import { groupJid, messageText, userJid } from '../../schemas';
import type { OneChatClient } from '../../transport';

/**
 * Send and Wait for Response: one message with answer links to a user or a group, then the
 * execution waits until somebody answers through a link or the wait ends. As in n8n's own nodes,
 * the message and the wait are the first item's. OneChat shows the links' plain text as links.
 */

const show = showFor(SEND_AND_WAIT_OPERATION) as { show: Record<string, string[]> };

const description: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		options: [
			{ name: 'User', value: 'user' },
			{ name: 'Group', value: 'group' },
		],
		default: 'user',
		displayOptions: show,
	},
	{
		displayName: 'JID',
		name: 'jid',
		type: 'string',
		required: true,
		default: '',
		placeholder: '6581234567@onechat.net',
		description: 'The user (name@domain) or the group (group-ID@muc.domain) who answers',
		displayOptions: show,
	},
	messageField(SEND_AND_WAIT_OPERATION),
	...sendAndWaitFields(show),
];

const recipientSchema = z.object({ sendTo: z.enum(['user', 'group']), message: messageText });

export const sendAndWait: FirstItemOperation<OneChatClient> = {
	description,
	async runFirstItem({ context, node, params, client, credentials }) {
		const settings = readSendAndWait(context);
		const { sendTo, message } = parseParameters(node, recipientSchema, { sendTo: params.get('sendTo', 0, 'user'), message: params.get('message', 0) }, { sendTo: 'Send To', message: 'Message' }, 0);
		const { jid } = parseParameters(node, z.object({ jid: sendTo === 'group' ? groupJid : userJid }), { jid: params.get('jid', 0) }, { jid: 'JID' }, 0);
		const sentTo = { type: sendTo, id: jid };
		const lines = [message, '', ...answerLinks(context, settings, sentTo, credentials).map((link) => `${link.label}: ${link.url}`)];
		if (settings.waitOptions.appendAttribution) lines.push('', ATTRIBUTION);
		await client.sendTo(sendTo === 'group' ? 'groupMessage' : 'singleMessage', { jid }, lines.join('\n'), 0);
		return await waitForAnswer(context, settings, sentTo);
	},
};
