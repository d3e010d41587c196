import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { openPlatformApiConnection, openPlatformOAuth2Connection } from '../OpenPlatform/credentialTest';
import { DEFAULT_MAX_BODY_KB, DEFAULT_SIGN_IN_MINUTES } from '../shared/defaults';
import { maxBodySizeOption, optionsCollection } from '../shared/options';
import { webhookCall } from '../shared/webhook';
import { withNativeFields } from '../shared/webhookFields';
import { appOpened } from './events/appOpened';
import { commandReceived, commandTypesFilter } from './events/commandReceived';
import type { WebhookCall } from './endpoints';
import { oauthSignIn } from './events/oauthSignIn';

const EVENTS: Record<string, (context: IWebhookFunctions, call: WebhookCall) => Promise<IWebhookResponseData>> = {
	appOpened,
	commandReceived,
	oauthSignIn,
};

// OpenPlatform (or the browser) calls these URLs; nothing is registered at OpenPlatform, so the
// node has no webhookMethods lifecycle. n8n names webhooks only "default" or "setup", so the three
// share the name and differ by method and path: GET .../open is the app URL, the bridge script or
// the sign-in start (by event); POST .../command receives relayed commands; GET .../callback ends a
// sign-in.
const OPENPLATFORM_WEBHOOKS: IWebhookDescription[] = [
	withNativeFields(
		{
			name: 'default',
			httpMethod: 'GET',
			path: 'open',
			responseMode:
				'={{$parameter["event"] === "appOpened" && $parameter["appResponse"] !== "redirect" ? $parameter["appResponse"] : "onReceived"}}',
			responseData: '={{$parameter["event"] === "appOpened" && $parameter["appResponse"] === "lastNode" ? "firstEntryJson" : undefined}}',
		},
		{
			responseMode: (parameters) => (parameters.event === 'appOpened' && parameters.appResponse !== 'redirect' ? parameters.appResponse : 'onReceived'),
			responseData: (parameters) => (parameters.event === 'appOpened' && parameters.appResponse === 'lastNode' ? 'firstEntryJson' : undefined),
		},
	),
	{ name: 'default', httpMethod: 'POST', path: 'command', responseMode: 'onReceived' },
	{ name: 'default', httpMethod: 'GET', path: 'callback', responseMode: 'onReceived' },
];

export class OpenPlatformTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPlatform Trigger',
		name: 'openPlatformTrigger',
		icon: { light: 'file:openplatform.svg', dark: 'file:openplatform.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when a user opens the app in OpenPlatform, when the app gets a command, or when a user signs in with OpenPlatform',
		defaults: { name: 'OpenPlatform Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'openPlatformApi', required: true, testedBy: 'openPlatformApiConnection', displayOptions: { show: { event: ['appOpened', 'commandReceived'] } } },
			{ name: 'openPlatformOAuth2Api', required: true, testedBy: 'openPlatformOAuth2Connection', displayOptions: { show: { event: ['oauthSignIn'] } } },
		],
		webhooks: OPENPLATFORM_WEBHOOKS,
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'App Opened',
						value: 'appOpened',
						description: 'Use the GET URL as the app URL in OpenPlatform; the user\'s session is verified',
					},
					{
						name: 'Command Received',
						value: 'commandReceived',
						description: 'An app page relays SENDCOMMAND(type, body) through the bridge script at the GET URL',
					},
					{
						name: 'OAuth Sign-In',
						value: 'oauthSignIn',
						description: 'Send people to the GET URL to sign in with their OpenPlatform account',
					},
				],
				default: 'appOpened',
			},
			{
				displayName: 'Respond',
				name: 'appResponse',
				type: 'options',
				options: [
					{ name: 'Redirect', value: 'redirect', description: 'Send the browser to a URL at once' },
					{ name: 'When Last Node Finishes', value: 'lastNode', description: 'With the data of the last node' },
					{ name: "Using 'Respond to Webhook' Node", value: 'responseNode', description: 'With a page built by the workflow' },
				],
				default: 'redirect',
				displayOptions: { show: { event: ['appOpened'] } },
			},
			{
				displayName: 'Redirect URL',
				name: 'redirectUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://app.example.com/',
				description: 'The app page; OpenPlatform\'s openplatform, rev and language query parameters are passed on to it',
				displayOptions: { show: { event: ['appOpened'], appResponse: ['redirect'] } },
			},
			{
				displayName: 'Include Permanent API URLs',
				name: 'includeApiUrls',
				type: 'boolean',
				default: false,
				description:
					'Whether the output keeps the user\'s notify and badge URLs and the app\'s users, meta and services URLs. Each carries a token that never expires, so they are left out by default: with Respond "When Last Node Finishes" or a Respond to Webhook node they could reach the browser.',
				displayOptions: { show: { event: ['appOpened'] } },
			},
			{
				displayName:
					'In the app page, include &lt;script src="GET URL of this node"&gt;&lt;/script&gt; after OpenPlatform\'s client library. Commands the app receives are relayed to this trigger with the user\'s session.',
				name: 'bridgeNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['commandReceived'] } },
			},
			commandTypesFilter,
			{
				displayName: 'After Sign-In Redirect URL',
				name: 'successRedirectUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://app.example.com/welcome',
				description: 'Where the browser goes once the profile has been read',
				displayOptions: { show: { event: ['oauthSignIn'] } },
			},
			optionsCollection([maxBodySizeOption(DEFAULT_MAX_BODY_KB), {
				displayName: 'Sign-In Time Limit (Minutes)',
				name: 'stateLifetimeMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_SIGN_IN_MINUTES,
				description: 'How long a started sign-in stays valid; later callbacks are refused with 400',
			}]),
		],
	};

	// n8n stops at the first node naming a credential's testedBy, so each such node carries the function.
	methods = { credentialTest: { openPlatformApiConnection, openPlatformOAuth2Connection } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const call = webhookCall(this, DEFAULT_MAX_BODY_KB);
		const handler = EVENTS[this.getNodeParameter('event') as string];
		if (!handler) return call.refuse(404, 'Unknown event');
		return await handler(this, call);
	}
}
