import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { withItemDetails } from '../../shared/errors';
import { runItemJobs } from '../../shared/itemRunner';
import { ParameterReader } from '../../shared/parameters';
import { readRequestOptions, type RequestOptions } from '../../shared/requestOptions';
import { OneChatClient, parseOneChatConnection, type OneChatCredentialType } from '../transport';

export interface OneChatRun {
	client: OneChatClient;
	params: ParameterReader;
	options: RequestOptions;
	context: IExecuteFunctions;
}

/** Everything that does not depend on the item is prepared once per run. */
export async function prepareOneChatRun(
	context: IExecuteFunctions,
	credentialType: OneChatCredentialType = 'oneChatApi',
): Promise<OneChatRun> {
	const node = context.getNode();
	const connection = parseOneChatConnection(node, await context.getCredentials(credentialType));
	const options = readRequestOptions(context);
	const client = new OneChatClient(node, connection, {
		timeoutMs: options.timeoutMs,
		retry: options.retry,
		maxConnectionsPerOrigin: Math.max(options.concurrency, 1),
	});
	return { client, params: new ParameterReader(context), options, context };
}

/** One request per input item, run with the node's concurrency; failures name their item. */
export async function runOneChatItems(
	context: IExecuteFunctions,
	job: (run: OneChatRun, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	credentialType?: OneChatCredentialType,
): Promise<INodeExecutionData[][]> {
	const run = await prepareOneChatRun(context, credentialType);
	return await runItemJobs(context, run.options.concurrency, async (itemIndex) => await job(run, itemIndex));
}

/** Adds the item's target (jid, domain...) to an error so "continue on fail" output says whom it was for. */
export async function forTarget<T>(target: IDataObject, promise: Promise<T>): Promise<T> {
	try {
		return await promise;
	} catch (error) {
		throw error instanceof Error ? withItemDetails(error, target) : error;
	}
}
