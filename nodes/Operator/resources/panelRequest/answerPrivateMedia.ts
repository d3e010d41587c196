import type { INodeProperties } from 'n8n-workflow';

import { privateMediaAnswer } from '../../schemas';
import type { WholeInputOperation } from '../../../shared/runner';
import { answerPanel, listParameter } from '../../panelAnswer';

const description: INodeProperties[] = [
	{
		displayName: 'Media',
		name: 'media',
		type: 'json',
		required: true,
		default: '[]',
		placeholder: '[{"url": "https://example.com/1.jpg", "big": "https://example.com/1_200.jpg"}]',
		description:
			'Array of photo objects, each with the original photo and a thumbnail (see the placeholder); typically an expression mapping the photos the workflow looked up',
		displayOptions: { show: { resource: ['panelRequest'], operation: ['answerPrivateMedia'] } },
	},
];

export const answerPrivateMedia: WholeInputOperation = {
	description,
	runOnce: async (context) =>
		await answerPanel(context, privateMediaAnswer, { media: 'Media' }, (params) => ({
			media: listParameter(params.get('media', 0)),
		})),
};
