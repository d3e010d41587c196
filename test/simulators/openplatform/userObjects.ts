/** The URLs handed out and the user objects answered (verify profile, users list, OAuth profile). */
import type { SimState, UserRecord } from './state';

export function apiUrl(state: SimState, kind: 'notify' | 'badge' | 'users' | 'meta' | 'services', token: string): string {
	return `${state.baseUrl}/api/${kind}/?accesstoken=${token}`;
}

function isOnline(record: UserRecord): boolean {
	return record.current !== undefined && record.current.alive;
}

/** The user object of verify's `profile` and of the users list (an app with full read rights). */
export function publicUser(state: SimState, record: UserRecord): Record<string, unknown> {
	const user = record.user;
	const obj: Record<string, unknown> = { id: user.id, directoryid: 0, statusid: 0 };
	if (user.company) obj.company = user.company;
	obj.dtcreated = record.createdAt.toISOString();
	if (user.firstname) obj.firstname = user.firstname;
	if (user.lastname) obj.lastname = user.lastname;
	obj.name = user.name;
	if (user.gender) obj.gender = user.gender;
	obj.language = user.language;
	obj.notifications = user.notifications !== false;
	obj.online = isOnline(record);
	if (user.photo) obj.photo = `${state.baseUrl}/photos/${user.photo}`;
	obj.countnotifications = record.unread;
	obj.countbadges = record.badges;
	obj.roles = user.roles;
	obj.groups = user.groups;
	obj.badge = apiUrl(state, 'badge', record.token);
	if (user.notifications !== false) obj.notify = apiUrl(state, 'notify', record.token);
	obj.email = user.email;
	if (user.phone) obj.phone = user.phone;
	return obj;
}

/** The raw user record of /oauth/profile/. */
export function rawUser(record: UserRecord, fullProfile: boolean): Record<string, unknown> {
	const user = record.user;
	const obj: Record<string, unknown> = {
		id: user.id,
		supervisorid: null,
		deputyid: null,
		groupid: null,
		directory: null,
		directoryid: 0,
		statusid: 0,
		status: null,
		photo: user.photo ?? null,
		name: user.name,
		dateformat: 'yyyy-MM-dd',
		timeformat: 24,
		numberformat: 1,
		firstname: user.firstname ?? null,
		lastname: user.lastname ?? null,
		gender: user.gender ?? null,
		email: user.email,
		phone: user.phone ?? null,
		company: user.company ?? null,
		language: user.language,
		reference: null,
		locality: null,
		position: null,
		colorscheme: null,
		repo: {},
		roles: user.roles,
		groups: user.groups,
		notifications: user.notifications !== false,
		notificationsemail: false,
		notificationsphone: false,
		sa: false,
		darkmode: 0,
		sounds: true,
		dtbirth: null,
		dtbeg: null,
		dtend: null,
		dtupdated: null,
		dtmodified: null,
		dtcreated: record.createdAt.toISOString(),
		middlename: null,
		contractid: null,
		ou: null,
		desktop: 1,
	};
	if (!fullProfile) {
		delete obj.email;
		delete obj.phone;
		delete obj.repo;
		delete obj.dtbirth;
	}
	return obj;
}
