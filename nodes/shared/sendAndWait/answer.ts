import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DEFAULT_MAX_BODY_KB } from '../defaults';
import { z } from '../vendor';
import { webhookCall } from '../webhook';
import { formFieldsSchema, formHtml, MAX_TEXT, parseFormAnswer, type FormField } from './form';
import { confirmApproval, page, RECORDED, textForm } from './pages';
import { sealIsValid } from './seal';

/**
 * The answering half of "Send and Wait for Response": the pages behind the links, served through
 * n8n's waiting webhook once n8n has checked the link's signature. Opening a link (GET) only shows
 * a page; the answer is the page's button or form (POST), checked here before the execution goes
 * on. A second answer never reaches the node: n8n answers it with its "No action required" page.
 */

/**
 * n8n routes /webhook-waiting/<execution>/<node id> here while the execution waits at this node.
 * Nothing is registered with a remote service, so the node has no webhookMethods lifecycle.
 */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** The link's own query, signed by n8n: which answer it asks for, and who it was sent to. */
const linkQuery = z
	.object({
		approved: z.enum(['true', 'false']).optional(),
		respond: z.enum(['text', 'form']).optional(),
		sentTo: z.string().regex(/^(user|group):.+/).optional(),
		seal: z.string().optional(),
	})
	.refine((query) => (query.approved === undefined) !== (query.respond === undefined));

const answerText = z.string({ required_error: 'is empty', invalid_type_error: 'is empty' }).trim().min(1, 'is empty').max(MAX_TEXT, `is longer than ${MAX_TEXT.toLocaleString('en')} characters`);

/** `credentialType`: the node's credential, whose secrets seal the links (seal.ts). */
export async function answerPage(context: IWebhookFunctions, credentialType: string): Promise<IWebhookResponseData> {
	// Pages that record nothing are written here; a recorded answer's page is n8n's webhookResponse.
	const call = webhookCall(context, DEFAULT_MAX_BODY_KB);
	const send = (status: number, html: string) => call.send(status, 'text/html; charset=utf-8', html);
	const query = context.getQueryData() as IDataObject;
	const link = linkQuery.safeParse(query);
	if (!link.success) return send(400, page('Not an answer link', 'This link carries no answer. Open the link in the message again.'));
	const request = context.getRequestObject();
	if (!sealIsValid(await context.getCredentials(credentialType), request.originalUrl ?? request.url, context.getNode().id, query)) {
		return send(401, page('This link was changed', 'This link is not the one that was sent. Open the link in the message again.'));
	}
	const posted = request.method === 'POST';
	const body = (posted ? context.getBodyData() : {}) as IDataObject;
	const { approved, respond, sentTo } = link.data;
	const recorded = (answer: IDataObject, title = 'Thank you'): IWebhookResponseData => ({
		webhookResponse: page(title, RECORDED),
		workflowData: [[{ json: { ...answer, respondedAt: new Date().toISOString(), ...(sentTo ? { sentTo: sentToOf(sentTo) } : {}), timedOut: false } }]],
	});

	if (approved !== undefined) {
		const label = labelFor(context, approved === 'true');
		return posted ? recorded({ approved: approved === 'true' }, label) : send(200, confirmApproval(label));
	}
	if (respond === 'text') {
		if (!posted) return send(200, textForm(MAX_TEXT));
		const text = answerText.safeParse(body.text);
		if (!text.success) return send(400, textForm(MAX_TEXT, `The answer ${text.error.issues[0].message}.`, String(body.text ?? '')));
		return recorded({ text: text.data });
	}
	const fields = formFields(context);
	if (!fields) return send(500, page('The form cannot be shown', "The workflow's form fields changed and are no longer valid. Tell the workflow's owner."));
	if (!posted) return send(200, page('Your answer', formHtml(fields)));
	const answer = parseFormAnswer(fields, body);
	if (!answer.ok) return send(400, page('Your answer', formHtml(fields, body, answer.problems)));
	return recorded({ form: answer.values });
}

function sentToOf(sentTo: string): IDataObject {
	const separator = sentTo.indexOf(':');
	return { type: sentTo.slice(0, separator), id: sentTo.slice(separator + 1) };
}

/** The node's label for the answer; an expression n8n cannot resolve here falls back to the plain word. */
function labelFor(context: IWebhookFunctions, approved: boolean): string {
	const [name, fallback] = approved ? ['approvalOptions.approveLabel', 'Approve'] : ['approvalOptions.declineLabel', 'Decline'];
	try {
		const value = context.getNodeParameter(name, fallback);
		return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
	} catch {
		return fallback;
	}
}

function formFields(context: IWebhookFunctions): FormField[] | undefined {
	try {
		const parsed = formFieldsSchema.safeParse(context.getNodeParameter('formFields.values', []));
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined;
	}
}
