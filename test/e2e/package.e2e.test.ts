import { connect } from './n8n';

const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';

const { client, state } = connect();

describe(`the package inside a real n8n ${state.version ?? ''}`, () => {

	it('loads all six nodes under the package name', async () => {
		const types = await client.nodeTypes();
		for (const node of ['oneChat', 'oneChatMiniAppTrigger', 'operator', 'operatorTrigger', 'openPlatform', 'openPlatformTrigger']) {
			expect(types).toContain(`${PACKAGE}.${node}`);
		}
	});

	it('offers the three action nodes as AI agent tools (usableAsTool)', async () => {
		const types = await client.nodeTypes();
		for (const node of ['oneChatTool', 'operatorTool', 'openPlatformTool']) expect(types).toContain(`${PACKAGE}.${node}`);
		expect(types).not.toContain(`${PACKAGE}.operatorTriggerTool`);
	});

	it('gives the tool variants their own description and only the operations an agent may call', async () => {
		const { body } = await client.request('GET', '/types/nodes.json');
		const types = body as Array<{ name: string; description: string; properties: Array<{ name: string; options?: Array<{ value: string }>; displayOptions?: { show?: Record<string, unknown[]> } }> }>;
		const expected: Record<string, string[]> = { oneChatTool: ['message'], operatorTool: ['message'], openPlatformTool: ['badge', 'notification', 'user'] };
		for (const [tool, resources] of Object.entries(expected)) {
			const type = types.find((entry) => entry.name === `${PACKAGE}.${tool}`);
			const node = types.find((entry) => entry.name === `${PACKAGE}.${tool.replace(/Tool$/, '')}`);
			expect(type?.description).not.toBe(node?.description);
			// The Resource field n8n shows in the tool variant ('@tool' true there).
			const resource = type?.properties.find((property) => property.name === 'resource' && property.displayOptions?.show?.['@tool']?.[0] === true);
			expect(resource?.options?.map((option) => option.value).sort()).toEqual(resources);
		}
	});

	it('loads all five credential types', async () => {
		const types = await client.credentialTypes();
		for (const credential of ['oneChatApi', 'oneChatMiniAppApi', 'operatorApi', 'openPlatformApi', 'openPlatformOAuth2Api']) {
			expect(types).toContain(credential);
		}
	});
});
