import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { withItemDetails } from './errors';
import { runItemJobs } from './itemRunner';
import { ParameterReader } from './parameters';
import { readRequestOptions, type RequestOptions } from './requestOptions';

/** What an operation needs for a run; everything in it is prepared once, not per item. */
export interface OperationRun<Client> {
	client: Client;
	params: ParameterReader;
	options: RequestOptions;
	context: IExecuteFunctions;
	node: INode;
}

export type ClientFactory<Client> = (
	node: INode,
	credentials: ICredentialDataDecryptedObject,
	options: RequestOptions,
) => Client;

export async function prepareOperationRun<Client>(
	context: IExecuteFunctions,
	credentialType: string,
	createClient: ClientFactory<Client>,
): Promise<OperationRun<Client>> {
	const node = context.getNode();
	const options = readRequestOptions(context);
	const client = createClient(node, await context.getCredentials(credentialType), options);
	return { client, params: new ParameterReader(context), options, context, node };
}

/** One job per input item, run with the node's concurrency; results paired with their items. */
export async function runPerItem<Run extends OperationRun<unknown>>(
	run: Run,
	job: (run: Run, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	return await runItemJobs(run.context, run.options.concurrency, async (itemIndex) => await job(run, itemIndex));
}

/** Adds the item's target (jid, user id...) to an error so "continue on fail" output says whom it was for. */
export async function forTarget<T>(target: IDataObject, promise: Promise<T>): Promise<T> {
	try {
		return await promise;
	} catch (error) {
		throw error instanceof Error ? withItemDetails(error, target) : error;
	}
}
