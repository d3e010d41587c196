import type { IDataObject, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { z } from '../../shared/vendor';
import { describeFirstIssue, filterEntries } from '../../shared/webhook';
import { bridgeScript } from '../bridge';
import { endpointOf, endpointUrl, type WebhookCall } from '../endpoints';
import { verifySession } from '../sessionChecks';

const relayed = z.object({
	type: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters'),
	body: z.unknown().optional(),
	openplatform: z.string().min(1, 'is missing: the page was not opened by OpenPlatform'),
});

export const commandTypesFilter: INodeProperties = {
	displayName: 'Command Types',
	name: 'commandTypes',
	type: 'string',
	default: '',
	placeholder: 'refresh, export',
	description:
		'Start the workflow only for these command types (exact, separated by commas). Other commands are answered 200 and start nothing; their session is not even checked with OpenPlatform. Empty: every command.',
	displayOptions: { show: { event: ['commandReceived'] } },
};

/**
 * GET serves the bridge script for app pages; POST receives what the script relays from
 * OP.on('command'), checks the session's verify URL with OpenPlatform, and emits {type, body, user}.
 */
export async function commandReceived(context: IWebhookFunctions, call: WebhookCall): Promise<IWebhookResponseData> {
	const endpoint = endpointOf(call);
	if (endpoint === 'open') {
		return call.send(200, 'application/javascript; charset=utf-8', bridgeScript(endpointUrl(context, 'command')));
	}
	if (endpoint !== 'command') return call.refuse(404, 'This URL is not used by the "Command Received" event');

	const body = await call.readBody({ textAsJson: true });
	if (!body.ok) return call.refuse(body.status, body.message);
	const parsed = relayed.safeParse(body.fields);
	if (!parsed.success) return call.refuse(400, describeFirstIssue(parsed.error));
	// Before the session check: a command nobody listens to costs no verify call (nor token budget).
	const types = filterEntries(context.getNodeParameter(commandTypesFilter.name, ''));
	if (types.length > 0 && !types.includes(parsed.data.type)) return call.ignore('not a command type this workflow listens to');
	const session = await verifySession(context, call, parsed.data.openplatform);
	if (!session.ok) return session.refusal;

	call.send(204, 'text/plain', '');
	const item = { event: 'commandReceived', type: parsed.data.type, body: (parsed.data.body ?? null) as IDataObject, user: session.meta.profile };
	return { noWebhookResponse: true, workflowData: [[{ json: item as IDataObject }]] };
}
