import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { extractCode } from '../../OpenPlatform/oauthCode';
import { DEFAULT_SIGN_IN_MINUTES } from '../../shared/defaults';
import { secretsEqual } from '../../shared/webhook';
import { bindCode, mayUseCode, spendState } from '../signInRecord';
import { browserCookieName, cookieFrom, newNonce, signInCookie, signInCookieName, signState, stateKey, verifyState } from '../state';
import { endpointOf, endpointUrl, webhookClient, type WebhookCall } from '../endpoints';

/**
 * GET on the main URL starts a sign-in: a redirect to OpenPlatform's authorize page with a
 * callback URL that carries a signed, expiring state. The callback checks that state, exchanges
 * the code, reads the profile, starts the workflow with it and sends the browser on.
 */
export async function oauthSignIn(context: IWebhookFunctions, call: WebhookCall): Promise<IWebhookResponseData> {
	const node = context.getNode();
	const client = await webhookClient(context, 'openPlatformOAuth2Api');
	const { clientId, clientSecret } = client.oauthClient();
	const key = stateKey(clientSecret, context.getWorkflow().id ?? '', node.id);
	const endpoint = endpointOf(call);

	const cookieName = signInCookieName(node.id);
	if (endpoint === 'open') {
		const minutes = Number(context.getNodeParameter('options.stateLifetimeMinutes', DEFAULT_SIGN_IN_MINUTES));
		const callbackUrl = new URL(endpointUrl(context, 'callback'));
		const nonce = newNonce();
		callbackUrl.searchParams.set('state', signState(key, minutes * 60_000, Date.now(), nonce));
		call.response.setHeader('set-cookie', signInCookie(cookieName, nonce, minutes * 60, callbackUrl.protocol === 'https:'));
		return call.redirect(client.authorizationUrl(callbackUrl.toString()));
	}
	if (endpoint !== 'callback') return call.refuse(404, 'This URL is not used by the "OAuth Sign-in" event');

	// OpenPlatform appends "?code=" even though the callback URL has "?state=": read both from the raw URL.
	const rawUrl = call.request.originalUrl ?? call.request.url ?? '';
	const state = verifyState(key, /[?&]state=([^&?#]*)/.exec(rawUrl)?.[1]);
	if (!state.ok) return call.refuse(400, state.reason);
	const browserNonce = cookieFrom(context.getHeaderData().cookie, cookieName);
	if (browserNonce === undefined || !secretsEqual(browserNonce, state.state.nonce)) {
		return call.refuse(400, 'This sign-in was not started in this browser; start again');
	}
	// The browser's cookie goes, and the state is spent for every n8n process: a replay is refused.
	const cookies = [signInCookie(cookieName, '', 0, false)];
	call.response.setHeader('set-cookie', cookies);
	const staticData = context.getWorkflowStaticData('node');
	if (!spendState(staticData, state.state.nonce, state.state.exp)) {
		return call.refuse(400, 'This sign-in was already completed; start again');
	}
	const code = extractCode(rawUrl);
	if (!/[?&]code=/.test(rawUrl) || code === '') return call.refuse(400, 'OpenPlatform sent no code');
	client.redactor.addSecret(code);

	// OpenPlatform binds a code to nothing; here it is bound to the first browser that signed in with it.
	const browserName = browserCookieName(node.id);
	const browserId = cookieFrom(context.getHeaderData().cookie, browserName);
	if (!mayUseCode(staticData, clientId, code, browserId)) {
		return call.refuse(400, 'This OpenPlatform sign-in was already used in another browser; sign out of OpenPlatform, sign in again and start again');
	}

	let profile: IDataObject;
	let expire: string;
	try {
		const token = await client.exchangeCode(code, 0);
		expire = token.expire;
		profile = await client.profile(token.access_token, 0);
	} catch (error) {
		context.logger.warn(`OpenPlatform sign-in failed: ${client.redactor.text((error as Error).message)}`);
		return call.refuse(502, 'The sign-in could not be completed with OpenPlatform');
	}
	const browser = browserId ?? newNonce();
	bindCode(staticData, clientId, code, browser, expire);
	if (browserId === undefined) {
		const maxAge = Math.max(0, Math.round((Date.parse(expire) - Date.now()) / 1000)) || 3 * 24 * 3600;
		cookies.push(signInCookie(browserName, browser, maxAge, endpointUrl(context, 'callback').startsWith('https:')));
		call.response.setHeader('set-cookie', cookies);
	}
	const item = { json: { event: 'oauthSignIn', user: profile, sessionExpires: expire } as IDataObject };
	return call.redirect(context.getNodeParameter('successRedirectUrl', '') as string, [[item]]);
}
