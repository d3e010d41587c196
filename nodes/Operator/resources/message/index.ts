import type { INodeProperties } from 'n8n-workflow';

import { sendToControlPanel } from './sendToControlPanel';

export const messageOperations = { sendToControlPanel };

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send to Control Panel',
				value: 'sendToControlPanel',
				action: 'Send a user message to the control panel',
				description: "Hand a site user's message (text, public photos, a file) to the operators",
			},
		],
		default: 'sendToControlPanel',
	},
	...sendToControlPanel.description,
];
