import type { INode } from 'n8n-workflow';

import { RUN_TUNING } from '../../../nodes/shared/defaults';
import { openPlatformService } from '../../../nodes/OpenPlatform/transport';

const NODE: INode = { id: '1', name: 'OpenPlatform', type: 'openPlatform', typeVersion: 1, position: [0, 0], parameters: {} };
const client = (url: string) => openPlatformService.connect({ node: NODE, credentials: { url }, credentialType: 'openPlatformApi', tuning: RUN_TUNING });
const token = 'simapp4op01-u1-1234567890-1234567890';
/** The shape of a Total.js-encrypted session token (see test/simulators/openplatform/sessionTokens.ts). */
const sessionToken = `9137-37303d41${'2a1f'.repeat(28)}`;

describe('OpenPlatformClient.checkUrl', () => {
	it('accepts the per-user URLs of the credential\'s OpenPlatform, and nothing on another scheme, host or port', () => {
		const platform = client('https://intranet.example/');
		expect(platform.checkUrl(`https://intranet.example/api/notify/?accesstoken=${token}`, 'notify', 'Notify URL', 0).pathname).toBe('/api/notify/');
		for (const other of [
			`http://intranet.example/api/notify/?accesstoken=${token}`,
			`https://intranet.example:8443/api/notify/?accesstoken=${token}`,
			`https://intranet.example@evil.example/api/notify/?accesstoken=${token}`,
			`https://evil.example/api/notify/?accesstoken=${token}`,
		]) {
			expect(() => platform.checkUrl(other, 'notify', 'Notify URL', 0)).toThrow(/not to the OpenPlatform of the credential \(https:\/\/intranet\.example\); nothing was sent/);
		}
		expect(() => platform.checkUrl(`https://intranet.example/api/badge/?accesstoken=${token}`, 'notify', 'Notify URL', 0)).toThrow(
			'Invalid "Notify URL": is not an OpenPlatform notify URL (expected /api/notify/?accesstoken=...)',
		);
	});

	it('follows an OpenPlatform served under a path prefix', () => {
		const platform = client('https://portal.example/intranet/');
		expect(platform.checkUrl(`https://portal.example/intranet/api/badge/?accesstoken=${token}`, 'badge', 'Badge URL', 0).pathname).toBe('/intranet/api/badge/');
		expect(platform.checkUrl(`https://portal.example/intranet/verify/?accesstoken=${sessionToken}`, 'verify', 'openplatform', 0).pathname).toBe('/intranet/verify/');
		expect(() => platform.checkUrl(`https://portal.example/api/badge/?accesstoken=${token}`, 'badge', 'Badge URL', 0)).toThrow(
			'Invalid "Badge URL": is not an OpenPlatform badge URL (expected /intranet/api/badge/?accesstoken=...)',
		);
	});
});

describe('OpenPlatformClient.checkUrl and token shapes', () => {
	const platform = client('https://intranet.example/');

	it('accepts the /api/badges/ alias the server routes like /api/badge/', () => {
		expect(platform.checkUrl(`https://intranet.example/api/badges/?accesstoken=${token}`, 'badge', 'Badge URL', 0).pathname).toBe('/api/badges/');
	});

	it.each([
		['three parts', 'simapp4op01-u1-1234567890123456789012'],
		['five parts', 'simapp4op01-u1-1234567890-1234567890-1'],
		['a checksum that is not a 32-bit number', 'simapp4op01-u1-12345678901-1234567890'],
		['a checksum with a leading zero', 'simapp4op01-u1-0123456789-1234567890'],
		['fewer than 30 characters', 'a-b-1234567890-1234567890'],
	])('refuses an app token with %s before any request', (_, madeUp) => {
		expect(() => platform.checkUrl(`https://intranet.example/api/notify/?accesstoken=${madeUp}`, 'notify', 'Notify URL', 0)).toThrow(
			'Invalid "Notify URL": carries a token that OpenPlatform never hands out (not the shape of a user token); nothing was sent',
		);
	});

	it.each([
		['digits-hex without the encryption marker', `1-${'a'.repeat(60)}`],
		['no checksum', `37303d41${'2a1f'.repeat(28)}`],
		['odd hex', `9137-37303d41${'2a1f'.repeat(28)}a`],
	])('refuses a session token with %s before any request', (_, madeUp) => {
		expect(() => platform.checkUrl(`https://intranet.example/verify/?accesstoken=${madeUp}`, 'verify', 'openplatform', 0)).toThrow(/not the shape of a session token/);
	});
});
