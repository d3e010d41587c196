/**
 * Webhook registration (WebhookService.getNodeWebhooks), path matching and the request clean-up
 * of live-webhooks.ts. The URLs this registers are described in the header of
 * test/engine/webhookHost.ts.
 *
 * What n8n 2.40 does (sources: see the header of test/engine/webhookHost.ts):
 * - live-webhooks.ts: `req.params` is reset to {} and, for dynamic paths (`/:id`), filled from
 *   the path. n8n's auth cookies (n8n-auth, n8n-browserId, OAuth/OIDC/form/chat cookies) are
 *   removed from the Cookie header (not for chat/form triggers).
 */
import {
	NodeHelpers,
	resolveWebhookDescriptionField,
	type INode,
	type IWebhookData,
	type IWebhookDescription,
	type Workflow,
} from 'n8n-workflow';

import type { ShimRequest } from '../httpShim';
import { createWorkflow, type HostState } from './state';

const DISALLOWED_COOKIES = new Set([
	'n8n-auth',
	'n8n-browserId',
	'n8n-oauth-session',
	'n8n-oauth-binding',
	'n8n-oidc-id-token',
	'n8n-oidc-state',
	'n8n-oidc-nonce',
	'n8n-form-oauth',
	'n8n-chat-oauth',
	'n8n-chat-oauth-refresh',
]);
export const AUTH_ALLOWLISTED_TYPES = new Set([
	'@n8n/n8n-nodes-langchain.chatTrigger',
	'n8n-nodes-base.formTrigger',
	'n8n-nodes-base.form',
]);

function describeProperty<T>(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	property: string,
	fallback?: T,
): T {
	const native = resolveWebhookDescriptionField(node, description, property);
	if (native.resolved) return native.value as T;
	const raw = (description as unknown as Record<string, unknown>)[property];
	return workflow.expression.getSimpleParameterValue(
		node,
		raw as string,
		'internal',
		{},
		undefined,
		fallback as string,
	) as T;
}

const isDynamicPath = (path: string) => path.startsWith(':') || path.includes('/:');

/** WebhookService.getNodeWebhooks for the one trigger node. */
export function registerWebhooks(state: HostState): void {
	const workflow = createWorkflow(state);
	const node = workflow.getNode(state.options.node.name);
	if (node === null) throw new Error('trigger node missing from the workflow');
	const nodeType = state.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const descriptions = nodeType.description.webhooks ?? [];
	if (descriptions.length === 0)
		throw new Error(`Node type "${node.type}" has no webhooks in its description`);
	if (typeof nodeType.webhook !== 'function')
		throw new Error(`Node type "${node.type}" has no webhook() method`);
	for (const description of descriptions) {
		if (description.restartWebhook === true) continue;
		let path = describeProperty<string | undefined>(workflow, node, description, 'path');
		if (path === undefined || path === null) continue;
		path = String(path).trim().replace(/^\//, '').replace(/\/$/, '');
		const isFullPath = describeProperty<boolean>(workflow, node, description, 'isFullPath', false);
		const fullPath = NodeHelpers.getNodeWebhookPath(
			state.workflowId,
			node,
			path,
			isFullPath,
			false,
		);
		const methods = describeProperty<string | string[]>(
			workflow,
			node,
			description,
			'httpMethod',
			'GET',
		);
		// what the editor shows as the production URL (NodeHelpers.getNodeWebhookUrl)
		const urlPath = NodeHelpers.getNodeWebhookUrl(
			'',
			state.workflowId,
			node,
			path,
			isFullPath,
		).slice(1);
		// WebhookService.createWebhook: a dynamic path is looked up by webhookId + segment count
		const dynamic = isDynamicPath(fullPath) && node.webhookId !== undefined;
		for (const method of String(methods).split(',')) {
			const httpMethod = method.trim();
			if (!httpMethod) continue;
			state.webhooks.push({
				httpMethod: httpMethod as IWebhookData['httpMethod'],
				node: node.name,
				path: fullPath,
				webhookDescription: description,
				workflowId: state.workflowId,
				workflowExecuteAdditionalData:
					undefined as unknown as IWebhookData['workflowExecuteAdditionalData'],
				webhookId: dynamic ? node.webhookId : undefined,
				templateSegments: dynamic ? fullPath.split('/') : undefined,
				urlPath,
			});
		}
	}
}

export function matchWebhook(
	state: HostState,
	path: string,
	method: string,
): { webhook?: HostState['webhooks'][number]; params: Record<string, string>; methods: string[] } {
	const methods: string[] = [];
	let found: HostState['webhooks'][number] | undefined;
	let params: Record<string, string> = {};
	const [first, ...rest] = path.split('/');
	for (const webhook of state.webhooks) {
		let candidateParams: Record<string, string> | undefined;
		if (webhook.templateSegments === undefined) {
			if (webhook.path === path) candidateParams = {};
		} else if (first === webhook.webhookId && rest.length === webhook.templateSegments.length) {
			// findDynamicWebhook: static template segments must all occur in the request path;
			// live-webhooks.ts then takes the params position by position
			const requestSegments = new Set(rest);
			const template = webhook.templateSegments;
			if (template.every((segment) => segment.startsWith(':') || requestSegments.has(segment))) {
				const p: Record<string, string> = {};
				template.forEach((segment, index) => {
					if (segment.startsWith(':')) p[segment.slice(1)] = rest[index];
				});
				candidateParams = p;
			}
		}
		if (candidateParams === undefined) continue;
		methods.push(webhook.httpMethod);
		if (webhook.httpMethod === method && found === undefined) {
			found = webhook;
			params = candidateParams;
		}
	}
	return { webhook: found, params, methods };
}

export function sanitizeCookies(req: ShimRequest): void {
	const header = req.headers.cookie;
	if (typeof header !== 'string') return;
	const cookies = header.split(';').map((cookie) => cookie.trim());
	const kept = cookies.filter((cookie) => {
		const name = cookie.split('=')[0];
		return !DISALLOWED_COOKIES.has(name) && !name.startsWith('n8n-form-auth-');
	});
	if (kept.length !== cookies.length) req.headers.cookie = kept.join('; ');
}
