/**
 * A real HTTP server that behaves like an OpenPlatform v4 server (Total.js intranet) as far
 * as n8n nodes see it: notify, badge, users, verify and the OAuth 2.0 flow, quirks included.
 * The behaviour follows /work/shared/api/openplatform-v4-behaviour.md.
 *
 * Only Node's built-in modules are used. The hot path (a valid notify or badge call) does a
 * map lookup for the token and a push onto the request log, nothing more.
 *
 * Default users (see DEFAULT_USERS):
 * - `u1` Anna Novak: notifications on, groups staff + sales, roles admin + user, full profile.
 * - `u2` Ben Adams: notifications on, groups staff + dev, role user.
 * - `u3` Cleo Brown: notifications turned off altogether (no notify URL, notify → error-accessible).
 * - `u4` Dan Black: muted this app (notify URL handed out, notify → error-notifications-muted).
 *
 * Choices where the behaviour notes leave room (documented once here):
 * - Sessions: every `verifyUrl()` call is a new login of that user. As on the real server, a
 *   later login kills the verify URLs of the user's earlier sessions: they answer
 *   error-invalid-accesstoken, which counts towards the IP block. `openApp()` and `authorize()`
 *   reuse the user's current session while its verify URL is alive (authorize: while it has not
 *   reached its 3-day expiry) and log in otherwise. Verify tokens have the real server's shape
 *   (Total.js `encrypt`, see openplatform/sessionTokens.ts).
 * - `expireSessions()` is an idle timeout: verify answers error-offline (not counted), but the
 *   sessions still exist, so OAuth codes of those sessions can still be exchanged until the 3-day
 *   expiry.
 * - The client IP is the first entry of X-Forwarded-For when present (Total.js trusts it),
 *   else the socket address. Tests can use it to fail from a different IP.
 * - Without an origin token the real server only accepts calls from the app's own IP address;
 *   the simulator treats every caller as coming from the app's IP.
 * - Failed checks that count towards the IP block are those of FUNC.decodetoken and of verify:
 *   a malformed or unknown token (a replaced session's, a blocked or inactive user's included)
 *   and a wrong X-Origin. error-offline, the notify route's own refusals (error-accessible,
 *   error-notifications-muted, error-permissions, schema errors) and every OAuth failure do not.
 * - An app token that passed every check is cached until the server's next minute tick; a
 *   cached token skips the X-Origin check (a wrong origin token then passes), as on 4.9.
 * - `role` / `roles` in a users query is ignored, as 4.9 ignores it. `/api/badges/` is an alias
 *   of `/api/badge/`.
 *
 * The code lives in ./openplatform/: types (the public types), state (settings and data model),
 * users, sessions, userObjects (URLs and user objects), tokenChecks (X-Origin, app tokens, IP
 * block), apiRoutes (verify, badge, notify, users), oauthRoutes (authorize, token, profile),
 * answers, parsing, constants and http (routing, request log). This file starts the server.
 */
import { startLoopbackServer } from './server';
import { onRequest } from './openplatform/http';
import { authorizeFor } from './openplatform/oauthRoutes';
import { login, verifyUrlOf } from './openplatform/sessions';
import { createState } from './openplatform/state';
import type { AuthorizeResult, OpenPlatformSimulator, OpenPlatformSimulatorOptions } from './openplatform/types';
import { apiUrl } from './openplatform/userObjects';
import { addUser, DEFAULT_USERS, recordFor, seedUsers } from './openplatform/users';

export type {
	AuthorizeResult,
	OpenPlatformRequest,
	OpenPlatformSimulator,
	OpenPlatformSimulatorOptions,
	SimUser,
	StoredNotification,
} from './openplatform/types';
export { DEFAULT_USERS } from './openplatform/users';

export async function startOpenPlatformSimulator(
	options: OpenPlatformSimulatorOptions = {},
): Promise<OpenPlatformSimulator> {
	const state = createState(options);

	const loopback = await startLoopbackServer((req, res) => onRequest(state, req, res), {
		port: options.port,
		host: state.host,
	});
	state.baseUrl = loopback.origin;

	for (const user of DEFAULT_USERS) addUser(state, user);
	if (options.seedUsers) seedUsers(state, options.seedUsers);

	const simulator: OpenPlatformSimulator = {
		baseUrl: state.baseUrl,
		port: loopback.port,
		appId: state.appId,
		originToken: state.originToken,
		oauth: { clientId: state.defaultClient.id, clientSecret: state.defaultClient.secret },
		addUser: (user) => addUser(state, user),
		seedUsers: (count) => seedUsers(state, count),
		appToken: (userId) => recordFor(state, userId).token,
		notifyUrl: (userId) => apiUrl(state, 'notify', recordFor(state, userId).token),
		badgeUrl: (userId) => apiUrl(state, 'badge', recordFor(state, userId).token),
		usersUrl: (userId = 'u1') => apiUrl(state, 'users', recordFor(state, userId).token),
		openApp(userId: string, appUrl: string): string {
			const record = recordFor(state, userId);
			let session = record.current;
			if (session === undefined || !session.alive || session.expiresAt < Date.now()) {
				session = login(state, record, appUrl);
			}
			session.appUrl = appUrl;
			record.unread = 0;
			const separator = appUrl.includes('?') ? '&' : '?';
			return (
				`${appUrl}${separator}openplatform=${encodeURIComponent(verifyUrlOf(state, session))}` +
				`&rev=${record.rev}&language=${record.user.language ?? 'en'}`
			);
		},
		verifyUrl(userId: string): string {
			return verifyUrlOf(state, login(state, recordFor(state, userId), state.defaultAppUrl));
		},
		expireSessions(userId?: string): void {
			for (const session of state.sessions.values()) {
				if (userId === undefined || session.userId === userId) session.alive = false;
			}
		},
		authorize(userId: string, redirectUri: string, clientId?: string): AuthorizeResult {
			const answer = authorizeFor(state, state.users.get(userId), clientId ?? state.defaultClient.id, redirectUri);
			return { status: answer.status, location: answer.headers?.Location, body: answer.body };
		},
		addOAuthClient(clientId: string, clientSecret: string, fullProfile = false): void {
			state.clients.set(clientId, { id: clientId, secret: clientSecret, fullProfile });
		},
		notifications: state.notifications,
		badgeCount: (userId) => recordFor(state, userId).badges,
		unreadCount: (userId) => recordFor(state, userId).unread,
		requests: state.requests,
		tokenFailures: (ip = '127.0.0.1') => state.failures.get(ip) ?? 0,
		unblockAll(): void {
			state.failures.clear();
		},
		clearLog(): void {
			state.requests.length = 0;
		},
		reset(): void {
			state.requests.length = 0;
			state.notifications.length = 0;
			state.failures.clear();
			for (const record of state.ordered) {
				record.badges = 0;
				record.unread = 0;
			}
		},
		markRead(userId: string): void {
			recordFor(state, userId).unread = 0;
		},
		close: () => loopback.close(),
	};
	return simulator;
}
