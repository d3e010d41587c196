/**
 * Tiny node types that stand in for n8n-nodes-base (not installed here) in engine tests.
 *
 * runWorkflow() registers them automatically under the type names in TEST_NODE_TYPES.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

/** The description of a test node: a one-input, one-output transform unless `extra` says otherwise. */
export function describeTestNode(name: string, extra: Partial<INodeTypeDescription> = {}): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: name,
		defaults: { name },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
		...extra,
	};
}

export const MANUAL_TRIGGER_TYPE = 'test.manualTrigger';
export const ITEMS_TYPE = 'test.items';
export const FILES_TYPE = 'test.files';

/**
 * Like n8n's Manual Trigger: a trigger() that, in a manual run, emits one empty item.
 */
export class TestManualTrigger implements INodeType {
	description = describeTestNode('manualTrigger', {
		displayName: 'Test Manual Trigger',
		group: ['trigger'],
		description: 'Starts a manual test run with one empty item',
		defaults: { name: 'When clicking Execute' },
		inputs: [],
	});

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/**
 * Emits the elements of its JSON parameter `items` (an array of objects), one item each.
 * Every output item is paired to input item 0 (the single item a trigger hands over).
 */
export class TestItems implements INodeType {
	description = describeTestNode('items', {
		displayName: 'Test Items',
		description: 'Emits the objects of the "items" parameter as items',
		defaults: { name: 'Items' },
		properties: [
			{
				displayName: 'Items',
				name: 'items',
				type: 'json',
				default: '[]',
				description: 'JSON array of objects; each becomes one output item',
			},
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0, []) as unknown;
		let list: unknown = raw;
		if (typeof raw === 'string') {
			try {
				list = JSON.parse(raw === '' ? '[]' : raw);
			} catch (error) {
				throw new NodeOperationError(
					this.getNode(),
					`Parameter "items" is not valid JSON: ${(error as Error).message}`,
				);
			}
		}
		if (!Array.isArray(list)) {
			throw new NodeOperationError(this.getNode(), 'Parameter "items" must be a JSON array');
		}
		const out: INodeExecutionData[] = new Array<INodeExecutionData>(list.length);
		for (let i = 0; i < list.length; i++) {
			const element = list[i] as unknown;
			const json: IDataObject =
				element !== null && typeof element === 'object' && !Array.isArray(element)
					? (element as IDataObject)
					: { value: element as IDataObject[keyof IDataObject] };
			out[i] = { json, pairedItem: { item: 0 } };
		}
		return [out];
	}
}

/**
 * Emits one item per element of its JSON parameter `files` ({json, fileName, mimeType, base64}),
 * each with the decoded bytes stored as n8n binary data under `data`.
 */
export class TestFiles implements INodeType {
	description = describeTestNode('files', {
		displayName: 'Test Files',
		description: 'Emits items carrying binary data',
		defaults: { name: 'Files' },
		properties: [{ displayName: 'Files', name: 'files', type: 'json', default: '[]' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const files = JSON.parse(this.getNodeParameter('files', 0) as string) as Array<{
			json?: IDataObject;
			fileName: string;
			mimeType: string;
			base64: string;
		}>;
		const out: INodeExecutionData[] = [];
		for (const file of files) {
			const data = await this.helpers.prepareBinaryData(Buffer.from(file.base64, 'base64'), file.fileName, file.mimeType);
			out.push({ json: file.json ?? {}, binary: { data }, pairedItem: { item: 0 } });
		}
		return [out];
	}
}

/** Type name -> instance, merged into every runWorkflow() node-type registry. */
export const TEST_NODE_TYPES: Record<string, INodeType> = {
	[MANUAL_TRIGGER_TYPE]: new TestManualTrigger(),
	[ITEMS_TYPE]: new TestItems(),
	[FILES_TYPE]: new TestFiles(),
};
