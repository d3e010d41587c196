import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { WEBHOOK_CALL_TUNING } from '../../shared/retry';
import type { webhookCall } from '../../shared/webhook';
import { isTokenGuardRefusal, OpenPlatformClient, parseApiConnection, type OpenPlatformTuning } from '../../OpenPlatform/transport';

export type WebhookCall = ReturnType<typeof webhookCall>;

/** Which of the trigger's three URLs was called (see OpenPlatformTrigger.node.ts). */
export type Endpoint = 'open' | 'command' | 'callback';

export function endpointOf(call: WebhookCall): Endpoint | undefined {
	const path = new URL(call.request.originalUrl ?? call.request.url ?? '/', 'http://n8n').pathname.replace(/\/+$/, '');
	return (['open', 'command', 'callback'] as const).find((endpoint) => path.endsWith(`/${endpoint}`));
}

/** The production URL of another endpoint of this node: the main URL with its last segment swapped. */
export function endpointUrl(context: IWebhookFunctions, endpoint: Endpoint): string {
	return (context.getNodeWebhookUrl('default') ?? '').replace(/\/open$/, `/${endpoint}`);
}

/** Codes meaning the session behind a verify URL is gone or was never valid: the browser must reopen the app. */
const DEAD_SESSION = /error-offline|error-invalid-accesstoken/;

/**
 * Anyone can call a trigger's URL, so its requests use the webhook share of the token-error budget
 * (strangers cannot get n8n's IP blocked) and give up soon rather than hold the caller.
 */
export const WEBHOOK_TUNING: OpenPlatformTuning = { ...WEBHOOK_CALL_TUNING, caller: 'webhook' };

export async function apiClient(context: IWebhookFunctions): Promise<OpenPlatformClient> {
	const node = context.getNode();
	return OpenPlatformClient.forApi(node, parseApiConnection(node, await context.getCredentials('openPlatformApi')), WEBHOOK_TUNING);
}

/**
 * Checks a verify URL (origin first, then with OpenPlatform) and returns the user and app meta,
 * or the refusal to send: 400 for a URL that is not this OpenPlatform's, 401 for a dead session.
 */
export async function verifySession(
	context: IWebhookFunctions,
	call: WebhookCall,
	verifyUrl: unknown,
): Promise<{ ok: true; meta: IDataObject } | { ok: false; refusal: ReturnType<WebhookCall['refuse']> }> {
	const client = await apiClient(context);
	let url: URL;
	try {
		url = client.checkUrl(verifyUrl, 'verify', 'openplatform', 0);
	} catch (error) {
		return { ok: false, refusal: call.refuse(400, (error as Error).message) };
	}
	try {
		// The verify token is the session's secret: it does not go into the workflow.
		const meta = await client.verify(url, 0);
		delete meta.verifytoken;
		return { ok: true, meta };
	} catch (error) {
		if (isTokenGuardRefusal(error)) {
			context.logger.warn('OpenPlatform Trigger: sessions are not checked for now, after too many invalid ones (see the OpenPlatform token-error guard)');
			return { ok: false, refusal: call.refuse(503, 'OpenPlatform sessions cannot be checked right now; try again in a few minutes') };
		}
		const message = client.redactor.text((error as Error).message);
		if (DEAD_SESSION.test(message)) {
			return { ok: false, refusal: call.refuse(401, 'The OpenPlatform session has ended; open the app again') };
		}
		context.logger.warn(`OpenPlatform verify failed: ${message}`);
		return { ok: false, refusal: call.refuse(502, 'OpenPlatform could not confirm the session; try again later') };
	}
}
