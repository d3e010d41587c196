import type { IDataObject, INode } from 'n8n-workflow';

import { invalidParameter, ItemError, outcomeForHttpStatus, parseParameters, parseResponse } from '../shared/errors';
import { DEFAULT_N8N_PROCESSES } from '../shared/defaults';
import { callService, type ServiceAnswer, type ServiceCaller } from '../shared/http';
import { Redactor } from '../shared/redaction';
import type { ClientSetup, Service } from '../shared/runner';
import { z, type ZodTypeAny } from '../shared/vendor';
import { OPENPLATFORM_ERRORS, TOKEN_ERROR_CODES, type ErrorWords } from './errorCodes';
import { acquireTokenPermit, markBlocked, MAX_N8N_PROCESSES, recentTokenErrors, WORKFLOW_CALLER, type TokenCaller, type TokenRefusalReason } from './tokenGuard';
import { learnVerifyToken, looksLikeAppToken, looksLikeVerifyToken } from './tokenShapes';

/**
 * The only place that knows OpenPlatform's URLs and answers. Every URL handed in by a workflow is
 * checked against the credential's origin first, so tokens never travel to another host.
 */

export const OPENPLATFORM = 'OpenPlatform';

/** Kinds of per-user URL OpenPlatform hands out, with the paths they must have. */
const URL_PATHS = {
	notify: ['/api/notify/'],
	// The server also routes /api/badges/, though it never hands that form out.
	badge: ['/api/badge/', '/api/badges/'],
	users: ['/api/users/'],
	verify: ['/verify/', '/api/verify/'],
} as const;
export type OpenPlatformUrlKind = keyof typeof URL_PATHS;

const baseUrl = z
	.string()
	.trim()
	.url('must be the address of your OpenPlatform, such as https://intranet.example.com')
	.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://')
	.transform((url) => url.replace(/\/+$/, ''));

const apiConnectionSchema = z.object({
	url: baseUrl,
	originToken: z.string().default(''),
	accessToken: z.string().default(''),
	usersTokenUrl: z.string().trim().default(''),
	n8nProcesses: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_N8N_PROCESSES, `must be at most ${MAX_N8N_PROCESSES}`).default(DEFAULT_N8N_PROCESSES),
	ignoreSslIssues: z.boolean().default(false),
});

const oauthConnectionSchema = z.object({
	url: baseUrl,
	clientId: z.string().trim().min(1, 'is empty'),
	clientSecret: z.string().min(1, 'is empty'),
	ignoreSslIssues: z.boolean().default(false),
});

type ApiConnection = z.output<typeof apiConnectionSchema>;
type OAuthConnection = z.output<typeof oauthConnectionSchema>;

const API_LABELS = { url: 'OpenPlatform URL (credential)', n8nProcesses: 'n8n Processes (credential)' };
const OAUTH_LABELS = { url: 'OpenPlatform URL (credential)', clientId: 'Client ID (credential)', clientSecret: 'Client Secret (credential)' };

/** The code of an ItemError for a request the token-error guard kept back (see tokenGuard.ts). */
export const TOKEN_GUARD_REFUSAL = 'token-guard-refusal';

/** Makes the client of a run, a trigger or a credential test from either OpenPlatform credential. */
export const openPlatformService: Service<OpenPlatformClient> = {
	credentialType: 'openPlatformApi',
	connect: (setup) => new OpenPlatformClient(setup),
};

const errorList = z.array(z.object({ name: z.string(), error: z.string().optional() }).passthrough()).min(1);
const success = z.object({ success: z.literal(true) }).passthrough();
const tokenAnswer = z.object({ access_token: z.string().min(1), expire: z.string() }).passthrough();
const userRecord = z.object({ id: z.union([z.string(), z.number()]) }).passthrough();
const usersPage = z
	.object({
		items: z.array(userRecord),
		page: z.number().nullable().optional(),
		pages: z.number().nullable().optional(),
		count: z.number().nullable().optional(),
	})
	.passthrough();
const verifyMeta = z.object({ id: z.union([z.string(), z.number()]), profile: userRecord }).passthrough();

export type UsersPage = z.output<typeof usersPage>;

/** OpenPlatform's largest page of users. */
export const USERS_PAGE_SIZE = 1000;

export class OpenPlatformClient {
	readonly redactor: Redactor;

	/** The host OpenPlatform's IP block applies to, and the token-error guard counts for. */
	readonly host: string;

	/** The users URL from the credential: the pasted URL, or one built from the app token. */
	readonly usersUrl: string | undefined;

	/** Which credential field the users URL came from, for messages. */
	readonly usersUrlField: string;

	/** Set with the app API credential. */
	readonly hasOriginToken: boolean;

	/** The n8n processes that call this OpenPlatform from one IP: they split its token-error budget. */
	private readonly n8nProcesses: number = DEFAULT_N8N_PROCESSES;

	private readonly oauth: { clientId: string; clientSecret: string } | undefined;

	private readonly node: INode;

	/** The credential's OpenPlatform URL, without a trailing slash (it may have a path prefix). */
	private readonly origin: string;

	private readonly headers: Record<string, string>;

	private readonly caller: ServiceCaller;

	/** The users a run picked by ID (User picker), once fetched. */
	private userLookup: Promise<Map<string, IDataObject>> | undefined;

	constructor({ node, credentials, credentialType, tuning, controls }: ClientSetup) {
		let secrets: string[];
		let ignoreSslIssues: boolean;
		if (credentialType === 'openPlatformOAuth2Api') {
			const connection: OAuthConnection = parseParameters(node, oauthConnectionSchema, credentials, OAUTH_LABELS, 0);
			this.oauth = { clientId: connection.clientId, clientSecret: connection.clientSecret };
			this.origin = connection.url;
			this.headers = {};
			secrets = [connection.clientSecret];
			ignoreSslIssues = connection.ignoreSslIssues;
			this.usersUrlField = '';
			this.hasOriginToken = false;
		} else {
			const connection: ApiConnection = parseParameters(node, apiConnectionSchema, credentials, API_LABELS, 0);
			this.origin = connection.url;
			this.headers = connection.originToken ? { 'x-origin': connection.originToken } : {};
			secrets = [connection.originToken, connection.accessToken, connection.usersTokenUrl];
			ignoreSslIssues = connection.ignoreSslIssues;
			this.usersUrl =
				connection.usersTokenUrl ||
				(connection.accessToken ? `${connection.url}/api/users/?accesstoken=${encodeURIComponent(connection.accessToken)}` : undefined);
			this.usersUrlField = connection.usersTokenUrl ? 'Users URL (With Token)' : 'App Access Token';
			this.hasOriginToken = connection.originToken !== '';
			this.n8nProcesses = connection.n8nProcesses;
		}
		this.node = node;
		this.redactor = new Redactor(secrets);
		this.host = new URL(this.origin).origin;
		this.caller = { node, service: OPENPLATFORM, redactor: this.redactor, tuning, controls, ignoreSslIssues };
	}

	/**
	 * Refuses (before any request) a URL that is not an OpenPlatform URL of this kind on the
	 * credential's origin, or whose token has a shape OpenPlatform never hands out.
	 */
	checkUrl(value: unknown, kind: OpenPlatformUrlKind, field: string, itemIndex: number): URL {
		const url = this.urlOnOrigin(value, kind, field, itemIndex);
		// A token of the wrong shape would be refused by OpenPlatform and counted towards its IP block.
		if (!this.carriesIssuedToken(url, kind)) {
			throw invalidParameter(
				this.node,
				field,
				`carries a token that OpenPlatform never hands out (not the shape of a ${kind === 'verify' ? 'session' : 'user'} token); nothing was sent`,
				itemIndex,
				'Use the URL exactly as OpenPlatform handed it out.',
			);
		}
		return url;
	}

	/** The URL, if it is one of this kind on the credential's OpenPlatform (its token is not looked at). */
	urlOnOrigin(value: unknown, kind: OpenPlatformUrlKind, field: string, itemIndex: number): URL {
		const text = typeof value === 'string' ? value.trim() : '';
		let url: URL | undefined;
		try {
			url = new URL(text);
		} catch {
			url = undefined;
		}
		if (!url || text === '') {
			throw invalidParameter(this.node, field, `must be the ${kind} URL OpenPlatform hands out (${this.origin}${URL_PATHS[kind][0]}?accesstoken=...)`, itemIndex);
		}
		const base = new URL(this.origin);
		if (url.origin !== this.host) {
			throw invalidParameter(
				this.node,
				field,
				`points to ${url.origin}, not to the OpenPlatform of the credential (${this.host}); nothing was sent`,
				itemIndex,
				'Tokens are only ever sent to the OpenPlatform URL set in the credential.',
			);
		}
		// An OpenPlatform served under a path prefix hands out URLs under that prefix.
		const paths = URL_PATHS[kind].map((path) => `${base.pathname.replace(/\/+$/, '')}${path}`);
		if (!paths.includes(url.pathname) || !url.searchParams.get('accesstoken')) {
			throw invalidParameter(this.node, field, `is not an OpenPlatform ${kind} URL (expected ${paths[0]}?accesstoken=...)`, itemIndex);
		}
		return url;
	}

	carriesIssuedToken(url: URL, kind: OpenPlatformUrlKind): boolean {
		const token = url.searchParams.get('accesstoken') ?? '';
		return kind === 'verify' ? looksLikeVerifyToken(this.host, token) : looksLikeAppToken(token);
	}

	async notify(url: URL, message: { type: number; body: string; data: string }, itemIndex: number): Promise<void> {
		const answer = await this.sendToAppApi(WORKFLOW_CALLER, 'POST', url, itemIndex, JSON.stringify(message));
		this.parse(success, answer, itemIndex);
	}

	async incrementBadge(url: URL, itemIndex: number): Promise<void> {
		this.parse(success, await this.sendToAppApi(WORKFLOW_CALLER, 'GET', url, itemIndex), itemIndex);
	}

	/**
	 * The app's users with the given IDs, by ID, looked up once per run: the first call names every ID
	 * the run needs (`ids` is asked then), later calls get the same answer.
	 */
	async usersWithIds(ids: () => string[], itemIndex: number): Promise<Map<string, IDataObject>> {
		this.userLookup ??= this.fetchUsers([...new Set(ids())], itemIndex);
		return await this.userLookup;
	}

	private async fetchUsers(ids: string[], itemIndex: number): Promise<Map<string, IDataObject>> {
		if (!this.usersUrl) {
			throw invalidParameter(this.node, 'User', 'cannot be looked up', itemIndex, 'Set "App Access Token" or "Users URL" in the OpenPlatform API credential.');
		}
		const url = this.checkUrl(this.usersUrl, 'users', this.usersUrlField, itemIndex);
		const users = new Map<string, IDataObject>();
		for (let start = 0; start < ids.length; start += USERS_PAGE_SIZE) {
			const chunk = ids.slice(start, start + USERS_PAGE_SIZE);
			const page = await this.usersPage(url, { id: chunk.join(','), page: '1', limit: String(USERS_PAGE_SIZE) }, itemIndex);
			for (const user of page.items as IDataObject[]) users.set(String(user.id), user);
		}
		return users;
	}

	async usersPage(url: URL, query: Record<string, string>, itemIndex: number): Promise<UsersPage> {
		const pageUrl = new URL(url);
		for (const [key, value] of Object.entries(query)) pageUrl.searchParams.set(key, value);
		return this.parse(usersPage, await this.sendToAppApi(WORKFLOW_CALLER, 'GET', pageUrl, itemIndex), itemIndex);
	}

	/** Verifies a session for a caller of a trigger's URL (its share of the token-error budget). */
	async verify(url: URL, caller: TokenCaller, itemIndex: number): Promise<IDataObject> {
		const meta = this.parse(verifyMeta, await this.sendToAppApi(caller, 'GET', url, itemIndex), itemIndex) as IDataObject;
		learnVerifyToken(this.host, url.searchParams.get('accesstoken') ?? '');
		return meta;
	}

	/**
	 * True when an OpenPlatform v4 answers at the origin. An empty notification without a token is
	 * refused for its missing "body" before any token is looked at: nothing is sent, no token
	 * failure is counted.
	 */
	async answersAsOpenPlatform(): Promise<boolean> {
		const headers = { accept: 'application/json', 'content-type': 'application/json', ...this.headers };
		const url = `${this.origin}/api/notify/`;
		const answer = await callService(this.caller, { method: 'POST', url, headers, body: '{}' }, 0);
		const parsed = errorList.safeParse(answer.json);
		return parsed.success && parsed.data[0].name === 'body';
	}

	authorizationUrl(redirectUri: string): string {
		const query = new URLSearchParams({ client_id: this.oauthClient().clientId, redirect_uri: redirectUri });
		return `${this.origin}/oauth/authorize/?${query.toString()}`;
	}

	async exchangeCode(code: string, itemIndex: number): Promise<{ access_token: string; expire: string }> {
		this.redactor.addSecret(code);
		const { clientId, clientSecret } = this.oauthClient();
		const body = JSON.stringify({ code, client_id: clientId, client_secret: clientSecret });
		// The token endpoint answers error-invalid-accesstoken both for a bad code and for a wrong client.
		const answer = await this.sendToOAuth('POST', new URL(`${this.origin}/oauth/token/`), itemIndex, body, {}, {
			'error-invalid-accesstoken': {
				message: 'the code or the OAuth client ID / secret was refused',
				hint: 'A code is valid for the user\'s session only. Check Client ID and Client Secret in the OpenPlatform OAuth2 API credential.',
			},
		});
		const token = this.parse(tokenAnswer, answer, itemIndex);
		this.redactor.addSecret(token.access_token);
		return token;
	}

	async profile(accessToken: string, itemIndex: number): Promise<IDataObject> {
		this.redactor.addSecret(accessToken);
		const answer = await this.sendToOAuth('GET', new URL(`${this.origin}/oauth/profile/`), itemIndex, undefined, { authorization: `Bearer ${accessToken}` }, {
			'error-invalid-accesstoken': {
				message: 'the OAuth access token was refused',
				hint: 'Use an access token from OAuth → Exchange Code for Token; it lives as long as the user\'s OpenPlatform session, so exchange a new code once the user signed in again.',
			},
		});
		return this.parse(userRecord, answer, itemIndex) as IDataObject;
	}

	/**
	 * A call of the app API with a token: it passes the token-error guard (see tokenGuard.ts), and
	 * its token and origin failures are counted, as OpenPlatform counts them.
	 */
	private async sendToAppApi(caller: TokenCaller, method: 'GET' | 'POST', url: URL, itemIndex: number, body?: string): Promise<ServiceAnswer> {
		const permit = await acquireTokenPermit(this.host, caller, this.n8nProcesses, url.href);
		if (!permit.granted) throw this.notSent(permit.reason, caller, itemIndex);
		let outcome: 'accepted' | 'token-error' | 'other' = 'other';
		try {
			const answer = await this.request(method, url, itemIndex, body, {});
			if (answer.status >= 200 && answer.status < 300) {
				outcome = 'accepted';
				return answer;
			}
			const first = firstError(answer);
			if (first !== undefined && TOKEN_ERROR_CODES.has(first.name)) outcome = 'token-error';
			if (first?.name === 'error-blocked-ip') markBlocked(this.host);
			throw this.failure(answer, first, itemIndex, {});
		} finally {
			permit.release(outcome);
		}
	}

	/** An OAuth call: the server never counts its failures towards the IP block, so neither does the guard. */
	private async sendToOAuth(
		method: 'GET' | 'POST',
		url: URL,
		itemIndex: number,
		body: string | undefined,
		extraHeaders: Record<string, string>,
		errorWords: ErrorWords,
	): Promise<ServiceAnswer> {
		const answer = await this.request(method, url, itemIndex, body, extraHeaders);
		if (answer.status >= 200 && answer.status < 300) return answer;
		throw this.failure(answer, firstError(answer), itemIndex, errorWords);
	}

	private async request(method: 'GET' | 'POST', url: URL, itemIndex: number, body: string | undefined, extraHeaders: Record<string, string>): Promise<ServiceAnswer> {
		const headers: Record<string, string> = { accept: 'application/json', ...this.headers, ...extraHeaders };
		if (body !== undefined) headers['content-type'] = 'application/json';
		return await callService(this.caller, { method, url: url.toString(), headers, body }, itemIndex);
	}

	/** The OAuth client of the credential; only the OAuth credential has one. */
	oauthClient(): { clientId: string; clientSecret: string } {
		if (!this.oauth) throw new ItemError(this.node, { message: 'OAuth operations need the OpenPlatform OAuth2 API credential', itemIndex: 0 });
		return this.oauth;
	}

	private parse<S extends ZodTypeAny>(schema: S, answer: ServiceAnswer, itemIndex: number): z.output<S> {
		return parseResponse(this.node, OPENPLATFORM, schema, answer.json, itemIndex, this.redactor, answer.status);
	}

	/** Refused by the token-error guard: nothing was sent, so OpenPlatform cannot block n8n's IP. */
	private notSent(reason: TokenRefusalReason, caller: TokenCaller, itemIndex: number): ItemError {
		const why =
			reason === 'blocked'
				? 'OpenPlatform blocked this n8n server\'s IP address less than 10 minutes ago'
				: reason === 'address'
					? 'too many sessions from this client address were refused in the last 10 minutes'
					: `${recentTokenErrors(this.host, caller, this.n8nProcesses)} requests to this OpenPlatform were refused for their token or origin in the last 10 minutes`;
		return new ItemError(this.node, {
			message: `${OPENPLATFORM}: not sent, because ${why}`,
			description:
				'OpenPlatform blocks an IP address for about 10 minutes after 11 token errors, which would cut off every workflow of this n8n. Fix the URLs or tokens; sending resumes once those errors are 10 minutes old. Tokens OpenPlatform accepted in the last 10 minutes are still sent meanwhile.',
			itemIndex,
			code: TOKEN_GUARD_REFUSAL,
			details: { notSentBecause: reason },
		});
	}

	private failure(answer: ServiceAnswer, first: OpenPlatformErrorEntry | undefined, itemIndex: number, errorWords: ErrorWords): ItemError {
		const known = first ? (errorWords[first.name] ?? OPENPLATFORM_ERRORS[first.name]) : undefined;
		let message: string;
		if (known) message = `${known.message} (${first?.name})`;
		else if (first) message = first.error ?? first.name;
		else message = describeNonJson(answer);
		return new ItemError(
			this.node,
			{
				message: `${OPENPLATFORM}: ${message}`,
				description: known?.hint,
				httpStatus: answer.status,
				response: answer.json ?? answer.text.slice(0, 300),
				itemIndex,
				outcome: outcomeForHttpStatus(answer.status),
				code: first?.name,
			},
			this.redactor,
		);
	}
}

type OpenPlatformErrorEntry = z.output<typeof errorList>[number];

/** The first entry of OpenPlatform's error array (`[{name, error}]`), if the answer is one. */
function firstError(answer: ServiceAnswer): OpenPlatformErrorEntry | undefined {
	const parsed = errorList.safeParse(answer.json);
	return parsed.success ? parsed.data[0] : undefined;
}

function describeNonJson(answer: ServiceAnswer): string {
	if (answer.status === 401) return 'the server answered with its login page (HTTP 401): wrong method or URL for this call';
	if (answer.status === 404) return 'the server does not know this route (HTTP 404)';
	if (answer.status === 400) return 'the server refused the request (HTTP 400, not JSON)';
	return `HTTP ${answer.status}`;
}
