import type { IDataObject } from 'n8n-workflow';

import { parseParameters, toItemError, type ItemError } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { messageField, showFor } from '../../messageFields';
import { messageText, splitRecipients, userJid } from '../../schemas';
import type { OneChatClient } from '../../transport';

/** How each recipient of a relay fared; one output item per recipient carries it. */
export type RecipientStatus = 'sent' | 'failed' | 'unknown' | 'skipped';

const recipientList = z
	.array(z.string({ invalid_type_error: 'must be text' }))
	.min(1, 'has no recipients')
	.superRefine((list, issues) => {
		const invalid = list.filter((jid) => !userJid.safeParse(jid).success);
		if (invalid.length === 0) return;
		const shown = invalid.slice(0, 5).map((jid) => JSON.stringify(jid)).join(', ');
		issues.addIssue({
			code: z.ZodIssueCode.custom,
			message: `${invalid.length} of ${list.length} entries are not user JIDs like name@domain (${shown}${invalid.length > 5 ? ', ...' : ''}); nothing was sent`,
		});
	});

const schema = z.object({ recipients: recipientList, message: messageText });

/**
 * One message to many users: one singleMessage per distinct recipient, one output item per
 * recipient with its status. Delivery failures are reported per recipient instead of stopping;
 * a refused API key stops the relay, since no later request could succeed. With "continue on
 * fail" the per-recipient report is output even then (sent / failed / skipped), so a half-sent
 * batch never hides who got the message; without it the error says how far the relay got.
 */
export const relayToUsers: ItemOperation<OneChatClient> = {
	description: [
		{
			displayName: 'Recipients',
			name: 'recipients',
			type: 'string',
			typeOptions: { rows: 3 },
			required: true,
			default: '',
			placeholder: 'user1@onechat.net, user2@onechat.net',
			description:
				'User JIDs separated by commas or new lines, or an expression that returns an array of JIDs. Each one gets the message once (JIDs compare case-insensitively).',
			displayOptions: showFor('relayToUsers'),
		},
		messageField('relayToUsers'),
	],
	// Recipients are sent with the node's concurrency, so the items themselves go one at a time.
	oneItemAtATime: true,
	async runItem({ client, params, node, context, fanOut }, itemIndex) {
		const { recipients, message } = parseParameters(
			node,
			schema,
			{ recipients: splitRecipients(params.get('recipients', itemIndex)), message: params.get('message', itemIndex) },
			{ recipients: 'Recipients', message: 'Message' },
			itemIndex,
		);
		const distinct = distinctRecipients(recipients);
		const results = await fanOut(
			distinct.length,
			async (index): Promise<IDataObject> => {
				const jid = distinct[index];
				try {
					const answer = await client.post('singleMessage', { jid, message }, itemIndex);
					return { jid, status: 'sent' satisfies RecipientStatus, description: answer.description ?? '', error: '' };
				} catch (caught) {
					const error = toItemError(node, caught, itemIndex);
					const status: RecipientStatus = error.outcome === 'unknown' ? 'unknown' : 'failed';
					return { jid, status, description: error.description ?? '', error: error.message };
				}
			},
			// Kept by the client across input items: once the key is refused, later items are skipped, not sent.
			() => client.keyRefusal !== undefined,
		);
		if (client.keyRefusal && !context.continueOnFail()) throw stoppedRelay(client.keyRefusal, results);
		// Only a refused key (or Stop) leaves recipients unattempted; their slots are holes, which map() would skip.
		return Array.from(results, (result, index) => result ?? skipped(distinct[index]));
	},
};

/**
 * The recipients in list order, each once. JIDs compare case-insensitively (XMPP), so
 * `A@x.net` and `a@x.net` are one user: the first spelling is kept and sent.
 */
function distinctRecipients(recipients: string[]): string[] {
	const firstSpelling = new Map<string, string>();
	for (const entry of recipients) {
		const jid = entry.trim();
		const key = jid.toLowerCase();
		if (!firstSpelling.has(key)) firstSpelling.set(key, jid);
	}
	return [...firstSpelling.values()];
}

/** A recipient never tried because OneChat had refused the API key: surely not sent. */
function skipped(jid: string): IDataObject {
	return {
		jid,
		status: 'skipped' satisfies RecipientStatus,
		description: '',
		error: 'Not sent: OneChat refused the API key before this recipient was attempted',
	};
}

/** The error thrown (without "continue on fail") when the key is refused mid-relay: says how far it got. */
function stoppedRelay(refusal: ItemError, results: Array<IDataObject | undefined>): ItemError {
	const sent = results.filter((result) => result?.status === 'sent').length;
	const attempted = results.filter((result) => result !== undefined).length;
	const report = `The relay stopped: ${sent} of ${results.length} recipients were sent the message before the API key was refused, ${results.length - attempted} were not attempted.`;
	return refusal.with({ report, details: { sent, recipients: results.length } });
}
