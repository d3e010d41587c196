import type { INodeProperties } from 'n8n-workflow';

import { invalidParameter, parseParameters } from '../../../shared/errors';
import type { ItemOperation, Run } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import type { OpenPlatformClient } from '../../transport';
import { recipientUrl, userPickerFields } from '../user/pick';

const show = { show: { resource: ['notification'], operation: ['send'] } };
/** The fields Send and Send and Wait for Response share. */
const shared = { show: { resource: ['notification'], operation: ['send', 'sendAndWait'] } };
/** OpenPlatform silently cuts body and data at 1000 characters; the node refuses instead. */
export const MAX_LENGTH = 1000;

const description: INodeProperties[] = [
	...userPickerFields(shared, 'Notify URL'),
	{
		displayName: 'Notify URL',
		name: 'notifyUrl',
		type: 'string',
		required: true,
		default: '={{ $json.notify }}',
		description: 'The user\'s "notify" URL from a user object (User → Get Many, App Opened). Must be on the credential\'s OpenPlatform.',
		displayOptions: { show: { ...shared.show, recipient: ['url'] } },
	},
	{
		displayName: 'Users Without Notify URL',
		name: 'missingNotifyUrl',
		type: 'options',
		options: [
			{
				name: 'Skip and Report',
				value: 'skip',
				description: 'Output the item as {success: false, skipped: true, reason} and go on with the next one',
			},
			{ name: 'Fail', value: 'fail', description: 'Treat an empty Notify URL as an error' },
		],
		default: 'skip',
		description:
			'OpenPlatform leaves the notify URL out of a user object when the user has turned notifications off, so an empty Notify URL is usually such a user',
		displayOptions: show,
	},
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Info', value: 0 },
			{ name: 'Success', value: 1 },
			{ name: 'Warning / Error', value: 2 },
		],
		default: 0,
		displayOptions: shared,
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The notification text, GitHub-flavoured markdown, at most 1000 characters (with Send and Wait for Response, the answer links count too)',
		displayOptions: shared,
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'string',
		default: '',
		description:
			'Optional data handed to the app\'s OP.on("notify") handler, at most 1000 characters; an object from an expression is sent as JSON text',
		displayOptions: shared,
	},
];

const schema = z.object({
	type: z.union([z.literal(0), z.literal(1), z.literal(2)], { errorMap: () => ({ message: 'must be Info (0), Success (1) or Warning / Error (2)' }) }),
	body: z
		.string({ invalid_type_error: 'must be text' })
		.refine((text) => text.trim() !== '', 'is empty')
		.refine((text) => text.length <= MAX_LENGTH, (text) => ({ message: `has ${text.length} characters; OpenPlatform keeps only ${MAX_LENGTH}` })),
	data: z
		.unknown()
		.transform((value) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)))
		.refine((text) => text.length <= MAX_LENGTH, (text) => ({ message: `has ${text.length} characters (as JSON text); OpenPlatform keeps only ${MAX_LENGTH}` })),
});

export const NO_NOTIFY_URL = 'the user has no notify URL, which OpenPlatform leaves out when the user has turned notifications off';

export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** One notification per input item, to the item's notify URL or the picked user's. */
export const sendNotification: ItemOperation<OpenPlatformClient> = {
	description,
	async runItem(run, itemIndex) {
		const { client, params, node } = run;
		const recipient = await recipientUrl(run, itemIndex, 'notify', 'notifyUrl', 'Notify URL');
		const skipOrFail = (reason: string, problem: string) => {
			if (params.get('missingNotifyUrl', itemIndex, 'skip') === 'skip') return { success: false, skipped: true, reason };
			throw invalidParameter(node, recipient.field, problem, itemIndex, 'Set "Users Without Notify URL" to "Skip and Report" to go on with the other users.');
		};
		if ('missing' in recipient) return skipOrFail(recipient.missing, recipient.missing);
		if (isBlank(recipient.url)) return skipOrFail(NO_NOTIFY_URL, `is empty: ${NO_NOTIFY_URL}`);
		const url = client.checkUrl(recipient.url, 'notify', recipient.field, itemIndex);
		const message = readNotification(run, itemIndex);
		await client.notify(url, message, itemIndex);
		return { success: true, type: message.type };
	},
};

/** The item's Type, Body and Data, checked. */
export function readNotification({ params, node }: Run<OpenPlatformClient>, itemIndex: number): z.output<typeof schema> {
	return parseParameters(
		node,
		schema,
		{ type: Number(params.get('type', itemIndex, 0)), body: params.get('body', itemIndex), data: params.get('data', itemIndex, '') },
		{ type: 'Type', body: 'Body', data: 'Data' },
		itemIndex,
	);
}
