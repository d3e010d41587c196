import { startOpenPlatformSimulator, type OpenPlatformSimulator } from '../../../simulators/openplatform';
import { NODE, runOpenPlatform } from '../openPlatformWorkflow';

let simulator: OpenPlatformSimulator;

beforeAll(async () => {
	simulator = await startOpenPlatformSimulator();
	simulator.seedUsers(2500);
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearLog());

describe('OpenPlatform → Badge → Increment', () => {
	it('raises the badge through the badge URL with GET', async () => {
		const before = simulator.badgeCount('u2');
		const result = await runOpenPlatform(simulator, { resource: 'badge', operation: 'increment', badgeUrl: '={{ $json.badge }}' }, {
			items: [{ badge: simulator.badgeUrl('u2') }, { badge: simulator.badgeUrl('u2') }],
		});
		expect(result.output(NODE).map((item) => item.json)).toEqual([{ success: true }, { success: true }]);
		expect(simulator.badgeCount('u2')).toBe(before + 2);
		expect(simulator.requests.map((entry) => entry.method)).toEqual(['GET', 'GET']);
	});

	it('accepts the /api/badges/ alias of a badge URL', async () => {
		const before = simulator.badgeCount('u1');
		const result = await runOpenPlatform(simulator, { resource: 'badge', operation: 'increment', badgeUrl: simulator.badgeUrl('u1').replace('/api/badge/', '/api/badges/') });
		expect(result.output(NODE).map((item) => item.json)).toEqual([{ success: true }]);
		expect(simulator.badgeCount('u1')).toBe(before + 1);
	});

	it('refuses a badge URL on another origin', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'badge', operation: 'increment', badgeUrl: 'https://evil.example/api/badge/?accesstoken=abc' });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Badge URL": points to https:\/\/evil\.example/);
		expect(simulator.requests).toHaveLength(0);
	});
});

describe('OpenPlatform → User → Get Many', () => {
	const credential = () => ({ accessToken: simulator.appToken('u1') });

	it('returns all users, paging 1000 at a time', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: true }, { credential: credential() });
		expect(result.error).toBeUndefined();
		const users = result.output(NODE);
		expect(users.length).toBeGreaterThan(2500);
		expect(new Set(users.map((item) => item.json.id)).size).toBe(users.length);
		expect(users[0].json).toHaveProperty('notify');
		expect(simulator.requests.map((entry) => [entry.query.page, entry.query.limit])).toEqual([
			['1', '1000'],
			['2', '1000'],
			['3', '1000'],
		]);
	});

	it('stops at the limit with one small page', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: false, limit: 7 }, { credential: credential() });
		expect(result.output(NODE)).toHaveLength(7);
		expect(simulator.requests.map((entry) => entry.query.limit)).toEqual(['7']);
	});

	it('passes ids, search and group as OpenPlatform query parameters', async () => {
		const result = await runOpenPlatform(
			simulator,
			{ resource: 'user', operation: 'getMany', returnAll: true, filters: { ids: 'u1, u2', q: 'ann', group: 'sales' } },
			{ credential: credential() },
		);
		expect(result.error).toBeUndefined();
		expect(simulator.requests[0].query).toMatchObject({ id: 'u1,u2', q: 'ann', group: 'sales' });
		expect(result.output(NODE).map((item) => item.json.id)).toEqual(['u1']);
	});

	it('filters by role itself, since OpenPlatform 4.9 ignores a role in the query: all pages with Return All', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: true, filters: { role: 'admin' } }, { credential: credential() });
		const users = result.output(NODE).map((item) => item.json);
		// u1 and every 10th seeded user.
		expect(users).toHaveLength(251);
		expect(users.every((user) => (user.roles as string[]).includes('admin'))).toBe(true);
		expect(simulator.requests.map((entry) => entry.query.page)).toEqual(['1', '2', '3']);
	});

	it('keeps Limit right with a role filter: reads on past a page that has too few matches, and no further than needed', async () => {
		// The newest 1,000 users hold 100 admins.
		const result = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: false, limit: 150, filters: { role: 'admin' } }, { credential: credential() });
		const users = result.output(NODE).map((item) => item.json);
		expect(users).toHaveLength(150);
		expect(users.every((user) => (user.roles as string[]).includes('admin'))).toBe(true);
		expect(simulator.requests.map((entry) => [entry.query.page, entry.query.limit])).toEqual([
			['1', '1000'],
			['2', '1000'],
		]);
		const none = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: false, limit: 5, filters: { role: 'no-such-role-xyz' } }, { credential: credential() });
		expect(none.output(NODE)).toHaveLength(0);
	});

	it('accepts the users URL of a verify response instead of a token', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: false, limit: 2 }, {
			credential: { usersTokenUrl: simulator.usersUrl('u2') },
		});
		expect(result.output(NODE)).toHaveLength(2);
	});

	it('says what to set when the credential has neither token nor users URL', async () => {
		const result = await runOpenPlatform(simulator, { resource: 'user', operation: 'getMany', returnAll: true });
		expect(result.nodeError(NODE)?.message).toBe('Invalid "Users URL": is not set');
		expect(result.nodeError(NODE)?.description).toMatch(/App Access Token/);
	});
});
