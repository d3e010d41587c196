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
 *   later login kills the verify URLs of the user's earlier sessions (they answer error-offline).
 *   `openApp()` and `authorize()` reuse the user's current session while its verify URL is alive
 *   (authorize: while it has not reached its 3-day expiry) and log in otherwise.
 * - `expireSessions()` is an idle timeout: verify answers error-offline, but the sessions still
 *   exist, so OAuth codes of those sessions can still be exchanged until the 3-day expiry.
 * - The client IP is the first entry of X-Forwarded-For when present (Total.js trusts it),
 *   else the socket address. Tests can use it to fail from a different IP.
 * - Without an origin token the real server only accepts calls from the app's own IP address;
 *   the simulator treats every caller as coming from the app's IP.
 * - Failed token checks that count towards the IP block: a malformed / unknown token, a wrong
 *   X-Origin, a token of a blocked or inactive user (error-accessible) and a verify token that
 *   is not a session token. error-offline (a dead but genuine session) does not count.
 */
import { createHash, randomBytes } from 'crypto';
import * as http from 'http';
import { readBodyCapped, startLoopbackServer } from './server';

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
	/** Token calls answer error-accessible; /oauth/profile/ answers error-inactive. */
	inactive?: boolean;
	/** Token calls answer error-accessible; /oauth/profile/ answers error-blocked. */
	blocked?: boolean;
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
	/** A new login of the user; returns <base>/verify/?accesstoken=<session token>. Earlier sessions of the user die. */
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

export const DEFAULT_USERS: readonly SimUser[] = [
	{
		id: 'u1',
		name: 'Anna Novak',
		firstname: 'Anna',
		lastname: 'Novak',
		email: 'anna@openplatform.test',
		phone: '+421900000001',
		company: 'Example Ltd.',
		language: 'en',
		groups: ['staff', 'sales'],
		roles: ['admin', 'user'],
		photo: '20200506_anna01.jpg',
		gender: 'female',
	},
	{
		id: 'u2',
		name: 'Ben Adams',
		firstname: 'Ben',
		lastname: 'Adams',
		email: 'ben@openplatform.test',
		language: 'en',
		groups: ['staff', 'dev'],
		roles: ['user'],
		gender: 'male',
	},
	{
		id: 'u3',
		name: 'Cleo Brown',
		firstname: 'Cleo',
		lastname: 'Brown',
		email: 'cleo@openplatform.test',
		language: 'sk',
		groups: ['staff'],
		roles: ['user'],
		notifications: false,
		gender: null,
	},
	{
		id: 'u4',
		name: 'Dan Black',
		firstname: 'Dan',
		lastname: 'Black',
		email: 'dan@openplatform.test',
		language: 'en',
		groups: ['dev'],
		roles: ['user'],
		mutedApp: true,
	},
];

const MAX_BODY_BYTES = 1024 * 1024;
const FIELD_MAX = 1000;
const UNREAD_LIMIT = 15;
const DEFAULT_PAGE_SIZE = 500;
const MAX_PAGE_SIZE = 1000;
const VERSION = 4902;
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const SUCCESS = '{"success":true}';
const NOT_FOUND = '404: The resource not found';

const ERROR_TEXTS: Readonly<Record<string, string>> = {
	'error-invalid-accesstoken': 'Invalid access token.',
	'error-permissions': 'You do not have required permissions.',
	'error-accessible': 'User account is not accessible.',
	'error-notifications-muted': 'User has muted notifications for this app.',
	'error-invalid-origin': 'Your IP address is not in whitelist.',
	'error-offline': 'User is offline',
	'error-blocked-ip': 'Your IP has been blocked.',
	'error-blocked': 'Your account has been blocked.',
	'error-inactive': 'Your account is inactive.',
	'error-data': 'Invalid data',
	'error-invalid-clientkey': 'Invalid OAuth 2 client key',
	'error-nooauth': 'OAuth 2.0 service is inactive.',
};

/** Precomputed answers: `[{"name":code,"error":text}]`. */
const ERROR_BODIES = new Map<string, string>(
	Object.entries(ERROR_TEXTS).map(([name, error]) => [name, JSON.stringify([{ name, error }])]),
);

const BODY_FIELD_ERROR = JSON.stringify([
	{ name: 'body', error: 'The field "body" is invalid', path: 'body', prefix: 'body' },
]);

type RouteName = 'verify' | 'notify' | 'badge' | 'users' | 'authorize' | 'token' | 'profile';

const ROUTES = new Map<string, { name: RouteName; method: 'GET' | 'POST' }>([
	['/verify/', { name: 'verify', method: 'GET' }],
	['/api/verify/', { name: 'verify', method: 'GET' }],
	['/api/notify/', { name: 'notify', method: 'POST' }],
	['/api/badge/', { name: 'badge', method: 'GET' }],
	['/api/users/', { name: 'users', method: 'GET' }],
	['/oauth/authorize/', { name: 'authorize', method: 'GET' }],
	['/oauth/token/', { name: 'token', method: 'POST' }],
	['/oauth/profile/', { name: 'profile', method: 'GET' }],
]);

interface Session {
	id: string;
	userId: string;
	/** The `<digits>-<hex>` verify token. */
	token: string;
	/** The OAuth code of this session (the same for the whole session). */
	code: string;
	/** false once the verify URL is dead (idle, later login). */
	alive: boolean;
	createdAt: number;
	expiresAt: number;
	appUrl: string;
}

interface UserRecord {
	user: SimUser;
	/** Creation order; the users list shows the newest first (the real server sorts by dtcreated desc). */
	seq: number;
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

interface OAuthClient {
	id: string;
	secret: string;
	fullProfile: boolean;
}

interface Answer {
	status: number;
	contentType: string;
	body: string;
	headers?: Record<string, string>;
}

function mediaType(contentType: string | undefined): string {
	if (contentType === undefined) return '';
	const semicolon = contentType.indexOf(';');
	return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value.join(', ') : value;
}


/** Lowercase, diacritics removed (like Total.js toSearch, simplified). */
function searchText(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** A Total.js schema `String(1000)`: objects and null become '', other values their text; trimmed and cut. */
function schemaString(value: unknown): string {
	if (value === undefined || value === null || typeof value === 'object') return '';
	const text = (typeof value === 'string' ? value : String(value)).trim();
	return text.length > FIELD_MAX ? text.slice(0, FIELD_MAX) : text;
}

/** A Total.js schema `Number`: numbers stay, numeric text is parsed, anything else is 0. */
function schemaNumber(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
	if (typeof value === 'string') {
		const parsed = parseFloat(value.trim());
		return Number.isNaN(parsed) ? 0 : parsed;
	}
	return 0;
}

/** A CONVERT 'String' field: text stays, numbers become text, anything else ''. */
function convertString(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return '';
}

function parseQuery(text: string): Record<string, string> {
	const query: Record<string, string> = {};
	if (text === '') return query;
	for (const [key, value] of new URLSearchParams(text)) {
		if (!(key in query)) query[key] = value;
	}
	return query;
}

/** `undefined` when absent or empty, `null` when invalid or zero, else the positive integer. */
function pagingNumber(value: string | undefined): number | null | undefined {
	if (value === undefined || value === '') return undefined;
	if (!/^\d+$/.test(value)) return null;
	const number = Number(value);
	return number > 0 ? number : null;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined | 'invalid' {
	if (text.trim() === '') return {};
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
			return parsed as Record<string, unknown>;
		}
		return {};
	} catch {
		return 'invalid';
	}
}

function parseForm(text: string): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const [key, value] of new URLSearchParams(text)) body[key] = value;
	return body;
}

/** Text fields of a multipart/form-data body (files are ignored). */
function parseMultipart(raw: Buffer, contentType: string): Record<string, unknown> | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!match) return undefined;
	const boundary = `--${match[1] ?? match[2]}`;
	const text = raw.toString('utf8');
	const body: Record<string, unknown> = {};
	for (const part of text.split(boundary).slice(1)) {
		if (part.startsWith('--')) break;
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd === -1) continue;
		const head = part.slice(0, headerEnd);
		const name = /name="([^"]*)"/i.exec(head);
		if (!name || /filename=/i.test(head)) continue;
		let value = part.slice(headerEnd + 4);
		if (value.endsWith('\r\n')) value = value.slice(0, -2);
		body[name[1]] = value;
	}
	return body;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(code: number, status: string, detail?: string): string {
	return [
		'<!DOCTYPE html>',
		'<html>',
		'<head>',
		`\t<title>${code}: ${status}</title>`,
		'\t<meta charset="utf-8" />',
		'</head>',
		'<body>',
		`\t<div class="cell"><b>${code}</b><div class="status">${status}</div>${
			detail ? `<div class="error">${escapeHtml(detail)}</div>` : ''
		}</div>`,
		'</body>',
		'</html>',
	].join('\n');
}

const LOGIN_PAGE = [
	'<!DOCTYPE html>',
	'<html>',
	'<head>',
	'\t<title>OpenPlatform: Sign in</title>',
	'\t<meta charset="utf-8" />',
	'</head>',
	'<body>',
	'\t<form method="post" action="/api/login/">',
	'\t\t<h1>Sign in</h1>',
	'\t\t<input type="text" name="login" placeholder="Login" />',
	'\t\t<input type="password" name="password" placeholder="Password" />',
	'\t\t<button type="submit">Sign in</button>',
	'\t</form>',
	'</body>',
	'</html>',
].join('\n');

const LOGIN_ANSWER: Answer = { status: 401, contentType: HTML_TYPE, body: LOGIN_PAGE };
const NOT_FOUND_ANSWER: Answer = { status: 404, contentType: TEXT_TYPE, body: NOT_FOUND };
const SUCCESS_ANSWER: Answer = { status: 200, contentType: JSON_TYPE, body: SUCCESS };

function errorAnswer(code: string): Answer {
	const body = ERROR_BODIES.get(code) ?? JSON.stringify([{ name: code, error: code }]);
	return { status: 400, contentType: JSON_TYPE, body };
}

function json(value: unknown, headers?: Record<string, string>): Answer {
	return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(value), headers };
}

function badRequestPage(detail: string): Answer {
	return { status: 400, contentType: HTML_TYPE, body: errorPage(400, 'Bad Request', detail) };
}

/** A 10-digit decimal checksum (the real server uses crc32 numbers). */
function checksum(text: string): string {
	const hash = createHash('sha256').update(text).digest();
	return String(1_000_000_000 + (hash.readUInt32BE(0) % 4_000_000_000));
}

export async function startOpenPlatformSimulator(
	options: OpenPlatformSimulatorOptions = {},
): Promise<OpenPlatformSimulator> {
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

	const users = new Map<string, UserRecord>();
	/** Records in creation order (replaced users keep their place). */
	const ordered: UserRecord[] = [];
	let userSeq = 0;
	let seeded = 0;
	const sessions = new Map<string, Session>();
	const sessionsByCode = new Map<string, Session>();
	let sessionSeq = 0;
	const clients = new Map<string, OAuthClient>();
	/** access token → what it was issued for */
	const accessTokens = new Map<string, { sessionId: string; userId: string; clientId: string }>();
	/** `${sessionId}|${clientId}` → access token (the same token for every exchange) */
	const issued = new Map<string, string>();
	const notifications: StoredNotification[] = [];
	const requests: OpenPlatformRequest[] = [];
	const failures = new Map<string, number>();
	const failureMemoryMs = options.failureMemoryMs ?? 10 * 60_000;
	let failuresClearedAt = Date.now();

	const defaultClient: OAuthClient = {
		id: options.oauthClientId ?? 'oauthsim01',
		secret: options.oauthClientSecret ?? `${checksum(`oauth:${secret}`)}${checksum(`oauth2:${secret}`)}abcdefghijklmno`,
		fullProfile: options.oauthFullProfile ?? false,
	};
	clients.set(defaultClient.id, defaultClient);

	let baseUrl = '';

	function recordFor(userId: string): UserRecord {
		const record = users.get(userId);
		if (record === undefined) throw new Error(`OpenPlatform simulator: unknown user "${userId}"`);
		return record;
	}

	function addUser(input: SimUser): void {
		if (input.id === '' || input.id.includes('-')) {
			throw new Error(`OpenPlatform simulator: a user id must not be empty or contain "-" (got "${input.id}")`);
		}
		const user: SimUser = {
			...input,
			groups: [...input.groups],
			roles: [...input.roles],
			language: input.language ?? 'en',
			notifications: input.notifications ?? true,
			mutedApp: input.mutedApp ?? false,
		};
		const previous = users.get(user.id);
		if (previous !== undefined) {
			previous.user = user;
			previous.search = searchText(`${user.name} ${user.email}`);
			return;
		}
		const sign = `${appId}-${user.id}-${checksum(`user:${secret}:${user.id}${appSecret}`)}`;
		const record: UserRecord = {
			user,
			seq: ++userSeq,
			createdAt: new Date(),
			token: `${sign}-${checksum(sign + serverSecret)}`,
			search: searchText(`${user.name} ${user.email}`),
			rev: checksum(`rev:${user.id}`).slice(0, 6),
			badges: 0,
			unread: 0,
		};
		users.set(user.id, record);
		ordered.push(record);
	}

	function seedUsers(count: number): string[] {
		const ids: string[] = [];
		for (let i = 0; i < count; i++) {
			const n = ++seeded;
			const id = `seed${n}`;
			addUser({
				id,
				name: `Seed User ${n}`,
				firstname: 'Seed',
				lastname: `User ${n}`,
				email: `seed${n}@openplatform.test`,
				groups: ['seeded', `team${n % 5}`],
				roles: n % 10 === 0 ? ['admin'] : ['user'],
			});
			ids.push(id);
		}
		return ids;
	}

	// ---- sessions -----------------------------------------------------------------------

	function login(record: UserRecord, appUrl: string): Session {
		for (const session of sessions.values()) {
			if (session.userId === record.user.id) session.alive = false;
		}
		const seq = ++sessionSeq;
		const now = Date.now();
		const session: Session = {
			id: `s${seq}`,
			userId: record.user.id,
			token: `${now}${seq}-${randomBytes(63).toString('hex')}`,
			code: `x${randomBytes(20).toString('hex')}`,
			alive: true,
			createdAt: now,
			expiresAt: now + sessionLifetimeMs,
			appUrl,
		};
		sessions.set(session.token, session);
		sessionsByCode.set(session.code, session);
		record.current = session;
		return session;
	}

	function verifyUrlOf(session: Session): string {
		return `${baseUrl}/verify/?accesstoken=${encodeURIComponent(session.token)}`;
	}

	// ---- URLs and user objects ----------------------------------------------------------

	function apiUrl(kind: 'notify' | 'badge' | 'users' | 'meta' | 'services', token: string): string {
		return `${baseUrl}/api/${kind}/?accesstoken=${token}`;
	}

	function isOnline(record: UserRecord): boolean {
		return record.current !== undefined && record.current.alive;
	}

	/** The user object of verify's `profile` and of the users list (an app with full read rights). */
	function publicUser(record: UserRecord): Record<string, unknown> {
		const user = record.user;
		const obj: Record<string, unknown> = { id: user.id, directoryid: 0, statusid: 0 };
		if (user.company) obj.company = user.company;
		obj.dtcreated = record.createdAt.toISOString();
		if (user.firstname) obj.firstname = user.firstname;
		if (user.lastname) obj.lastname = user.lastname;
		obj.name = user.name;
		if (user.gender) obj.gender = user.gender;
		obj.language = user.language;
		obj.notifications = user.notifications !== false;
		obj.online = isOnline(record);
		if (user.photo) obj.photo = `${baseUrl}/photos/${user.photo}`;
		obj.countnotifications = record.unread;
		obj.countbadges = record.badges;
		obj.roles = user.roles;
		obj.groups = user.groups;
		obj.badge = apiUrl('badge', record.token);
		if (user.notifications !== false) obj.notify = apiUrl('notify', record.token);
		obj.email = user.email;
		if (user.phone) obj.phone = user.phone;
		return obj;
	}

	/** The raw user record of /oauth/profile/. */
	function rawUser(record: UserRecord, fullProfile: boolean): Record<string, unknown> {
		const user = record.user;
		const obj: Record<string, unknown> = {
			id: user.id,
			supervisorid: null,
			deputyid: null,
			groupid: null,
			directory: null,
			directoryid: 0,
			statusid: 0,
			status: null,
			photo: user.photo ?? null,
			name: user.name,
			dateformat: 'yyyy-MM-dd',
			timeformat: 24,
			numberformat: 1,
			firstname: user.firstname ?? null,
			lastname: user.lastname ?? null,
			gender: user.gender ?? null,
			email: user.email,
			phone: user.phone ?? null,
			company: user.company ?? null,
			language: user.language,
			reference: null,
			locality: null,
			position: null,
			colorscheme: null,
			repo: {},
			roles: user.roles,
			groups: user.groups,
			notifications: user.notifications !== false,
			notificationsemail: false,
			notificationsphone: false,
			sa: false,
			darkmode: 0,
			sounds: true,
			dtbirth: null,
			dtbeg: null,
			dtend: null,
			dtupdated: null,
			dtmodified: null,
			dtcreated: record.createdAt.toISOString(),
			middlename: null,
			contractid: null,
			ou: null,
			desktop: 1,
		};
		if (!fullProfile) {
			delete obj.email;
			delete obj.phone;
			delete obj.repo;
			delete obj.dtbirth;
		}
		return obj;
	}

	// ---- token checks -------------------------------------------------------------------

	function fail(ip: string, code: string): Answer {
		forgetOldFailures();
		failures.set(ip, (failures.get(ip) ?? 0) + 1);
		return errorAnswer(code);
	}

	/** Like the real server's periodic service job: every counter is dropped at once, not one by one. */
	function forgetOldFailures(): void {
		const now = Date.now();
		if (now - failuresClearedAt < failureMemoryMs) return;
		failures.clear();
		failuresClearedAt = now;
	}

	function isBlocked(ip: string): boolean {
		forgetOldFailures();
		const count = failures.get(ip);
		return count !== undefined && count >= blockAfter;
	}

	function originOk(headers: http.IncomingHttpHeaders): boolean {
		return originToken === undefined || headerValue(headers['x-origin']) === originToken;
	}

	/** FUNC.decodetoken: an app token → the user, or the error to answer. */
	function decodeAppToken(
		token: string | undefined,
		ip: string,
		headers: http.IncomingHttpHeaders,
	): UserRecord | Answer {
		if (isBlocked(ip)) return errorAnswer('error-blocked-ip');
		if (token === undefined || token.length < 30) return fail(ip, 'error-invalid-accesstoken');
		const parts = token.split('-');
		if (parts.length !== 4 || parts[0] !== appId) return fail(ip, 'error-invalid-accesstoken');
		const record = users.get(parts[1]);
		if (record === undefined || record.token !== token) return fail(ip, 'error-invalid-accesstoken');
		if (!originOk(headers)) return fail(ip, 'error-invalid-origin');
		if (record.user.blocked || record.user.inactive) return fail(ip, 'error-accessible');
		return record;
	}

	// ---- endpoints ----------------------------------------------------------------------

	function handleVerify(query: Record<string, string>, ip: string, headers: http.IncomingHttpHeaders): Answer {
		if (isBlocked(ip)) return errorAnswer('error-blocked-ip');
		const token = query.accesstoken;
		if (token === undefined || token.length < 30) return fail(ip, 'error-invalid-accesstoken');
		const session = sessions.get(token);
		const record = session === undefined ? undefined : users.get(session.userId);
		if (session === undefined || record === undefined) return fail(ip, 'error-invalid-accesstoken');
		if (!originOk(headers)) return fail(ip, 'error-invalid-origin');
		if (record.user.blocked || record.user.inactive) return fail(ip, 'error-accessible');
		if (!session.alive) return errorAnswer('error-offline');

		const meta: Record<string, unknown> = {
			date: new Date().toISOString(),
			url: session.appUrl,
			id: appId,
			openplatform: baseUrl,
			openplatformid: openplatformId,
			email: 'info@openplatform.test',
			verifytoken: checksum(`verify:${secret}`),
			name: 'OpenPlatform Simulator',
			version: VERSION,
			profile: publicUser(record),
			meta: apiUrl('meta', record.token),
		};
		if (allowReadUsers) meta.users = apiUrl('users', record.token);
		meta.services = apiUrl('services', record.token);
		return json(meta, originToken === undefined ? undefined : { 'X-Origin': originToken });
	}

	function handleBadge(query: Record<string, string>, ip: string, headers: http.IncomingHttpHeaders): Answer {
		const decoded = decodeAppToken(query.accesstoken, ip, headers);
		if (!('user' in decoded)) return decoded;
		decoded.badges++;
		return SUCCESS_ANSWER;
	}

	function handleNotify(
		query: Record<string, string>,
		ip: string,
		headers: http.IncomingHttpHeaders,
		contentType: string | undefined,
		raw: Buffer,
	): Answer {
		const type = mediaType(contentType);
		let body: Record<string, unknown>;
		if (type === 'application/json') {
			const parsed = parseJsonObject(raw.toString('utf8'));
			if (parsed === 'invalid' || parsed === undefined) return badRequestPage('Invalid JSON data.');
			body = parsed;
		} else if (type === 'application/x-www-form-urlencoded') {
			body = parseForm(raw.toString('utf8'));
		} else {
			return badRequestPage('Invalid content type.');
		}

		// Schema validation comes before the token.
		const text = schemaString(body.body);
		if (text === '') return { status: 400, contentType: JSON_TYPE, body: BODY_FIELD_ERROR };
		const kind = schemaNumber(body.type);
		const data = schemaString(body.data);

		const decoded = decodeAppToken(query.accesstoken, ip, headers);
		if (!('user' in decoded)) return decoded;
		const user = decoded.user;
		if (!allowNotifications) return errorAnswer('error-permissions');
		if (user.notifications === false) return errorAnswer('error-accessible');
		if (user.mutedApp) return errorAnswer('error-notifications-muted');

		decoded.unread++;
		if (decoded.unread <= UNREAD_LIMIT) {
			notifications.push({ userId: user.id, type: kind, body: text, data, at: Date.now() });
		}
		return SUCCESS_ANSWER;
	}

	/**
	 * The users list. Shape (Total.js DBMS list): `{ items, count, page, limit, pages }` with
	 * `count` = all matching users, `pages` = ceil(count / limit) (0 when nothing matches),
	 * `page` = the 1-based page asked for (a page past the end gives `items: []`). Newest users
	 * first. `limit` defaults to 500 and is capped at 1000. An invalid or zero `page` or `limit`
	 * (anything but a positive integer; empty counts as absent) answers the first page with the
	 * default / valid limit, but with `page: null` and `pages: null` (the quirk).
	 */
	function handleUsers(query: Record<string, string>, ip: string, headers: http.IncomingHttpHeaders): Answer {
		const decoded = decodeAppToken(query.accesstoken, ip, headers);
		if (!('user' in decoded)) return decoded;
		if (!allowReadUsers) return errorAnswer('error-permissions');

		const page = pagingNumber(query.page);
		const limitAsked = pagingNumber(query.limit);
		const quirk = page === null || limitAsked === null;
		const limit = Math.min(limitAsked ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
		const pageNumber = page ?? 1;

		const ids = query.id ? new Set(query.id.split(',')) : undefined;
		const q = query.q ? searchText(query.q.trim()) : '';
		const group = query.group || query.groups || '';
		const role = query.role || query.roles || '';

		const skip = (pageNumber - 1) * limit;
		const items: Record<string, unknown>[] = [];
		let count = 0;
		for (let i = ordered.length - 1; i >= 0; i--) {
			const record = ordered[i];
			const user = record.user;
			if (ids !== undefined && !ids.has(user.id)) continue;
			if (q !== '' && !record.search.includes(q)) continue;
			if (group !== '' && !user.groups.includes(group)) continue;
			if (role !== '' && !user.roles.includes(role)) continue;
			if (count >= skip && items.length < limit) items.push(publicUser(record));
			count++;
		}
		return json({
			items,
			count,
			page: quirk ? null : pageNumber,
			limit,
			pages: quirk ? null : Math.ceil(count / limit),
		});
	}

	function authorizeFor(record: UserRecord | undefined, clientId: string, redirectUri: string): Answer {
		if (record === undefined) return LOGIN_ANSWER;
		if (!oauthEnabled) return errorAnswer('error-nooauth');
		if (!redirectUri || !clientId) return errorAnswer('error-data');
		if (!clients.has(clientId)) return errorAnswer('error-invalid-clientkey');
		let session = record.current;
		if (session === undefined || session.expiresAt < Date.now()) session = login(record, defaultAppUrl);
		// Appended blindly: a redirect_uri with a query string ends up with two '?'.
		return { status: 302, contentType: HTML_TYPE, body: '', headers: { Location: `${redirectUri}?code=${session.code}` } };
	}

	function handleToken(contentType: string | undefined, raw: Buffer): Answer {
		const type = mediaType(contentType);
		let body: Record<string, unknown> | undefined;
		if (type === 'application/json') {
			const parsed = parseJsonObject(raw.toString('utf8'));
			if (parsed === 'invalid' || parsed === undefined) return badRequestPage('Invalid JSON data.');
			body = parsed;
		} else if (type === 'application/x-www-form-urlencoded') {
			body = parseForm(raw.toString('utf8'));
		} else if (type === 'multipart/form-data') {
			body = parseMultipart(raw, contentType ?? '');
			if (body === undefined) return badRequestPage('Invalid multipart data.');
		} else {
			return badRequestPage('Invalid content type.');
		}
		if (!oauthEnabled) return errorAnswer('error-nooauth');

		// HTTP Basic client authentication is not supported: the Authorization header is ignored.
		const code = convertString(body.code);
		const clientId = convertString(body.client_id);
		const clientSecret = convertString(body.client_secret);
		const session = code === '' ? undefined : sessionsByCode.get(code);
		if (session === undefined || session.expiresAt < Date.now()) return errorAnswer('error-invalid-accesstoken');
		const client = clients.get(clientId);
		if (client === undefined || client.secret !== clientSecret) return errorAnswer(oauthClientError);

		const key = `${session.id}|${client.id}`;
		let accessToken = issued.get(key);
		if (accessToken === undefined) {
			accessToken = randomBytes(36).toString('base64url');
			issued.set(key, accessToken);
			accessTokens.set(accessToken, { sessionId: session.id, userId: session.userId, clientId: client.id });
		}
		return json({ access_token: accessToken, expire: new Date(session.expiresAt).toISOString() });
	}

	function handleProfile(headers: http.IncomingHttpHeaders): Answer {
		if (!oauthEnabled) return errorAnswer('error-nooauth');
		// Like the real server: the second word of the header, whatever the scheme.
		const token = (headerValue(headers.authorization) ?? '').split(' ')[1];
		if (!token) return errorAnswer('error-invalid-accesstoken');
		const grant = accessTokens.get(token);
		if (grant === undefined) return errorAnswer('error-invalid-accesstoken');
		const client = clients.get(grant.clientId);
		const record = users.get(grant.userId);
		if (client === undefined || record === undefined) return errorAnswer('error-invalid-accesstoken');
		if (record.user.inactive) return errorAnswer('error-inactive');
		if (record.user.blocked) return errorAnswer('error-blocked');
		// Neither logout nor session expiry is checked here.
		return json(rawUser(record, client.fullProfile));
	}

	// ---- HTTP plumbing ------------------------------------------------------------------

	function record(entry: OpenPlatformRequest): void {
		requests.push(entry);
		if (maxLogEntries !== undefined && requests.length >= maxLogEntries * 2) {
			requests.splice(0, requests.length - maxLogEntries);
		}
	}

	function send(res: http.ServerResponse, entry: OpenPlatformRequest, answer: Answer): void {
		if (res.destroyed || res.headersSent) return;
		const headers: http.OutgoingHttpHeaders = {
			'Content-Type': answer.contentType,
			'Content-Length': Buffer.byteLength(answer.body),
		};
		if (answer.headers) {
			for (const [name, value] of Object.entries(answer.headers)) {
				// A Location with characters HTTP headers cannot carry is sent percent-encoded.
				headers[name] = /^[\t\x20-\x7e\x80-\xff]*$/.test(value) ? value : encodeURI(value);
			}
		}
		entry.status = answer.status;
		res.writeHead(answer.status, headers);
		res.end(answer.body);
	}

	function clientIp(req: http.IncomingMessage): string {
		const forwarded = headerValue(req.headers['x-forwarded-for']);
		if (forwarded) {
			const first = forwarded.split(',', 1)[0].trim();
			if (first) return first;
		}
		return req.socket.remoteAddress ?? '';
	}

	function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = req.url ?? '/';
		const mark = url.indexOf('?');
		const path = mark === -1 ? url : url.slice(0, mark);
		const query = parseQuery(mark === -1 ? '' : url.slice(mark + 1));
		const method = req.method ?? '';
		const ip = clientIp(req);
		const headers: Record<string, string | undefined> = {};
		for (const [name, value] of Object.entries(req.headers)) headers[name] = headerValue(value);
		const entry: OpenPlatformRequest = {
			method,
			path,
			query,
			headers,
			contentType: headers['content-type'],
			status: 0,
			ip,
		};
		record(entry);

		// Total.js routes ignore case and a missing trailing slash.
		let key = path.toLowerCase();
		if (!key.endsWith('/')) key += '/';
		const route = ROUTES.get(key);

		if (route === undefined || (method !== 'GET' && method !== 'POST')) {
			req.resume();
			send(res, entry, NOT_FOUND_ANSWER);
			return;
		}
		if (method !== route.method) {
			req.resume();
			// GET on a POST-only route: the login page; POST on a GET-only route: 404 text.
			send(res, entry, method === 'GET' ? LOGIN_ANSWER : NOT_FOUND_ANSWER);
			return;
		}

		if (method === 'GET') {
			req.resume();
			let answer: Answer;
			switch (route.name) {
				case 'verify':
					answer = handleVerify(query, ip, req.headers);
					break;
				case 'badge':
					answer = handleBadge(query, ip, req.headers);
					break;
				case 'users':
					answer = handleUsers(query, ip, req.headers);
					break;
				case 'authorize': {
					// X-Sim-User stands in for the signed-in browser's session cookie.
					const simUser = headerValue(req.headers['x-sim-user']) ?? options.signedInUser;
					const signedIn = simUser === undefined ? undefined : users.get(simUser);
					answer = authorizeFor(signedIn, query.client_id ?? '', query.redirect_uri ?? '');
					break;
				}
				default:
					answer = handleProfile(req.headers);
					break;
			}
			send(res, entry, answer);
			return;
		}

		readBodyCapped(req, MAX_BODY_BYTES, () => tooLarge(req, res, entry), (raw) => {
			entry.body = raw.toString('utf8');
			const answer =
				route.name === 'notify'
					? handleNotify(query, ip, req.headers, entry.contentType, raw)
					: handleToken(entry.contentType, raw);
			send(res, entry, answer);
		});
	}

	function tooLarge(req: http.IncomingMessage, res: http.ServerResponse, entry: OpenPlatformRequest): void {
		res.setHeader('Connection', 'close');
		send(res, entry, { status: 413, contentType: TEXT_TYPE, body: '413: Request Entity Too Large' });
		res.on('finish', () => req.socket.destroy());
	}

	const loopback = await startLoopbackServer(onRequest, { port: options.port, host });
	baseUrl = loopback.origin;

	for (const user of DEFAULT_USERS) addUser(user);
	if (options.seedUsers) seedUsers(options.seedUsers);

	const simulator: OpenPlatformSimulator = {
		baseUrl,
		port: loopback.port,
		appId,
		originToken,
		oauth: { clientId: defaultClient.id, clientSecret: defaultClient.secret },
		addUser,
		seedUsers,
		appToken: (userId) => recordFor(userId).token,
		notifyUrl: (userId) => apiUrl('notify', recordFor(userId).token),
		badgeUrl: (userId) => apiUrl('badge', recordFor(userId).token),
		usersUrl: (userId = 'u1') => apiUrl('users', recordFor(userId).token),
		openApp(userId: string, appUrl: string): string {
			const record = recordFor(userId);
			let session = record.current;
			if (session === undefined || !session.alive || session.expiresAt < Date.now()) {
				session = login(record, appUrl);
			}
			session.appUrl = appUrl;
			record.unread = 0;
			const separator = appUrl.includes('?') ? '&' : '?';
			return (
				`${appUrl}${separator}openplatform=${encodeURIComponent(verifyUrlOf(session))}` +
				`&rev=${record.rev}&language=${record.user.language ?? 'en'}`
			);
		},
		verifyUrl(userId: string): string {
			return verifyUrlOf(login(recordFor(userId), defaultAppUrl));
		},
		expireSessions(userId?: string): void {
			for (const session of sessions.values()) {
				if (userId === undefined || session.userId === userId) session.alive = false;
			}
		},
		authorize(userId: string, redirectUri: string, clientId?: string): AuthorizeResult {
			const answer = authorizeFor(users.get(userId), clientId ?? defaultClient.id, redirectUri);
			return { status: answer.status, location: answer.headers?.Location, body: answer.body };
		},
		addOAuthClient(clientId: string, clientSecret: string, fullProfile = false): void {
			clients.set(clientId, { id: clientId, secret: clientSecret, fullProfile });
		},
		notifications,
		badgeCount: (userId) => recordFor(userId).badges,
		unreadCount: (userId) => recordFor(userId).unread,
		requests,
		tokenFailures: (ip = '127.0.0.1') => failures.get(ip) ?? 0,
		unblockAll(): void {
			failures.clear();
		},
		clearLog(): void {
			requests.length = 0;
		},
		reset(): void {
			requests.length = 0;
			notifications.length = 0;
			failures.clear();
			for (const record of ordered) {
				record.badges = 0;
				record.unread = 0;
			}
		},
		markRead(userId: string): void {
			recordFor(userId).unread = 0;
		},
		close: () => loopback.close(),
	};
	return simulator;
}
