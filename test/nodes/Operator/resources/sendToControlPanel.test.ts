import { randomBytes } from 'node:crypto';

import { runAsText } from '../../../engine/runNode';
import { startOperatorSimulator, type OperatorSimulator } from '../../../simulators/operator';
import { NODE, runOperator } from '../operatorWorkflow';

let simulator: OperatorSimulator;

beforeAll(async () => {
	simulator = await startOperatorSimulator({ token: 'panel-token-8c1d', maxUploadBytes: 2 * 1024 * 1024 });
});
afterAll(async () => await simulator.close());
beforeEach(() => simulator.clearSends());

const send = {
	resource: 'message',
	operation: 'sendToControlPanel',
	userId: '={{ $json.user }}',
	contactId: '={{ $json.bot }}',
	message: '={{ $json.text }}',
};

describe('Operator Panel → Message → Send to Control Panel', () => {
	it('sends each item as multipart with the token, action and fields, paired and in order', async () => {
		const items = [
			{ user: 11, bot: 501, text: 'Hello' },
			{ user: '12', bot: 502, text: 'Second' },
		];
		const result = await runOperator(simulator, send, { items });
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({ user_id: 11, contact_id: 501, status: 'ok' });
		expect(simulator.sends).toHaveLength(2);
		const first = simulator.sends.find((entry) => entry.fields.user_id === '11');
		expect(first?.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(first?.fields).toMatchObject({ token: 'panel-token-8c1d', action: 'message_sent', user_id: '11', contact_id: '501', message: 'Hello' });
	});

	it('sends public photos as attaches[i][file_url] / [big]', async () => {
		const result = await runOperator(simulator, {
			...send,
			message: '',
			attaches: {
				photos: [
					{ file_url: 'https://cdn.example/1.jpg', big: 'https://cdn.example/1_200.jpg' },
					{ file_url: 'https://cdn.example/2.jpg', big: 'https://cdn.example/2_200.jpg' },
				],
			},
		}, { items: [{ user: 1, bot: 2 }] });
		expect(result.error).toBeUndefined();
		expect(simulator.sends[0].attaches).toEqual([
			{ file_url: 'https://cdn.example/1.jpg', big: 'https://cdn.example/1_200.jpg' },
			{ file_url: 'https://cdn.example/2.jpg', big: 'https://cdn.example/2_200.jpg' },
		]);
	});

	it.each([
		[{ file_url: 'https://cdn.example/2.jpg', big: '' }, 'the Thumbnail URL ("big") is missing; the panel needs both URLs of every photo (at 1.big)'],
		[{ file_url: '', big: 'https://cdn.example/2_200.jpg' }, 'the File URL ("file_url") is missing; the panel needs both URLs of every photo (at 1.file_url)'],
	])('refuses a photo without one of its two URLs (%j), naming the field, before sending', async (second, problem) => {
		const photos = [{ file_url: 'https://cdn.example/1.jpg', big: 'https://cdn.example/1_200.jpg' }, second];
		const result = await runOperator(simulator, { ...send, message: '', attaches: { photos } }, { items: [{ user: 1, bot: 2 }] });
		expect(result.nodeError(NODE)?.message).toBe(`Invalid "Public Photos": ${problem}`);
		expect(simulator.sends).toHaveLength(0);
	});

	it('keeps the token out of the output when the panel echoes it in a 2xx answer', async () => {
		simulator.failNext(200, { status: 'ok', message_id: 9, echo: { token: 'panel-token-8c1d', url: '/api?token=panel-token-8c1d' } });
		const result = await runOperator(simulator, send, { items: [{ user: 1, bot: 2, text: 'x' }] });
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);
		// The answer is still there, with the token masked.
		expect(output[0].json).toEqual({ user_id: 1, contact_id: 2, status: 'ok', message_id: 9, echo: { token: '***', url: '/api?token=***' } });
		expect(runAsText(result)).not.toContain('panel-token-8c1d');
	});

	it('sends a file from binary data byte for byte', async () => {
		const bytes = randomBytes(300_000);
		const result = await runOperator(
			simulator,
			{ ...send, message: 'photo', sendFile: true, binaryPropertyName: 'data' },
			{ files: [{ json: { user: 5, bot: 6, text: 'photo' }, fileName: 'private.jpg', mimeType: 'image/jpeg', bytes }] },
		);
		expect(result.error).toBeUndefined();
		const file = simulator.sends[0].files[0];
		expect(file).toMatchObject({ field: 'attach', filename: 'private.jpg', contentType: 'image/jpeg' });
		expect(Buffer.compare(file.bytes, bytes)).toBe(0);
	});

	it('refuses a file over the size limit before sending', async () => {
		const result = await runOperator(
			simulator,
			{ ...send, sendFile: true, binaryPropertyName: 'data', maxFileSizeMb: 0.1 },
			{ files: [{ json: { user: 5, bot: 6, text: 'x' }, fileName: 'big.jpg', mimeType: 'image/jpeg', bytes: randomBytes(200_000) }] },
		);
		expect(result.nodeError(NODE)?.message).toBe(
			'Invalid "Input Binary Field": the file "big.jpg" has 200000 bytes, more than the 0.1 MB allowed',
		);
		expect(simulator.sends).toHaveLength(0);
	});

	it('names a missing binary field', async () => {
		const result = await runOperator(simulator, { ...send, sendFile: true, binaryPropertyName: 'photo' }, { items: [{ user: 1, bot: 2, text: 'x' }] });
		expect(result.nodeError(NODE)?.message).toMatch(/photo/);
		expect(simulator.sends).toHaveLength(0);
	});

	it.each([
		[{ user: 0, bot: 2, text: 'x' }, 'Invalid "User ID": must be a whole number greater than 0'],
		[{ user: 'abc', bot: 2, text: 'x' }, 'Invalid "User ID": must be a whole number such as 42'],
		[{ user: 1, bot: 2.5, text: 'x' }, 'Invalid "Contact ID": must be a whole number greater than 0'],
		[{ user: 1, bot: 2, text: '  ' }, 'Invalid "Message": is empty and nothing is attached'],
	])('refuses %j before sending', async (item, message) => {
		const result = await runOperator(simulator, send, { items: [item] });
		expect(result.nodeError(NODE)?.message).toBe(message);
		expect(simulator.sends).toHaveLength(0);
	});

	it('refuses a photo URL that is not a URL', async () => {
		const result = await runOperator(simulator, { ...send, attaches: { photos: [{ file_url: 'photo.jpg', big: '' }] } }, { items: [{ user: 1, bot: 2, text: 'x' }] });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "Public Photos": must be a full URL/);
	});

	it('turns a refused token into a clear error without leaking it', async () => {
		const result = await runOperator(simulator, send, { items: [{ user: 1, bot: 2, text: 'x' }], credential: { apiToken: 'stolen-token-00' } });
		const error = result.nodeError(NODE);
		expect(error?.message).toBe('Operator panel: Invalid token');
		expect(error?.description).toMatch(/Check "API Token"/);
		expect(runAsText(result)).not.toContain('stolen-token-00');
	});

	it('reports the panel\'s HTTP status and JSON body, and continues on fail when asked', async () => {
		simulator.failNext(422, { error: 'Contact is blocked' });
		const result = await runOperator(simulator, send, {
			items: [{ user: 1, bot: 2, text: 'a' }, { user: 3, bot: 4, text: 'b' }],
			onError: 'continueRegularOutput',
		});
		const output = result.output(NODE).map((item) => item.json);
		expect(output).toHaveLength(2);
		const failed = output.find((entry) => entry.error);
		expect(failed).toMatchObject({ outcome: 'failed', error: 'Operator panel: Contact is blocked' });
		expect(output.filter((entry) => entry.status === 'ok')).toHaveLength(1);
	});

	it('names the credential field when the endpoint URL is missing', async () => {
		const result = await runOperator(simulator, send, { items: [{ user: 1, bot: 2, text: 'x' }], credential: { apiUrl: '' } });
		expect(result.nodeError(NODE)?.message).toMatch(/^Invalid "API Endpoint URL \(credential\)"/);
	});
});
