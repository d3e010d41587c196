import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { OpenPlatformApi } from '../../../credentials/OpenPlatformApi.credentials';
import { OpenPlatformOAuth2Api } from '../../../credentials/OpenPlatformOAuth2Api.credentials';
import { OpenPlatform } from '../../../nodes/OpenPlatform/OpenPlatform.node';
import { runNode } from '../../engine/runNode';
import type { EngineRunResult } from '../../engine/runWorkflow';
import type { OpenPlatformSimulator } from '../../simulators/openplatform';

export const OPENPLATFORM_TYPE = 'n8n-nodes-openplatform-operator-onechat.openPlatform';
export const NODE = 'OpenPlatform';

export async function runOpenPlatform(
	simulator: OpenPlatformSimulator,
	parameters: INodeParameters,
	options: { items?: IDataObject[]; onError?: INode['onError']; credential?: IDataObject; oauthCredential?: IDataObject } = {},
): Promise<EngineRunResult> {
	return await runNode({
		name: NODE,
		type: OPENPLATFORM_TYPE,
		nodeType: new OpenPlatform(),
		parameters,
		items: options.items,
		onError: options.onError,
		credentialTypes: [new OpenPlatformApi(), new OpenPlatformOAuth2Api()],
		credentials: {
			// One n8n process (the engine here): the guard's single-process budget, unless a test names another.
			openPlatformApi: { url: simulator.baseUrl, originToken: simulator.originToken ?? '', n8nProcesses: 1, ...options.credential },
			openPlatformOAuth2Api: {
				url: simulator.baseUrl,
				clientId: simulator.oauth.clientId,
				clientSecret: simulator.oauth.clientSecret,
				...options.oauthCredential,
			},
		},
	});
}
