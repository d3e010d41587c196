/** OpenPlatform's error codes (the `name` of its error objects) in plain words, with what to do. */
export const OPENPLATFORM_ERRORS: Record<string, { message: string; hint?: string }> = {
	'error-invalid-accesstoken': {
		message: 'the access token in the URL is not valid',
		hint: 'Use the notify / badge / users URL exactly as OpenPlatform handed it out; the user or app may have been removed.',
	},
	'error-permissions': {
		message: 'the app is not allowed to do this',
		hint: 'In OpenPlatform, allow the app to send notifications or to read users.',
	},
	'error-accessible': { message: 'the user has turned notifications off' },
	'error-notifications-muted': { message: 'the user muted notifications from this app' },
	'error-invalid-origin': {
		message: 'the request came from an origin OpenPlatform does not accept',
		hint: 'Set the app\'s origin token in the credential (sent as X-Origin), or call from the app\'s registered IP address.',
	},
	'error-offline': {
		message: 'the session behind this verify URL has ended',
		hint: 'Verify URLs die at logout, at the next login and after about 8 minutes without activity; open the app again.',
	},
	'error-blocked-ip': {
		message: 'OpenPlatform has blocked this n8n server\'s IP address after repeated token errors',
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

/** Codes that mean "this token or origin is wrong": each one brings the IP block closer. */
export const TOKEN_ERROR_CODES = new Set(['error-invalid-accesstoken', 'error-invalid-origin']);
