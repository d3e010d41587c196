import type { INodeProperties } from 'n8n-workflow';

export function showFor(operation: string): INodeProperties['displayOptions'] {
	return { show: { resource: ['oauth'], operation: [operation] } };
}

export function codeField(operation: string, extraShow: Record<string, string[]> = {}): INodeProperties {
	return {
		displayName: 'Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '={{ $json.query?.code }}',
		description:
			'The code OpenPlatform sent to the redirect URI, or that whole callback URL (the code is taken from it, even when OpenPlatform appended "?code=" to a URL that already had a query)',
		displayOptions: { show: { resource: ['oauth'], operation: [operation], ...extraShow } },
	};
}
