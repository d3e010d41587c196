import type { INode } from 'n8n-workflow';

import { ItemError, parseParameters } from '../../../nodes/shared/errors';
import { z } from '../../../nodes/shared/vendor';
import { messageText, userJid } from '../../../nodes/OneChat/schemas';

const node = { id: '1', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
const labels = { jid: 'User JID', message: 'Message', limit: 'Limit', tags: 'Tags', mode: 'Mode' };

/** What parseParameters gives: the parsed value, or the error message it throws. */
function outcome(schema: z.ZodTypeAny, values: unknown): unknown {
	try {
		return { data: parseParameters(node, schema, values, labels, 0) };
	} catch (error) {
		expect(error).toBeInstanceOf(ItemError);
		return { error: (error as ItemError).message };
	}
}

/** What zod alone gives, worded the same way, for comparison. */
function zodOutcome(schema: z.ZodTypeAny, values: unknown): unknown {
	const result = schema.safeParse(values);
	if (result.success) return { data: result.data };
	const issue = result.error.issues[0];
	const key = String(issue.path[0] ?? '');
	const nested = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join('.')})` : '';
	return { error: `Invalid "${labels[key as keyof typeof labels] ?? key}": ${issue.message}${nested}` };
}

describe('parseParameters', () => {
	const schema = z.object({
		jid: userJid,
		message: messageText,
		limit: z.coerce.number().int().min(1).default(50),
		tags: z.array(z.string()).optional(),
		mode: z.enum(['a', 'b']).optional(),
	});

	// Repeated and alternating values: a remembered field must never change an answer.
	const inputs: unknown[] = [
		{ jid: ' a@onechat.net ', message: 'Hi' },
		{ jid: 'b@onechat.net', message: 'Hi' },
		{ jid: 'b@onechat.net', message: '   ' },
		{ jid: 'b@onechat.net', message: 'Hi' },
		{ jid: 'room@muc.onechat.net', message: 'Hi' },
		{ jid: 'c@onechat.net', message: 'Hi', limit: '7', extra: 'dropped' },
		{ jid: 'c@onechat.net', message: 'Hi', limit: 0 },
		{ jid: 'c@onechat.net', message: 'Hi', limit: '7' },
		{ jid: 'c@onechat.net', message: 'Hi', tags: ['x'], mode: undefined },
		{ jid: 'c@onechat.net', message: 'Hi', tags: 'x' },
		{ jid: 'c@onechat.net', message: 42 },
		{ jid: 'c@onechat.net', message: 'Hi', mode: 'c' },
		{ jid: 'c@onechat.net', message: 'Hi', mode: 'a' },
		{ message: 'Hi' },
		null,
		'text',
		{ jid: ' a@onechat.net ', message: 'Hi' },
	];

	it('gives what the zod schema gives, for every input in turn', () => {
		for (const values of inputs) expect(outcome(schema, values)).toStrictEqual(zodOutcome(schema, values));
	});

	it('checks a field again when its value changes after it was accepted', () => {
		expect(outcome(schema, { jid: 'd@onechat.net', message: 'Hello' })).toEqual({ data: { jid: 'd@onechat.net', message: 'Hello', limit: 50 } });
		expect(outcome(schema, { jid: 'd@onechat.net', message: '' })).toEqual({ error: 'Invalid "Message": is empty; OneChat does not deliver empty messages' });
	});

	it('keeps the checks of the whole object (refinements across fields)', () => {
		const refined = z.object({ jid: userJid, message: messageText }).refine((value) => !value.message.includes(value.jid), { message: 'must not contain the JID', path: ['message'] });
		expect(outcome(refined, { jid: 'e@onechat.net', message: 'hi' })).toEqual({ data: { jid: 'e@onechat.net', message: 'hi' } });
		expect(outcome(refined, { jid: 'e@onechat.net', message: 'hi e@onechat.net' })).toEqual({ error: 'Invalid "Message": must not contain the JID' });
	});

	it('keeps the unknown keys of a passthrough schema', () => {
		const passthrough = z.object({ jid: userJid }).passthrough();
		expect(outcome(passthrough, { jid: 'f@onechat.net', more: 1 })).toEqual({ data: { jid: 'f@onechat.net', more: 1 } });
	});
});
