import { connect } from './n8n';

const PACKAGE = 'n8n-nodes-openplatform-operator-onechat';

describe('the package inside a real n8n 2.40.7', () => {
	const { client } = connect();

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

	it('loads all five credential types', async () => {
		const types = await client.credentialTypes();
		for (const credential of ['oneChatApi', 'oneChatMiniAppApi', 'operatorApi', 'openPlatformApi', 'openPlatformOAuth2Api']) {
			expect(types).toContain(credential);
		}
	});
});
