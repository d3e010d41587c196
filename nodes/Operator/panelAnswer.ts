import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { parseParameters } from '../shared/errors';
import { ParameterReader } from '../shared/parameters';
import type { ZodTypeAny } from '../shared/vendor';

/**
 * What the Operator Panel node and the Operator Trigger share about answering the panel's
 * pending requests: the node's name, the answer operations, and how an answer leaves.
 */

/** The Operator Panel node's `description.name`; the trigger matches downstream nodes on it. */
export const OPERATOR_NODE_NAME = 'operator';

/** The Operator Panel operations (resource "panelRequest") that answer a request event. */
export type PanelAnswerOperation = 'answerUserInfo' | 'answerPrivateMedia';

/**
 * Answers the panel's pending request (the Operator Trigger waits for it) after checking the shape
 * the panel expects. A wrong shape never leaves: the panel gets a 500 and the execution an error
 * naming the field. The first input item is answered, as n8n's Respond to Webhook node does.
 */
export async function answerPanel(
	context: IExecuteFunctions,
	schema: ZodTypeAny,
	labels: Record<string, string>,
	read: (params: ParameterReader) => unknown,
): Promise<INodeExecutionData[][]> {
	const params = new ParameterReader(context);
	let answer: IDataObject;
	try {
		answer = parseParameters(context.getNode(), schema, read(params), labels, 0) as IDataObject;
	} catch (error) {
		await context.sendResponse({
			statusCode: 500,
			headers: { 'content-type': 'application/json; charset=utf-8' },
			body: { error: 'The site could not build a valid answer' },
		});
		// Always fails, even with "continue on fail": an output item here would be sent to the
		// panel as a 200 answer by "When Last Node Finishes", and a failed last node gives a 500.
		throw error instanceof NodeOperationError || error instanceof Error ? error : new NodeOperationError(context.getNode(), String(error));
	}
	await context.sendResponse({ statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: answer });
	return [[{ json: answer, pairedItem: { item: 0 } }]];
}

/** Reads a list parameter that may be a JSON text (typed in the editor) or an array (from an expression). */
export function listParameter(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value === '' ? '[]' : value) as unknown;
	} catch {
		return value;
	}
}
