import type { IExecuteFunctions } from 'n8n-workflow';

import { prepareOperationRun, type OperationRun } from '../../shared/operationRun';
import { OpenPlatformClient, parseApiConnection, parseOAuthConnection, type OpenPlatformApiConnection, type OpenPlatformOAuthConnection } from '../transport';

export interface ApiRun extends OperationRun<OpenPlatformClient> {
	connection: OpenPlatformApiConnection;
}

export interface OAuthRun extends OperationRun<OpenPlatformClient> {
	connection: OpenPlatformOAuthConnection;
}

/** For notifications, badges and users: the openPlatformApi credential. */
export async function prepareApiRun(context: IExecuteFunctions): Promise<ApiRun> {
	let connection: OpenPlatformApiConnection | undefined;
	const run = await prepareOperationRun(context, 'openPlatformApi', (node, credentials, options) => {
		connection = parseApiConnection(node, credentials);
		return OpenPlatformClient.forApi(node, connection, {
			timeoutMs: options.timeoutMs,
			retry: options.retry,
			maxConnectionsPerOrigin: options.concurrency,
		});
	});
	return { ...run, connection: connection as OpenPlatformApiConnection };
}

/** For the OAuth operations: the openPlatformOAuth2Api credential. */
export async function prepareOAuthRun(context: IExecuteFunctions): Promise<OAuthRun> {
	let connection: OpenPlatformOAuthConnection | undefined;
	const run = await prepareOperationRun(context, 'openPlatformOAuth2Api', (node, credentials, options) => {
		connection = parseOAuthConnection(node, credentials);
		return OpenPlatformClient.forOAuth(node, connection, { timeoutMs: options.timeoutMs, retry: options.retry });
	});
	return { ...run, connection: connection as OpenPlatformOAuthConnection };
}
