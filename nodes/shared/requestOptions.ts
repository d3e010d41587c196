import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './itemRunner';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { DEFAULT_TIMEOUT_MS } from './serviceCall';
import { parseParameters } from './validation';
import { z } from './vendor';

/** The "Options" collection every action node offers: concurrency, timeout and retries. */
export function requestOptionsProperty(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 256 },
				default: 32,
				description: 'How many requests may be in flight at once. Output order is kept whatever the value.',
			},
			{
				displayName: 'Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 4,
				description:
					'How often a request is retried when it surely was not processed (connection refused, 429, 503), with backoff',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 30000,
				description:
					'How long to wait for an answer. A request that times out after it was sent is reported as outcome "unknown", not retried.',
			},
			...extra,
		],
	};
}

export interface RequestOptions {
	concurrency: number;
	timeoutMs: number;
	retry: RetryPolicy;
}

const optionsSchema = z.object({
	concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY),
	maxRetries: z.number().int().min(0).max(10).default(DEFAULT_RETRY_POLICY.maxRetries),
	timeoutMs: z.number().int().min(100).default(DEFAULT_TIMEOUT_MS),
});

const optionLabels = { concurrency: 'Concurrency', maxRetries: 'Retries', timeoutMs: 'Timeout (Ms)' };

/** Options apply to the whole run, so they are read once, from the first item. */
export function readRequestOptions(context: IExecuteFunctions): RequestOptions {
	const raw = context.getNodeParameter('options', 0, {}) as Record<string, unknown>;
	const parsed = parseParameters(context.getNode(), optionsSchema, raw, optionLabels, 0);
	return {
		concurrency: parsed.concurrency,
		timeoutMs: parsed.timeoutMs,
		retry: { ...DEFAULT_RETRY_POLICY, maxRetries: parsed.maxRetries },
	};
}
