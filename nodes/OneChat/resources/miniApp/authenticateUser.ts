import { parseParameters } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { requiredText, userJid } from '../../schemas';
import type { OneChatClient } from '../../transport';

const show = { show: { resource: ['miniApp'], operation: ['authenticateUser'] } };

const schema = z.object({ jid: userJid, sessionId: requiredText });

/** Uses the app ID and key of the "OneChat Mini App API" credential, so the key is never a parameter. */
export const authenticateUser: ItemOperation<OneChatClient> = {
	credentialType: 'oneChatMiniAppApi',
	description: [
		{
			displayName: 'User JID',
			name: 'jid',
			type: 'string',
			required: true,
			default: '',
			placeholder: '6581234567@onechat.net',
			description: 'The mini-app user, as reported by the page (OC.user.getVCard)',
			displayOptions: show,
		},
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			required: true,
			default: '',
			description: 'The session ID the mini-app page got from OC.user.getSessionID()',
			displayOptions: show,
		},
	],
	async runItem({ client, params, node }, itemIndex) {
		const { jid, sessionId } = parseParameters(node, schema, params.pick(['jid', 'sessionId'], itemIndex), { jid: 'User JID', sessionId: 'Session ID' }, itemIndex);
		return { jid, isAuthenticated: await client.authenticateUser(jid, sessionId, itemIndex) };
	},
};
