import type { IDataObject, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { z } from '../shared/vendor';

/**
 * The pages behind the links of Message → Send and Wait for Response, served through n8n's waiting
 * webhook (n8n has checked the link's signature before this runs). An approval link records its
 * answer at once; a free-text link shows a form (plain HTML, no script) whose answer is checked
 * before the execution goes on. Link previews (chat apps fetch a link to show a card) answer
 * nothing and decide nothing. A second answer never reaches the node: n8n answers it itself.
 */

/**
 * n8n's waiting webhook of the node (GET for the links, POST for the form): n8n routes
 * /webhook-waiting/<execution>/<node id> here while the execution waits at this node. Nothing is
 * registered with a remote service, so the node has no webhookMethods lifecycle.
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

const answerText = z.string({ required_error: 'is empty' }).trim().min(1, 'is empty').max(4000, 'is longer than 4,000 characters');

interface PageResponse {
	status(code: number): PageResponse;
	setHeader(name: string, value: string): void;
	end(body?: string): void;
}

export async function answerPage(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const query = context.getQueryData() as IDataObject;
	const request = context.getRequestObject();
	const response = context.getResponseObject() as unknown as PageResponse;
	const respondedAt = new Date().toISOString();
	if (isLinkPreview(String(request.headers['user-agent'] ?? ''))) return send(response, 204, '');
	if (query.approved === 'true' || query.approved === 'false') {
		const approved = query.approved === 'true';
		return { webhookResponse: page(approved ? 'Approved' : 'Declined', 'Your answer was recorded. You can close this page.'), workflowData: [[{ json: { approved, respondedAt } }]] };
	}
	if (request.method !== 'POST') return send(response, 200, page('Your answer', form()));
	const text = answerText.safeParse((context.getBodyData() as IDataObject).text);
	if (!text.success) return send(response, 400, page('Your answer', form(`The answer ${text.error.issues[0].message}.`)));
	return { webhookResponse: page('Thank you', 'Your answer was recorded. You can close this page.'), workflowData: [[{ json: { text: text.data, respondedAt } }]] };
}

/** Chat apps and mail scanners fetch links to preview them; such a fetch must not answer. */
function isLinkPreview(userAgent: string): boolean {
	return userAgent === '' || /bot|crawler|spider|preview|facebookexternalhit|slack|whatsapp|telegram|skype|teams/i.test(userAgent);
}

function send(response: PageResponse, status: number, body: string): IWebhookResponseData {
	response.status(status);
	response.setHeader('content-type', 'text/html; charset=utf-8');
	response.setHeader('cache-control', 'no-store');
	response.end(body);
	return { noWebhookResponse: true };
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function form(problem?: string): string {
	const error = problem ? `<p role="alert" style="color:#b00020">${escapeHtml(problem)}</p>` : '';
	return `${error}<form method="post"><label for="text">Your answer</label><br><textarea id="text" name="text" rows="6" cols="50" required maxlength="4000"></textarea><br><button type="submit">Send</button></form>`;
}

function page(title: string, body: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em"><h1>${escapeHtml(title)}</h1>${body.startsWith('<') ? body : `<p>${escapeHtml(body)}</p>`}</body></html>`;
}
