export type ErrorWords = Record<string, { message: string; hint?: string }>;

/** OpenPlatform's error codes (the `name` of its error objects) in plain words, with what to do. */
export const OPENPLATFORM_ERRORS: ErrorWords = {
	'error-invalid-accesstoken': {
		message: 'the access token in the URL is not valid',
		hint: 'Use the notify / badge / users URL exactly as OpenPlatform handed it out. OpenPlatform also answers this for a user the admin blocked or deactivated, and for a user or app that was removed.',
	},
	'error-permissions': {
		message: 'the app is not allowed to do this',
		hint: 'In OpenPlatform, allow the app to send notifications or to read users.',
	},
	'error-accessible': {
		message: 'the user has turned notifications off, or the app is no longer assigned to the user',
		hint: 'OpenPlatform answers this both when the user switched notifications off and when the admin revoked the app from the user.',
	},
	'error-notifications-muted': { message: 'the user muted notifications from this app' },
	'error-invalid-origin': {
		message: 'the request came from an origin OpenPlatform does not accept',
		hint: 'Set the app\'s origin token in the credential (sent as X-Origin), or call from the app\'s registered IP address.',
	},
	'error-offline': {
		message: 'the user of this verify URL has been idle for several minutes',
		hint: 'The URL works again once the user is active in OpenPlatform (a logout or a later login kills it for good: error-invalid-accesstoken).',
	},
	'error-blocked-ip': {
		message: 'this n8n server\'s IP address is blocked after repeated token errors',
		hint: 'Wait about 10 minutes, then fix the URLs or tokens before sending again.',
	},
	'error-nooauth': { message: 'OAuth 2.0 is switched off', hint: 'Allow OAuth 2.0 in the OpenPlatform settings.' },
	'error-data': { message: 'a required value is missing in the request' },
	'error-invalid-clientkey': {
		message: 'the OAuth client ID or client secret is wrong',
		hint: 'Check Client ID and Client Secret in the OpenPlatform OAuth2 API credential.',
	},
	'error-inactive': { message: 'the user account is inactive' },
	'error-blocked': { message: 'the user account is blocked' },
};

/** The app API's codes that OpenPlatform counts towards its IP block (no other code, no OAuth answer, is counted). */
export const TOKEN_ERROR_CODES = new Set(['error-invalid-accesstoken', 'error-invalid-origin']);
