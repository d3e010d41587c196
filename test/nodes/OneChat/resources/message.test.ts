import { startOneChatSimulator, type OneChatSimulator } from '../../../simulators/onechat';
import { NODE, runAsText, runOneChat } from '../oneChatWorkflow';

let simulator: OneChatSimulator;

beforeAll(async () => {
	simulator = await startOneChatSimulator({ apiKey: 'sim-key-4f9a2c' });
});
afterAll(async () => await simulator.close());
beforeEach(() => {
	simulator.clearFaults();
	simulator.clearLog();
});

const users = (count: number) => Array.from({ length: count }, (_, index) => ({ jid: `user${index}@onechat.test` }));
const sendToUser = { resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: 'Hello {{ $json.jid }}' };

describe('Message → Send to User', () => {
	it('sends one message per item, evaluating expressions per item, paired and in order', async () => {
		const result = await runOneChat(
			simulator,
			{ ...sendToUser, message: '=Hello {{ $json.jid }}' },
			{ items: users(25) },
		);
		const output = result.output(NODE);
		expect(result.error).toBeUndefined();
		expect(output.map((item) => item.json.jid)).toEqual(users(25).map((user) => user.jid));
		expect(output.map((item) => item.pairedItem)).toEqual(users(25).map((_, index) => ({ item: index })));
		expect(output[3].json).toEqual({ jid: 'user3@onechat.test', status: 'Success', description: '-' });
		const sent = simulator.log.filter((entry) => entry.endpoint === 'singleMessage');
		expect(sent).toHaveLength(25);
		expect(sent.find((entry) => entry.body?.jid === 'user7@onechat.test')?.body).toEqual({
			jid: 'user7@onechat.test',
			message: 'Hello user7@onechat.test',
		});
		expect(sent.every((entry) => entry.apiKey === 'sim-key-4f9a2c' && entry.encoding === 'json')).toBe(true);
	});

	it('sends form-encoded bodies when the credential says so', async () => {
		const result = await runOneChat(simulator, sendToUser, {
			items: users(2),
			credential: { bodyEncoding: 'form' },
		});
		expect(result.output(NODE)).toHaveLength(2);
		expect(simulator.log.map((entry) => entry.encoding)).toEqual(['form', 'form']);
	});

	it('refuses an invalid JID by name before sending anything', async () => {
		const result = await runOneChat(simulator, sendToUser, { items: [{ jid: 'room@muc.onechat.test' }] });
		const error = result.nodeError(NODE);
		expect(error?.message).toBe(
			'Invalid "User JID": must be a user JID like 6581234567@onechat.net (a group JID has "@muc." and goes to "Send to Group")',
		);
		expect(simulator.log).toHaveLength(0);
	});

	it('refuses an empty message', async () => {
		const result = await runOneChat(simulator, { ...sendToUser, message: '  ' }, { items: users(1) });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Message": is empty/);
		expect(simulator.log).toHaveLength(0);
	});

	it('turns an Error status answered with HTTP 200 into a node error without leaking the key', async () => {
		const result = await runOneChat(simulator, sendToUser, { items: users(1), credential: { apiKey: 'wrong-key-77aa' } });
		const error = result.nodeError(NODE);
		expect(error?.message).toBe('OneChat: Unauthorized');
		expect(error?.description).toMatch(/Check "API Key" in the OneChat credential/);
		expect(simulator.log[0].httpStatus).toBe(200);
		expect(runAsText(result)).not.toContain('wrong-key-77aa');
	});

	it('with "continue on fail" reports every item, failures included, in input order', async () => {
		const items = [{ jid: 'a@onechat.test' }, { jid: 'not a jid' }, { jid: 'b@onechat.test' }];
		const result = await runOneChat(simulator, sendToUser, { items, onError: 'continueRegularOutput' });
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.status).toBe('Success');
		expect(output[1].json).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^Invalid "User JID"/) });
		expect(output[2].json.status).toBe('Success');
		expect(simulator.log).toHaveLength(2);
	});

	it('without "continue on fail" stops at the first failure and reports what was sent', async () => {
		const items = [...users(3), { jid: 'broken' }, ...users(40).slice(4)];
		const result = await runOneChat(simulator, { ...sendToUser, options: { concurrency: 1 } }, { items });
		const error = result.nodeError(NODE);
		expect(error?.message).toMatch(/^Invalid "User JID"/);
		expect(error?.description).toMatch(/Batch report: 3 of 40 items succeeded, 1 failed, 36 were not attempted/);
		expect(simulator.log).toHaveLength(3);
	});

	it('retries 429 (honouring Retry-After) and 503, delivering each message once', async () => {
		simulator.setFaults({ status429: { times: 2, retryAfterSeconds: 0 }, status503: { times: 2 } });
		const result = await runOneChat(simulator, { ...sendToUser, options: { concurrency: 1 } }, { items: users(3) });
		expect(result.error).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.status)).toEqual(['Success', 'Success', 'Success']);
		expect(simulator.log.filter((entry) => entry.fault === '429' || entry.fault === '503')).toHaveLength(4);
		for (const { jid } of users(3)) expect(simulator.deliveredCount(jid)).toBe(1);
	});

	it('gives up when 429s outlast the retries, with advice', async () => {
		simulator.setFaults({ status429: { rate: 1, retryAfterSeconds: 0 } });
		const result = await runOneChat(simulator, { ...sendToUser, options: { maxRetries: 2 } }, { items: users(1) });
		expect(result.nodeError(NODE)?.message).toBe('OneChat: Too Many Requests');
		expect(result.nodeError(NODE)?.description).toMatch(/Set "Max Messages per Second", lower "Concurrency" or raise "Retries"/);
		expect(simulator.log).toHaveLength(3);
	});

	it('never retries a request whose outcome is unknown (reset after processing, malformed answer)', async () => {
		simulator.setFaults({ resetAfterProcessing: { times: 1 } });
		const reset = await runOneChat(simulator, sendToUser, { items: users(1), onError: 'continueRegularOutput' });
		expect(reset.output(NODE)[0].json).toMatchObject({ jid: 'user0@onechat.test', outcome: 'unknown' });
		expect(simulator.log).toHaveLength(1);

		simulator.clearLog();
		simulator.setFaults({ malformedJson: { times: 1 } });
		const malformed = await runOneChat(simulator, sendToUser, { items: users(1), onError: 'continueRegularOutput' });
		expect(malformed.output(NODE)[0].json).toMatchObject({ outcome: 'unknown', error: expect.stringMatching(/unexpected answer/) });
		expect(simulator.log).toHaveLength(1);
	});

	it('reports a timeout as unknown outcome without retrying', async () => {
		simulator.setFaults({ delayMs: 400 });
		const result = await runOneChat(
			simulator,
			{ ...sendToUser, options: { timeoutMs: 100 } },
			{ items: users(1), onError: 'continueRegularOutput' },
		);
		expect(result.output(NODE)[0].json).toMatchObject({ outcome: 'unknown', error: expect.stringMatching(/no answer came within the timeout/) });
		expect(simulator.log).toHaveLength(1);
	});

	it('reports an unreachable server as not sent, naming the base URL to check', async () => {
		const result = await runOneChat(simulator, { ...sendToUser, options: { maxRetries: 0 } }, {
			items: users(1),
			credential: { baseUrl: 'http://127.0.0.1:9/onechat/api' },
		});
		expect(result.nodeError(NODE)?.message).toBe('OneChat: Could not connect to the server (connection refused)');
		expect(result.nodeError(NODE)?.description).toMatch(/base URL.*\(ECONNREFUSED\)$/);
	});

	it('names the credential field when the base URL is not a URL', async () => {
		const result = await runOneChat(simulator, sendToUser, { items: users(1), credential: { baseUrl: 'app.onechat' } });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Base URL \(credential\)"/);
	});
});

describe('Message → Send to Group', () => {
	const sendToGroup = { resource: 'message', operation: 'sendToGroup', jid: '={{ $json.group }}', message: 'Team update' };

	it('sends to a group JID', async () => {
		const result = await runOneChat(simulator, sendToGroup, { items: [{ group: 'abc-123@muc.onechat.test' }] });
		expect(result.output(NODE)[0].json).toEqual({ jid: 'abc-123@muc.onechat.test', status: 'Success', description: '-' });
		expect(simulator.log[0]).toMatchObject({ endpoint: 'groupMessage', body: { jid: 'abc-123@muc.onechat.test', message: 'Team update' } });
	});

	it('refuses a user JID', async () => {
		const result = await runOneChat(simulator, sendToGroup, { items: [{ group: 'alice@onechat.test' }] });
		expect(result.nodeError(NODE)?.message).toBe('Invalid "Group JID": must be a group JID like abcdef-123456@muc.onechat.net');
		expect(simulator.log).toHaveLength(0);
	});
});

describe('Message → Broadcast to Domain', () => {
	it('broadcasts to a domain', async () => {
		const result = await runOneChat(simulator, {
			resource: 'message',
			operation: 'broadcastToDomain',
			domain: 'onechat.test',
			message: 'Maintenance at 22:00',
		});
		expect(result.output(NODE)[0].json).toEqual({ domain: 'onechat.test', status: 'Success', description: '-' });
		expect(simulator.deliveredCount('onechat.test')).toBe(1);
	});

	it('refuses a URL in place of a domain', async () => {
		const result = await runOneChat(simulator, {
			resource: 'message',
			operation: 'broadcastToDomain',
			domain: 'https://onechat.test',
			message: 'x',
		});
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Domain": must be a domain like onechat.net/);
		expect(simulator.log).toHaveLength(0);
	});
});
