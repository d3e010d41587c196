/** HTTP plumbing: the route table, the request log, reading requests and sending answers. */
import type * as http from 'http';
import { readBodyCapped } from '../server';
import { handleBadge, handleNotify, handleUsers, handleVerify } from './apiRoutes';
import { LOGIN_ANSWER, NOT_FOUND_ANSWER, type Answer } from './answers';
import { MAX_BODY_BYTES, TEXT_TYPE } from './constants';
import { authorizeFor, handleProfile, handleToken } from './oauthRoutes';
import { headerValue, parseQuery } from './parsing';
import type { SimState } from './state';
import type { OpenPlatformRequest } from './types';

type RouteName = 'verify' | 'notify' | 'badge' | 'users' | 'authorize' | 'token' | 'profile';

const ROUTES = new Map<string, { name: RouteName; method: 'GET' | 'POST' }>([
	['/verify/', { name: 'verify', method: 'GET' }],
	['/api/verify/', { name: 'verify', method: 'GET' }],
	['/api/notify/', { name: 'notify', method: 'POST' }],
	['/api/badge/', { name: 'badge', method: 'GET' }],
	// An alias the server routes the same way, though it never hands it out.
	['/api/badges/', { name: 'badge', method: 'GET' }],
	['/api/users/', { name: 'users', method: 'GET' }],
	['/oauth/authorize/', { name: 'authorize', method: 'GET' }],
	['/oauth/token/', { name: 'token', method: 'POST' }],
	['/oauth/profile/', { name: 'profile', method: 'GET' }],
]);

function record(state: SimState, entry: OpenPlatformRequest): void {
	state.requests.push(entry);
	if (state.maxLogEntries !== undefined && state.requests.length >= state.maxLogEntries * 2) {
		state.requests.splice(0, state.requests.length - state.maxLogEntries);
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

export function onRequest(state: SimState, req: http.IncomingMessage, res: http.ServerResponse): void {
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
	record(state, entry);

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
				answer = handleVerify(state, query, ip, req.headers);
				break;
			case 'badge':
				answer = handleBadge(state, query, ip, req.headers);
				break;
			case 'users':
				answer = handleUsers(state, query, ip, req.headers);
				break;
			case 'authorize': {
				// X-Sim-User stands in for the signed-in browser's session cookie.
				const simUser = headerValue(req.headers['x-sim-user']) ?? state.options.signedInUser;
				const signedIn = simUser === undefined ? undefined : state.users.get(simUser);
				answer = authorizeFor(state, signedIn, query.client_id ?? '', query.redirect_uri ?? '');
				break;
			}
			default:
				answer = handleProfile(state, req.headers);
				break;
		}
		send(res, entry, answer);
		return;
	}

	readBodyCapped(req, MAX_BODY_BYTES, () => tooLarge(req, res, entry), (raw) => {
		entry.body = raw.toString('utf8');
		const answer =
			route.name === 'notify'
				? handleNotify(state, query, ip, req.headers, entry.contentType, raw)
				: handleToken(state, entry.contentType, raw);
		send(res, entry, answer);
	});
}

function tooLarge(req: http.IncomingMessage, res: http.ServerResponse, entry: OpenPlatformRequest): void {
	res.setHeader('Connection', 'close');
	send(res, entry, { status: 413, contentType: TEXT_TYPE, body: '413: Request Entity Too Large' });
	res.on('finish', () => req.socket.destroy());
}
