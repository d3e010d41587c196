import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TEST_TUNING } from '../../../shared/defaults';
import { invalidParameter } from '../../../shared/errors';
import type { Run } from '../../../shared/runner';
import { openPlatformService, type OpenPlatformClient } from '../../transport';

/**
 * "Notify Peter" in one node: Notification → Send and Badge → Increment take either the user's URL
 * from the item, or a user picked by name (searched through the app's users API) or given by ID.
 * The node then looks the users' URLs up itself, with one users call for all items of the run.
 */

type Show = { show: Record<string, string[]> };

/** The Recipient choice and the User picker of an operation; `urlField` names the operation's URL field. */
export function userPickerFields(show: Show, urlField: string): INodeProperties[] {
	return [
		{
			displayName: 'Recipient',
			name: 'recipient',
			type: 'options',
			options: [
				{ name: 'A User', value: 'user', description: 'Pick a user by name, or give the ID; the node looks up their URL' },
				{ name: 'URL From the Item', value: 'url', description: `The ${urlField} of a user object in the item (User → Get Many, App Opened)` },
			],
			default: 'url',
			displayOptions: show,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: "Found through the app's users URL in the credential (App Access Token or Users URL)",
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchUsers', searchable: true } },
				{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 2ab3c4d5e6f7' },
			],
			displayOptions: { show: { ...show.show, recipient: ['user'] } },
		},
	];
}

/** `userId` is set when the user was picked. */
export type Recipient = { field: string; url: unknown; userId?: string } | { field: string; missing: string };

/**
 * Where an item's request goes: the URL from the item (`urlParameter`, shown as `urlField`), or the
 * picked user's notify or badge URL; `missing` says why a picked user has none.
 */
export async function recipientUrl(run: Run<OpenPlatformClient>, itemIndex: number, kind: 'notify' | 'badge', urlParameter: string, urlField: string): Promise<Recipient> {
	const { client, params, node } = run;
	const picks = (index: number) => params.get<string>('recipient', index, 'url') === 'user';
	if (!picks(itemIndex)) return { field: urlField, url: params.get(urlParameter, itemIndex) };
	const idOf = (index: number) => String(params.get('user.value', index, '') ?? '').trim();
	const id = idOf(itemIndex);
	if (id === '') throw invalidParameter(node, 'User', 'is empty', itemIndex, 'Pick a user from the list, or give a user ID.');
	// The IDs of every item that picks a user: one users call for the run.
	const allIds = () => run.context.getInputData().flatMap((_, index) => (picks(index) ? [idOf(index)] : [])).filter((each) => each !== '');
	const user = (await client.usersWithIds(allIds, itemIndex)).get(id);
	if (!user) throw invalidParameter(node, 'User', `no user with the ID "${id}" in this app`, itemIndex, 'Pick the user from the list.');
	const url = user[kind];
	if (typeof url === 'string' && url !== '') return { field: 'User', url, userId: id };
	return {
		field: 'User',
		missing: `${String(user.name ?? id)} has no ${kind} URL (OpenPlatform leaves it out when the user turned notifications off, or when the app may not read profiles)`,
	};
}

/** Users per page of the "From List" search. */
const LIST_PAGE_SIZE = 50;

/** "From List": the app's users whose name or email contains the filter, a page at a time. */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const credentialType = 'openPlatformApi';
	const client = openPlatformService.connect({ node: this.getNode(), credentials: await this.getCredentials(credentialType), credentialType, tuning: CREDENTIAL_TEST_TUNING });
	if (!client.usersUrl) throw invalidParameter(this.getNode(), 'User', 'cannot be listed', 0, 'Set "App Access Token" or "Users URL" in the OpenPlatform API credential.');
	const page = Number(paginationToken ?? 1);
	const query: Record<string, string> = { page: String(page), limit: String(LIST_PAGE_SIZE) };
	if (filter?.trim()) query.q = filter.trim();
	const answer = await client.usersPage(client.checkUrl(client.usersUrl, 'users', client.usersUrlField, 0), query, 0);
	const results = (answer.items as IDataObject[]).map((user) => ({ name: user.email ? `${String(user.name)} (${String(user.email)})` : String(user.name ?? user.id), value: String(user.id) }));
	const more = answer.pages !== null && answer.pages !== undefined ? page < answer.pages : answer.items.length === LIST_PAGE_SIZE;
	return { results, paginationToken: more ? String(page + 1) : undefined };
}
