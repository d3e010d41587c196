import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { credentialTestNode, credentialVerdict } from '../shared/credentialTest';
import { CREDENTIAL_TEST_TUNING } from '../shared/defaults';
import { ItemError } from '../shared/errors';
import { openPlatformService } from './transport';

const NODE = credentialTestNode('OpenPlatform API', 'openPlatform');
const OAUTH_NODE = credentialTestNode('OpenPlatform OAuth2 API', 'openPlatform');

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
		const credentialType = 'openPlatformApi';
		const client = openPlatformService.connect({ node: NODE, credentials: credential.data ?? {}, credentialType, tuning: CREDENTIAL_TEST_TUNING });
		if (client.usersUrl) {
			await client.usersPage(client.checkUrl(client.usersUrl, 'users', client.usersUrlField, 0), { limit: '1' }, 0);
			if (!client.hasOriginToken) return { status: 'OK', message: 'OpenPlatform accepted the app token' };
			// OpenPlatform 4.9 caches a token that passed for the rest of the minute and skips the origin check for it.
			return {
				status: 'OK',
				message:
					'OpenPlatform accepted the app token and the origin token. If the app token was used with another origin token in the last minute, OpenPlatform did not check this one: press Test again a minute later to be sure',
			};
		}
		if (await client.answersAsOpenPlatform()) {
			return { status: 'OK', message: 'OpenPlatform answers at this URL (no app token given, so no token was checked)' };
		}
		return { status: 'Error', message: 'No OpenPlatform v4 answers at this URL: check "OpenPlatform URL"' };
	});
}

/**
 * The OpenPlatform OAuth2 API credential's "Test" button. It exchanges a made-up code, which signs
 * nobody in. A v4 server with OAuth on refuses it with error-invalid-accesstoken; it cannot prove
 * the client secret, since the server checks the code before the client (a real sign-in does).
 */
export async function openPlatformOAuth2Connection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await credentialVerdict(async () => {
		const credentialType = 'openPlatformOAuth2Api';
		const client = openPlatformService.connect({ node: OAUTH_NODE, credentials: credential.data ?? {}, credentialType, tuning: CREDENTIAL_TEST_TUNING });
		let code: string | undefined;
		try {
			await client.exchangeCode('n8n-credential-test', 0);
		} catch (error) {
			code = error instanceof ItemError ? error.code : undefined;
			// An HTTP answer without OpenPlatform's error array: something else answers at the URL.
			if (code === undefined && error instanceof ItemError && error.httpCode) return { status: 'Error', message: NOT_OPENPLATFORM_OAUTH };
			// Not answered at all (unreachable, timeout): its message is already worded and redacted.
			if (code === undefined) return { status: 'Error', message: (error as Error).message };
		}
		if (code === 'error-invalid-accesstoken') {
			return { status: 'OK', message: 'OpenPlatform answers with OAuth 2.0 on; the client secret is checked at the first sign-in' };
		}
		if (code === 'error-nooauth') return { status: 'Error', message: 'OAuth 2.0 is switched off in this OpenPlatform' };
		if (code === 'error-invalid-clientkey') return { status: 'Error', message: 'OpenPlatform refused the client ID or secret' };
		return { status: 'Error', message: `${NOT_OPENPLATFORM_OAUTH} (${code})` };
	});
}

const NOT_OPENPLATFORM_OAUTH = 'This URL is not an OpenPlatform v4 server with OAuth 2.0: check "OpenPlatform URL"';
