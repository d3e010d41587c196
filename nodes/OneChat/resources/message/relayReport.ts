import type { IDataObject } from 'n8n-workflow';

import { outcomeOf, withItemDetails } from '../../../shared/errors';

/** How each recipient of a relay fared; one output item per recipient carries it. */
export type RecipientStatus = 'sent' | 'failed' | 'unknown' | 'skipped';

/**
 * The recipients in list order, each once. JIDs compare case-insensitively (XMPP), so
 * `A@x.net` and `a@x.net` are one user: the first spelling is kept and sent.
 */
export function distinctRecipients(recipients: string[]): string[] {
	const firstSpelling = new Map<string, string>();
	for (const entry of recipients) {
		const jid = entry.trim();
		const key = jid.toLowerCase();
		if (!firstSpelling.has(key)) firstSpelling.set(key, jid);
	}
	return [...firstSpelling.values()];
}

export function recipientSent(jid: string, description: string | undefined): IDataObject {
	return { jid, status: 'sent' satisfies RecipientStatus, description: description ?? '', error: '' };
}

export function recipientFailure(jid: string, error: Error): IDataObject {
	const status: RecipientStatus = outcomeOf(error) === 'unknown' ? 'unknown' : 'failed';
	const hint = (error as { description?: string | null }).description;
	return { jid, status, description: hint ?? '', error: error.message };
}

/** A recipient never tried because OneChat had refused the API key: surely not sent. */
export function recipientSkipped(jid: string): IDataObject {
	return {
		jid,
		status: 'skipped' satisfies RecipientStatus,
		description: '',
		error: 'Not sent: OneChat refused the API key before this recipient was attempted',
	};
}

/** The error thrown (without "continue on fail") when the key is refused mid-relay: says how far it got. */
export function stoppedRelay(rejection: Error, results: Array<IDataObject | undefined>): Error {
	const sent = results.filter((result) => result?.status === 'sent').length;
	const attempted = results.filter((result) => result !== undefined).length;
	const report = `The relay stopped: ${sent} of ${results.length} recipients were sent the message before the API key was refused, ${
		results.length - attempted
	} were not attempted.`;
	const withDescription = rejection as Error & { description?: string | null };
	withDescription.description = `${withDescription.description ?? ''} ${report}`.trim();
	return withItemDetails(rejection, { sent, recipients: results.length });
}
