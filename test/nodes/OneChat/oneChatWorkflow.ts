import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { OneChatApi } from '../../../credentials/OneChatApi.credentials';
import { OneChatMiniAppApi } from '../../../credentials/OneChatMiniAppApi.credentials';
import { OneChat } from '../../../nodes/OneChat/OneChat.node';
import { runWorkflow, type EngineRunResult } from '../../engine/runWorkflow';
import { ITEMS_TYPE, MANUAL_TRIGGER_TYPE } from '../../engine/testNodes';
import type { OneChatSimulator } from '../../simulators/onechat';

export const ONECHAT_TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChat';
export const NODE = 'OneChat';

export interface OneChatRunOptions {
	items?: IDataObject[];
	onError?: INode['onError'];
	credential?: IDataObject;
	miniAppCredential?: IDataObject;
}

/** Manual trigger -> items -> OneChat node, run by n8n-core's WorkflowExecute against the simulator. */
export async function runOneChat(
	simulator: OneChatSimulator,
	parameters: INodeParameters,
	options: OneChatRunOptions = {},
): Promise<EngineRunResult> {
	const nodes: INode[] = [
		{ id: '1', name: 'Start', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: '2',
			name: 'Items',
			type: ITEMS_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: '3',
			name: NODE,
			type: ONECHAT_TYPE,
			typeVersion: 1,
			position: [400, 0],
			parameters,
			credentials: {
				oneChatApi: { id: 'c1', name: 'OneChat account' },
				oneChatMiniAppApi: { id: 'c2', name: 'OneChat mini app' },
			},
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	return await runWorkflow({
		nodes,
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
		nodeTypes: { [ONECHAT_TYPE]: new OneChat() },
		credentialTypes: [new OneChatApi(), new OneChatMiniAppApi()],
		credentials: {
			oneChatApi: { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, ...options.credential },
			oneChatMiniAppApi: { baseUrl: simulator.baseUrl, ...options.miniAppCredential },
		},
	});
}

/** The whole run (outputs, errors, everything n8n would store) as text, to look for leaked secrets. */
export function runAsText(result: EngineRunResult): string {
	return JSON.stringify(result.run.data, (_, value: unknown) =>
		value instanceof Error ? { ...value, message: value.message } : value,
	);
}
