import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import type { Redactor } from './redaction';
import { z, type ZodIssue, type ZodTypeAny } from './vendor';

/**
 * What became of one item's request:
 * - `failed`: it surely was not carried out (refused, invalid, answered with an error);
 * - `unknown`: it was sent but no clear answer came back, so it may have been carried out.
 */
export type ItemOutcome = 'failed' | 'unknown';

export interface ItemErrorInit {
	/** Starts with the service's name for service failures ("OneChat: ..."). */
	message: string;
	description?: string;
	itemIndex: number;
	outcome?: ItemOutcome;
	httpStatus?: number;
	/** The server's answer, shown under "error details". */
	response?: unknown;
	/** The service's own name for the failure (OpenPlatform's `error-offline`...), or one the client gives it. */
	code?: string;
	/** Fields describing the item (the recipient...) for "continue on fail" output. */
	details?: IDataObject;
}

/**
 * The package's one error type. It carries what the item runner and the callers need (outcome,
 * the service's code, the item's details) instead of side tables, and it is never changed after
 * it is thrown: `with()` makes a copy. Texts pass the redactor before they are stored.
 */
export class ItemError extends NodeApiError {
	readonly outcome: ItemOutcome;

	readonly code: string | undefined;

	readonly details: IDataObject;

	/** Already redacted; kept (not enumerable, so never serialized twice) for with(). */
	private declare readonly init: ItemErrorInit;

	constructor(node: INode, init: ItemErrorInit, redactor?: Redactor) {
		const clean = redactor ? redacted(init, redactor) : init;
		const response = clean.response && typeof clean.response === 'object' ? clean.response : { body: clean.response ?? null };
		super(node, response as JsonObject, {
			message: clean.message,
			description: clean.description,
			httpCode: clean.httpStatus === undefined ? undefined : String(clean.httpStatus),
			itemIndex: clean.itemIndex,
		});
		Object.defineProperty(this, 'init', { value: clean, enumerable: false });
		this.outcome = clean.outcome ?? 'failed';
		this.code = clean.code;
		this.details = clean.details ?? {};
	}

	/** A copy with more details, or with a report added to the description. */
	with(change: { details?: IDataObject; report?: string }): ItemError {
		const description = change.report ? [this.init.description, change.report].filter(Boolean).join('\n\n') : this.init.description;
		return new ItemError(this.node, { ...this.init, description, details: { ...this.details, ...change.details } });
	}
}

function redacted(init: ItemErrorInit, redactor: Redactor): ItemErrorInit {
	return {
		...init,
		message: redactor.text(init.message),
		description: init.description === undefined ? undefined : redactor.text(init.description),
		response: init.response === undefined || typeof init.response === 'object' ? redactor.value(init.response) : redactor.text(String(init.response)),
	};
}

/** Any error thrown while an item ran (n8n's own, an expression's...) as an ItemError. */
export function toItemError(node: INode, caught: unknown, itemIndex: number): ItemError {
	if (caught instanceof ItemError) return caught;
	const error = caught instanceof Error ? caught : new Error(String(caught));
	const description = (error as { description?: string | null }).description ?? undefined;
	return new ItemError(node, { message: error.message, description, itemIndex });
}

/** 5xx other than 503 may come after the server acted; 4xx, 429 and 503 mean it did not. */
export function outcomeForHttpStatus(status: number): ItemOutcome {
	return status >= 500 && status !== 503 ? 'unknown' : 'failed';
}

/** A parameter that cannot be used: names the field and says how to fix it. */
export function invalidParameter(node: INode, field: string, problem: string, itemIndex: number, fix?: string): ItemError {
	return new ItemError(node, { message: `Invalid "${field}": ${problem}`, description: fix, itemIndex });
}

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
	const accepted = parseFieldsRemembered(schema, values);
	if (accepted) return accepted as z.output<S>;
	const result = schema.safeParse(values);
	if (result.success) return result.data as z.output<S>;
	const issue = result.error.issues[0];
	const key = String(issue.path[0] ?? '');
	const nested = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join('.')})` : '';
	throw invalidParameter(node, labels[key] ?? key, `${issue.message}${nested}`, itemIndex, missingHint(issue));
}

type Primitive = string | number | boolean | null | undefined;

/** The last text, number or flag each field schema accepted, and what it made of it. */
const lastAccepted = new WeakMap<ZodTypeAny, { input: Primitive; output: Primitive }>();

/**
 * A plain object schema checked field by field, each field's last accepted value remembered: the
 * same Message for 10,000 items is checked once, not 10,000 times. Schemas are pure, so this gives
 * what `schema.safeParse` gives; undefined means "not this way" (another kind of schema, or a field
 * refused: the whole schema then words the error).
 */
function parseFieldsRemembered(schema: ZodTypeAny, values: unknown): Record<string, unknown> | undefined {
	if (!(schema instanceof z.ZodObject) || schema._def.unknownKeys !== 'strip' || !(schema._def.catchall instanceof z.ZodNever) || values === null || typeof values !== 'object') return undefined;
	const input = values as Record<string, unknown>;
	const data: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(schema.shape as Record<string, ZodTypeAny>)) {
		const value = input[key];
		const last = lastAccepted.get(field);
		let output: unknown;
		if (last !== undefined && last.input === value && isPrimitive(value)) {
			output = last.output;
		} else {
			const result = field.safeParse(value);
			if (!result.success) return undefined;
			output = result.data;
			if (isPrimitive(value) && isPrimitive(output)) lastAccepted.set(field, { input: value, output });
		}
		// As zod does: a key given in the input is kept even when its value is undefined.
		if (output !== undefined || key in input) data[key] = output;
	}
	return data;
}

function isPrimitive(value: unknown): value is Primitive {
	return value === null || (typeof value !== 'object' && typeof value !== 'function');
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
	throw new ItemError(
		node,
		{
			message: `${service}: unexpected answer (${issue.path.join('.') || 'body'}: ${issue.message})`,
			description: 'The server answered in a shape this node does not know. Check the base URL in the credential.',
			httpStatus,
			response: body,
			itemIndex,
			outcome: 'unknown',
		},
		redactor,
	);
}

function missingHint(issue: ZodIssue): string | undefined {
	return issue.code === 'invalid_type' && issue.received === 'undefined' ? 'Fill in this field.' : undefined;
}
