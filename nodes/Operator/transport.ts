import type { IDataObject } from 'n8n-workflow';

import { ItemError, outcomeForHttpStatus, parseParameters } from '../shared/errors';
import { callService, type ServiceAnswer, type ServiceCaller } from '../shared/http';
import { Redactor } from '../shared/redaction';
import type { ClientSetup, Service } from '../shared/runner';
import { FormData, z } from '../shared/vendor';

/** The only place that knows the Operator API: its endpoint, the `token` field and its answers. */

export const OPERATOR = 'Operator panel';

const connectionSchema = z.object({
	apiUrl: z
		.string()
		.trim()
		.url('must be the full URL of the Operator API endpoint')
		.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://'),
	apiToken: z.string().min(1, 'is empty'),
	webhookToken: z.string().default(''),
	ignoreSslIssues: z.boolean().default(false),
});

type OperatorConnection = z.output<typeof connectionSchema>;

const connectionLabels = { apiUrl: 'API Endpoint URL (credential)', apiToken: 'API Token (credential)' };

/** Makes the client of a run or a credential test from the Operator Panel API credential. */
export const operatorService: Service<OperatorClient> = {
	credentialType: 'operatorApi',
	connect: (setup) => new OperatorClient(setup),
};

export interface PanelMessage {
	user_id: number;
	contact_id: number;
	message: string;
	attaches: Array<{ file_url: string; big: string }>;
	attach?: { bytes: Buffer; fileName: string; mimeType: string };
}

export class OperatorClient {
	readonly redactor: Redactor;

	private readonly connection: OperatorConnection;

	private readonly caller: ServiceCaller;

	constructor({ node, credentials, tuning, controls }: ClientSetup) {
		this.connection = parseParameters(node, connectionSchema, credentials, connectionLabels, 0);
		this.redactor = new Redactor([this.connection.apiToken, this.connection.webhookToken]);
		this.caller = { node, service: OPERATOR, redactor: this.redactor, tuning, controls, ignoreSslIssues: this.connection.ignoreSslIssues };
	}

	/** "Send message to control panel": multipart/form-data with the token and action=message_sent. */
	async sendMessage(message: PanelMessage, itemIndex: number, details: IDataObject): Promise<IDataObject> {
		const form = new FormData();
		form.append('token', this.connection.apiToken);
		form.append('action', 'message_sent');
		form.append('user_id', String(message.user_id));
		form.append('contact_id', String(message.contact_id));
		form.append('message', message.message);
		// PHP-style nesting, which the panel's backend (PHP) turns into an array of photo objects.
		message.attaches.forEach((photo, index) => {
			form.append(`attaches[${index}][file_url]`, photo.file_url);
			form.append(`attaches[${index}][big]`, photo.big);
		});
		if (message.attach) {
			const { bytes, fileName, mimeType } = message.attach;
			form.append('attach', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }), fileName);
		}
		let answer: ServiceAnswer;
		try {
			answer = await this.post(form, itemIndex);
		} catch (error) {
			throw error instanceof ItemError ? error.with({ details }) : error;
		}
		if (answer.status >= 200 && answer.status < 300) {
			// Redacted like the error path: a panel echoing the token must not put it into the output.
			return this.redactor.value(answer.json && typeof answer.json === 'object' ? (answer.json as IDataObject) : { response: answer.text });
		}
		const body = answer.json as { error?: unknown; message?: unknown } | undefined;
		const reason = typeof body?.error === 'string' ? body.error : typeof body?.message === 'string' ? body.message : undefined;
		throw new ItemError(
			this.caller.node,
			{
				message: `${OPERATOR}: ${reason ?? `HTTP ${answer.status}`}`,
				description: hintFor(answer.status),
				httpStatus: answer.status,
				response: answer.json ?? answer.text.slice(0, 500),
				itemIndex,
				outcome: outcomeForHttpStatus(answer.status),
				details,
			},
			this.redactor,
		);
	}

	/**
	 * Posts action "check_token", which is not a message, and returns the panel's HTTP status:
	 * 401/403 for a wrong token, otherwise the answer to an action it does not know.
	 */
	async checkToken(): Promise<number> {
		const form = new FormData();
		form.append('token', this.connection.apiToken);
		form.append('action', 'check_token');
		return (await this.post(form, 0)).status;
	}

	private async post(form: FormData, itemIndex: number): Promise<ServiceAnswer> {
		return await callService(this.caller, { method: 'POST', url: this.connection.apiUrl, headers: { accept: 'application/json' }, body: form }, itemIndex);
	}
}

function hintFor(status: number): string | undefined {
	if (status === 401 || status === 403) return 'The panel refused the token. Check "API Token" in the Operator Panel API credential.';
	if (status === 404) return 'Check "API Endpoint URL" in the Operator Panel API credential.';
	if (status === 413) return 'The attachment is too large for the panel; lower "Max File Size" or send a public photo URL instead.';
	if (status === 429 || status === 503) return 'The panel is busy and retries ran out. Set "Max Messages per Second", lower "Concurrency" or raise "Retries".';
	if (status === 400 || status === 422) return 'The panel refused the message; its answer is under "error details".';
	return undefined;
}
