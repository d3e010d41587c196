import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from './concurrency';
import { itemDetailsOf, outcomeOf } from './errors';

export const DEFAULT_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 256;

export type ItemJob = (itemIndex: number) => Promise<IDataObject | IDataObject[]>;

/**
 * Runs one job per input item, `concurrency` at a time, and returns the items in input order,
 * each paired with the input item it came from.
 *
 * With "continue on fail" a failed item becomes an output item carrying `error` and `outcome`.
 * Without it, no new item is started after the first failure; the items already in flight finish,
 * and the error thrown reports how many items were sent, failed and not attempted, so a half-sent
 * batch is never silent.
 */
export async function runItemJobs(
	context: IExecuteFunctions,
	concurrency: number,
	job: ItemJob,
): Promise<INodeExecutionData[][]> {
	const itemCount = context.getInputData().length;
	const continueOnFail = context.continueOnFail();
	let firstFailure: { index: number; error: Error } | undefined;
	const tally = { attempted: 0, succeeded: 0 };

	const results = await mapConcurrent(
		itemCount,
		concurrency,
		async (itemIndex): Promise<INodeExecutionData[]> => {
			tally.attempted++;
			try {
				const json = await job(itemIndex);
				tally.succeeded++;
				return (Array.isArray(json) ? json : [json]).map((entry) => ({
					json: entry,
					pairedItem: { item: itemIndex },
				}));
			} catch (caught) {
				const error = asError(context, caught, itemIndex);
				if (!continueOnFail) {
					if (!firstFailure || itemIndex < firstFailure.index) firstFailure = { index: itemIndex, error };
					return [];
				}
				return [
					{
						json: {
							...itemDetailsOf(error),
							outcome: outcomeOf(error),
							error: error.message,
							...(hasDescription(error) ? { errorDescription: error.description } : {}),
						},
						pairedItem: { item: itemIndex },
					},
				];
			}
		},
		() => firstFailure !== undefined,
	);

	if (firstFailure) throw withBatchReport(firstFailure.error, tally, itemCount);
	const output: INodeExecutionData[] = [];
	for (const entries of results) if (entries) for (const entry of entries) output.push(entry);
	return [output];
}

function withBatchReport(
	error: Error,
	{ attempted, succeeded }: { attempted: number; succeeded: number },
	itemCount: number,
): Error {
	if (itemCount <= 1) return error;
	const report =
		`Batch report: ${succeeded} of ${itemCount} items succeeded, ${attempted - succeeded} failed, ` +
		`${itemCount - attempted} were not attempted. The succeeded items were sent and are not undone. ` +
		`To get one result per item instead of stopping, set the node's "On Error" setting to "Continue".`;
	if (hasDescription(error)) {
		error.description = error.description ? `${error.description}\n\n${report}` : report;
	}
	return error;
}

function asError(context: IExecuteFunctions, caught: unknown, itemIndex: number): Error {
	if (caught instanceof Error) return caught;
	return new NodeOperationError(context.getNode(), String(caught), { itemIndex });
}

function hasDescription(error: Error): error is Error & { description: string | null | undefined } {
	return 'description' in error;
}
