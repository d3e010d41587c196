import type { INode, INodeCredentialTestResult } from 'n8n-workflow';

/** Errors need a node to belong to; a credential test runs outside any workflow. */
export function credentialTestNode(credentialName: string, nodeType: string): INode {
	return { id: `${nodeType}-credential-test`, name: `${credentialName} credential`, type: nodeType, typeVersion: 1, position: [0, 0], parameters: {} };
}

/** Runs a check; any error (already worded and redacted by the service client) is the verdict. */
export async function credentialVerdict(check: () => Promise<INodeCredentialTestResult>): Promise<INodeCredentialTestResult> {
	try {
		return await check();
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
