import { z } from '../shared/vendor';

const DOMAIN = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*';
const USER_JID = new RegExp(`^[^@\\s/]+@(?!muc\\.)${DOMAIN}$`);
const GROUP_JID = new RegExp(`^[^@\\s/]+@muc\\.${DOMAIN}$`);
const DOMAIN_ONLY = new RegExp(`^${DOMAIN}$`);

export const userJid = z
	.string()
	.trim()
	.regex(USER_JID, 'must be a user JID like 6581234567@onechat.net (a group JID has "@muc." and goes to "Send to Group")');

export const groupJid = z
	.string()
	.trim()
	.regex(GROUP_JID, 'must be a group JID like abcdef-123456@muc.onechat.net');

export const domain = z.string().trim().regex(DOMAIN_ONLY, 'must be a domain like onechat.net, without @ or http://');

export const messageText = z
	.string({ invalid_type_error: 'must be text' })
	.refine((text) => text.trim() !== '', 'is empty; OneChat does not deliver empty messages');

export const httpUrl = z
	.string()
	.trim()
	.url('must be a full URL such as https://example.com/app')
	.refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://');

export const requiredText = z.string().trim().min(1, 'is empty');

/** Splits a recipient list given as an array, or as text separated by commas, semicolons or new lines. */
export function splitRecipients(value: unknown): unknown {
	if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'string' ? entry.trim() : entry));
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed.startsWith('[')) {
			try {
				return splitRecipients(JSON.parse(trimmed));
			} catch {
				return value;
			}
		}
		return trimmed
			.split(/[\s,;]+/)
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	}
	return value;
}
