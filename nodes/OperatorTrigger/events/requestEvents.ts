import { z } from '../../shared/vendor';
import { positiveId } from '../../Operator/schemas';
import type { AnswerOperation } from '../answerRoute';
import type { OperatorEvent } from './event';

/** A panel request about one user: the workflow gets `{event, user_id}` and must answer. */
function userRequest(value: string, name: string, asksFor: string, answeredBy: AnswerOperation): OperatorEvent {
	return {
		value,
		name,
		description: `The panel asks for ${asksFor}; answer with ${answeredBy.label}`,
		answeredBy,
		schema: z.object({ user_id: positiveId }),
		async toItem(_context, fields) {
			return { json: { event: value, user_id: fields.user_id } };
		},
	};
}

export const userInfoRequested = userRequest('userInfoRequested', 'User Info Requested', "a user's profile", {
	operation: 'answerUserInfo',
	label: 'Operator Panel → Answer User Info',
});

export const privateMediaRequested = userRequest('privateMediaRequested', 'Private Media Requested', "a user's private photos", {
	operation: 'answerPrivateMedia',
	label: 'Operator Panel → Answer Private Media',
});
