import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { prepareOperationRun, runPerItem, type OperationRun } from '../../shared/operationRun';
import { OneChatClient, parseOneChatConnection, type OneChatCredentialType } from '../transport';

export { forTarget } from '../../shared/operationRun';

export type OneChatRun = OperationRun<OneChatClient>;

/** Everything that does not depend on the item is prepared once per run. */
export async function prepareOneChatRun(
	context: IExecuteFunctions,
	credentialType: OneChatCredentialType = 'oneChatApi',
): Promise<OneChatRun> {
	return await prepareOperationRun(context, credentialType, (node, credentials, options) => {
		return new OneChatClient(node, parseOneChatConnection(node, credentials), {
			timeoutMs: options.timeoutMs,
			retry: options.retry,
			maxConnectionsPerOrigin: options.concurrency,
		});
	});
}

/** One request per input item, run with the node's concurrency; failures name their item. */
export async function runOneChatItems(
	context: IExecuteFunctions,
	job: (run: OneChatRun, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	credentialType?: OneChatCredentialType,
): Promise<INodeExecutionData[][]> {
	return await runPerItem(await prepareOneChatRun(context, credentialType), job);
}
