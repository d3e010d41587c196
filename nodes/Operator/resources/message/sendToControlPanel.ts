import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_FILE_MB } from '../../../shared/defaults';
import { invalidParameter, parseParameters } from '../../../shared/errors';
import type { ItemOperation, Run } from '../../../shared/runner';
import { z } from '../../../shared/vendor';
import { photo, positiveId } from '../../schemas';
import type { OperatorClient, PanelMessage } from '../../transport';

type OperatorRun = Run<OperatorClient>;

const show = { show: { resource: ['message'], operation: ['sendToControlPanel'] } };

const description: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'number',
		required: true,
		default: 0,
		description: 'ID of the site user who wrote the message',
		displayOptions: show,
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'number',
		required: true,
		default: 0,
		description: 'ID of the bot (operator profile) the user wrote to',
		displayOptions: show,
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Message text. May be empty when a photo or file is attached.',
		displayOptions: show,
	},
	{
		displayName: 'Public Photos',
		name: 'attaches',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Photo',
		default: {},
		description: 'Photos anyone can open by URL (sent as "attaches")',
		displayOptions: show,
		options: [
			{
				displayName: 'Photo',
				name: 'photos',
				values: [
					{ displayName: 'File URL', name: 'file_url', type: 'string', default: '', description: 'URL of the original photo (required)' },
					{ displayName: 'Thumbnail URL', name: 'big', type: 'string', default: '', description: 'URL of a normal-size thumbnail, usually 200x200 (required)' },
				],
			},
		],
	},
	{
		displayName: 'Attach File',
		name: 'sendFile',
		type: 'boolean',
		default: false,
		description: 'Whether to send a file from the input item (a photo that is not public), as "attach"',
		displayOptions: show,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'Name of the binary field of the input item holding the file',
		displayOptions: { show: { ...show.show, sendFile: [true] } },
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 0.001 },
		default: DEFAULT_MAX_FILE_MB,
		description: 'A larger file is refused before anything is sent',
		displayOptions: { show: { ...show.show, sendFile: [true] } },
	},
];

const schema = z.object({
	user_id: positiveId,
	contact_id: positiveId,
	message: z.string({ invalid_type_error: 'must be text' }).default(''),
	attaches: z.array(photo).default([]),
});

const labels = { user_id: 'User ID', contact_id: 'Contact ID', message: 'Message', attaches: 'Public Photos' };

/** One message_sent per input item: text, public photos and optionally a file from the item. */
export const sendToControlPanel: ItemOperation<OperatorClient> = { description, runItem: send };

async function send(run: OperatorRun, itemIndex: number): Promise<IDataObject> {
	const { params, node, client } = run;
	const photos = (params.get<IDataObject>('attaches', itemIndex, {}).photos ?? []) as IDataObject[];
	const fields = parseParameters(
		node,
		schema,
		{
			user_id: params.get('userId', itemIndex),
			contact_id: params.get('contactId', itemIndex),
			message: params.get('message', itemIndex, ''),
			attaches: photos.map((entry) => ({ file_url: blankAsMissing(entry.file_url), big: blankAsMissing(entry.big) })),
		},
		labels,
		itemIndex,
	);
	const message: PanelMessage = { ...fields, attach: await attachedFile(run, itemIndex) };
	if (message.message.trim() === '' && message.attaches.length === 0 && !message.attach) {
		throw invalidParameter(node, 'Message', 'is empty and nothing is attached', itemIndex, 'Write a message, add a public photo or attach a file.');
	}
	const target = { user_id: fields.user_id, contact_id: fields.contact_id };
	const answer = await client.sendMessage(message, itemIndex, target);
	return { ...target, ...answer };
}

/** An empty field of the collection is a URL left out, and is reported as missing. */
function blankAsMissing(value: unknown): unknown {
	return value === '' ? undefined : value;
}

async function attachedFile(run: OperatorRun, itemIndex: number): Promise<PanelMessage['attach']> {
	const { params, context, node } = run;
	if (!params.get<boolean>('sendFile', itemIndex, false)) return undefined;
	const property = params.get<string>('binaryPropertyName', itemIndex, 'data');
	const binary = context.helpers.assertBinaryData(itemIndex, property);
	const maxMb = params.get<number>('maxFileSizeMb', itemIndex, DEFAULT_MAX_FILE_MB);
	const tooLarge = (size: number) =>
		invalidParameter(
			node,
			'Input Binary Field',
			`the file "${binary.fileName ?? property}" has ${size} bytes, more than the ${maxMb} MB allowed`,
			itemIndex,
			'Raise "Max File Size (MB)", or send the photo as a public URL.',
		);
	// n8n records the size of stored binary data: a file known to be too large is never loaded.
	if (typeof binary.bytes === 'number' && binary.bytes > maxMb * 1024 * 1024) throw tooLarge(binary.bytes);
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, property);
	if (bytes.length > maxMb * 1024 * 1024) throw tooLarge(bytes.length);
	return { bytes, fileName: binary.fileName ?? 'attachment', mimeType: binary.mimeType ?? 'application/octet-stream' };
}
