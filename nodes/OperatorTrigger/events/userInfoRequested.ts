import { z } from '../../shared/vendor';
import { positiveId } from '../../Operator/schemas';
import type { OperatorEvent } from './event';

export const userInfoRequested: OperatorEvent = {
	value: 'userInfoRequested',
	name: 'User Info Requested',
	description: 'The panel asks for a user\'s profile; answer with Operator Panel → Answer User Info',
	expectsAnswer: true,
	schema: z.object({ user_id: positiveId }),
	async toItem(_context, fields) {
		return { json: { event: 'userInfoRequested', user_id: fields.user_id } };
	},
};
