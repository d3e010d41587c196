import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type EngineRunResult } from './runWorkflow';
import type { AnyNodeType } from './runtime';
import { FILES_TYPE, ITEMS_TYPE, MANUAL_TRIGGER_TYPE } from './testNodes';

export interface InputFile {
	json?: IDataObject;
	fileName: string;
	mimeType: string;
	bytes: Buffer;
}

export interface RunNodeOptions {
	/** Name of the node under test in the workflow (and in the result's lookups). */
	name: string;
	type: string;
	nodeType: AnyNodeType;
	parameters: INodeParameters;
	/** The input items (JSON only) ... */
	items?: IDataObject[];
	/** ... or items that carry a file as binary property `data`. */
	files?: InputFile[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[];
	onError?: INode['onError'];
	cancelAfterMs?: number;
}

/** Manual trigger -> input items -> the node under test, run by n8n-core's WorkflowExecute. */
export async function runNode(options: RunNodeOptions): Promise<EngineRunResult> {
	const input: INode = options.files
		? {
				id: 'input',
				name: 'Input',
				type: FILES_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					files: JSON.stringify(
						options.files.map(({ bytes, ...file }) => ({ ...file, base64: bytes.toString('base64') })),
					),
				},
			}
		: {
				id: 'input',
				name: 'Input',
				type: ITEMS_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { items: JSON.stringify(options.items ?? [{}]) },
			};
	const credentialRefs = Object.fromEntries(
		Object.keys(options.credentials ?? {}).map((type) => [type, { id: type, name: type }]),
	);
	return await runWorkflow({
		nodes: [
			{ id: 'start', name: 'Start', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
			input,
			{
				id: 'node',
				name: options.name,
				type: options.type,
				typeVersion: 1,
				position: [400, 0],
				parameters: options.parameters,
				credentials: credentialRefs,
				...(options.onError ? { onError: options.onError } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Input', type: 'main', index: 0 }]] },
			Input: { main: [[{ node: options.name, type: 'main', index: 0 }]] },
		},
		nodeTypes: { [options.type]: options.nodeType },
		credentialTypes: options.credentialTypes,
		credentials: options.credentials,
		cancelAfterMs: options.cancelAfterMs,
	});
}

/** The whole run (outputs, errors, everything n8n would store) as text, to look for leaked secrets. */
export function runAsText(result: EngineRunResult): string {
	return JSON.stringify(result.run.data, (_, value: unknown) =>
		value instanceof Error ? { ...value, message: value.message } : value,
	);
}
