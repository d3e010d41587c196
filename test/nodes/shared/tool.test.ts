import { NodeHelpers, type INodeProperties, type INodePropertyOptions, type INodeTypeDescription } from 'n8n-workflow';

import { OneChat } from '../../../nodes/OneChat/OneChat.node';
import { OpenPlatform } from '../../../nodes/OpenPlatform/OpenPlatform.node';
import { Operator } from '../../../nodes/Operator/Operator.node';

/** The options of `name` that n8n displays for these parameter values, in the node or in its tool variant. */
function displayedOptions(description: INodeTypeDescription, asTool: boolean, name: string, values: Record<string, string>): string[] {
	// n8n names the tool variant "<name>Tool"; its '@tool' display option is true there only.
	const variant = { ...description, name: asTool ? `${description.name}Tool` : description.name };
	return description.properties
		.filter((property: INodeProperties) => property.name === name && NodeHelpers.displayParameter(values, property, { typeVersion: 1 }, variant))
		.flatMap((property) => (property.options as INodePropertyOptions[]).map((option) => String(option.value)));
}

describe('what an AI agent is offered (the tool variants)', () => {
	it.each([
		['OneChat', new OneChat().description, { message: ['broadcastToDomain', 'relayToUsers', 'sendToGroup', 'sendToUser'] }, { miniApp: ['authenticateUser', 'register'] }],
		['Operator Panel', new Operator().description, { message: ['sendToControlPanel'] }, { panelRequest: ['answerPrivateMedia', 'answerUserInfo'] }],
		['OpenPlatform', new OpenPlatform().description, { badge: ['increment'], notification: ['send'], user: ['getMany'] }, { oauth: ['exchangeCode', 'getAuthorizationUrl', 'getProfile'] }],
	])('%s: the tool offers only what an agent may call, the node everything', (_, description, forAgents, notForAgents) => {
		expect(displayedOptions(description, true, 'resource', {}).sort()).toEqual(Object.keys(forAgents).sort());
		for (const [resource, operations] of Object.entries(forAgents)) {
			expect(displayedOptions(description, true, 'operation', { resource }).sort()).toEqual(operations);
		}
		expect(displayedOptions(description, false, 'resource', {}).sort()).toEqual([...Object.keys(forAgents), ...Object.keys(notForAgents)].sort());
		for (const [resource, operations] of Object.entries(notForAgents)) {
			expect(displayedOptions(description, false, 'operation', { resource }).sort()).toEqual(operations);
			expect(displayedOptions(description, true, 'operation', { resource })).toEqual([]);
		}
		// Its own words for the model, which n8n puts in place of the node's description.
		const forModel = typeof description.usableAsTool === 'object' ? description.usableAsTool.replacements?.description : undefined;
		expect(forModel).not.toBe(description.description);
		expect(forModel?.length).toBeGreaterThan(80);
	});

	it.each([
		['OneChat', new OneChat().description, 'message'],
		['OpenPlatform', new OpenPlatform().description, 'notification'],
	])('%s: Send and Wait for Response is in the node, not in the tool (a tool call cannot wait for a person)', (_, description, resource) => {
		expect(displayedOptions(description, false, 'operation', { resource })).toContain('sendAndWait');
		expect(displayedOptions(description, true, 'operation', { resource })).not.toContain('sendAndWait');
	});
});
