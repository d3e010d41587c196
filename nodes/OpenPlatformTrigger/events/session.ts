import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { WEBHOOK_TUNING } from '../../shared/defaults';
import { ItemError } from '../../shared/errors';
import type { webhookCall } from '../../shared/webhook';
import { openPlatformService, TOKEN_GUARD_REFUSAL, type OpenPlatformClient } from '../../OpenPlatform/transport';
import { callerAddress, isKnownDead, onceAtATime, rememberDead } from '../sessionChecks';

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

/** A client for calls made while the trigger's caller waits: they give up soon rather than hold it. */
export async function webhookClient(context: IWebhookFunctions, credentialType: 'openPlatformApi' | 'openPlatformOAuth2Api'): Promise<OpenPlatformClient> {
	const credentials = await context.getCredentials(credentialType);
	return openPlatformService.connect({ node: context.getNode(), credentials, credentialType, tuning: WEBHOOK_TUNING });
}

type Refusal = ReturnType<WebhookCall['refuse']>;

const ENDED = 'The OpenPlatform session has ended or is not valid; open the app again';

/**
 * Checks a verify URL and returns the user and app meta, or the refusal to send: 400 for a URL
 * that is not this OpenPlatform's; 401 for a session that is not (or no longer) valid, refused
 * without asking OpenPlatform when its token has a shape OpenPlatform never issues or was refused
 * before; 429 when this caller's address has spent its share of token errors; 503 when all
 * callers together have (n8n's IP must never be blocked by OpenPlatform, see tokenGuard.ts).
 */
export async function verifySession(
	context: IWebhookFunctions,
	call: WebhookCall,
	verifyUrl: unknown,
): Promise<{ ok: true; meta: IDataObject } | { ok: false; refusal: Refusal }> {
	const client = await webhookClient(context, 'openPlatformApi');
	let url: URL;
	try {
		url = client.urlOnOrigin(verifyUrl, 'verify', 'openplatform', 0);
	} catch (error) {
		return { ok: false, refusal: call.refuse(400, (error as Error).message) };
	}
	const token = url.searchParams.get('accesstoken') ?? '';
	if (!client.carriesIssuedToken(url, 'verify') || isKnownDead(client.host, token)) {
		return { ok: false, refusal: call.refuse(401, ENDED) };
	}
	const caller = { kind: 'webhook' as const, address: callerAddress(call.request.ip ?? call.request.socket?.remoteAddress) };
	try {
		const meta = await onceAtATime(client.host, token, async () => await client.verify(url, caller, 0));
		// The verify token is the session's secret: it does not go into the workflow.
		delete meta.verifytoken;
		return { ok: true, meta };
	} catch (error) {
		return { ok: false, refusal: refusalFor(context, call, client, token, error) };
	}
}

function refusalFor(context: IWebhookFunctions, call: WebhookCall, client: OpenPlatformClient, token: string, error: unknown): Refusal {
	const code = error instanceof ItemError ? error.code : undefined;
	if (code === TOKEN_GUARD_REFUSAL) {
		if ((error as ItemError).details.notSentBecause === 'address') {
			call.response.setHeader('retry-after', '600');
			return call.refuse(429, 'Too many OpenPlatform sessions from this address were not valid; try again in a few minutes');
		}
		context.logger.warn('OpenPlatform Trigger: sessions are not checked for now, after too many invalid ones (see the OpenPlatform token-error guard)');
		return call.refuse(503, 'OpenPlatform sessions cannot be checked right now; try again in a few minutes');
	}
	if (code === 'error-invalid-accesstoken') {
		// Dead for good (a later login, a logout, a made-up token): never sent to OpenPlatform again.
		rememberDead(client.host, token);
		return call.refuse(401, ENDED);
	}
	// Idle: the same URL works again once the user is active in OpenPlatform, so it is not remembered.
	if (code === 'error-offline') return call.refuse(401, ENDED);
	context.logger.warn(`OpenPlatform verify failed: ${client.redactor.text((error as Error).message)}`);
	return call.refuse(502, 'OpenPlatform could not confirm the session; try again later');
}
