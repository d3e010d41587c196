import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { parseJsonPathExpression, ParameterReader } from '../../../nodes/shared/parameters';
import { runWorkflow } from '../../engine/runWorkflow';
import { describeTestNode, ITEMS_TYPE, MANUAL_TRIGGER_TYPE } from '../../engine/testNodes';

/** Outputs, per item, a parameter read through ParameterReader and through n8n's getNodeParameter. */
class CompareReaders implements INodeType {
	description = describeTestNode('compare', {
		displayName: 'Compare',
		defaults: { name: 'Compare' },
		properties: [
			{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			{ displayName: 'Fixed', name: 'fixed', type: 'string', default: '' },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const reader = new ParameterReader(this);
		return [
			this.getInputData().map((_, index) => ({
				json: {
					fast: reader.get('value', index) as string,
					engine: this.getNodeParameter('value', index) as string,
					fixed: reader.get('fixed', index) as string,
				},
				pairedItem: { item: index },
			})),
		];
	}
}

async function compare(value: string, items: object[]) {
	const result = await runWorkflow({
		nodes: [
			{ id: '1', name: 'Start', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '2', name: 'Items', type: ITEMS_TYPE, typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(items) } },
			{ id: '3', name: 'Compare', type: 'test.compare', typeVersion: 1, position: [0, 0], parameters: { value, fixed: 'same' } },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Compare', type: 'main', index: 0 }]] },
		},
		nodeTypes: { 'test.compare': new CompareReaders() },
	});
	expect(result.error).toBeUndefined();
	return result.output('Compare').map((item) => item.json);
}

describe('ParameterReader', () => {
	const items = [
		{ jid: 'a@x.test', user: { 'full name': 'Ann', tags: ['vip', 'new'] }, n: 1 },
		{ jid: 'b@x.test', user: { 'full name': 'Bob', tags: [] }, n: 2 },
		{ other: true },
	];

	it.each([
		'={{ $json.jid }}',
		'={{$json.n}}',
		'={{ $json.user["full name"] }}',
		"={{ $json.user['full name'] }}",
		'={{ $json.user.tags[0] }}',
		'={{ $json.user.tags }}',
		'={{ $json.missing.deeper }}',
		'=Hi {{ $json.jid }}',
		'={{ $json.jid.toUpperCase() }}',
		'plain text',
	])('gives what n8n gives for %s', async (value) => {
		const output = await compare(value, items);
		for (const entry of output) {
			expect(entry.fast).toEqual(entry.engine);
			expect(entry.fixed).toBe('same');
		}
	});

	it('recognises only whole "$json path" expressions for the fast path', () => {
		expect(parseJsonPathExpression('={{ $json.a.b }}')).toEqual(['a', 'b']);
		expect(parseJsonPathExpression('={{ $json["a b"][2] }}')).toEqual(['a b', 2]);
		expect(parseJsonPathExpression('={{ $json.a + 1 }}')).toBeNull();
		expect(parseJsonPathExpression('=x {{ $json.a }}')).toBeNull();
		expect(parseJsonPathExpression('={{ $json.a }} {{ $json.b }}')).toBeNull();
		expect(parseJsonPathExpression('={{ $node["x"].json.a }}')).toBeNull();
	});
});
