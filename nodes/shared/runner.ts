import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CallTuning } from './defaults';
import { ItemError, toItemError, type ItemOutcome } from './errors';
import type { RunControls } from './http';
import { readRunSettings, type RunSettings } from './options';
import { Pacer } from './pacing';
import { ParameterReader } from './parameters';

/**
 * The per-item runner: picks the operation from Resource and Operation, makes the service's client
 * once, and runs the operation for each input item with the node's concurrency. It owns paired
 * items, "continue on fail", pacing (every request of the run shares one Pacer) and cancellation
 * (n8n's Stop or an execution timeout: no item starts after it, and requests in flight are aborted).
 */

/** How a service makes its client; the same for runs, triggers and credential tests. */
export interface ClientSetup {
	node: INode;
	credentials: ICredentialDataDecryptedObject;
	credentialType: string;
	tuning: CallTuning;
	controls?: RunControls;
}

export interface Service<Client> {
	/** The credential an operation uses unless it names another. */
	credentialType: string;
	connect(setup: ClientSetup): Client;
}

export interface Run<Client> {
	context: IExecuteFunctions;
	node: INode;
	params: ParameterReader;
	client: Client;
	/** The decrypted credential the client was made with (never output). */
	credentials: ICredentialDataDecryptedObject;
	settings: RunSettings;
	/** Runs `worker` over `count` indexes within one item, with the run's concurrency and Stop. */
	fanOut<R>(count: number, worker: (index: number) => Promise<R>, shouldStop?: () => boolean): Promise<Array<R | undefined>>;
}

export interface ItemOperation<Client> {
	description: INodeProperties[];
	/** Another credential than the service's usual one. */
	credentialType?: string;
	/** Items run one at a time (the operation fans out itself). */
	oneItemAtATime?: boolean;
	runItem(run: Run<Client>, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/** An operation that answers for the whole input at once and needs no client (the panel answers). */
export interface WholeInputOperation {
	description: INodeProperties[];
	runOnce(context: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/**
 * An operation that acts once, for the first item, and then has the execution wait (Send and Wait
 * for Response, as in n8n's own nodes). "Continue on fail" gives one error item.
 */
export interface FirstItemOperation<Client> {
	description: INodeProperties[];
	runFirstItem(run: Run<Client>): Promise<INodeExecutionData[][]>;
}

export type Operation<Client> = ItemOperation<Client> | WholeInputOperation | FirstItemOperation<Client>;

/** resource -> operation -> the operation module. */
export type OperationRouter<Client> = Record<string, Record<string, Operation<Client>>>;

export async function runOperation<Client>(
	context: IExecuteFunctions,
	service: Service<Client>,
	router: OperationRouter<Client>,
): Promise<INodeExecutionData[][]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operationName = context.getNodeParameter('operation', 0) as string;
	const operation = router[resource]?.[operationName];
	if (!operation) {
		throw new ItemError(context.getNode(), { message: `The operation "${operationName}" of "${resource}" is not supported`, itemIndex: 0 });
	}
	if ('runOnce' in operation) return await operation.runOnce(context);
	if ('runFirstItem' in operation) return await runFirstItem(context, service, operation);
	return await runItems(context, service, operation);
}

/** The run's client, settings and Stop, made once for all its items. */
async function openRun<Client>(context: IExecuteFunctions, service: Service<Client>, credentialType: string) {
	const node = context.getNode();
	const settings = readRunSettings(context);
	// n8n 1.x before the cancel signal existed has no getExecutionCancelSignal.
	const signal = context.getExecutionCancelSignal?.();
	const controls: RunControls = { signal, pacer: new Pacer(settings.maxPerSecond) };
	const credentials = await context.getCredentials(credentialType);
	const client = service.connect({ node, credentials, credentialType, tuning: settings.tuning, controls });
	const stopped = () => signal?.aborted === true;
	const fanOut: Run<Client>['fanOut'] = async (count, worker, shouldStop) =>
		await mapConcurrent(count, settings.concurrency, worker, () => stopped() || shouldStop?.() === true);
	const run: Run<Client> = { context, node, params: new ParameterReader(context), client, credentials, settings, fanOut };
	return { run, stopped };
}

async function runFirstItem<Client>(context: IExecuteFunctions, service: Service<Client>, operation: FirstItemOperation<Client>) {
	try {
		const { run } = await openRun(context, service, service.credentialType);
		return await operation.runFirstItem(run);
	} catch (caught) {
		const error = toItemError(context.getNode(), caught, 0);
		if (!context.continueOnFail()) throw error;
		return [[{ json: failureJson(error), pairedItem: { item: 0 } }]];
	}
}

async function runItems<Client>(context: IExecuteFunctions, service: Service<Client>, operation: ItemOperation<Client>) {
	const node = context.getNode();
	const { run, stopped } = await openRun(context, service, operation.credentialType ?? service.credentialType);
	const { settings } = run;

	const items = context.getInputData();
	const continueOnFail = context.continueOnFail();
	const tally = { started: 0, succeeded: 0, unknown: 0 };
	let firstFailure: { index: number; error: ItemError } | undefined;
	const results = await mapConcurrent(
		items.length,
		operation.oneItemAtATime ? 1 : settings.concurrency,
		// One output item, or an array for an operation that outputs several: no array per item.
		async (itemIndex): Promise<INodeExecutionData | INodeExecutionData[] | undefined> => {
			tally.started++;
			try {
				const json = await operation.runItem(run, itemIndex);
				tally.succeeded++;
				if (!Array.isArray(json)) return { json, pairedItem: { item: itemIndex } };
				return json.map((entry) => ({ json: entry, pairedItem: { item: itemIndex } }));
			} catch (caught) {
				const error = toItemError(node, caught, itemIndex);
				if (error.outcome === 'unknown') tally.unknown++;
				if (continueOnFail && !stopped()) return { json: failureJson(error), pairedItem: { item: itemIndex } };
				if (!firstFailure || itemIndex < firstFailure.index) firstFailure = { index: itemIndex, error };
				return undefined;
			}
		},
		() => stopped() || (!continueOnFail && firstFailure !== undefined),
	);

	if (stopped()) throw stoppedRun(node, tally, items.length);
	if (firstFailure) throw items.length > 1 ? firstFailure.error.with({ report: batchReport(tally, items.length) }) : firstFailure.error;
	const output: INodeExecutionData[] = [];
	for (const entries of results) {
		if (Array.isArray(entries)) for (const entry of entries) output.push(entry);
		else if (entries) output.push(entries);
	}
	return [output];
}

/** The fields of a "continue on fail" output item. */
function failureJson(error: ItemError): IDataObject & { outcome: ItemOutcome } {
	return {
		...error.details,
		outcome: error.outcome,
		error: error.message,
		...(error.description ? { errorDescription: error.description } : {}),
	};
}

function batchReport({ started, succeeded }: { started: number; succeeded: number }, itemCount: number): string {
	return (
		`Batch report: ${succeeded} of ${itemCount} items succeeded, ${started - succeeded} failed, ` +
		`${itemCount - started} were not attempted. The succeeded items were sent and are not undone. ` +
		`To get one result per item instead of stopping, set the node's "On Error" setting to "Continue".`
	);
}

function stoppedRun(node: INode, { started, succeeded, unknown }: { started: number; succeeded: number; unknown: number }, itemCount: number) {
	return new ItemError(node, {
		// "canceled", as n8n words it: n8n-core then records the execution as canceled, not failed.
		message: 'The execution was canceled (Stop or the execution timeout)',
		description: `${succeeded} of ${itemCount} items were done, ${unknown} were in flight and may or may not have arrived, ${itemCount - started} were not started.`,
		itemIndex: 0,
	});
}

/**
 * Runs `worker` over `count` indexes with at most `limit` in flight; results in index order.
 * `shouldStop` is asked before each start, so work stops starting while work in flight completes.
 */
export async function mapConcurrent<R>(
	count: number,
	limit: number,
	worker: (index: number) => Promise<R>,
	shouldStop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results = new Array<R | undefined>(count);
	let next = 0;
	const lane = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			results[index] = await worker(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
	return results;
}
