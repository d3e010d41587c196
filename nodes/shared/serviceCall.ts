import type { INode } from 'n8n-workflow';

import { transportFailure } from './errors';
import type { Redactor } from './redaction';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry';
import { sendHttpRequest, TransportError, type HttpRequest, type TransportSettings } from './transport';

export type BodyEncoding = 'json' | 'form';

export interface ServiceRequest extends Omit<HttpRequest, 'timeoutMs' | 'maxResponseBytes'> {
	timeoutMs?: number;
	maxResponseBytes?: number;
}

export interface ServiceCallContext {
	node: INode;
	/** The service's name as users know it; starts every error message. */
	service: string;
	redactor: Redactor;
	transport: TransportSettings;
	retry?: RetryPolicy;
}

export interface ServiceAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** The parsed body, or undefined when the body is not JSON. */
	json: unknown;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Sends one request with the shared retry policy; transport failures become node errors. */
export async function callService(
	context: ServiceCallContext,
	request: ServiceRequest,
	itemIndex: number,
): Promise<ServiceAnswer> {
	const full: HttpRequest = {
		...request,
		timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		maxResponseBytes: request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
	};
	const response = await withRetries(
		async () => await sendHttpRequest(full, context.transport),
		context.retry ?? DEFAULT_RETRY_POLICY,
	);
	if (response instanceof TransportError) {
		throw transportFailure(context.node, context.service, response, itemIndex, context.redactor);
	}
	const text = response.body.toString('utf8');
	return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

export function encodeBody(
	fields: Record<string, string>,
	encoding: BodyEncoding,
): { body: string; contentType: string } {
	return encoding === 'form'
		? { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' }
		: { body: JSON.stringify(fields), contentType: 'application/json' };
}

function parseJson(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
