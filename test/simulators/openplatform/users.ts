/** The users: the default ones, adding / replacing users (with their app tokens) and seeding. */
import { searchText } from './parsing';
import { checksum, type SimState, type UserRecord } from './state';
import { forgetTokensOf } from './tokenChecks';
import type { SimUser } from './types';

export const DEFAULT_USERS: readonly SimUser[] = [
	{
		id: 'u1',
		name: 'Anna Novak',
		firstname: 'Anna',
		lastname: 'Novak',
		email: 'anna@openplatform.test',
		phone: '+421900000001',
		company: 'Example Ltd.',
		language: 'en',
		groups: ['staff', 'sales'],
		roles: ['admin', 'user'],
		photo: '20200506_anna01.jpg',
		gender: 'female',
	},
	{
		id: 'u2',
		name: 'Ben Adams',
		firstname: 'Ben',
		lastname: 'Adams',
		email: 'ben@openplatform.test',
		language: 'en',
		groups: ['staff', 'dev'],
		roles: ['user'],
		gender: 'male',
	},
	{
		id: 'u3',
		name: 'Cleo Brown',
		firstname: 'Cleo',
		lastname: 'Brown',
		email: 'cleo@openplatform.test',
		language: 'sk',
		groups: ['staff'],
		roles: ['user'],
		notifications: false,
		gender: null,
	},
	{
		id: 'u4',
		name: 'Dan Black',
		firstname: 'Dan',
		lastname: 'Black',
		email: 'dan@openplatform.test',
		language: 'en',
		groups: ['dev'],
		roles: ['user'],
		mutedApp: true,
	},
];

export function recordFor(state: SimState, userId: string): UserRecord {
	const record = state.users.get(userId);
	if (record === undefined) throw new Error(`OpenPlatform simulator: unknown user "${userId}"`);
	return record;
}

export function addUser(state: SimState, input: SimUser): void {
	if (input.id === '' || input.id.includes('-')) {
		throw new Error(`OpenPlatform simulator: a user id must not be empty or contain "-" (got "${input.id}")`);
	}
	const user: SimUser = {
		...input,
		groups: [...input.groups],
		roles: [...input.roles],
		language: input.language ?? 'en',
		notifications: input.notifications ?? true,
		mutedApp: input.mutedApp ?? false,
	};
	const previous = state.users.get(user.id);
	if (previous !== undefined) {
		previous.user = user;
		previous.search = searchText(`${user.name} ${user.email}`);
		forgetTokensOf(state, previous);
		return;
	}
	const sign = `${state.appId}-${user.id}-${checksum(`user:${state.secret}:${user.id}${state.appSecret}`)}`;
	const record: UserRecord = {
		user,
		createdAt: new Date(),
		token: `${sign}-${checksum(sign + state.serverSecret)}`,
		search: searchText(`${user.name} ${user.email}`),
		rev: checksum(`rev:${user.id}`).slice(0, 6),
		badges: 0,
		unread: 0,
	};
	state.users.set(user.id, record);
	state.ordered.push(record);
}

export function seedUsers(state: SimState, count: number): string[] {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const n = ++state.seeded;
		const id = `seed${n}`;
		addUser(state, {
			id,
			name: `Seed User ${n}`,
			firstname: 'Seed',
			lastname: `User ${n}`,
			email: `seed${n}@openplatform.test`,
			groups: ['seeded', `team${n % 5}`],
			roles: n % 10 === 0 ? ['admin'] : ['user'],
		});
		ids.push(id);
	}
	return ids;
}
