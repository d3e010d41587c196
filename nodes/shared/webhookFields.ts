import type { INodeParameters, IWebhookDescription } from 'n8n-workflow';

/**
 * A webhook description's computed fields (path, responseMode, …) are expression templates, which
 * n8n evaluates on every call; with its default expression engine that is a round trip into an
 * isolate per field. n8n 2.40 and later look, under this registered symbol, for a plain function
 * per field and call it instead, when the function is declared for exactly that template and the
 * node's parameters hold no expression. Older n8n does not know the symbol and evaluates the
 * template. Each function must give what its template gives: test/nodes/shared/webhookFields.test.ts
 * checks that for every trigger against n8n's own evaluation.
 */
const NATIVE_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

type Field = 'path' | 'responseMode' | 'responseCode' | 'responseData';
export type FieldResolvers = Partial<Record<Field, (parameters: INodeParameters) => unknown>>;

/** The description with a plain function beside each listed template field. */
export function withNativeFields(description: IWebhookDescription, resolvers: FieldResolvers): IWebhookDescription {
	const entries = Object.entries(resolvers).map(([field, resolve]) => [field, { template: description[field as Field], resolve }]);
	return { ...description, [NATIVE_RESOLVERS]: Object.fromEntries(entries) } as IWebhookDescription;
}

/** The functions declared for a description (for the parity test). */
export function nativeFieldsOf(description: IWebhookDescription): FieldResolvers {
	const entries = (description as unknown as Record<symbol, Record<string, { resolve: (parameters: INodeParameters) => unknown }> | undefined>)[NATIVE_RESOLVERS] ?? {};
	return Object.fromEntries(Object.entries(entries).map(([field, entry]) => [field, entry.resolve]));
}
