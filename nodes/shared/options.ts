import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_BODY_KB,
	DEFAULT_MAX_MESSAGES_PER_SECOND,
	DEFAULT_RETRIES,
	DEFAULT_TIMEOUT_MS,
	MAX_CONCURRENCY,
	MAX_MESSAGES_PER_SECOND,
	MAX_RETRIES,
	MIN_MESSAGES_PER_SECOND,
	MIN_TIMEOUT_MS,
	RUN_TUNING,
	type CallTuning,
} from './defaults';
import { parseParameters } from './errors';
import { z } from './vendor';

/** The nodes' "Options" collections and how a run reads them. Defaults come from defaults.ts. */

export function optionsCollection(options: INodeProperties[], displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options, displayOptions };
}

/** An action node's options; Max Messages per Second is offered for the operations that send messages. */
export function runOptions(sendingOperations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: DEFAULT_CONCURRENCY,
			description: 'How many requests may be in flight at once. Output order is kept whatever the value.',
		},
		{
			displayName: 'Max Messages per Second',
			name: 'maxPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_MESSAGES_PER_SECOND, numberPrecision: 2 },
			default: DEFAULT_MAX_MESSAGES_PER_SECOND,
			description:
				'Send at most this many messages per second over all items of the execution, evenly spaced (0: as fast as Concurrency allows). Keeps an account from being rate-limited or banned for mass sending.',
			displayOptions: { show: { '/operation': sendingOperations } },
		},
		{
			displayName: 'Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_RETRIES },
			default: DEFAULT_RETRIES,
			description:
				'How often a request is retried when it surely was not processed (connection refused, 429, 503), with backoff. A Retry-After from the service holds back every request of the execution.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeoutMs',
			type: 'number',
			typeOptions: { minValue: MIN_TIMEOUT_MS },
			default: DEFAULT_TIMEOUT_MS,
			description:
				'How long to wait for an answer. A request that times out after it was sent is reported as outcome "unknown", not retried.',
		},
	];
}

/** A trigger's body size limit; webhookCall() reads the chosen value. */
export function maxBodySizeOption(defaultKb: number = DEFAULT_MAX_BODY_KB): INodeProperties {
	return {
		displayName: 'Max Body Size (KB)',
		name: 'maxBodyKb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaultKb,
		description: 'Larger calls (files included) are refused with 413 before any execution starts',
	};
}

export interface RunSettings {
	concurrency: number;
	/** Undefined: not paced. */
	maxPerSecond: number | undefined;
	tuning: CallTuning;
}

const schema = z.object({
	concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY),
	maxPerSecond: z
		.number()
		.min(0)
		.max(MAX_MESSAGES_PER_SECOND)
		.refine((rate) => rate === 0 || rate >= MIN_MESSAGES_PER_SECOND, `must be 0 (no limit) or at least ${MIN_MESSAGES_PER_SECOND}`)
		.default(DEFAULT_MAX_MESSAGES_PER_SECOND),
	maxRetries: z.number().int().min(0).max(MAX_RETRIES).default(DEFAULT_RETRIES),
	timeoutMs: z.number().int().min(MIN_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
});

const labels = { concurrency: 'Concurrency', maxPerSecond: 'Max Messages per Second', maxRetries: 'Retries', timeoutMs: 'Timeout (Ms)' };

/** Options apply to the whole run, so they are read once, from the first item. */
export function readRunSettings(context: IExecuteFunctions): RunSettings {
	const raw = context.getNodeParameter('options', 0, {}) as Record<string, unknown>;
	const parsed = parseParameters(context.getNode(), schema, raw, labels, 0);
	return {
		concurrency: parsed.concurrency,
		maxPerSecond: parsed.maxPerSecond > 0 ? parsed.maxPerSecond : undefined,
		tuning: {
			timeoutMs: parsed.timeoutMs,
			retry: { ...RUN_TUNING.retry, maxRetries: parsed.maxRetries },
			maxConnectionsPerOrigin: parsed.concurrency,
		},
	};
}
