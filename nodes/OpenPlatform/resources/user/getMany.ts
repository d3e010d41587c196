import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { invalidParameter, parseParameters } from '../../../shared/errors';
import type { ItemOperation, Run } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { USERS_PAGE_SIZE, type OpenPlatformClient } from '../../transport';

const show = { show: { resource: ['user'], operation: ['getMany'] } };

const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show.show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show,
		options: [
			{ displayName: 'Group', name: 'group', type: 'string', default: '', description: 'Only users of this group' },
			{ displayName: 'IDs', name: 'ids', type: 'string', default: '', description: 'Comma-separated user IDs' },
			{
				displayName: 'Role',
				name: 'role',
				type: 'string',
				default: '',
				description: 'Only users with this role in the app. OpenPlatform 4.9 ignores a role in the query, so the node filters the pages it reads.',
			},
			{ displayName: 'Search', name: 'q', type: 'string', default: '', description: 'Text to look for in names and emails' },
			{
				displayName: 'Users URL',
				name: 'usersUrl',
				type: 'string',
				default: '',
				description: 'A "users" URL from a verify response, instead of the one in the credential (must be on the same OpenPlatform)',
			},
		],
	},
];

const filtersSchema = z.object({
	group: z.string().trim().default(''),
	ids: z.union([z.string(), z.array(z.union([z.string(), z.number()])).transform((ids) => ids.join(','))]).default(''),
	role: z.string().trim().default(''),
	q: z.string().trim().default(''),
	usersUrl: z.string().trim().default(''),
});

/** The app's users, page by page; one output item per user. */
export const getManyUsers: ItemOperation<OpenPlatformClient> = { description, runItem: listUsers };

async function listUsers(run: Run<OpenPlatformClient>, itemIndex: number): Promise<IDataObject[]> {
	const { client, params, node } = run;
	const filters = parseParameters(node, filtersSchema, params.get('filters', itemIndex, {}), FILTER_LABELS, itemIndex);
	const given = filters.usersUrl || client.usersUrl;
	if (!given) {
		throw invalidParameter(node, 'Users URL', 'is not set', itemIndex, 'Set "App Access Token" or "Users URL" in the OpenPlatform API credential, or pass a Users URL in the filters.');
	}
	const url = client.checkUrl(given, 'users', 'Users URL', itemIndex);
	const returnAll = params.get<boolean>('returnAll', itemIndex, false);
	const limit = returnAll ? Infinity : Number(params.get('limit', itemIndex, 50));
	if (!returnAll && !(Number.isInteger(limit) && limit >= 1)) {
		throw invalidParameter(node, 'Limit', `must be a whole number of at least 1, not ${JSON.stringify(params.get('limit', itemIndex))}`, itemIndex);
	}
	const query: Record<string, string> = {};
	for (const [key, value] of Object.entries({ id: filters.ids.replace(/\s+/g, ''), q: filters.q, group: filters.group })) {
		if (value) query[key] = value;
	}
	const wanted = (user: IDataObject) => filters.role === '' || (Array.isArray(user.roles) && (user.roles as unknown[]).includes(filters.role));

	const users: IDataObject[] = [];
	// With a role filter a page holds fewer matches than it has users, so pages are always full size then.
	const pageSize = filters.role === '' ? Math.min(USERS_PAGE_SIZE, limit) : USERS_PAGE_SIZE;
	for (let page = 1; users.length < limit; page++) {
		const answer = await client.usersPage(url, { ...query, page: String(page), limit: String(pageSize) }, itemIndex);
		const matches = (answer.items as IDataObject[]).filter(wanted);
		users.push(...matches.slice(0, limit - users.length));
		const lastPage = answer.pages ?? Math.ceil((answer.count ?? 0) / pageSize);
		if (answer.items.length < pageSize || page >= lastPage) break;
	}
	return users;
}

const FILTER_LABELS = { group: 'Group', ids: 'IDs', role: 'Role', q: 'Search', usersUrl: 'Users URL' };
