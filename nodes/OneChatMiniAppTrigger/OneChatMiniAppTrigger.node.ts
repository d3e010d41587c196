import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { rememberedCredentials } from '../shared/credentialMemory';
import { DEFAULT_MAX_BODY_KB, WEBHOOK_TUNING } from '../shared/defaults';
import { maxBodySizeOption, optionsCollection } from '../shared/options';
import { z } from '../shared/vendor';
import { describeFirstIssue, webhookCall } from '../shared/webhook';
import { withNativeFields } from '../shared/webhookFields';
import { requiredText, userJid } from '../OneChat/schemas';
import { oneChatService } from '../OneChat/transport';

const sessionBody = z
	.object({ jid: userJid, sessionId: requiredText })
	.passthrough();

// The mini-app page calls this URL itself: OneChat has no webhook registry, so there is nothing to
// create or delete remotely and the node has no webhookMethods lifecycle.
// For "Immediately" responseData must be empty, or n8n answers the literal text "firstEntryJson".
const MINI_APP_WEBHOOKS: IWebhookDescription[] = [
	withNativeFields(
		{
			name: 'default',
			httpMethod: 'POST',
			responseMode: '={{$parameter["responseMode"]}}',
			responseData: '={{$parameter["responseMode"] === "lastNode" ? "firstEntryJson" : undefined}}',
			path: 'onechat-mini-app',
		},
		{
			responseMode: (parameters) => parameters.responseMode,
			responseData: (parameters) => (parameters.responseMode === 'lastNode' ? 'firstEntryJson' : undefined),
		},
	),
];

export class OneChatMiniAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OneChat Mini App Trigger',
		name: 'oneChatMiniAppTrigger',
		icon: { light: 'file:onechat.svg', dark: 'file:onechat.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '=Session check, respond {{$parameter["responseMode"]}}',
		description: 'Starts the workflow when a OneChat mini-app page posts a user session that OneChat confirms',
		defaults: { name: 'OneChat Mini App Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'oneChatMiniAppApi', required: true }],
		webhooks: MINI_APP_WEBHOOKS,
		properties: [
			{
				displayName:
					'The mini-app page posts {"jid": OC.user.getVCard().jid, "sessionId": OC.user.getSessionID(), ...} as JSON or a form to this URL. Only sessions OneChat confirms start the workflow; others get 401.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{ name: 'Immediately', value: 'onReceived', description: 'As soon as the session is confirmed' },
					{ name: 'When Last Node Finishes', value: 'lastNode', description: 'With the data of the last node executed' },
					{
						name: "Using 'Respond to Webhook' Node",
						value: 'responseNode',
						description: 'With the answer built by a Respond to Webhook node',
					},
				],
				default: 'onReceived',
			},
			optionsCollection([maxBodySizeOption(DEFAULT_MAX_BODY_KB)]),
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const call = webhookCall(this, DEFAULT_MAX_BODY_KB);
		const body = await call.readBody();
		if (!body.ok) return call.refuse(body.status, body.message);
		const parsed = sessionBody.safeParse(body.fields);
		if (!parsed.success) return call.refuse(400, describeFirstIssue(parsed.error));

		const credentialType = 'oneChatMiniAppApi';
		// The mini-app page waits on this check: a busy OneChat (long Retry-After) gets a 502 at once.
		const credentials = await rememberedCredentials(this, credentialType);
		const client = oneChatService.connect({ node: this.getNode(), credentials, credentialType, tuning: WEBHOOK_TUNING });
		const { jid, sessionId, ...rest } = parsed.data;
		let authenticated: boolean;
		try {
			authenticated = await client.authenticateUser(jid, sessionId, 0);
		} catch (error) {
			// OneChat could not be asked: the session is unverified, so nothing starts.
			this.logger.warn(`OneChat session check failed: ${client.redactor.text((error as Error).message)}`);
			return call.refuse(502, 'The session could not be verified with OneChat; try again later');
		}
		if (!authenticated) return call.refuse(401, 'The OneChat session is not valid');

		const item: IDataObject = { jid, authenticated: true, body: rest as IDataObject, query: this.getQueryData() as IDataObject };
		return { workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
