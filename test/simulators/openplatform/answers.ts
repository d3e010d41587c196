/** What the simulated server answers: error codes and bodies, the HTML pages and the answer helpers. */
import { HTML_TYPE, JSON_TYPE, NOT_FOUND, SUCCESS, TEXT_TYPE } from './constants';

export interface Answer {
	status: number;
	contentType: string;
	body: string;
	headers?: Record<string, string>;
}

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

export const BODY_FIELD_ERROR = JSON.stringify([
	{ name: 'body', error: 'The field "body" is invalid', path: 'body', prefix: 'body' },
]);

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

export const LOGIN_ANSWER: Answer = { status: 401, contentType: HTML_TYPE, body: LOGIN_PAGE };
export const NOT_FOUND_ANSWER: Answer = { status: 404, contentType: TEXT_TYPE, body: NOT_FOUND };
export const SUCCESS_ANSWER: Answer = { status: 200, contentType: JSON_TYPE, body: SUCCESS };

export function errorAnswer(code: string): Answer {
	const body = ERROR_BODIES.get(code) ?? JSON.stringify([{ name: code, error: code }]);
	return { status: 400, contentType: JSON_TYPE, body };
}

export function json(value: unknown, headers?: Record<string, string>): Answer {
	return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(value), headers };
}

export function badRequestPage(detail: string): Answer {
	return { status: 400, contentType: HTML_TYPE, body: errorPage(400, 'Bad Request', detail) };
}
