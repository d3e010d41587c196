import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { mapConcurrent } from '../../../shared/concurrency';
import { outcomeOf, withItemDetails } from '../../../shared/errors';
import { runItemJobs } from '../../../shared/itemRunner';
import { parseParameters } from '../../../shared/validation';
import { z } from '../../../shared/vendor';
import { messageText, splitRecipients, userJid } from '../../schemas';
import { isCredentialRejection } from '../../transport';
import { prepareOneChatRun } from '../context';
import { messageField, showFor } from './oneRequestPerItem';

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
			'User JIDs separated by commas or new lines, or an expression that returns an array of JIDs. Each one gets the message once.',
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

export type RecipientStatus = 'sent' | 'failed' | 'unknown' | 'skipped';

/**
 * One message to many users: one singleMessage per distinct recipient, one output item per
 * recipient with its status. Delivery failures are reported per recipient instead of stopping;
 * a refused API key stops the relay, since no later request could succeed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { client, params, options, context } = await prepareOneChatRun(this);
	const node = context.getNode();
	return await runItemJobs(this, 1, async (itemIndex) => {
		const { recipients, message } = parseParameters(
			node,
			schema,
			{ recipients: splitRecipients(params.get('recipients', itemIndex)), message: params.get('message', itemIndex) },
			{ recipients: 'Recipients', message: 'Message' },
			itemIndex,
		);
		const distinct = [...new Set(recipients.map((jid) => jid.trim()))];
		let rejection: Error | undefined;
		const results = await mapConcurrent(
			distinct.length,
			options.concurrency,
			async (index): Promise<IDataObject> => {
				const jid = distinct[index];
				try {
					const answer = await client.post('singleMessage', { jid, message }, itemIndex);
					return { jid, status: 'sent', description: answer.description ?? '', error: '' };
				} catch (error) {
					if (isCredentialRejection(error)) rejection ??= error as Error;
					return recipientFailure(jid, error as Error);
				}
			},
			() => rejection !== undefined,
		);
		if (rejection) throw stoppedRelay(rejection, results);
		return results.map(
			(result, index) =>
				result ?? { jid: distinct[index], status: 'skipped', description: '', error: 'Not attempted' },
		);
	});
}

function recipientFailure(jid: string, error: Error): IDataObject {
	const status: RecipientStatus = outcomeOf(error) === 'unknown' ? 'unknown' : 'failed';
	const hint = (error as { description?: string | null }).description;
	return { jid, status, description: hint ?? '', error: error.message };
}

function stoppedRelay(rejection: Error, results: Array<IDataObject | undefined>): Error {
	const sent = results.filter((result) => result?.status === 'sent').length;
	const attempted = results.filter((result) => result !== undefined).length;
	const report = `The relay stopped: ${sent} of ${results.length} recipients were sent the message before the API key was refused, ${
		results.length - attempted
	} were not attempted.`;
	const withDescription = rejection as Error & { description?: string | null };
	withDescription.description = `${withDescription.description ?? ''} ${report}`.trim();
	return withItemDetails(rejection, { sent, recipients: results.length });
}
