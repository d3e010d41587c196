/**
 * The simulator's state: its settings (options with their defaults filled in) and the data
 * model (users, sessions, OAuth clients and grants, notifications, the request log, failed
 * token checks). One SimState belongs to one running simulator; the other modules read and
 * change it.
 */
import { createHash } from 'crypto';
import type { OpenPlatformRequest, OpenPlatformSimulatorOptions, SimUser, StoredNotification } from './types';

export interface Session {
	id: string;
	userId: string;
	/** The `<checksum>-<hex>` verify token (see sessionTokens.ts). */
	token: string;
	/** The OAuth code of this session (the same for the whole session). */
	code: string;
	/** false once the user is idle: verify answers error-offline (not counted towards the IP block). */
	alive: boolean;
	/** true once a later login of the user replaced it: verify answers error-invalid-accesstoken (counted). */
	replaced: boolean;
	expiresAt: number;
	appUrl: string;
}

export interface UserRecord {
	user: SimUser;
	createdAt: Date;
	/** The app token (`appid-userid-checksum-checksum`). */
	token: string;
	/** Lowercased name + email without diacritics, for `q`. */
	search: string;
	rev: string;
	badges: number;
	unread: number;
	current?: Session;
}

export interface OAuthClient {
	id: string;
	secret: string;
	fullProfile: boolean;
}

/** A 10-digit decimal checksum (the real server uses crc32 numbers). */
export function checksum(text: string): string {
	const hash = createHash('sha256').update(text).digest();
	return String(1_000_000_000 + (hash.readUInt32BE(0) % 4_000_000_000));
}

export interface SimState {
	/** The options as given; `signedInUser` is read from here at every authorize request. */
	readonly options: OpenPlatformSimulatorOptions;
	readonly host: string;
	readonly appId: string;
	readonly defaultAppUrl: string;
	readonly originToken: string | undefined;
	readonly oauthEnabled: boolean;
	readonly oauthClientError: 'error-invalid-clientkey' | 'error-invalid-accesstoken';
	readonly blockAfter: number;
	readonly allowNotifications: boolean;
	readonly allowReadUsers: boolean;
	readonly sessionLifetimeMs: number;
	readonly secret: string;
	readonly maxLogEntries: number | undefined;
	readonly appSecret: string;
	readonly serverSecret: string;
	readonly openplatformId: number;

	readonly users: Map<string, UserRecord>;
	/** Records in creation order (replaced users keep their place). */
	readonly ordered: UserRecord[];
	seeded: number;
	readonly sessions: Map<string, Session>;
	readonly sessionsByCode: Map<string, Session>;
	sessionSeq: number;
	readonly clients: Map<string, OAuthClient>;
	/** access token → what it was issued for */
	readonly accessTokens: Map<string, { sessionId: string; userId: string; clientId: string }>;
	/** `${sessionId}|${clientId}` → access token (the same token for every exchange) */
	readonly issued: Map<string, string>;
	readonly notifications: StoredNotification[];
	readonly requests: OpenPlatformRequest[];
	readonly failures: Map<string, number>;
	readonly failureMemoryMs: number;
	failuresClearedAt: number;
	/** App tokens that passed every check in the current minute (the real server's SIMPLECACHE). */
	readonly tokenCache: Map<string, UserRecord>;
	readonly tokenCacheMs: number;
	tokenCacheClearedAt: number;
	readonly defaultClient: OAuthClient;
	/** Set once the server listens. */
	baseUrl: string;
}

export function createState(options: OpenPlatformSimulatorOptions): SimState {
	const host = options.host ?? '127.0.0.1';
	const appId = options.appId ?? 'simapp4op01';
	if (appId === '' || appId.includes('-')) throw new Error('appId must not be empty or contain "-"');
	const defaultAppUrl = options.appUrl ?? 'https://app.example.test/openplatform/';
	const originToken = options.originToken;
	const oauthEnabled = options.oauthEnabled ?? true;
	const oauthClientError = options.oauthClientError ?? 'error-invalid-accesstoken';
	const blockAfter = options.blockAfterFailures ?? 11;
	const allowNotifications = options.allowNotifications ?? true;
	const allowReadUsers = options.allowReadUsers ?? true;
	const sessionLifetimeMs = options.sessionLifetimeMs ?? 3 * 24 * 60 * 60 * 1000;
	const secret = options.secret ?? 'openplatform-simulator';
	const maxLogEntries = options.maxLogEntries;
	const appSecret = checksum(`app:${secret}:${appId}`);
	const serverSecret = checksum(`server:${secret}`);
	const openplatformId = Number(checksum(`id:${secret}`));
	const failureMemoryMs = options.failureMemoryMs ?? 10 * 60_000;
	const failuresClearedAt = Date.now();

	const defaultClient: OAuthClient = {
		id: options.oauthClientId ?? 'oauthsim01',
		secret: options.oauthClientSecret ?? `${checksum(`oauth:${secret}`)}${checksum(`oauth2:${secret}`)}abcdefghijklmno`,
		fullProfile: options.oauthFullProfile ?? false,
	};
	const clients = new Map<string, OAuthClient>();
	clients.set(defaultClient.id, defaultClient);

	return {
		options,
		host,
		appId,
		defaultAppUrl,
		originToken,
		oauthEnabled,
		oauthClientError,
		blockAfter,
		allowNotifications,
		allowReadUsers,
		sessionLifetimeMs,
		secret,
		maxLogEntries,
		appSecret,
		serverSecret,
		openplatformId,
		users: new Map<string, UserRecord>(),
		ordered: [],
		seeded: 0,
		sessions: new Map<string, Session>(),
		sessionsByCode: new Map<string, Session>(),
		sessionSeq: 0,
		clients,
		accessTokens: new Map<string, { sessionId: string; userId: string; clientId: string }>(),
		issued: new Map<string, string>(),
		notifications: [],
		requests: [],
		failures: new Map<string, number>(),
		failureMemoryMs,
		failuresClearedAt,
		tokenCache: new Map<string, UserRecord>(),
		tokenCacheMs: options.tokenCacheMs ?? 60_000,
		tokenCacheClearedAt: failuresClearedAt,
		defaultClient,
		baseUrl: '',
	};
}
