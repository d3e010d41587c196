import { SEND_AND_WAIT_OPERATION, WAIT_INDEFINITELY, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/errors';
import { readRunSettings } from '../../../shared/options';
import type { WholeInputOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { messageField, showFor } from '../../messageFields';
import { groupJid, messageText, userJid } from '../../schemas';
import { oneChatService } from '../../transport';

/**
 * Send and Wait for Response: one message with answer links to a user or a group, then the
 * execution waits until somebody answers through a link (n8n's waiting webhook; each link is
 * signed by n8n, for this execution and this node) or the wait ends. The pages behind the links
 * are `answerPage.ts`. As in n8n's own nodes, the message and the wait are the first item's.
 * n8n checks the links' signatures only for an operation named "sendAndWait".
 */

const show = showFor(SEND_AND_WAIT_OPERATION);

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
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		options: [
			{ name: 'Approval', value: 'approval', description: 'A link to approve, and one to decline' },
			{ name: 'Free Text', value: 'freeText', description: 'A link to a page with a text box' },
		],
		default: 'approval',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{ displayName: 'Approve Label', name: 'approveLabel', type: 'string', default: 'Approve' },
			{ displayName: 'Decline Label', name: 'declineLabel', type: 'string', default: 'Decline', description: 'Leave empty for an approval without a decline link' },
			{
				displayName: 'Limit Wait Time (Minutes)',
				name: 'limitMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 45,
				description: 'Go on without an answer after this long: the node then passes its input items on, without "approved" or "text"',
			},
			{
				displayName: 'Append N8n Attribution',
				name: 'appendAttribution',
				type: 'boolean',
				default: true,
				description: 'Whether to end the message with "This message was sent automatically with n8n"',
			},
		],
	},
];

const settingsSchema = z.object({
	sendTo: z.enum(['user', 'group']),
	jid: z.string(),
	message: messageText,
	responseType: z.enum(['approval', 'freeText']),
	waitOptions: z
		.object({
			approveLabel: z.string().trim().min(1, 'is empty').default('Approve'),
			declineLabel: z.string().trim().default('Decline'),
			limitMinutes: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
			appendAttribution: z.boolean().default(true),
		})
		.default({}),
});

const LABELS = { sendTo: 'Send To', jid: 'JID', message: 'Message', responseType: 'Response Type', waitOptions: 'Options' };

export const sendAndWait: WholeInputOperation = {
	description,
	async runOnce(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const node = context.getNode();
		const values = Object.fromEntries(Object.keys(LABELS).map((name) => [name, context.getNodeParameter(name, 0, name === 'waitOptions' ? {} : undefined)]));
		const settings = parseParameters(node, settingsSchema, values, LABELS, 0);
		const { jid } = parseParameters(node, z.object({ jid: settings.sendTo === 'group' ? groupJid : userJid }), { jid: settings.jid }, { jid: 'JID' }, 0);
		const client = oneChatService.connect({ node, credentials: await context.getCredentials('oneChatApi'), credentialType: 'oneChatApi', tuning: readRunSettings(context).tuning });
		await client.sendTo(settings.sendTo === 'group' ? 'groupMessage' : 'singleMessage', { jid }, messageWithLinks(context, settings), 0);
		const limit = settings.waitOptions.limitMinutes;
		await context.putExecutionToWait(limit ? new Date(Date.now() + limit * 60_000) : WAIT_INDEFINITELY);
		return [context.getInputData()];
	},
};

/** The message, its answer links (plain text: OneChat shows them as links) and the attribution. */
function messageWithLinks(context: IExecuteFunctions, settings: z.output<typeof settingsSchema>): string {
	const { approveLabel, declineLabel, appendAttribution } = settings.waitOptions;
	const lines = [settings.message, ''];
	if (settings.responseType === 'freeText') {
		lines.push(`Answer here: ${context.getSignedResumeUrl({ respond: 'text' })}`);
	} else {
		lines.push(`${approveLabel}: ${context.getSignedResumeUrl({ approved: 'true' })}`);
		if (declineLabel) lines.push(`${declineLabel}: ${context.getSignedResumeUrl({ approved: 'false' })}`);
	}
	if (appendAttribution) lines.push('', 'This message was sent automatically with n8n');
	return lines.join('\n');
}
