import type { IBinaryKeyData } from 'n8n-workflow';

import { z } from '../../shared/vendor';
import { positiveId } from '../../Operator/schemas';
import type { OperatorEvent } from './event';

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
