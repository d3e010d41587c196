import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { CREDENTIAL_TEST_TUNING, credentialTestNode, credentialVerdict } from '../shared/credentialTest';
import { OpenPlatformClient, parseApiConnection } from './transport';

const NODE = credentialTestNode('OpenPlatform API', 'openPlatform');

/**
 * The OpenPlatform API credential's "Test" button; it sends no notification. With an app token it
 * reads one user. Without one (notify and badge URLs carry their own tokens) it only checks that an
 * OpenPlatform answers, with a request that costs no token failure: each one brings OpenPlatform's
 * IP block closer.
 */
export async function openPlatformApiConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await credentialVerdict(async () => {
		const connection = parseApiConnection(NODE, credential.data ?? {});
		const client = OpenPlatformClient.forApi(NODE, connection, CREDENTIAL_TEST_TUNING);
		const usersUrl = OpenPlatformClient.usersUrlOf(connection);
		if (usersUrl) {
			const field = connection.usersTokenUrl ? 'Users URL (With Token)' : 'App Access Token';
			await client.usersPage(client.checkUrl(usersUrl, 'users', field, 0), { limit: '1' }, 0);
			return { status: 'OK', message: 'OpenPlatform accepted the app token' };
		}
		if (await client.answersAsOpenPlatform()) {
			return { status: 'OK', message: 'OpenPlatform answers at this URL (no app token given, so no token was checked)' };
		}
		return { status: 'Error', message: 'No OpenPlatform v4 answers at this URL: check "OpenPlatform URL"' };
	});
}
