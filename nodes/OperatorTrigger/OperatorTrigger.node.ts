import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { operatorApiConnection } from '../Operator/credentialTest';
import { rememberedCredentials } from '../shared/credentialMemory';
import { DEFAULT_MAX_BODY_KB_WITH_FILES } from '../shared/defaults';
import { maxBodySizeOption, optionsCollection } from '../shared/options';
import { z } from '../shared/vendor';
import { describeFirstIssue, secretsEqual, tokenFrom, webhookCall } from '../shared/webhook';
import { withNativeFields } from '../shared/webhookFields';
import { answerRouteProblem, type RespondMode } from './answerRoute';
import type { OperatorEvent } from './events/event';
import { botFilter, listedBots, operatorReply } from './events/operatorReply';
import { privateMediaRequested, userInfoRequested } from './events/requestEvents';

const EVENTS: Record<string, OperatorEvent> = Object.fromEntries(
	[operatorReply, userInfoRequested, privateMediaRequested].map((event) => [event.value, event]),
);
const REQUEST_EVENTS = [userInfoRequested.value, privateMediaRequested.value];

// The panel calls these URLs itself (the administrator enters them in the panel), so nothing is
// registered remotely and the node has no webhookMethods lifecycle. Each event has its own path.
// For the two request events: with "Respond" = Operator answer node, a run that ends without an
// answer gives the panel a 500 (responseCode), never an empty 200; with "When Last Node Finishes"
// n8n answers the last node's first item and a failed run with a 500. answerRoute.ts refuses
// workflows in which anything but the matching answer node could answer.
const OPERATOR_WEBHOOKS: IWebhookDescription[] = [
	withNativeFields(
		{
			name: 'default',
			httpMethod: 'POST',
			path: '={{$parameter["event"]}}',
			responseMode: '={{$parameter["event"] === "operatorReply" ? "onReceived" : $parameter["respond"]}}',
			responseCode: '={{$parameter["event"] !== "operatorReply" && $parameter["respond"] === "responseNode" ? 500 : 200}}',
			responseData: '={{$parameter["event"] !== "operatorReply" && $parameter["respond"] === "lastNode" ? "firstEntryJson" : undefined}}',
		},
		{
			path: (parameters) => parameters.event,
			responseMode: (parameters) => (parameters.event === 'operatorReply' ? 'onReceived' : parameters.respond),
			responseCode: (parameters) => (parameters.event !== 'operatorReply' && parameters.respond === 'responseNode' ? 500 : 200),
			responseData: (parameters) => (parameters.event !== 'operatorReply' && parameters.respond === 'lastNode' ? 'firstEntryJson' : undefined),
		},
	),
];

const CREDENTIAL_TYPE = 'operatorApi';
const webhookTokenSchema = z.object({ webhookToken: z.string().min(1) });

export class OperatorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Operator Panel Trigger',
		name: 'operatorTrigger',
		icon: { light: 'file:operator.svg', dark: 'file:operator.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when the Operator control panel calls the site: operator replies and requests for user data',
		defaults: { name: 'Operator Panel Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: 'operatorApiConnection' }],
		webhooks: OPERATOR_WEBHOOKS,
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: Object.values(EVENTS).map(({ name, value, description }) => ({ name, value, description })),
				default: 'operatorReply',
			},
			{
				displayName:
					'Enter this node\'s production URL in the panel for this event. Calls without the credential\'s webhook token get 401 and start nothing.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			botFilter,
			{
				displayName: 'Respond',
				name: 'respond',
				type: 'options',
				options: [
					{
						name: 'Using Operator Panel Answer Node',
						value: 'responseNode',
						description:
							'The Operator Panel node (Panel Request → Answer ...) checks and sends the answer. Calls are refused (500) if it is missing or a Respond to Webhook node follows.',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description:
							'The first item of the last node is the answer. Every branch must end with the matching Operator Panel answer node, else calls are refused (500).',
					},
				],
				default: 'responseNode',
				displayOptions: { show: { event: REQUEST_EVENTS } },
			},
			optionsCollection([maxBodySizeOption(DEFAULT_MAX_BODY_KB_WITH_FILES)]),
		],
	};

	// n8n stops at the first node naming a credential's testedBy, so each such node carries the function.
	methods = { credentialTest: { operatorApiConnection } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const call = webhookCall(this, DEFAULT_MAX_BODY_KB_WITH_FILES);
		const event = EVENTS[this.getNodeParameter('event') as string];
		// Read at most once per CREDENTIAL_MEMORY_MS: a flood of wrong tokens costs no credential reads.
		const credentials = webhookTokenSchema.safeParse(await rememberedCredentials(this, CREDENTIAL_TYPE));
		if (!event || !credentials.success) {
			this.logger.error('Operator Panel Trigger: the credential has no webhook token; every call is refused');
			return call.refuse(500, 'The site is not configured to receive this call');
		}

		const body = await call.readBody({ multipart: true });
		if (!body.ok) return call.refuse(body.status, body.message);

		const token = tokenFrom(body.fields, this.getQueryData() as IDataObject);
		if (token === undefined || !secretsEqual(token, credentials.data.webhookToken)) return call.refuse(401, 'Invalid token');

		// Refused before a run starts, since a wrongly wired run could send an unchecked answer.
		if (event.answeredBy) {
			const problem = answerRouteProblem(this, this.getNodeParameter('respond') as RespondMode, event.answeredBy);
			if (problem) {
				this.logger.error(`Operator Panel Trigger "${this.getNode().name}" refused a ${event.name} call: ${problem}`);
				return call.refuse(500, 'The site cannot answer this request; its n8n log says why');
			}
		}

		const parsed = event.schema.safeParse(body.fields);
		if (!parsed.success) return call.refuse(400, describeFirstIssue(parsed.error));
		const fields = parsed.data as IDataObject;
		if (event === operatorReply) {
			if (fields.message === '' && !body.files.attach) return call.refuse(400, 'The reply has neither a message nor a file');
			const bots = listedBots(this);
			if (!bots.ok) {
				this.logger.error(`Operator Panel Trigger "${this.getNode().name}" refused a reply: ${bots.problem}`);
				return call.refuse(500, 'The site is not configured to receive this call');
			}
			if (bots.ids.length > 0 && !bots.ids.includes(fields.user_id as number)) return call.ignore('not from a bot this workflow listens to');
		}
		return { workflowData: [[await event.toItem(this, fields, body.files)]] };
	}
}
