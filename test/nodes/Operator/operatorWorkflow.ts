import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { OperatorApi } from '../../../credentials/OperatorApi.credentials';
import { Operator } from '../../../nodes/Operator/Operator.node';
import { runNode, type InputFile } from '../../engine/runNode';
import type { EngineRunResult } from '../../engine/runWorkflow';
import type { OperatorSimulator } from '../../simulators/operator';

export const OPERATOR_TYPE = 'n8n-nodes-openplatform-operator-onechat.operator';
export const NODE = 'Operator Panel';

export async function runOperator(
	simulator: OperatorSimulator,
	parameters: INodeParameters,
	options: { items?: IDataObject[]; files?: InputFile[]; onError?: INode['onError']; credential?: IDataObject } = {},
): Promise<EngineRunResult> {
	return await runNode({
		name: NODE,
		type: OPERATOR_TYPE,
		nodeType: new Operator(),
		parameters,
		items: options.items,
		files: options.files,
		onError: options.onError,
		credentialTypes: [new OperatorApi()],
		credentials: {
			operatorApi: { apiUrl: simulator.url, apiToken: simulator.token, webhookToken: simulator.webhookToken, ...options.credential },
		},
	});
}
