import type { INode } from 'n8n-workflow';

import { apiError, invalidParameter } from './errors';
import type { Redactor } from './redaction';
import type { z, ZodIssue, ZodTypeAny } from './vendor';

/**
 * Parses node parameters with a zod schema. On failure the error names the parameter by its
 * display name (from `labels`) and carries the schema's message, which says what is expected.
 */
export function parseParameters<S extends ZodTypeAny>(
	node: INode,
	schema: S,
	values: unknown,
	labels: Record<string, string>,
	itemIndex: number,
): z.output<S> {
	const result = schema.safeParse(values);
	if (result.success) return result.data as z.output<S>;
	const issue = result.error.issues[0];
	const key = String(issue.path[0] ?? '');
	const label = labels[key] ?? key;
	const nested = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join('.')})` : '';
	return fail(invalidParameter(node, label, `${issue.message}${nested}`, itemIndex, labelHint(issue)));
}

/** Checks the shape of an answer, so a changed or broken server gives a clear error. */
export function parseResponse<S extends ZodTypeAny>(
	node: INode,
	service: string,
	schema: S,
	body: unknown,
	itemIndex: number,
	redactor: Redactor,
	httpStatus?: number,
): z.output<S> {
	const result = schema.safeParse(body);
	if (result.success) return result.data as z.output<S>;
	const issue = result.error.issues[0];
	return fail(
		apiError(
			node,
			{
				service,
				message: `unexpected answer (${issue.path.join('.') || 'body'}: ${issue.message})`,
				description: 'The server answered in a shape this node does not know. Check the base URL in the credential.',
				httpStatus,
				response: body,
				itemIndex,
				outcome: 'unknown',
			},
			redactor,
		),
	);
}

function labelHint(issue: ZodIssue): string | undefined {
	if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'Fill in this field.';
	return undefined;
}

function fail(error: Error): never {
	throw error;
}
