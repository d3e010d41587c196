import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { endpointOf, type WebhookCall } from '../endpoints';
import { verifySession } from '../sessionChecks';

/** URLs carrying a permanent per-(app, user) token: credentials, so not output unless asked for. */
const USER_API_URLS = ['notify', 'badge'];
const APP_API_URLS = ['users', 'meta', 'services'];

function withoutKeys(object: IDataObject, keys: string[]): IDataObject {
	return Object.fromEntries(Object.entries(object ?? {}).filter(([key]) => !keys.includes(key)));
}

/** OpenPlatform opened the app at the trigger's URL with ?openplatform=<verify URL>. */
export async function appOpened(context: IWebhookFunctions, call: WebhookCall): Promise<IWebhookResponseData> {
	if (endpointOf(call) !== 'open') return call.refuse(404, 'This URL is not used by the "App Opened" event');
	const query = context.getQueryData() as IDataObject;
	const session = await verifySession(context, call, query.openplatform);
	if (!session.ok) return session.refusal;
	const { profile, ...meta } = session.meta;
	const keepUrls = context.getNodeParameter('includeApiUrls', false) === true;
	const user = keepUrls ? (profile as IDataObject) : withoutKeys(profile as IDataObject, USER_API_URLS);
	const app = keepUrls ? meta : withoutKeys(meta, APP_API_URLS);
	const item = { json: { event: 'appOpened', user, app, language: query.language ?? null, rev: query.rev ?? null } as IDataObject };
	if (context.getNodeParameter('appResponse', 'redirect') === 'redirect') {
		return call.redirect(withOpenPlatformQuery(context.getNodeParameter('redirectUrl', '') as string, query), [[item]]);
	}
	return { workflowData: [[item]] };
}

/**
 * The page the browser is sent on to gets OpenPlatform's own query (`openplatform`, `rev`,
 * `language`), as if OpenPlatform had opened it: its client library and the command bridge need them.
 */
function withOpenPlatformQuery(location: string, query: IDataObject): string {
	let url: URL;
	try {
		url = new URL(location);
	} catch {
		return location;
	}
	for (const name of ['openplatform', 'rev', 'language']) {
		if (typeof query[name] === 'string') url.searchParams.set(name, query[name]);
	}
	return url.toString();
}
