import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IAuthenticateGeneric,
	INode,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { NodeTypeRegistry } from '../engine/runtime';

/**
 * Sends a credential's declarative test request the way n8n's credential tester does: expressions
 * resolved with `$credentials` by n8n-workflow's expression engine, the `authenticate` headers
 * added, the body posted (JSON unless it is text), then the rules applied to the answer as n8n
 * applies them. test/e2e/credentials.e2e.test.ts runs the same buttons through the real n8n.
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
	// As n8n 2.40's CredentialsTester: responseCode rules only for a request that failed (HTTP error
	// not ignored); responseSuccessBody rules on the first output item, and a JSON array answer
	// becomes one item per element (n8n-core's RoutingNode).
	if (!response.ok && !request.ignoreHttpStatusErrors) {
		const rule = test.rules?.find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === response.status);
		const message = rule ? rule.properties.message : response.statusText || `Received HTTP status code: ${response.status}`;
		return { status: 'Error', message, httpStatus: response.status };
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const firstItem = Array.isArray(json) ? json[0] : json;
	for (const rule of test.rules ?? []) {
		// n8n reads the key with lodash's get.
		if (rule.type === 'responseSuccessBody' && valueAt(firstItem, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message, httpStatus: response.status };
		}
	}
	return { status: 'OK', message: 'Connection successful!', httpStatus: response.status };
}

function valueAt(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

type CredentialTestFunction = (this: ICredentialTestFunctions, credential: ICredentialsDecrypted) => Promise<INodeCredentialTestResult>;

/** Presses a node-based "Test" button: the function uses nothing from n8n's context (the e2e suite runs it in n8n). */
export function testButtonOf(test: CredentialTestFunction, type: string) {
	return async (data: ICredentialDataDecryptedObject) => await test.call({} as ICredentialTestFunctions, { id: '1', name: type, type, data });
}

/** n8n stops at the first node naming the credential with testedBy, so each such node must carry the function. */
export function itIsTestedByEachNode(credential: ICredentialType, nodes: Array<[string, INodeType]>, name: string, test: CredentialTestFunction): void {
	it.each(nodes)(`is the %s node's "${name}" test, which n8n finds through "testedBy"`, (_, node) => {
		expect(credential).not.toHaveProperty('test');
		const declared = node.description.credentials?.find((entry) => entry.name === credential.name);
		expect(declared?.testedBy).toBe(name);
		expect(node.methods?.credentialTest?.[name]).toBe(test);
	});
}
