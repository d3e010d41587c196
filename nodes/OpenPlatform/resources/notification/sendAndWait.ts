import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { invalidParameter } from '../../../shared/errors';
import type { FirstItemOperation } from '../../../shared/runner';
import { sendAndWaitFields } from '../../../shared/sendAndWait/description';
import { answerLinks, ATTRIBUTION, readSendAndWait, waitForAnswer } from '../../../shared/sendAndWait/send';
import type { OpenPlatformClient } from '../../transport';
import { recipientUrl } from '../user/pick';
import { isBlank, MAX_LENGTH, NO_NOTIFY_URL, readNotification } from './send';

/**
 * Notification → Send and Wait for Response: one notification whose markdown body ends with the
 * answer links (the user clicks them in OpenPlatform), then the execution waits. The recipient,
 * Type, Body and Data fields are Notification → Send's; the message and the wait are the first item's.
 */

const show = { show: { resource: ['notification'], operation: [SEND_AND_WAIT_OPERATION] } };

/** Markdown link text: brackets would end it early. */
const linkText = (label: string) => label.replace(/[[\]]/g, '');

export const sendNotificationAndWait: FirstItemOperation<OpenPlatformClient> = {
	description: sendAndWaitFields(show),
	async runFirstItem(run) {
		const { context, client, node, credentials } = run;
		const settings = readSendAndWait(context);
		const recipient = await recipientUrl(run, 0, 'notify', 'notifyUrl', 'Notify URL');
		if ('missing' in recipient) throw invalidParameter(node, recipient.field, recipient.missing, 0, 'Pick a user who has notifications on.');
		if (isBlank(recipient.url)) throw invalidParameter(node, recipient.field, `is empty: ${NO_NOTIFY_URL}`, 0);
		const url = client.checkUrl(recipient.url, 'notify', recipient.field, 0);
		const message = readNotification(run, 0);
		// The picked user's ID is known; a URL from the item names nobody the node can vouch for.
		const sentTo = recipient.userId ? { type: 'user' as const, id: recipient.userId } : undefined;
		const links = answerLinks(context, settings, sentTo, credentials).map((link) => `[${linkText(link.label)}](${link.url})`);
		const body = [message.body, '', links.join(' · '), ...(settings.waitOptions.appendAttribution ? ['', `_${ATTRIBUTION}_`] : [])].join('\n');
		if (body.length > MAX_LENGTH) {
			const room = MAX_LENGTH - (body.length - message.body.length);
			throw invalidParameter(node, 'Body', `with the answer links has ${body.length} characters; OpenPlatform keeps only ${MAX_LENGTH}`, 0, `Shorten the Body to at most ${Math.max(room, 0)} characters, or shorten the labels.`);
		}
		await client.notify(url, { ...message, body }, 0);
		return await waitForAnswer(context, settings, sentTo);
	},
};
