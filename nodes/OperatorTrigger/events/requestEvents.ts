import { z } from '../../shared/vendor';
import { positiveId } from '../../Operator/schemas';
import type { OperatorEvent } from './event';

/** A panel request about one user: the workflow gets `{event, user_id}` and must answer. */
function userRequest(value: string, name: string, description: string): OperatorEvent {
	return {
		value,
		name,
		description,
		expectsAnswer: true,
		schema: z.object({ user_id: positiveId }),
		async toItem(_context, fields) {
			return { json: { event: value, user_id: fields.user_id } };
		},
	};
}

export const userInfoRequested = userRequest(
	'userInfoRequested',
	'User Info Requested',
	"The panel asks for a user's profile; answer with Operator Panel → Answer User Info",
);

export const privateMediaRequested = userRequest(
	'privateMediaRequested',
	'Private Media Requested',
	"The panel asks for a user's private photos; answer with Operator Panel → Answer Private Media",
);
