import type { IDataObject, INode } from 'n8n-workflow';

import { ItemError, outcomeForHttpStatus, parseParameters, parseResponse } from '../shared/errors';
import { callService, type ServiceCaller } from '../shared/http';
import { Redactor } from '../shared/redaction';
import type { ClientSetup, Service } from '../shared/runner';
import { z } from '../shared/vendor';

/** The only place that knows OneChat's URLs, its `apikey` header and its {status, description} answers. */

export const ONECHAT = 'OneChat';

/** The code of an ItemError for a refused API key. */
const KEY_REFUSED = 'onechat-key-refused';

type MessageEndpoint = 'massBroadcast' | 'singleMessage' | 'groupMessage';
export type OneChatEndpoint = MessageEndpoint | 'registerMiniApp' | 'authenticateUser';

const connectionSchema = z.object({
	baseUrl: z
		.string()
		.trim()
		.url('must be a URL such as https://app.onechat.net/onechat/api')
		.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://')
		.transform((url) => url.replace(/\/+$/, '')),
	apiKey: z.string().min(1, 'is empty'),
	appId: z.string().trim().min(1, 'is empty').optional(),
	bodyEncoding: z.enum(['json', 'form']).default('json'),
	ignoreSslIssues: z.boolean().default(false),
});

const connectionLabels = {
	baseUrl: 'Base URL (credential)',
	apiKey: 'API Key (credential)',
	appId: 'App ID (credential)',
	bodyEncoding: 'Body Encoding (credential)',
};

type OneChatConnection = z.output<typeof connectionSchema>;

const answerSchema = z.object({ status: z.string(), description: z.string().optional() }).passthrough();

export type OneChatAnswer = z.infer<typeof answerSchema>;

const authenticationSchema = z.object({
	isAuthenticated: z
		.union([z.boolean(), z.string().regex(/^(true|false)$/i, 'must be true or false')])
		.transform((value) => value === true || String(value).toLowerCase() === 'true'),
});

/** Makes the client of a run, a trigger or a credential test from either OneChat credential. */
export const oneChatService: Service<OneChatClient> = {
	credentialType: 'oneChatApi',
	connect: (setup) => new OneChatClient(setup),
};

export class OneChatClient {
	readonly redactor: Redactor;

	/** Set once OneChat refused the API key in this run: no later request of the run can succeed. */
	keyRefusal: ItemError | undefined;

	private readonly connection: OneChatConnection;

	private readonly caller: ServiceCaller;

	constructor({ node, credentials, tuning, controls }: ClientSetup) {
		this.connection = parseParameters(node, connectionSchema, credentials, connectionLabels, 0);
		this.redactor = new Redactor([this.connection.apiKey]);
		this.caller = { node, service: ONECHAT, redactor: this.redactor, tuning, controls, ignoreSslIssues: this.connection.ignoreSslIssues };
	}

	get node(): INode {
		return this.caller.node;
	}

	/** Asks OneChat whether a mini-app user's session is valid; needs the mini-app credential. */
	async authenticateUser(jid: string, sessionId: string, itemIndex: number): Promise<boolean> {
		const fields = { jid, sessionId, appId: this.connection.appId ?? '', apiKey: this.connection.apiKey };
		const answer = await this.post('authenticateUser', fields, itemIndex, { jid });
		return parseResponse(this.node, ONECHAT, authenticationSchema, answer, itemIndex, this.redactor).isAuthenticated;
	}

	/** Sends a message to a target (a user or group JID, a domain); the result names the target. */
	async sendTo(endpoint: MessageEndpoint, target: { jid: string } | { domain: string }, message: string, itemIndex: number): Promise<IDataObject> {
		const answer = await this.post(endpoint, { ...target, message }, itemIndex, target);
		return { ...target, status: answer.status, description: answer.description ?? '' };
	}

	/**
	 * Posts to an endpoint; an `Error` status (even with HTTP 200) is thrown as an ItemError that
	 * carries `details` (the recipient), so a failed item still says whom it was for.
	 */
	async post(endpoint: OneChatEndpoint, fields: Record<string, string>, itemIndex: number, details?: IDataObject): Promise<OneChatAnswer> {
		try {
			return await this.postOnce(endpoint, fields, itemIndex);
		} catch (error) {
			throw details && error instanceof ItemError ? error.with({ details }) : error;
		}
	}

	private async postOnce(endpoint: OneChatEndpoint, fields: Record<string, string>, itemIndex: number): Promise<OneChatAnswer> {
		const form = this.connection.bodyEncoding === 'form';
		const answer = await callService(
			this.caller,
			{
				method: 'POST',
				url: `${this.connection.baseUrl}/${endpoint}`,
				headers: {
					apikey: this.connection.apiKey,
					'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
					accept: 'application/json',
				},
				body: form ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
			},
			itemIndex,
		);
		const ok = answer.status >= 200 && answer.status < 300;
		// A failed HTTP status without JSON is reported as such; any other answer must have OneChat's shape.
		const body =
			answer.json === undefined && !ok
				? undefined
				: isPlainAnswer(answer.json)
					? answer.json
					: parseResponse(this.node, ONECHAT, answerSchema, answer.json, itemIndex, this.redactor, answer.status);
		if (body && ok && body.status.toLowerCase() === 'success') return body;
		const description = body?.description;
		const keyRefused = isUnauthorized(description, answer.status);
		const message = body ? (description && description !== '-' ? description : `${endpoint} failed`) : `HTTP ${answer.status} without a JSON answer`;
		const error = new ItemError(
			this.node,
			{
				message: `${ONECHAT}: ${message}`,
				description: hintFor(description, answer.status),
				httpStatus: answer.status,
				response: body ?? answer.text.slice(0, 500),
				itemIndex,
				outcome: outcomeForHttpStatus(answer.status),
				code: keyRefused ? KEY_REFUSED : undefined,
			},
			this.redactor,
		);
		if (keyRefused) this.keyRefusal ??= error;
		throw error;
	}
}

/** Exactly what `answerSchema` accepts, checked without zod (whose parse copies every answer); zod words the errors. */
function isPlainAnswer(value: unknown): value is OneChatAnswer {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const { status, description } = value as Record<string, unknown>;
	return typeof status === 'string' && (description === undefined || typeof description === 'string');
}

function isUnauthorized(description: string | undefined, status: number): boolean {
	return description?.toLowerCase() === 'unauthorized' || status === 401 || status === 403;
}

function hintFor(description: string | undefined, status: number): string | undefined {
	if (isUnauthorized(description, status)) return 'OneChat refused the API key. Check "API Key" in the OneChat credential.';
	if (status === 429 || status === 503) {
		return 'OneChat is busy and retries ran out. Set "Max Messages per Second", lower "Concurrency" or raise "Retries" in the node options.';
	}
	if (status === 404) return 'Check "Base URL" in the OneChat credential; it should end with /onechat/api.';
	return undefined;
}
