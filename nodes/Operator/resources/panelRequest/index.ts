import type { INodeProperties } from 'n8n-workflow';

import type { PanelAnswerOperation } from '../../panelAnswer';
import type { WholeInputOperation } from '../../../shared/runner';
import { answerPrivateMedia } from './answerPrivateMedia';
import { answerUserInfo } from './answerUserInfo';

export const panelRequestOperations: Record<PanelAnswerOperation, WholeInputOperation> = { answerUserInfo, answerPrivateMedia };

export const panelRequestDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['panelRequest'] } },
		options: [
			{
				name: 'Answer Private Media',
				value: 'answerPrivateMedia',
				action: 'Answer a private media request',
				description: 'Answer the Operator Trigger\'s "Private Media Requested" event with the user\'s photos',
			},
			{
				name: 'Answer User Info',
				value: 'answerUserInfo',
				action: 'Answer a user info request',
				description: 'Answer the Operator Trigger\'s "User Info Requested" event with the user\'s profile',
			},
		],
		default: 'answerUserInfo',
	},
	...answerUserInfo.description,
	...answerPrivateMedia.description,
];
