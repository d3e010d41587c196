import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { Redactor } from './redaction';
import { TransportError } from './transport';

/**
 * What became of one item's request:
 * - `failed`: it surely was not carried out (refused, invalid, answered with an error);
 * - `unknown`: it was sent but no clear answer came back, so it may have been carried out.
 */
export type ItemOutcome = 'failed' | 'unknown';

const itemDetails = new WeakMap<Error, IDataObject>();

/** Fields (for example the recipient) that describe the failed item in "continue on fail" output. */
export function withItemDetails<E extends Error>(error: E, details: IDataObject): E {
	itemDetails.set(error, { ...itemDetails.get(error), ...details });
	return error;
}

export function itemDetailsOf(error: Error): IDataObject {
	return itemDetails.get(error) ?? {};
}

export function outcomeOf(error: Error): ItemOutcome {
	return itemDetailsOf(error).outcome === 'unknown' ? 'unknown' : 'failed';
}

/** 5xx other than 503 may come after the server acted; 4xx, 429 and 503 mean it did not. */
export function outcomeForHttpStatus(status: number): ItemOutcome {
	return status >= 500 && status !== 503 ? 'unknown' : 'failed';
}

/** A parameter that cannot be used: names the field and says how to fix it. */
export function invalidParameter(
	node: INode,
	field: string,
	problem: string,
	itemIndex: number,
	fix?: string,
): NodeOperationError {
	return withItemDetails(
		new NodeOperationError(node, `Invalid "${field}": ${problem}`, {
			itemIndex,
			description: fix,
		}),
		{ outcome: 'failed' },
	);
}

export interface ApiFailure {
	service: string;
	message: string;
	description?: string;
	httpStatus?: number;
	/** The server's answer, shown under "error details"; redacted before it is kept. */
	response?: unknown;
	itemIndex: number;
	outcome?: ItemOutcome;
}

export function apiError(node: INode, failure: ApiFailure, redactor: Redactor): NodeApiError {
	const response = redactor.value(
		failure.response && typeof failure.response === 'object'
			? (failure.response as JsonObject)
			: ({ body: failure.response === undefined ? null : String(failure.response) } as JsonObject),
	);
	const error = new NodeApiError(node, response, {
		message: redactor.text(`${failure.service}: ${failure.message}`),
		description: failure.description === undefined ? undefined : redactor.text(failure.description),
		httpCode: failure.httpStatus === undefined ? undefined : String(failure.httpStatus),
		itemIndex: failure.itemIndex,
	});
	return withItemDetails(error, { outcome: failure.outcome ?? 'failed' });
}

export function transportFailure(
	node: INode,
	service: string,
	error: TransportError,
	itemIndex: number,
	redactor: Redactor,
): NodeApiError {
	const hints: Record<TransportError['kind'], string> = {
		'not-sent': `Check the ${service} base URL in the credential and that the server is reachable from n8n.`,
		'unknown-outcome':
			'It was not retried, to avoid sending twice. Check on the receiving side before sending it again.',
		'too-large': 'The server sent far more data than expected; check the base URL in the credential.',
		aborted: 'The execution was stopped.',
	};
	return apiError(
		node,
		{
			service,
			message: error.message,
			description: error.code ? `${hints[error.kind]} (${error.code})` : hints[error.kind],
			itemIndex,
			outcome: error.kind === 'unknown-outcome' || error.kind === 'too-large' ? 'unknown' : 'failed',
			response: { transportFailure: error.kind, reason: error.code ?? '' },
		},
		redactor,
	);
}
