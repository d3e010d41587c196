import { WAIT_INDEFINITELY, type ICredentialDataDecryptedObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { invalidParameter, parseParameters } from '../errors';
import { z } from '../vendor';
import { formFieldsSchema } from './form';
import { SEAL_PARAMETER, sealFor } from './seal';

/**
 * The sending half of "Send and Wait for Response", shared by OneChat and OpenPlatform: the
 * checked settings, the signed answer links the message carries, and the wait. Each node only
 * writes the links into its own message format and sends it. The pages behind the links are
 * `answer.ts`. n8n checks a link's signature only for an operation named "sendAndWait".
 */

const label = (fallback: string) => z.string({ invalid_type_error: 'must be text' }).trim().min(1, 'is empty').default(fallback);

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** A date from the date picker (text), from an expression (Luxon DateTime or Date) or ISO text. */
const dateValue = z.preprocess(
	(value) => (value && typeof value === 'object' && 'toJSDate' in value && typeof value.toJSDate === 'function' ? value.toJSDate() : typeof value === 'string' ? new Date(value) : value),
	z.date({ errorMap: () => ({ message: 'is not a date and time' }) }),
);

const limitSchema = z.discriminatedUnion('limitType', [
	z.object({
		limitType: z.literal('afterTimeInterval'),
		resumeAmount: z.number({ invalid_type_error: 'must be a number' }).positive('must be more than 0'),
		resumeUnit: z.enum(['minutes', 'hours', 'days']),
	}),
	z.object({ limitType: z.literal('atSpecifiedTime'), maxDateAndTime: dateValue }),
]);

const settingsSchema = z
	.object({
		responseType: z.enum(['approval', 'freeText', 'form']),
		approvalOptions: z
			.object({ approvalType: z.enum(['single', 'double']).default('double'), approveLabel: label('Approve'), declineLabel: label('Decline') })
			.default({}),
		formFields: z.object({ values: z.array(z.unknown()).default([]) }).default({}),
		waitOptions: z
			.object({ linkLabel: label('Answer here'), appendAttribution: z.boolean().default(true), limitWaitTime: z.object({ values: limitSchema }).optional() })
			.default({}),
	})
	.superRefine((settings, problems) => {
		if (settings.responseType !== 'form') return;
		const fields = formFieldsSchema.safeParse(settings.formFields.values);
		if (!fields.success) problems.addIssue({ ...fields.error.issues[0], path: ['formFields', ...fields.error.issues[0].path] });
	});

const LABELS = { responseType: 'Response Type', approvalOptions: 'Approval Options', formFields: 'Form Fields', waitOptions: 'Options' };

export type SendAndWaitSettings = z.output<typeof settingsSchema> & { waitTill: Date };

/** Who the question went to, carried in the signed links so the answer can say so. */
export interface SentTo {
	type: 'user' | 'group';
	id: string;
}

export interface AnswerLink {
	label: string;
	url: string;
}

/** Reads and checks the shared fields (item 0, as the message and the wait are the first item's). */
export function readSendAndWait(context: IExecuteFunctions): SendAndWaitSettings {
	const node = context.getNode();
	const values = Object.fromEntries(Object.keys(LABELS).map((name) => [name, context.getNodeParameter(name, 0, name === 'responseType' ? undefined : {})]));
	const settings = parseParameters(node, settingsSchema, values, LABELS, 0);
	const limit = settings.waitOptions.limitWaitTime?.values;
	if (!limit) return { ...settings, waitTill: WAIT_INDEFINITELY };
	const waitTill = limit.limitType === 'atSpecifiedTime' ? limit.maxDateAndTime : new Date(Date.now() + limit.resumeAmount * UNIT_MS[limit.resumeUnit]);
	if (waitTill.getTime() <= Date.now()) {
		throw invalidParameter(node, 'Limit Wait Time', `${waitTill.toISOString()} is in the past`, 0, 'Set a date and time in the future, or remove the limit.');
	}
	return { ...settings, waitTill };
}

/**
 * The links of the message, each for this execution and this node, sealed with the node's
 * `credentials` (seal.ts) and signed by n8n.
 */
export function answerLinks(context: IExecuteFunctions, settings: SendAndWaitSettings, sentTo: SentTo | undefined, credentials: ICredentialDataDecryptedObject): AnswerLink[] {
	const executionId = context.getExecutionId();
	const nodeId = context.getNode().id;
	const link = (answer: Record<string, string>) => {
		const query = sentTo ? { ...answer, sentTo: `${sentTo.type}:${sentTo.id}` } : answer;
		return context.getSignedResumeUrl({ ...query, [SEAL_PARAMETER]: sealFor(credentials, executionId, nodeId, query) });
	};
	if (settings.responseType !== 'approval') {
		return [{ label: settings.waitOptions.linkLabel, url: link({ respond: settings.responseType === 'freeText' ? 'text' : 'form' }) }];
	}
	const { approvalType, approveLabel, declineLabel } = settings.approvalOptions;
	const links = [{ label: approveLabel, url: link({ approved: 'true' }) }];
	if (approvalType === 'double') links.push({ label: declineLabel, url: link({ approved: 'false' }) });
	return links;
}

export const ATTRIBUTION = 'This message was sent automatically with n8n';

/**
 * Has the execution wait for an answer. When the limit passes without one, n8n resumes the node
 * as a disabled one, which forwards the input it was given: that input is set here to the
 * timed-out item, so the next node sees {timedOut: true} rather than this node's input again.
 * (An answer replaces it with the answer, through the waiting webhook.)
 */
export async function waitForAnswer(context: IExecuteFunctions, settings: SendAndWaitSettings, sentTo: SentTo | undefined): Promise<INodeExecutionData[][]> {
	const input = context.getInputData();
	if (settings.waitTill !== WAIT_INDEFINITELY) {
		const timedOut: INodeExecutionData = { json: { timedOut: true, waitedUntil: settings.waitTill.toISOString(), ...(sentTo ? { sentTo: { ...sentTo } } : {}) }, pairedItem: { item: 0 } };
		const executeData = context.getExecuteData();
		executeData.data = { ...executeData.data, main: [[timedOut]] };
	}
	await context.putExecutionToWait(settings.waitTill);
	return [input];
}
