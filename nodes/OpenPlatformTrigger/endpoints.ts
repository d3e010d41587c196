import type { IWebhookFunctions } from 'n8n-workflow';

import { rememberedCredentials } from '../shared/credentialMemory';
import { WEBHOOK_TUNING } from '../shared/defaults';
import type { webhookCall } from '../shared/webhook';
import { openPlatformService, type OpenPlatformClient } from '../OpenPlatform/transport';

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
	const credentials = await rememberedCredentials(context, credentialType);
	return openPlatformService.connect({ node: context.getNode(), credentials, credentialType, tuning: WEBHOOK_TUNING });
}
