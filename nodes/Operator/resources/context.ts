import type { IExecuteFunctions } from 'n8n-workflow';

import { prepareOperationRun, type OperationRun } from '../../shared/operationRun';
import { OperatorClient, parseOperatorConnection } from '../transport';

export type OperatorRun = OperationRun<OperatorClient>;

export async function prepareOperatorRun(context: IExecuteFunctions): Promise<OperatorRun> {
	return await prepareOperationRun(context, 'operatorApi', (node, credentials, options) => {
		return new OperatorClient(node, parseOperatorConnection(node, credentials), {
			timeoutMs: options.timeoutMs,
			retry: options.retry,
			maxConnectionsPerOrigin: options.concurrency,
		});
	});
}
