import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/**
 * Reads node parameters for many items cheaply: a parameter holding no expression has the same
 * value for every item, so it is resolved once instead of once per item.
 */
export class ParameterReader {
	private readonly constants = new Map<string, unknown>();

	constructor(private readonly context: IExecuteFunctions) {}

	get<T = NodeParameterValueType>(name: string, itemIndex: number, fallback?: T): T {
		if (this.constants.has(name)) return this.constants.get(name) as T;
		const value = this.context.getNodeParameter(name, itemIndex, fallback) as T;
		if (!containsExpression(rawParameter(this.context, name))) this.constants.set(name, value);
		return value;
	}
}

function rawParameter(context: IExecuteFunctions, name: string): unknown {
	let value: unknown = context.getNode().parameters;
	for (const key of name.split('.')) {
		if (!value || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}
