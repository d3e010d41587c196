import type { INode, INodeCredentialTestResult } from 'n8n-workflow';

import type { RetryPolicy } from './retry';

/** A credential test answers at once: the person waiting on the "Test" button gets no retries. */
export const CREDENTIAL_TEST_TUNING = {
	timeoutMs: 15_000,
	retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 } satisfies RetryPolicy,
};

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
