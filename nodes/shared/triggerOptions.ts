import type { INodeProperties } from 'n8n-workflow';

const MAX_BODY_DESCRIPTION = 'Larger calls (files included) are refused with 413 before any execution starts';

/** Body size limits the triggers offer; webhookCall() reads the chosen value. */
export const MAX_BODY_64_KB: INodeProperties = {
	displayName: 'Max Body Size (KB)',
	name: 'maxBodyKb',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 64,
	description: MAX_BODY_DESCRIPTION,
};

export const MAX_BODY_10_MB: INodeProperties = { ...MAX_BODY_64_KB, default: 10240 };

/** A trigger's "Options" collection: its body size limit plus its own options. */
export function triggerOptions(maxBodySize: INodeProperties, ...more: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [maxBodySize, ...more],
	};
}
