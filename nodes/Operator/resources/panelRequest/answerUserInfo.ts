import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { userInfoAnswer } from '../../schemas';
import type { WholeInputOperation } from '../../../shared/runner';
import { answerPanel } from '../../panelAnswer';

const show = { show: { resource: ['panelRequest'], operation: ['answerUserInfo'] } };

function text(displayName: string, name: string, description: string, placeholder = ''): INodeProperties {
	return { displayName, name, type: 'string', default: '', placeholder, description, displayOptions: show };
}

const description: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'id',
		type: 'number',
		required: true,
		default: 0,
		description: 'ID of the site user described',
		displayOptions: show,
	},
	{ ...text('Name', 'name', 'Display name'), required: true },
	text('Gender', 'gender', 'Gender, as the site stores it', 'female'),
	text('Avatar URL', 'avatar', 'URL of the avatar image', 'https://example.com/avatar.jpg'),
	text('Balance', 'balance', 'Account balance, as text', '12.50'),
	text('Location', 'location', 'Where the user lives', 'Berlin'),
	{ ...text('About', 'about', 'About the user'), typeOptions: { rows: 3 } },
	{
		displayName: 'Custom Fields',
		name: 'custom',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description: 'More user attributes, as name/value pairs',
		displayOptions: show,
		options: [
			{
				displayName: 'Field',
				name: 'fields',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
];

const labels = {
	id: 'User ID',
	name: 'Name',
	gender: 'Gender',
	avatar: 'Avatar URL',
	balance: 'Balance',
	location: 'Location',
	about: 'About',
	custom: 'Custom Fields',
};

export const answerUserInfo: WholeInputOperation = {
	description,
	runOnce: async (context) =>
		await answerPanel(context, userInfoAnswer, labels, (params) => ({
			...Object.fromEntries(Object.keys(labels).filter((name) => name !== 'custom').map((name) => [name, params.get(name, 0)])),
			custom: (params.get<IDataObject>('custom', 0, {}).fields ?? []) as IDataObject[],
		})),
};
