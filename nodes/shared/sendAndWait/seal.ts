import { createHmac } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { secretsEqual } from '../webhook';

/**
 * The node's own seal on its answer links. n8n 2.x signs waiting-webhook links and refuses a
 * changed one before the node sees it; n8n 1.x does not check them, so there anybody who knows an
 * execution's ID (1.x numbers them) could answer for it, or turn an Approve link into a Decline.
 * The seal is an HMAC of the execution, the node and the link's answer, keyed by the node's
 * credential, which only n8n holds: the page refuses a link without a valid seal on every
 * version. (Editing the credential during a wait therefore voids that wait's links.)
 */

export const SEAL_PARAMETER = 'seal';

/** Query parameters the seal does not cover: n8n's own signature, and the seal itself. */
const UNSEALED = new Set([SEAL_PARAMETER, 'signature']);

function payload(executionId: string, nodeId: string, query: Record<string, unknown>): string {
	const entries = Object.keys(query)
		.filter((name) => !UNSEALED.has(name))
		.sort()
		.map((name) => `${name}=${String(query[name])}`);
	return `${executionId}/${nodeId}?${entries.join('&')}`;
}

function keyOf(credentials: ICredentialDataDecryptedObject): string {
	return JSON.stringify(Object.keys(credentials).sort().map((name) => [name, credentials[name]]));
}

export function sealFor(credentials: ICredentialDataDecryptedObject, executionId: string, nodeId: string, query: Record<string, unknown>): string {
	return createHmac('sha256', keyOf(credentials)).update(payload(executionId, nodeId, query)).digest('base64url');
}

/** The execution's ID from the waiting-webhook URL: `…/webhook-waiting/<execution ID>/<node ID>?…`. */
export function executionIdInPath(url: string, nodeId: string): string | undefined {
	const segments = url.split('?')[0].split('/').map((segment) => decodeURIComponent(segment));
	const at = segments.lastIndexOf(nodeId);
	return at > 0 ? segments[at - 1] : undefined;
}

export function sealIsValid(credentials: ICredentialDataDecryptedObject, url: string, nodeId: string, query: Record<string, unknown>): boolean {
	const executionId = executionIdInPath(url, nodeId);
	const given = query[SEAL_PARAMETER];
	if (executionId === undefined || typeof given !== 'string') return false;
	return secretsEqual(given, sealFor(credentials, executionId, nodeId, query));
}
