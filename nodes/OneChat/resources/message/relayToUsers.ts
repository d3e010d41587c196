import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mapConcurrent } from '../../../shared/concurrency';
import { runItemJobs } from '../../../shared/itemRunner';
import { parseParameters } from '../../../shared/validation';
import { z } from '../../../shared/vendor';
import { messageText, splitRecipients, userJid } from '../../schemas';
import { isCredentialRejection } from '../../transport';
import { prepareOneChatRun } from '../context';
import { messageField, showFor } from './oneRequestPerItem';
import { distinctRecipients, recipientFailure, recipientSent, recipientSkipped, stoppedRelay } from './relayReport';

export type { RecipientStatus } from './relayReport';

const OPERATION = 'relayToUsers';

export const description: INodeProperties[] = [
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
		displayOptions: showFor(OPERATION),
	},
	messageField(OPERATION),
];

const recipientList = z
	.array(z.string({ invalid_type_error: 'must be text' }))
	.min(1, 'has no recipients')
	.superRefine((list, issues) => {
		const invalid = list.filter((jid) => !userJid.safeParse(jid).success);
		if (invalid.length > 0) {
			issues.addIssue({
				code: z.ZodIssueCode.custom,
				message: `${invalid.length} of ${list.length} entries are not user JIDs like name@domain (${invalid
					.slice(0, 5)
					.map((jid) => JSON.stringify(jid))
					.join(', ')}${invalid.length > 5 ? ', ...' : ''}); nothing was sent`,
			});
		}
	});

const schema = z.object({ recipients: recipientList, message: messageText });

/**
 * One message to many users: one singleMessage per distinct recipient, one output item per
 * recipient with its status. Delivery failures are reported per recipient instead of stopping;
 * a refused API key stops the relay, since no later request could succeed. With "continue on
 * fail" the per-recipient report is output even then (sent / failed / skipped), so a half-sent
 * batch never hides who got the message; without it the error says how far the relay got.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { client, params, options, context } = await prepareOneChatRun(this);
	const node = context.getNode();
	const continueOnFail = context.continueOnFail();
	// Kept across input items: once the key is refused, later items are skipped, not sent.
	let rejection: Error | undefined;
	return await runItemJobs(this, 1, async (itemIndex) => {
		const { recipients, message } = parseParameters(
			node,
			schema,
			{ recipients: splitRecipients(params.get('recipients', itemIndex)), message: params.get('message', itemIndex) },
			{ recipients: 'Recipients', message: 'Message' },
			itemIndex,
		);
		const distinct = distinctRecipients(recipients);
		const results = await mapConcurrent(
			distinct.length,
			options.concurrency,
			async (index): Promise<IDataObject> => {
				const jid = distinct[index];
				try {
					const answer = await client.post('singleMessage', { jid, message }, itemIndex);
					return recipientSent(jid, answer.description);
				} catch (error) {
					if (isCredentialRejection(error)) rejection ??= error as Error;
					return recipientFailure(jid, error as Error);
				}
			},
			() => rejection !== undefined,
		);
		if (rejection && !continueOnFail) throw stoppedRelay(rejection, results);
		// Only a refused key leaves recipients unattempted; their slots are holes, which map() would skip.
		return Array.from(results, (result, index) => result ?? recipientSkipped(distinct[index]));
	});
}
