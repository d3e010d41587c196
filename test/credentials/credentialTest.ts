import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IAuthenticateGeneric,
	INode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { NodeTypeRegistry } from '../engine/runtime';

/**
 * Sends a credential's declarative test request the way n8n's credential tester does: expressions
 * resolved with `$credentials` by n8n-workflow's expression engine, the `authenticate` headers
 * added, the JSON body posted, then the `responseSuccessBody` rules applied to the answer.
 */
export async function runCredentialTest(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string; httpStatus: number }> {
	const test = credentialType.test as ICredentialTestRequest;
	const node: INode = { id: 't', name: 'Test', type: 'test.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypeRegistry({}) });
	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string') {
			return workflow.expression.getSimpleParameterValue(node, value, 'manual', { $credentials: data } as IDataObject);
		}
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
		}
		return value;
	};
	const request = test.request;
	const headers = resolve((credentialType.authenticate as IAuthenticateGeneric).properties.headers ?? {}) as Record<string, string>;
	const response = await fetch(`${String(resolve(request.baseURL))}${String(resolve(request.url))}`, {
		method: request.method,
		headers: { ...headers, 'content-type': 'application/json' },
		body: JSON.stringify(resolve(request.body)),
	});
	const body = (await response.json()) as IDataObject;
	if (!response.ok) return { status: 'Error', message: `HTTP ${response.status}`, httpStatus: response.status };
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message, httpStatus: response.status };
		}
	}
	return { status: 'OK', message: 'Connection tested successfully', httpStatus: response.status };
}
