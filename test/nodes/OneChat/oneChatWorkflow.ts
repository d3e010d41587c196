import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { OneChatApi } from '../../../credentials/OneChatApi.credentials';
import { OneChatMiniAppApi } from '../../../credentials/OneChatMiniAppApi.credentials';
import { OneChat } from '../../../nodes/OneChat/OneChat.node';
import { runNode } from '../../engine/runNode';
import type { EngineRunResult } from '../../engine/runWorkflow';
import type { OneChatSimulator } from '../../simulators/onechat';

export { runAsText } from '../../engine/runNode';

export const ONECHAT_TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChat';
export const NODE = 'OneChat';

export interface OneChatRunOptions {
	items?: IDataObject[];
	onError?: INode['onError'];
	credential?: IDataObject;
	miniAppCredential?: IDataObject;
	cancelAfterMs?: number;
}

/** Manual trigger -> items -> OneChat node, run by n8n-core's WorkflowExecute against the simulator. */
export async function runOneChat(
	simulator: OneChatSimulator,
	parameters: INodeParameters,
	options: OneChatRunOptions = {},
): Promise<EngineRunResult> {
	return await runNode({
		name: NODE,
		type: ONECHAT_TYPE,
		nodeType: new OneChat(),
		parameters,
		items: options.items,
		onError: options.onError,
		cancelAfterMs: options.cancelAfterMs,
		credentialTypes: [new OneChatApi(), new OneChatMiniAppApi()],
		credentials: {
			oneChatApi: { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, ...options.credential },
			oneChatMiniAppApi: { baseUrl: simulator.baseUrl, ...options.miniAppCredential },
		},
	});
}
