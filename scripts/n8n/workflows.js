'use strict';
/**
 * Workflows the tests and benchmarks import into a real n8n: a Manual Trigger (or a Webhook that
 * answers at once, for production executions) → Code (the items) → one OneChat node. Credentials
 * are named by type only; importWorkflow maps them to real ids.
 */
const ONECHAT_TYPE = 'n8n-nodes-openplatform-operator-onechat.oneChat';

/**
 * @param {object} options
 * @param {string} options.name
 * @param {string} options.itemsCode the Code node's JavaScript (returns the items)
 * @param {string} options.nodeName
 * @param {object} options.parameters the OneChat node's parameters
 * @param {number} [options.timeoutSeconds] the workflow's execution timeout
 * @param {string} [options.webhookPath] start with a Webhook (POST, answered on receipt) on this path
 */
function oneChatWorkflow({ name, itemsCode, nodeName, parameters, timeoutSeconds, webhookPath }) {
	const settings = { executionOrder: 'v1' };
	if (timeoutSeconds) settings.executionTimeout = timeoutSeconds;
	const start = webhookPath
		? { name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: webhookPath, parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} } }
		: { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	return {
		name,
		settings,
		nodes: [
			start,
			{ name: 'Recipients', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: itemsCode } },
			{ name: nodeName, type: ONECHAT_TYPE, typeVersion: 1, position: [440, 0], parameters, credentials: { oneChatApi: { id: 'sim', name: 'OneChat' } } },
		],
		connections: {
			Start: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
			Recipients: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
		},
	};
}

/** One item holding `recipients` JIDs (user<i>@<domain>) → OneChat Relay to Users (node "Relay"). */
function relayWorkflow({ name, recipients, message, domain = 'relay.onechat.test', timeoutSeconds, webhookPath }) {
	return oneChatWorkflow({
		name,
		itemsCode: `return [{ json: { jids: Array.from({ length: ${recipients} }, (_, i) => 'user' + i + '@${domain}') } }];`,
		nodeName: 'Relay',
		parameters: { resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.jids }}', message },
		timeoutSeconds,
		webhookPath,
	});
}

/** `count` items with a jid each → OneChat Send to User (node "OneChat"), with node options. */
function sendToUserWorkflow({ name, count, message, options = {} }) {
	return oneChatWorkflow({
		name,
		itemsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { jid: 'user' + i + '@send.onechat.test' } }));`,
		nodeName: 'OneChat',
		parameters: { resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message, options },
	});
}

module.exports = { oneChatWorkflow, relayWorkflow, sendToUserWorkflow };
