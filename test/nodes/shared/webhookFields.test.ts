import { resolveWebhookDescriptionField, webhookDescriptionIsNativelyResolvable, Workflow, type INode, type INodeParameters, type INodeType } from 'n8n-workflow';

import { OneChatMiniAppTrigger } from '../../../nodes/OneChatMiniAppTrigger/OneChatMiniAppTrigger.node';
import { OpenPlatformTrigger } from '../../../nodes/OpenPlatformTrigger/OpenPlatformTrigger.node';
import { OperatorTrigger } from '../../../nodes/OperatorTrigger/OperatorTrigger.node';
import { nativeFieldsOf } from '../../../nodes/shared/webhookFields';
import { NodeTypeRegistry } from '../../engine/runtime';

/**
 * Each trigger's plain functions for its webhook fields (nodes/shared/webhookFields.ts) must give
 * what n8n's expression engine gives for the template beside them, for every value of the
 * parameters they read; and n8n must take them (its own resolveWebhookDescriptionField).
 */

const TYPE = 'test.trigger';

/** Every combination of the options parameters a trigger's fields depend on. */
function combinations(nodeType: INodeType, names: string[]): INodeParameters[] {
	return names.reduce<INodeParameters[]>((sets, name) => {
		const property = nodeType.description.properties.find((entry) => entry.name === name);
		const values = (property?.options ?? []).map((option) => (option as { value: string }).value);
		if (values.length === 0) throw new Error(`${nodeType.description.name} has no options parameter "${name}"`);
		return sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value })));
	}, [{}]);
}

const TRIGGERS: Array<[string, INodeType, string[]]> = [
	['Operator Panel Trigger', new OperatorTrigger(), ['event', 'respond']],
	['OpenPlatform Trigger', new OpenPlatformTrigger(), ['event', 'appResponse']],
	['OneChat Mini App Trigger', new OneChatMiniAppTrigger(), ['responseMode']],
];

describe.each(TRIGGERS)('%s: webhook fields without the expression engine', (_name, nodeType, parameterNames) => {
	const withFields = (nodeType.description.webhooks ?? []).filter((description) => Object.keys(nativeFieldsOf(description)).length > 0);

	it('declares plain functions for its computed fields, and n8n counts the descriptions as engine-free', () => {
		expect(withFields.length).toBeGreaterThan(0);
		for (const description of nodeType.description.webhooks ?? []) expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
	});

	it.each(combinations(nodeType, parameterNames).map((parameters) => [JSON.stringify(parameters), parameters]))('%s: the functions give what the templates give', (_label, parameters) => {
		// As n8n builds the node: the Workflow constructor fills in the defaults of shown parameters.
		const workflow = new Workflow({ nodes: [{ id: '1', name: 'Trigger', type: TYPE, typeVersion: 1, position: [0, 0], parameters: parameters as INodeParameters }], connections: {}, active: true, nodeTypes: new NodeTypeRegistry({ [TYPE]: nodeType }) });
		const node = workflow.nodes.Trigger as INode;
		for (const description of withFields) {
			for (const [field, resolve] of Object.entries(nativeFieldsOf(description))) {
				const template = description[field as keyof typeof description] as string;
				const byEngine = workflow.expression.getSimpleParameterValue(node, template, 'internal', {});
				expect({ field, value: resolve!(node.parameters) }).toEqual({ field, value: byEngine });
				expect(resolveWebhookDescriptionField(node, description, field)).toEqual({ resolved: true, value: byEngine });
			}
		}
	});

	it('a parameter set by an expression falls back to the engine', () => {
		const node = { id: '1', name: 'Trigger', type: TYPE, typeVersion: 1, position: [0, 0], parameters: { [parameterNames[0]]: '={{ "x" }}' } } as INode;
		for (const description of withFields) {
			for (const field of Object.keys(nativeFieldsOf(description))) expect(resolveWebhookDescriptionField(node, description, field)).toEqual({ resolved: false });
		}
	});
});
