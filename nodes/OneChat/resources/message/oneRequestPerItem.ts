import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { parseParameters } from '../../../shared/validation';
import { z, type ZodType } from '../../../shared/vendor';
import { messageText } from '../../schemas';
import type { OneChatEndpoint } from '../../transport';
import { forTarget, runOneChatItems } from '../context';

export function showFor(operation: string): INodeProperties['displayOptions'] {
	return { show: { resource: ['message'], operation: [operation] } };
}

export function messageField(operation: string): INodeProperties {
	return {
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'Hi',
		description: 'Text to send',
		displayOptions: showFor(operation),
	};
}

interface TargetField {
	/** Parameter name, which is also the name of the body field sent to OneChat. */
	name: 'jid' | 'domain';
	displayName: string;
	placeholder: string;
	description: string;
	schema: ZodType<string>;
}

/** A message operation that sends one request per input item: a target plus a message. */
export function oneRequestPerItem(operation: string, endpoint: OneChatEndpoint, target: TargetField) {
	const description: INodeProperties[] = [
		{
			displayName: target.displayName,
			name: target.name,
			type: 'string',
			required: true,
			default: '',
			placeholder: target.placeholder,
			description: target.description,
			displayOptions: showFor(operation),
		},
		messageField(operation),
	];
	const schema = z.object({ [target.name]: target.schema, message: messageText }) as ZodType<Record<string, string>>;
	const labels = { [target.name]: target.displayName, message: 'Message' };

	async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOneChatItems(this, async ({ client, params, context }, itemIndex) => {
			const fields = parseParameters(
				context.getNode(),
				schema,
				{ [target.name]: params.get(target.name, itemIndex), message: params.get('message', itemIndex) },
				labels,
				itemIndex,
			);
			const recipient = { [target.name]: fields[target.name] };
			const answer = await forTarget(recipient, client.post(endpoint, fields, itemIndex));
			return { ...recipient, status: answer.status, description: answer.description ?? '' };
		});
	}

	return { description, execute };
}
