import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { answerPage } from '../../../../nodes/shared/sendAndWait/answer';
import { executionIdInPath, SEAL_PARAMETER, sealFor } from '../../../../nodes/shared/sendAndWait/seal';

const CREDENTIALS = { baseUrl: 'https://onechat.test', apiKey: 'key-1' };
const NODE_ID = '8f1c2d3e-node';

/**
 * A waiting-webhook call as n8n hands it to the node (after its own signature check, if any), and
 * what the node wrote. The link is sealed for execution 17 unless `seal` says otherwise.
 */
function call(options: { method?: string; query?: IDataObject; body?: IDataObject; parameters?: IDataObject; seal?: string | null; path?: string }) {
	const written: { status?: number; body?: string; headers: Record<string, string> } = { headers: {} };
	const response = {
		set statusCode(code: number) {
			written.status = code;
		},
		setHeader: (name: string, value: string) => void (written.headers[name] = value),
		end: (body?: string) => void (written.body = body),
	};
	const parameters = options.parameters ?? {};
	const answer = options.query ?? {};
	const seal = options.seal === undefined ? sealFor(CREDENTIALS, '17', NODE_ID, answer) : options.seal;
	const query = seal === null ? answer : { ...answer, [SEAL_PARAMETER]: seal, signature: 'n8n-signature-not-covered' };
	const context = {
		getQueryData: () => query,
		getBodyData: () => options.body ?? {},
		getRequestObject: () => ({ method: options.method ?? 'GET', headers: {}, originalUrl: options.path ?? `/webhook-waiting/17/${NODE_ID}?from-the-link` }),
		getResponseObject: () => response,
		getCredentials: async () => CREDENTIALS,
		getNode: () => ({ id: NODE_ID }),
		getNodeParameter: (name: string, fallback: unknown) => {
			if (name === 'approvalOptions.declineLabel' && parameters.brokenExpression) throw new Error('cannot resolve $json here');
			return name.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], parameters) ?? fallback;
		},
	} as unknown as IWebhookFunctions;
	return { context, written };
}

const FIELDS = [
	{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
	{ fieldLabel: 'Reason', fieldType: 'textarea' },
	{ fieldLabel: 'Kind', fieldType: 'dropdown', choices: 'Full, Half', requiredField: true },
	{ fieldLabel: 'Contact', fieldType: 'email' },
	{ fieldLabel: 'Pay On', fieldType: 'date' },
];

describe('the pages behind Send and Wait for Response', () => {
	it.each([
		['true', true, 'Approve the refund'],
		['false', false, 'Decline'],
	])('approved=%s: opening the link only asks for the button; the button records the answer with who it went to', async (approved, expected, label) => {
		const parameters = { approvalOptions: { approveLabel: 'Approve the refund' } };
		const opened = call({ query: { approved, sentTo: 'user:boss@x.test' }, parameters });
		expect(await answerPage(opened.context, 'oneChatApi')).toEqual({ noWebhookResponse: true });
		expect(opened.written.status).toBe(200);
		expect(opened.written.body).toContain(`<form method="post"><button type="submit">${label}</button></form>`);

		const result = await answerPage(call({ method: 'POST', query: { approved, sentTo: 'user:boss@x.test' }, parameters }).context, 'oneChatApi');
		expect(result.workflowData?.[0]).toEqual([
			{ json: { approved: expected, respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), sentTo: { type: 'user', id: 'boss@x.test' }, timedOut: false } },
		]);
		expect(String(result.webhookResponse)).toContain(`<h1>${label}</h1>`);
	});

	it('falls back to the plain label when n8n cannot resolve the label expression on the page', async () => {
		const { context, written } = call({ query: { approved: 'false' }, parameters: { brokenExpression: true } });
		await answerPage(context, 'oneChatApi');
		expect(written.body).toContain('<button type="submit">Decline</button>');
	});

	it.each([
		['without a seal (n8n 1.x does not check its own signature)', { seal: null }],
		['with a Decline link\'s seal on an Approve link', { seal: sealFor(CREDENTIALS, '17', NODE_ID, { approved: 'false' }) }],
		['sealed for another execution', { path: `/webhook-waiting/18/${NODE_ID}` }],
		['sealed with other credentials', { seal: sealFor({ ...CREDENTIALS, apiKey: 'key-2' }, '17', NODE_ID, { approved: 'true' }) }],
	])('refuses a link %s with a 401 page and resumes nothing', async (_, change) => {
		const { context, written } = call({ method: 'POST', query: { approved: 'true' }, ...change });
		expect(await answerPage(context, 'oneChatApi')).toEqual({ noWebhookResponse: true });
		expect(written.status).toBe(401);
		expect(written.body).toContain('This link is not the one that was sent.');
	});

	it('finds the execution in the waiting-webhook path, behind a path prefix too', () => {
		expect(executionIdInPath(`/webhook-waiting/17/${NODE_ID}?approved=true`, NODE_ID)).toBe('17');
		expect(executionIdInPath(`/n8n/webhook-waiting/a1b2/${NODE_ID}`, NODE_ID)).toBe('a1b2');
		expect(executionIdInPath('/webhook-waiting/17/other-node', NODE_ID)).toBeUndefined();
	});

	it('refuses a link that carries no answer, or two, with a 400 page', async () => {
		for (const query of [{}, { approved: 'maybe' }, { approved: 'true', respond: 'text' }, { respond: 'voice' }, { respond: 'text', sentTo: 'nobody' }]) {
			const { context, written } = call({ method: 'POST', query });
			expect(await answerPage(context, 'oneChatApi')).toEqual({ noWebhookResponse: true });
			expect(written.status).toBe(400);
			expect(written.body).toContain('This link carries no answer.');
		}
	});

	it('shows the free-text form, refuses an empty or too long answer on the page (keeping it), and resumes with a good one', async () => {
		const page = call({ query: { respond: 'text' } });
		expect(await answerPage(page.context, 'oneChatApi')).toEqual({ noWebhookResponse: true });
		expect(page.written.body).toContain('<form method="post">');
		for (const text of ['  ', 'x'.repeat(4001), undefined]) {
			const refused = call({ method: 'POST', query: { respond: 'text' }, body: text === undefined ? {} : { text } });
			expect(await answerPage(refused.context, 'oneChatApi')).toEqual({ noWebhookResponse: true });
			expect(refused.written.status).toBe(400);
			expect(refused.written.body).toMatch(/The answer (is empty|is longer than 4,000 characters)\./);
		}
		const result = await answerPage(call({ method: 'POST', query: { respond: 'text' }, body: { text: '  <b>Yes</b>  ' } }).context, 'oneChatApi');
		expect(result.workflowData?.[0]).toEqual([{ json: { text: '<b>Yes</b>', respondedAt: expect.any(String), timedOut: false } }]);
	});

	it('shows the custom form with its fields, refuses a bad answer field by field, and resumes with the fields by label', async () => {
		const parameters = { formFields: { values: FIELDS } };
		const page = call({ query: { respond: 'form' }, parameters });
		await answerPage(page.context, 'oneChatApi');
		expect(page.written.body).toContain('<label for="field-0">Amount *</label><br><input id="field-0" name="field-0" type="number" step="any" value="" required>');
		expect(page.written.body).toContain('<select id="field-2" name="field-2" required><option value=""></option><option>Full</option><option>Half</option></select>');

		const bad = call({ method: 'POST', query: { respond: 'form' }, parameters, body: { 'field-0': 'ten', 'field-2': 'Triple', 'field-3': 'not-mail', 'field-4': '2026-02-30', 'field-1': '<kept>' } });
		expect(await answerPage(bad.context, 'oneChatApi')).toEqual({ noWebhookResponse: true });
		expect(bad.written.status).toBe(400);
		for (const problem of ['Amount is not a number.', 'Kind is not one of the choices.', 'Contact is not an email address.', 'Pay On is not a date.']) expect(bad.written.body).toContain(problem);
		expect(bad.written.body).toContain('&#60;kept&#62;</textarea>');
		const missing = call({ method: 'POST', query: { respond: 'form' }, parameters, body: { 'field-0': '12.5' } });
		await answerPage(missing.context, 'oneChatApi');
		expect(missing.written.body).toContain('Kind is required.');

		const good = call({ method: 'POST', query: { respond: 'form', sentTo: 'group:ops@muc.x.test' }, parameters, body: { 'field-0': '12.5', 'field-2': 'Half', 'field-4': '2026-12-24' } });
		const result = await answerPage(good.context, 'oneChatApi');
		expect(result.workflowData?.[0]?.[0].json).toEqual({
			form: { Amount: 12.5, Reason: null, Kind: 'Half', Contact: null, 'Pay On': '2026-12-24' },
			respondedAt: expect.any(String),
			sentTo: { type: 'group', id: 'ops@muc.x.test' },
			timedOut: false,
		});
	});

	it('says the form cannot be shown when its fields were changed into invalid ones during the wait', async () => {
		const { context, written } = call({ query: { respond: 'form' }, parameters: { formFields: { values: [{ fieldLabel: 'A', fieldType: 'dropdown' }] } } });
		await answerPage(context, 'oneChatApi');
		expect(written.status).toBe(500);
		expect(written.body).toContain('The form cannot be shown');
	});
});
