import type { INodeProperties } from 'n8n-workflow';

/** Fields that several message operations show, written once. */

export function showFor(operation: string): INodeProperties['displayOptions'] {
	return { show: { resource: ['message'], operation: [operation] } };
}

export function messageField(operation: string): INodeProperties {
	return {
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'Hi',
		description: 'Text to send',
		displayOptions: showFor(operation),
	};
}

/** The one required text field naming where a message goes. */
export function targetField(operation: string, field: Pick<INodeProperties, 'displayName' | 'name' | 'placeholder' | 'description'>): INodeProperties {
	return { ...field, type: 'string', required: true, default: '', displayOptions: showFor(operation) };
}
