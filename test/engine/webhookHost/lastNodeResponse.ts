/**
 * The response of responseMode 'lastNode' (webhook-last-node-response-extractor.ts): the last
 * executed node's data per `responseData`.
 */
import '../env';

import type { Readable } from 'node:stream';

import { BinaryDataService } from 'n8n-core';
import {
	BINARY_ENCODING,
	OperationalError,
	type IBinaryData,
	type IDataObject,
	type IRun,
	type ITaskData,
} from 'n8n-workflow';

import { n8nContainer } from '../runtime';
import type { ResponseOptions } from './descriptionEvaluator';

export function lastNodeTaskData(run: IRun): ITaskData | undefined {
	const { runData, lastNodeExecuted } = run.data.resultData;
	if (lastNodeExecuted === undefined) return undefined;
	const tasks = runData[lastNodeExecuted];
	return tasks?.[tasks.length - 1];
}

type Extracted =
	| { ok: true; body?: unknown; stream?: Readable; contentType?: string }
	| { ok: false; error: Error };

export async function extractLastNodeResponse(
	responseData: unknown,
	taskData: ITaskData,
	options: ResponseOptions,
): Promise<Extracted> {
	const firstBranch = taskData.data?.main?.[0];
	const firstItem = firstBranch && firstBranch.length > 0 ? firstBranch[0] : undefined;
	if (responseData === 'firstEntryJson') {
		if (!firstItem)
			return { ok: false, error: new OperationalError('No item to return was found') };
		let body: unknown = firstItem.json;
		if (options.responsePropertyName !== undefined) {
			body = options.responsePropertyName
				.split('.')
				.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
		}
		return { ok: true, body, contentType: options.responseContentType };
	}
	if (responseData === 'firstEntryBinary') {
		if (!firstItem)
			return { ok: false, error: new OperationalError('No item was found to return') };
		if (firstItem.binary === undefined)
			return { ok: false, error: new OperationalError('No binary data was found to return') };
		const key = options.responseBinaryPropertyName;
		if (key === undefined)
			return { ok: false, error: new OperationalError("No 'responseBinaryPropertyName' is set") };
		const binary: IBinaryData | undefined = firstItem.binary[key];
		if (binary === undefined) {
			return {
				ok: false,
				error: new OperationalError(
					`The binary property '${key}' which should be returned does not exist`,
				),
			};
		}
		if (binary.id) {
			const stream = await n8nContainer().get(BinaryDataService).getAsStream(binary.id);
			return { ok: true, stream, contentType: binary.mimeType };
		}
		return {
			ok: true,
			body: Buffer.from(binary.data, BINARY_ENCODING),
			contentType: binary.mimeType,
		};
	}
	if (responseData === 'noData') return { ok: true, body: undefined };
	return { ok: true, body: (firstBranch ?? []).map((item) => item.json) };
}
