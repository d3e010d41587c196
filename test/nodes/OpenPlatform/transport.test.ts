import type { INode } from 'n8n-workflow';

import { OpenPlatformClient, parseApiConnection } from '../../../nodes/OpenPlatform/transport';

const NODE: INode = { id: '1', name: 'OpenPlatform', type: 'openPlatform', typeVersion: 1, position: [0, 0], parameters: {} };
const client = (url: string) => OpenPlatformClient.forApi(NODE, parseApiConnection(NODE, { url }));
const token = 'app-user-checksum-checksum-0000000000';

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
		expect(platform.checkUrl(`https://portal.example/intranet/verify/?accesstoken=${token}`, 'verify', 'openplatform', 0).pathname).toBe('/intranet/verify/');
		expect(() => platform.checkUrl(`https://portal.example/api/badge/?accesstoken=${token}`, 'badge', 'Badge URL', 0)).toThrow(
			'Invalid "Badge URL": is not an OpenPlatform badge URL (expected /intranet/api/badge/?accesstoken=...)',
		);
	});
});
