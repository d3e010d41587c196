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
 * added, the body posted (JSON unless it is text), then the `responseCode` and
 * `responseSuccessBody` rules applied to the answer.
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
	const authHeaders = (credentialType.authenticate as IAuthenticateGeneric | undefined)?.properties.headers ?? {};
	const headers = resolve({ 'content-type': 'application/json', ...request.headers, ...authHeaders }) as Record<string, string>;
	const body = resolve(request.body);
	const response = await fetch(`${String(resolve(request.baseURL ?? ''))}${String(resolve(request.url))}`, {
		method: request.method,
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseCode' && response.status === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message, httpStatus: response.status };
		}
	}
	if (!response.ok && !request.ignoreHttpStatusErrors) {
		return { status: 'Error', message: `HTTP ${response.status}`, httpStatus: response.status };
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	for (const rule of test.rules ?? []) {
		// n8n reads the key with lodash's get, so "0.name" reaches into an array.
		const value = rule.type === 'responseSuccessBody' ? valueAt(json, rule.properties.key) : undefined;
		if (rule.type === 'responseSuccessBody' && value === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message, httpStatus: response.status };
		}
	}
	return { status: 'OK', message: 'Connection tested successfully', httpStatus: response.status };
}

function valueAt(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}
