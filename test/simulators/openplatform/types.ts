/** The simulator's public types: its options, users, logs and the handle tests drive it with. */

export interface OpenPlatformSimulatorOptions {
	/** Port to listen on; 0 or undefined picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** The app's id (first part of app tokens). Default 'simapp4op01'. Must not contain '-'. */
	appId?: string;
	/** The app's URL, answered as `url` by verify. Default 'https://app.example.test/openplatform/'. */
	appUrl?: string;
	/** When set, every token call (notify, badge, users, verify) must carry `X-Origin: <it>`. */
	originToken?: string;
	oauthClientId?: string;
	oauthClientSecret?: string;
	/** Default true. When false, every /oauth/ endpoint answers error-nooauth. */
	oauthEnabled?: boolean;
	/** Whether the default OAuth client may read the full profile (email, phone, repo, dtbirth). Default false. */
	oauthFullProfile?: boolean;
	/**
	 * Code answered by POST /oauth/token/ for a wrong client_id / client_secret. Default
	 * 'error-invalid-accesstoken', as the v4 source answers there (error-invalid-clientkey is an
	 * authorize error).
	 */
	oauthClientError?: 'error-invalid-clientkey' | 'error-invalid-accesstoken';
	/** A user taken as signed in at /oauth/authorize/ when no X-Sim-User header says otherwise (the demo's browser). */
	signedInUser?: string;
	/** Default 11: after 11 failed token checks from one IP, the 12th call and all later ones are blocked. */
	blockAfterFailures?: number;
	/** Default 10 minutes: how often the server forgets every IP's failed token checks (and so lifts blocks). */
	failureMemoryMs?: number;
	/** Default 1 minute: how often the server empties its cache of app tokens that passed (see tokenChecks.ts). */
	tokenCacheMs?: number;
	/** Whether the app may send notifications (else error-permissions). Default true. */
	allowNotifications?: boolean;
	/** Whether the app may read users (else error-permissions, and no `users` in the verify meta). Default true. */
	allowReadUsers?: boolean;
	/** Lifetime of a login session (OAuth `expire`). Default 3 days. */
	sessionLifetimeMs?: number;
	/** Seed of the deterministic app / user secrets: the same seed gives the same tokens after a restart. */
	secret?: string;
	/** Also create this many generated users (see seedUsers). Default 0. */
	seedUsers?: number;
	/** Keep at most about this many request log entries. Default: unlimited. */
	maxLogEntries?: number;
}

export interface SimUser {
	/** Must not be empty or contain '-' (it is a part of the app token). */
	id: string;
	name: string;
	email: string;
	/** Default 'en'. */
	language?: string;
	groups: string[];
	/** The user's roles in this app. */
	roles: string[];
	/** false = notifications turned off altogether: no notify URL handed out, notify gives error-accessible. Default true. */
	notifications?: boolean;
	/** The user muted this app: notify gives error-notifications-muted. */
	mutedApp?: boolean;
	phone?: string;
	firstname?: string;
	lastname?: string;
	/** A bare file name such as '20200506_abc.jpg'. */
	photo?: string;
	gender?: string | null;
	company?: string;
	/** Not loaded by the server: token calls answer error-invalid-accesstoken (counted); /oauth/profile/ answers error-inactive. */
	inactive?: boolean;
	/** Blocked by the admin: as inactive, but /oauth/profile/ answers error-blocked. */
	blocked?: boolean;
	/** The admin revoked the app from the user: notify answers error-accessible (not counted), badge still succeeds. */
	appRevoked?: boolean;
}

export interface StoredNotification {
	userId: string;
	type: number;
	body: string;
	data: string;
	/** Date.now() when stored. */
	at: number;
}

export interface OpenPlatformRequest {
	method: string;
	/** The path as received (without the query). */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | undefined>;
	contentType?: string;
	/** Status answered; 0 while pending. */
	status: number;
	ip: string;
	/** The raw request body of POST requests. */
	body?: string;
}

export interface AuthorizeResult {
	status: number;
	location?: string;
	body: string;
}

export interface OpenPlatformSimulator {
	/** http://127.0.0.1:PORT (the "openplatform" URL). */
	readonly baseUrl: string;
	readonly port: number;
	readonly appId: string;
	readonly originToken?: string;
	readonly oauth: { clientId: string; clientSecret: string };
	/** Adds or replaces a user; their app token does not change when replaced. */
	addUser(user: SimUser): void;
	/**
	 * Adds `count` generated users with ids 'seed1'..'seedN' (continuing after earlier calls),
	 * names 'Seed User N', emails seedN@openplatform.test, groups ['seeded', 'team<N % 5>'],
	 * roles ['admin'] for every 10th, else ['user']. Returns their ids.
	 */
	seedUsers(count: number): string[];
	/** The permanent `appid-userid-checksum-checksum` token for notify / badge / users. */
	appToken(userId: string): string;
	/** The user's notify URL, also for users with notifications off (whose user objects do not carry it). */
	notifyUrl(userId: string): string;
	badgeUrl(userId: string): string;
	/** The app's users URL (the token of the given user, default 'u1'). */
	usersUrl(userId?: string): string;
	/**
	 * The user opens the app: reuses their live session (or logs in), resets the 15-unread counter,
	 * and returns the URL OpenPlatform loads: appUrl + ('?' or '&') + 'openplatform=<verify URL>&rev=..&language=..'.
	 */
	openApp(userId: string, appUrl: string): string;
	/**
	 * A new login of the user; returns <base>/verify/?accesstoken=<session token>. The verify URLs
	 * of the user's earlier sessions die: they answer error-invalid-accesstoken, which counts
	 * towards the IP block.
	 */
	verifyUrl(userId: string): string;
	/** Verify URLs of all sessions (or the user's) now answer error-offline. */
	expireSessions(userId?: string): void;
	/** What GET /oauth/authorize/ does for a signed-in user (302 with a blindly appended '?code='). */
	authorize(userId: string, redirectUri: string, clientId?: string): AuthorizeResult;
	/** Adds another OAuth client (codes may be exchanged by any client). */
	addOAuthClient(clientId: string, clientSecret: string, fullProfile?: boolean): void;
	/** Stored notifications only (cut to 1000 chars, the 15-unread rule applied). */
	readonly notifications: ReadonlyArray<StoredNotification>;
	badgeCount(userId: string): number;
	/** Notifications counted since the user last opened the app (including unstored ones). */
	unreadCount(userId: string): number;
	readonly requests: ReadonlyArray<OpenPlatformRequest>;
	/** Failed token checks counted for an IP (default 127.0.0.1). */
	tokenFailures(ip?: string): number;
	unblockAll(): void;
	/** Clears the request log. */
	clearLog(): void;
	/** Clears the log, notifications, badges, unread counters and IP blocks (users and sessions stay). */
	reset(): void;
	/** The user opened the app or the notification list: resets the 15-unread counter. */
	markRead(userId: string): void;
	close(): Promise<void>;
}
