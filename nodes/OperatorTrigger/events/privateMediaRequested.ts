import { z } from '../../shared/vendor';
import { positiveId } from '../../Operator/schemas';
import type { OperatorEvent } from './event';

export const privateMediaRequested: OperatorEvent = {
	value: 'privateMediaRequested',
	name: 'Private Media Requested',
	description: 'The panel asks for a user\'s private photos; answer with Operator Panel → Answer Private Media',
	expectsAnswer: true,
	schema: z.object({ user_id: positiveId }),
	async toItem(_context, fields) {
		return { json: { event: 'privateMediaRequested', user_id: fields.user_id } };
	},
};
