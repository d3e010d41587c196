import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/validation';
import { z } from '../../../shared/vendor';
import { requiredText, userJid } from '../../schemas';
import { forTarget, runOneChatItems } from '../context';

const show = { show: { resource: ['miniApp'], operation: ['authenticateUser'] } };

export const description: INodeProperties[] = [
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
];

const schema = z.object({ jid: userJid, sessionId: requiredText });

/** Uses the app ID and key of the "OneChat Mini App API" credential, so the key is never a parameter. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneChatItems(
		this,
		async ({ client, params, context }, itemIndex) => {
			const { jid, sessionId } = parseParameters(
				context.getNode(),
				schema,
				{ jid: params.get('jid', itemIndex), sessionId: params.get('sessionId', itemIndex) },
				{ jid: 'User JID', sessionId: 'Session ID' },
				itemIndex,
			);
			const isAuthenticated = await forTarget({ jid }, client.authenticateUser(jid, sessionId, itemIndex));
			return { jid, isAuthenticated };
		},
		'oneChatMiniAppApi',
	);
}
