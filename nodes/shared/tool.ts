import type { INodeProperties, UsableAsToolDescription } from 'n8n-workflow';

/**
 * What an AI agent sees of an action node. n8n builds the "<Node> Tool" variant from the node's
 * description (tool-generation/ai-tools.js): `toolVariant` gives it its own description for the
 * model, and `withToolOperations` offers that variant only the operations an agent may call
 * (`allowed`: resource -> operations). The others (answers to a waiting webhook, OAuth steps,
 * admin set-up) only make sense inside a workflow built for them. n8n's '@tool' display option is
 * true in the tool variant only, so the Resource and Operation fields come twice: in full for the
 * node, narrowed for the tool.
 */
export function toolVariant(description: string): UsableAsToolDescription {
	return { replacements: { description } };
}

export function withToolOperations(properties: INodeProperties[], allowed: Record<string, string[]>): INodeProperties[] {
	const resources = Object.keys(allowed);
	return properties.flatMap((property): INodeProperties[] => {
		const forResource = (property.displayOptions?.show?.resource as string[] | undefined)?.[0];
		const kept = property.name === 'resource' ? resources : property.name === 'operation' && forResource ? (allowed[forResource] ?? []) : undefined;
		if (!kept || !property.options) return [property];
		const show = property.displayOptions?.show ?? {};
		const options = property.options.filter((option) => 'value' in option && kept.includes(String(option.value)));
		return [
			{ ...property, displayOptions: { ...property.displayOptions, show: { ...show, '@tool': [false] } } },
			...(options.length > 0 ? [{ ...property, options, default: kept[0], displayOptions: { ...property.displayOptions, show: { ...show, '@tool': [true] } } }] : []),
		];
	});
}
