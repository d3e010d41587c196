import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { answerPage } from '../../../nodes/OneChat/answerPage';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36';

/** A waiting-webhook call as n8n hands it to the node, and what the node wrote to the response. */
function call(options: { method?: string; query?: IDataObject; body?: IDataObject; userAgent?: string }) {
	const written: { status?: number; body?: string; headers: Record<string, string> } = { headers: {} };
	const response = {
		status(code: number) {
			written.status = code;
			return response;
		},
		setHeader: (name: string, value: string) => void (written.headers[name] = value),
		end: (body?: string) => void (written.body = body),
	};
	const context = {
		getQueryData: () => options.query ?? {},
		getBodyData: () => options.body ?? {},
		getRequestObject: () => ({ method: options.method ?? 'GET', headers: { 'user-agent': options.userAgent ?? BROWSER } }),
		getResponseObject: () => response,
	} as unknown as IWebhookFunctions;
	return { context, written };
}

describe('the pages behind Send and Wait for Response', () => {
	it.each([
		['true', true, 'Approved'],
		['false', false, 'Declined'],
	])('approved=%s records the answer and says so', async (approved, expected, title) => {
		const { context } = call({ query: { approved } });
		const result = await answerPage(context);
		expect(result.workflowData?.[0]).toEqual([{ json: { approved: expected, respondedAt: expect.stringMatching(/^\d{4}-/) } }]);
		expect(String(result.webhookResponse)).toContain(`<h1>${title}</h1>`);
	});

	it.each(['', 'Slackbot-LinkExpanding 1.0', 'Mozilla/5.0 (compatible; Googlebot/2.1)', 'TelegramBot (like TwitterBot)'])('answers a link preview (%j) with 204 and resumes nothing', async (userAgent) => {
		const { context, written } = call({ query: { approved: 'true' }, userAgent });
		const result = await answerPage(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(written.status).toBe(204);
	});

	it('shows the free-text form, refuses an empty or too long answer on the page, and resumes with a good one', async () => {
		const page = call({ query: { respond: 'text' } });
		expect(await answerPage(page.context)).toEqual({ noWebhookResponse: true });
		expect(page.written.body).toContain('<form method="post">');
		for (const text of ['  ', 'x'.repeat(4001), undefined]) {
			const refused = call({ method: 'POST', query: { respond: 'text' }, body: text === undefined ? {} : { text } });
			expect(await answerPage(refused.context)).toEqual({ noWebhookResponse: true });
			expect(refused.written.status).toBe(400);
			expect(refused.written.body).toMatch(/The answer (is empty|is longer than 4,000 characters)\./);
		}
		const answered = call({ method: 'POST', query: { respond: 'text' }, body: { text: '  <b>Yes</b>  ' } });
		const result = await answerPage(answered.context);
		expect(result.workflowData?.[0]).toEqual([{ json: { text: '<b>Yes</b>', respondedAt: expect.any(String) } }]);
	});
});
