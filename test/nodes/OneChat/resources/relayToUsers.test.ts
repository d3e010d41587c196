import type { INodeParameters } from 'n8n-workflow';

import { startOneChatSimulator, type OneChatSimulator } from '../../../simulators/onechat';
import { NODE, runAsText, runOneChat } from '../oneChatWorkflow';

let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'relay-key-91bd', seed: 7 });
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.clearFaults();
	simulator.clearLog();
});

const relay = (recipients: string | string[], extra: INodeParameters = {}): INodeParameters => ({
	resource: 'message',
	operation: 'relayToUsers',
	recipients,
	message: 'Flash sale today',
	...extra,
});
const jids = (count: number) => Array.from({ length: count }, (_, index) => `member${index}@onechat.test`);

describe('Message → Relay to Users', () => {
	it('sends once to each recipient of a text list and reports each one', async () => {
		const result = await runOneChat(simulator, relay('a@onechat.test, b@onechat.test\nc@onechat.test; a@onechat.test'));
		const output = result.output(NODE);
		expect(output.map((item) => item.json)).toEqual([
			{ jid: 'a@onechat.test', status: 'sent', description: '-', error: '' },
			{ jid: 'b@onechat.test', status: 'sent', description: '-', error: '' },
			{ jid: 'c@onechat.test', status: 'sent', description: '-', error: '' },
		]);
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(simulator.deliveredCount('a@onechat.test')).toBe(1);
	});

	it('takes an array from an expression', async () => {
		const result = await runOneChat(simulator, relay('={{ $json.members }}'), {
			items: [{ members: ['x@onechat.test', 'y@onechat.test'] }],
		});
		expect(result.output(NODE).map((item) => item.json.jid)).toEqual(['x@onechat.test', 'y@onechat.test']);
	});

	it('refuses the whole list, sending nothing, when an entry is not a user JID', async () => {
		const result = await runOneChat(simulator, relay(['ok@onechat.test', 'team@muc.onechat.test', 'nope']));
		expect(result.nodeError(NODE)?.message).toBe(
			'Invalid "Recipients": 2 of 3 entries are not user JIDs like name@domain ("team@muc.onechat.test", "nope"); nothing was sent',
		);
		expect(simulator.log).toHaveLength(0);
	});

	it('stops when the API key is refused, saying how far it got', async () => {
		const result = await runOneChat(simulator, relay(jids(50), { options: { concurrency: 4 } }), {
			credential: { apiKey: 'bad-key-0042' },
		});
		const error = result.nodeError(NODE);
		expect(error?.message).toBe('OneChat: Unauthorized');
		expect(error?.description).toMatch(/The relay stopped: 0 of 50 recipients were sent the message before the API key was refused, \d+ were not attempted/);
		expect(simulator.log.length).toBeLessThan(50);
		expect(runAsText(result)).not.toContain('bad-key-0042');
	});

	it('sends mixed-case duplicates once, to the first spelling: JIDs compare case-insensitively', async () => {
		const result = await runOneChat(
			simulator,
			relay(['Ann@onechat.test', 'bob@onechat.test', 'ann@onechat.test', 'ANN@OneChat.Test', 'Bob@onechat.test']),
		);
		expect(result.output(NODE).map((item) => item.json)).toEqual([
			{ jid: 'Ann@onechat.test', status: 'sent', description: '-', error: '' },
			{ jid: 'bob@onechat.test', status: 'sent', description: '-', error: '' },
		]);
		expect(simulator.log.map((entry) => entry.body?.jid).sort()).toEqual(['Ann@onechat.test', 'bob@onechat.test']);
	});

	it('stops when the key is revoked mid-relay, reporting exactly how many were sent', async () => {
		simulator.setFaults({ revokeKeyAfterRequests: 8 });
		const result = await runOneChat(simulator, relay(jids(20), { options: { concurrency: 1 } }));
		const error = result.nodeError(NODE);
		expect(error?.message).toBe('OneChat: Unauthorized');
		expect(error?.description).toMatch(
			/The relay stopped: 8 of 20 recipients were sent the message before the API key was refused, 11 were not attempted/,
		);
		expect(simulator.log).toHaveLength(9);
		expect(simulator.totalDelivered()).toBe(8);
	});

	it('with "continue on fail", a key revoked mid-relay still gives each recipient its outcome', async () => {
		simulator.setFaults({ revokeKeyAfterRequests: 8 });
		const recipients = jids(20);
		const result = await runOneChat(simulator, relay(recipients, { options: { concurrency: 4 } }), {
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		const entries = output.map((item) => item.json);

		// Every recipient exactly once, in list order, with one of the three statuses.
		expect(entries.map((entry) => entry.jid)).toEqual(recipients);
		const byStatus = (status: string) => entries.filter((entry) => entry.status === status);
		const [sent, failed, skipped] = [byStatus('sent'), byStatus('failed'), byStatus('skipped')];
		expect(sent.length + failed.length + skipped.length).toBe(20);

		// The simulator delivered exactly the `sent` ones: the first 8 requests it accepted.
		expect(sent).toHaveLength(8);
		for (const entry of sent) expect(simulator.deliveredCount(entry.jid as string)).toBe(1);
		expect(simulator.totalDelivered()).toBe(8);

		// Refused: the requests in flight when the key stopped working (at most the concurrency).
		expect(failed.length).toBeGreaterThanOrEqual(1);
		expect(failed.length).toBeLessThanOrEqual(4);
		for (const entry of failed) {
			expect(entry).toMatchObject({ error: 'OneChat: Unauthorized', description: expect.stringMatching(/refused the API key/) });
		}

		// Skipped: never sent, and saying why.
		const requested = new Set(simulator.log.map((entry) => entry.body?.jid));
		expect(simulator.log).toHaveLength(sent.length + failed.length);
		for (const entry of skipped) {
			expect(requested.has(entry.jid)).toBe(false);
			expect(entry.error).toMatch(/^Not sent: OneChat refused the API key/);
		}
	});

	it('with "continue on fail", skips the later input items once the key is refused', async () => {
		simulator.setFaults({ revokeKeyAfterRequests: 3 });
		const result = await runOneChat(simulator, relay('={{ $json.to }}', { options: { concurrency: 1 } }), {
			items: [{ to: jids(5) }, { to: ['late1@onechat.test', 'late2@onechat.test'] }],
			onError: 'continueRegularOutput',
		});
		const output = result.output(NODE);
		expect(output.map((item) => [item.json.jid, item.json.status, (item.pairedItem as { item: number }).item])).toEqual([
			['member0@onechat.test', 'sent', 0],
			['member1@onechat.test', 'sent', 0],
			['member2@onechat.test', 'sent', 0],
			['member3@onechat.test', 'failed', 0],
			['member4@onechat.test', 'skipped', 0],
			['late1@onechat.test', 'skipped', 1],
			['late2@onechat.test', 'skipped', 1],
		]);
		expect(simulator.log).toHaveLength(4);
		expect(simulator.totalDelivered()).toBe(3);
	});

	it('delivers 1,000 recipients through injected 429s and resets: each exactly once or reported', async () => {
		simulator.setFaults({
			status429: { rate: 0.08, retryAfterSeconds: 0 },
			status503: { rate: 0.03 },
			resetBeforeProcessing: { rate: 0.02 },
			resetAfterProcessing: { rate: 0.02 },
		});
		const recipients = jids(1000);
		const result = await runOneChat(simulator, relay(recipients, { options: { concurrency: 32, maxRetries: 6 } }));
		expect(result.error).toBeUndefined();
		const output = result.output(NODE).map((item) => item.json);

		// Every recipient appears once in the output, in order.
		expect(output.map((entry) => entry.jid)).toEqual(recipients);
		const byStatus = (status: string) => output.filter((entry) => entry.status === status);
		for (const entry of byStatus('sent')) expect(simulator.deliveredCount(entry.jid as string)).toBe(1);
		for (const entry of byStatus('failed')) expect(simulator.deliveredCount(entry.jid as string)).toBe(0);
		for (const entry of byStatus('unknown')) expect(simulator.deliveredCount(entry.jid as string)).toBeLessThanOrEqual(1);
		expect(byStatus('sent').length + byStatus('failed').length + byStatus('unknown').length).toBe(1000);

		// Nobody got it twice, and only resets produced unknown outcomes (never retried).
		for (const jid of recipients) expect(simulator.deliveredCount(jid)).toBeLessThanOrEqual(1);
		const resets = simulator.log.filter((entry) => entry.fault === 'reset-before' || entry.fault === 'reset-after');
		expect(byStatus('unknown')).toHaveLength(resets.length);
		expect(resets.length).toBeGreaterThan(10);
		expect(simulator.log.filter((entry) => entry.fault === '429').length).toBeGreaterThan(30);
		expect(byStatus('sent').length).toBeGreaterThan(900);
		for (const entry of byStatus('unknown')) expect(entry.error).toMatch(/may or may not have processed it/);
	});
});
