import { extractCode } from '../../../nodes/OpenPlatform/oauthCode';

describe('extractCode', () => {
	it.each([
		['x3cc9a', 'x3cc9a'],
		['  x3cc9a ', 'x3cc9a'],
		['https://n8n.example/webhook/id/callback?code=x3cc9a', 'x3cc9a'],
		// OpenPlatform appends "?code=" blindly to a redirect URI that already has a query.
		['https://n8n.example/webhook/id/callback?state=abc.def?code=x3cc9a', 'x3cc9a'],
		['/callback?a=1?code=x%2Fy', 'x/y'],
		['1?code=x3cc9a', 'x3cc9a'],
	])('finds the code in %p', (value, code) => {
		expect(extractCode(value)).toBe(code);
	});
});
