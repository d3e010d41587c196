import type { IDataObject, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { searchUsers } from '../../../../nodes/OpenPlatform/resources/user/pick';
import { forgetTokenErrors } from '../../../../nodes/OpenPlatform/tokenGuard';
import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../../simulators/openplatform';
import { NODE, runOpenPlatform } from '../openPlatformWorkflow';

let simulator: OpenPlatformSimulator;
let credential: IDataObject;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator();
	simulator.addUser({ id: 'u8', name: 'Quiet Quinn', email: 'quinn@example.test', groups: [], roles: [], notifications: false });
	credential = { accessToken: simulator.appToken('u1') };
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.clearLog();
	forgetTokenErrors();
});

const picked = (id: string) => ({ __rl: true, mode: 'id', value: id });
const usersCalls = () => simulator.requests.filter((entry) => entry.path === '/api/users/').length;

describe('OpenPlatform → a user picked by name or ID', () => {
	it('notifies the picked users, with one users call for the whole run', async () => {
		const result = await runOpenPlatform(
			simulator,
			{ resource: 'notification', operation: 'send', recipient: 'user', user: { __rl: true, mode: 'id', value: '={{ $json.who }}' }, type: 0, body: 'Hello' },
			{ items: [{ who: 'u1' }, { who: 'u2' }, { who: 'u1' }], credential },
		);
		expect(result.output(NODE).map((item) => item.json)).toEqual([{ success: true, type: 0 }, { success: true, type: 0 }, { success: true, type: 0 }]);
		expect(simulator.notifications.map((entry) => entry.userId)).toEqual(expect.arrayContaining(['u1', 'u2']));
		expect(usersCalls()).toBe(1);
	});

	it('raises the badge of a user picked from the list', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'badge', operation: 'increment', recipient: 'user', user: { __rl: true, mode: 'list', value: 'u2' } }, { credential });
		expect(result.output(NODE)[0].json).toEqual({ success: true });
		expect(simulator.badgeCount('u2')).toBeGreaterThanOrEqual(1);
	});

	it('reports a user without notify URL (notifications off): skipped, or an error naming the User field', async () => {
		const skipped = await runOpenPlatform(simulator, { resource: 'notification', operation: 'send', recipient: 'user', user: picked('u8'), body: 'Hi' }, { credential });
		expect(skipped.nodeError(NODE)?.message).toBeUndefined();
		expect(skipped.output(NODE)[0].json).toEqual({ success: false, skipped: true, reason: expect.stringMatching(/^Quiet Quinn has no notify URL/) });
		const failed = await runOpenPlatform(simulator, { resource: 'notification', operation: 'send', recipient: 'user', user: picked('u8'), body: 'Hi', missingNotifyUrl: 'fail' }, { credential });
		expect(failed.nodeError(NODE)?.message).toMatch(/^Invalid "User": Quiet Quinn has no notify URL/);
	});

	it('says which ID is unknown, and what to set when the credential has no users URL', async () => {
		const unknown = await runOpenPlatform(simulator, { resource: 'notification', operation: 'send', recipient: 'user', user: picked('nobody'), body: 'Hi' }, { credential });
		expect(unknown.nodeError(NODE)?.message).toBe('Invalid "User": no user with the ID "nobody" in this app');
		const noToken = await runOpenPlatform(simulator, { resource: 'notification', operation: 'send', recipient: 'user', user: picked('u1'), body: 'Hi' });
		expect(noToken.nodeError(NODE)?.message).toBe('Invalid "User": cannot be looked up');
		expect(noToken.nodeError(NODE)?.description).toMatch(/App Access Token/);
	});
});

describe('the User list (searchUsers)', () => {
	const context = (credentials: Record<string, unknown>) =>
		({
			getNode: () => ({ id: '1', name: 'OpenPlatform', type: 'openPlatform', typeVersion: 1, position: [0, 0], parameters: {} }) as INode,
			getCredentials: async () => ({ url: simulator.baseUrl, n8nProcesses: 1, ...credentials }),
		}) as unknown as ILoadOptionsFunctions;

	it('lists the app\'s users by name and email, searched by the filter, a page at a time', async () => {
		const all = await searchUsers.call(context(credential));
		expect(all.results).toEqual(expect.arrayContaining([{ name: 'Anna Novak (anna@openplatform.test)', value: 'u1' }]));
		const found = await searchUsers.call(context(credential), 'quinn');
		expect(found.results.map((entry) => entry.value)).toEqual(['u8']);
		expect(found.paginationToken).toBeUndefined();
	});
});
