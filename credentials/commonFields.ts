import type { INodeProperties } from 'n8n-workflow';

/** Credential fields that several services share, written once. */

export const ignoreSslIssuesField: INodeProperties = {
	displayName: 'Ignore SSL Issues (Insecure)',
	name: 'ignoreSslIssues',
	type: 'boolean',
	default: false,
	description: 'Whether to accept invalid TLS certificates, for self-hosted servers with their own certificates',
};

export const oneChatBaseUrlField: INodeProperties = {
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	default: 'https://app.onechat.net/onechat/api',
	description: 'The OneChat API root; operations are called at <Base URL>/massBroadcast and so on',
};

export const oneChatBodyEncodingField: INodeProperties = {
	displayName: 'Body Encoding',
	name: 'bodyEncoding',
	type: 'options',
	options: [
		{ name: 'JSON', value: 'json' },
		{ name: 'Form (URL-Encoded)', value: 'form' },
	],
	default: 'json',
	description: 'How request bodies are encoded. The OneChat documentation does not say; JSON works with the public API.',
};

/**
 * OneChat answers "Unauthorized" in the description of a refused key, even with HTTP 200. The
 * header is set here, for the Test button only: at run time the OneChat client (nodes/OneChat/
 * transport.ts) sends it, so the credentials have no `authenticate` block that nothing else uses.
 */
export const oneChatTestRequestBase = {
	baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
	url: '/authenticateUser',
	method: 'POST',
	headers: { apikey: '={{$credentials.apiKey}}' },
	skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
} as const;
