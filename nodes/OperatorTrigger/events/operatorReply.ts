import type { IBinaryKeyData, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import { z } from '../../shared/vendor';
import { filterEntries } from '../../shared/webhook';
import { positiveId } from '../../Operator/schemas';
import type { OperatorEvent } from './event';

export const botFilter: INodeProperties = {
	displayName: 'Only From Bot IDs',
	name: 'onlyFromBotIds',
	type: 'string',
	default: '',
	placeholder: '12, 15',
	description:
		"Start the workflow only for replies sent by these bots (the panel's user_id), separated by commas. Other replies are answered 200 and start nothing, so the panel does not send them again. Empty: every reply.",
	displayOptions: { show: { event: ['operatorReply'] } },
};

const botIds = z.array(positiveId);

/**
 * The bots whose replies start the workflow (empty: all), or the problem with the parameter.
 * Read as the call comes, so an expression in it sees the same parameters as the rest of the node.
 */
export function listedBots(context: IWebhookFunctions): { ok: true; ids: number[] } | { ok: false; problem: string } {
	const parsed = botIds.safeParse(filterEntries(context.getNodeParameter(botFilter.name, '')));
	if (parsed.success) return { ok: true, ids: parsed.data };
	return { ok: false, problem: `"${botFilter.displayName}" ${parsed.error.issues[0].message}: give whole numbers separated by commas` };
}

export const operatorReply: OperatorEvent = {
	value: 'operatorReply',
	name: 'Operator Reply',
	description: 'An operator answered a site user from the panel (message and optional file)',
	schema: z.object({
		user_id: positiveId,
		contact_id: positiveId,
		message: z.union([z.string(), z.number()]).transform(String).default(''),
	}),
	async toItem(context, fields, files) {
		const binary: IBinaryKeyData = {};
		const file = files.attach;
		if (file) {
			binary.attach = await context.nodeHelpers.copyBinaryFile(
				file.filepath,
				file.originalFilename ?? 'attach',
				file.mimetype ?? 'application/octet-stream',
			);
		}
		return {
			json: { event: 'operatorReply', user_id: fields.user_id, contact_id: fields.contact_id, message: fields.message, hasAttachment: !!file },
			...(file ? { binary } : {}),
		};
	},
};
