import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestNode, credentialVerdict } from '../shared/credentialTest';
import { CREDENTIAL_TEST_TUNING } from '../shared/defaults';
import { operatorService } from './transport';

const NODE = credentialTestNode('Operator Panel API', 'operator');

/**
 * The Operator Panel API credential's "Test" button. A declarative test cannot express it: the
 * harmless check is answered 401 for a wrong token but 400 (unknown action) for a right one, and
 * n8n fails every non-2xx answer of a declarative test.
 */
export async function operatorApiConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await credentialVerdict(async () => {
		const client = operatorService.connect({ node: NODE, credentials: credential.data ?? {}, credentialType: 'operatorApi', tuning: CREDENTIAL_TEST_TUNING });
		return verdictFor(await client.checkToken());
	});
}

function verdictFor(status: number): INodeCredentialTestResult {
	if (status === 401 || status === 403) return { status: 'Error', message: 'The panel refused the API token' };
	if (status === 404 || status === 405) return { status: 'Error', message: 'No Operator API at this URL' };
	if (status >= 300 && status < 400) {
		return { status: 'Error', message: `"API Endpoint URL" redirects elsewhere (HTTP ${status}): enter the final URL` };
	}
	if (status >= 500) return { status: 'Error', message: `The panel failed to answer (HTTP ${status}); try again later` };
	return { status: 'OK', message: 'The panel accepted the API token' };
}
