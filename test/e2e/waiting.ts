import type { N8nClient } from './n8n';

/**
 * Send and Wait for Response in the real n8n: a workflow Manual Trigger → the asking node → a No
 * Op that shows what came out, run until the question reached the simulator and n8n has the
 * execution waiting. Shared by the e2e suite and the Chromium click-through.
 */

export const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' };

export interface AskingNode {
	type: 'oneChat' | 'openPlatform';
	parameters: Record<string, unknown>;
	/** credential type -> the id of a credential created in n8n */
	credentials: Record<string, string>;
}

export async function startWaiting(client: N8nClient, asking: AskingNode, sentMessage: () => string | undefined): Promise<{ executionId: string; message: string }> {
	const id = await client.importWorkflow(
		{
			name: `Send and wait (${asking.type}, ${String(asking.parameters.responseType ?? 'approval')})`,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					name: 'Ask',
					type: `n8n-nodes-openplatform-operator-onechat.${asking.type}`,
					typeVersion: 1,
					position: [220, 0],
					parameters: asking.parameters,
					credentials: Object.fromEntries(Object.keys(asking.credentials).map((type) => [type, { id: type, name: type }])),
				},
				{ name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
			],
			connections: { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] }, Ask: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		},
		asking.credentials,
	);
	const { executionId } = await client.runWorkflowManually(id, { wait: false });
	for (const deadline = Date.now() + 30_000; ; ) {
		const message = sentMessage();
		const execution = message ? await client.getExecution(executionId, { includeData: false }) : undefined;
		if (message && execution?.status === 'waiting') return { executionId, message };
		if (Date.now() > deadline) throw new Error('the question was not sent, or the execution is not waiting');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** A OneChat message's link: a line "<label>: <url>". */
export const linkAfter = (message: string, label: string) => new RegExp(`^${label}: (\\S+)$`, 'm').exec(message)?.[1] ?? '';

/** An OpenPlatform notification's link: markdown "[<label>](<url>)". */
export const markdownLink = (body: string, label: string) => new RegExp(`\\[${label}\\]\\((\\S+?)\\)`).exec(body)?.[1] ?? '';

/** What the page's button or form sends: a form POST to the link itself. */
export async function answer(link: string, fields: Record<string, string> = {}): Promise<Response> {
	return await fetch(link, { method: 'POST', headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}
