import type { INodeProperties } from 'n8n-workflow';

import { authenticateUser } from './authenticateUser';
import { register } from './register';

export const miniAppOperations = { register, authenticateUser };

export const miniAppDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['miniApp'] } },
		options: [
			{
				name: 'Authenticate User',
				value: 'authenticateUser',
				action: 'Authenticate a mini app user session',
				description: "Check a mini-app user's session ID (authenticateUser)",
			},
			{
				name: 'Register',
				value: 'register',
				action: 'Register a mini app',
				description: 'Register a new mini app in the OneChat admin portal (registerMiniApp)',
			},
		],
		default: 'authenticateUser',
	},
	...register.description,
	...authenticateUser.description,
];
