import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { apiError, outcomeForHttpStatus } from '../shared/errors';
import { Redactor } from '../shared/redaction';
import type { RetryPolicy } from '../shared/retry';
import { callService, encodeBody, type BodyEncoding, type ServiceCallContext } from '../shared/serviceCall';
import { parseParameters, parseResponse } from '../shared/validation';
import { z } from '../shared/vendor';

/** The only place that knows OneChat's URLs, its `apikey` header and its {status, description} answers. */

export const ONECHAT = 'OneChat';

export type OneChatEndpoint =
	| 'massBroadcast'
	| 'singleMessage'
	| 'groupMessage'
	| 'registerMiniApp'
	| 'authenticateUser';

export type OneChatCredentialType = 'oneChatApi' | 'oneChatMiniAppApi';

export interface OneChatConnection {
	baseUrl: string;
	apiKey: string;
	/** Set for the mini-app credential only. */
	appId?: string;
	bodyEncoding: BodyEncoding;
	ignoreSslIssues: boolean;
}

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

export function parseOneChatConnection(node: INode, credentials: ICredentialDataDecryptedObject): OneChatConnection {
	return parseParameters(
		node,
		connectionSchema,
		credentials,
		{
			baseUrl: 'Base URL (credential)',
			apiKey: 'API Key (credential)',
			appId: 'App ID (credential)',
			bodyEncoding: 'Body Encoding (credential)',
		},
		0,
	);
}

const answerSchema = z
	.object({ status: z.string(), description: z.string().optional() })
	.passthrough();

export type OneChatAnswer = z.infer<typeof answerSchema>;

const authenticationSchema = z.object({
	isAuthenticated: z
		.union([z.boolean(), z.string().regex(/^(true|false)$/i, 'must be true or false')])
		.transform((value) => value === true || String(value).toLowerCase() === 'true'),
});

const credentialRejections = new WeakSet<Error>();

/** True when OneChat refused the API key itself: no later request of the run can succeed. */
export function isCredentialRejection(error: unknown): boolean {
	return error instanceof Error && credentialRejections.has(error);
}

export interface OneChatTuning {
	timeoutMs?: number;
	retry?: RetryPolicy;
	maxConnectionsPerOrigin?: number;
}

export class OneChatClient {
	readonly redactor: Redactor;

	private readonly call: ServiceCallContext;

	constructor(
		node: INode,
		private readonly connection: OneChatConnection,
		private readonly tuning: OneChatTuning = {},
	) {
		this.redactor = new Redactor([connection.apiKey]);
		this.call = {
			node,
			service: ONECHAT,
			redactor: this.redactor,
			retry: tuning.retry,
			transport: {
				ignoreSslIssues: connection.ignoreSslIssues,
				maxConnectionsPerOrigin: tuning.maxConnectionsPerOrigin,
			},
		};
	}

	/** Asks OneChat whether a mini-app user's session is valid; needs the mini-app credential. */
	async authenticateUser(jid: string, sessionId: string, itemIndex: number): Promise<boolean> {
		const appId = this.connection.appId ?? '';
		const fields = { jid, sessionId, appId, apiKey: this.connection.apiKey };
		const answer = await this.post('authenticateUser', fields, itemIndex);
		const { isAuthenticated } = parseResponse(
			this.call.node,
			ONECHAT,
			authenticationSchema,
			answer,
			itemIndex,
			this.redactor,
		);
		return isAuthenticated;
	}

	/** Posts to an endpoint; an `Error` status (even with HTTP 200) is thrown as a node error. */
	async post(endpoint: OneChatEndpoint, fields: Record<string, string>, itemIndex: number): Promise<OneChatAnswer> {
		const { body, contentType } = encodeBody(fields, this.connection.bodyEncoding);
		const answer = await callService(
			this.call,
			{
				method: 'POST',
				url: `${this.connection.baseUrl}/${endpoint}`,
				headers: { apikey: this.connection.apiKey, 'content-type': contentType, accept: 'application/json' },
				body,
				timeoutMs: this.tuning.timeoutMs,
			},
			itemIndex,
		);
		const ok = answer.status >= 200 && answer.status < 300;
		if (answer.json === undefined && !ok) throw this.httpFailure(answer.status, answer.text, itemIndex);
		const parsed = parseResponse(this.call.node, ONECHAT, answerSchema, answer.json, itemIndex, this.redactor, answer.status);
		if (!ok || parsed.status.toLowerCase() !== 'success') {
			const error = apiError(
				this.call.node,
				{
					service: ONECHAT,
					message: parsed.description && parsed.description !== '-' ? parsed.description : `${endpoint} failed`,
					description: hintFor(parsed.description, answer.status),
					httpStatus: answer.status,
					response: parsed as IDataObject,
					itemIndex,
					outcome: outcomeForHttpStatus(answer.status),
				},
				this.redactor,
			);
			if (isUnauthorized(parsed.description, answer.status)) credentialRejections.add(error);
			throw error;
		}
		return parsed;
	}

	private httpFailure(status: number, text: string, itemIndex: number) {
		return apiError(
			this.call.node,
			{
				service: ONECHAT,
				message: `HTTP ${status} without a JSON answer`,
				description: hintFor(undefined, status),
				httpStatus: status,
				response: text.slice(0, 500),
				itemIndex,
				outcome: outcomeForHttpStatus(status),
			},
			this.redactor,
		);
	}
}

function isUnauthorized(description: string | undefined, status: number): boolean {
	return description?.toLowerCase() === 'unauthorized' || status === 401 || status === 403;
}

function hintFor(description: string | undefined, status: number): string | undefined {
	if (isUnauthorized(description, status)) {
		return 'OneChat refused the API key. Check "API Key" in the OneChat credential.';
	}
	if (status === 429 || status === 503) {
		return 'OneChat is busy and retries ran out. Lower "Concurrency" or raise "Retries" in the node options.';
	}
	if (status === 404) return 'Check "Base URL" in the OneChat credential; it should end with /onechat/api.';
	return undefined;
}
