import type { INodeProperties } from 'n8n-workflow';

import { broadcastToDomain } from './broadcastToDomain';
import { relayToUsers } from './relayToUsers';
import { sendAndWait } from './sendAndWait';
import { sendToGroup } from './sendToGroup';
import { sendToUser } from './sendToUser';

/** The operations that send one message per item (paced by "Max Messages per Second"). */
export const messageOperations = { broadcastToDomain, sendToUser, sendToGroup, relayToUsers };

export const messageRouter = { ...messageOperations, sendAndWait };

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Broadcast to Domain',
				value: 'broadcastToDomain',
				action: 'Broadcast a message to a domain',
				description: 'Send a message to every user of a domain (massBroadcast)',
			},
			{
				name: 'Relay to Users',
				value: 'relayToUsers',
				action: 'Relay a message to many users',
				description: 'Send one message to a list of users, with one result per recipient',
			},
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWait',
				action: 'Send a message and wait for response',
				description: 'Send a message with answer links to a user or a group, and wait until somebody answers',
			},
			{
				name: 'Send to Group',
				value: 'sendToGroup',
				action: 'Send a message to a group',
				description: 'Send a message to a group chat (groupMessage)',
			},
			{
				name: 'Send to User',
				value: 'sendToUser',
				action: 'Send a message to a user',
				description: 'Send a message to one user (singleMessage)',
			},
		],
		default: 'sendToUser',
	},
	...broadcastToDomain.description,
	...sendToUser.description,
	...sendToGroup.description,
	...relayToUsers.description,
	...sendAndWait.description,
];
