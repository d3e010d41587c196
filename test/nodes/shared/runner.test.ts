import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { mapConcurrent } from '../../../nodes/shared/runner';
import { startOneChatSimulator, type OneChatSimulator } from '../../simulators/onechat';
import { runOneChat } from '../OneChat/oneChatWorkflow';

const tick = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
	it('keeps index order and never exceeds the limit', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await mapConcurrent(50, 7, async (index) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await tick((index * 7) % 5);
			inFlight--;
			return index * 2;
		});
		expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index * 2));
		expect(peak).toBe(7);
	});

	it('stops starting new work once asked, letting work in flight finish', async () => {
		const started: number[] = [];
		let stop = false;
		const results = await mapConcurrent(
			20,
			3,
			async (index) => {
				started.push(index);
				if (index === 4) stop = true;
				await tick(2);
				return index;
			},
			() => stop,
		);
		expect(started.length).toBeLessThan(20);
		expect(results.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
		for (const index of started) expect(results[index]).toBe(index);
		expect(Array.from(results).filter((result) => result === undefined).length).toBe(20 - started.length);
	});

	it('handles an empty list', async () => {
		expect(await mapConcurrent(0, 4, async () => 1)).toEqual([]);
	});
});

describe('Stop, through n8n-core', () => {
	let simulator: OneChatSimulator;
	beforeAll(async () => {
		simulator = await startOneChatSimulator({ apiKey: 'stop-key' });
		simulator.setFaults({ delayMs: 50 });
	});
	afterAll(async () => await simulator.close());
	beforeEach(() => simulator.clearLog());

	const jids = (count: number) => Array.from({ length: count }, (_, index) => `user${index}@onechat.test`);

	/** Runs, stops after `stopAfterMs`, then waits a second more for stragglers; returns what reached the server after Stop. */
	async function stopped(parameters: INodeParameters, items: IDataObject[], stopAfterMs: number) {
		const result = await runOneChat(simulator, parameters, { items, cancelAfterMs: stopAfterMs });
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const stopAt = result.cancelledAt as number;
		// The server shares this process: a request written just before Stop may be read a little
		// after it on a busy machine. Anything started after Stop would keep coming for seconds.
		return { result, late: simulator.log.filter((entry) => entry.receivedAt > stopAt + 250), total: simulator.log.length };
	}

	it('starts no request of a relay after Stop, and the execution ends as canceled', async () => {
		const { result, late, total } = await stopped(
			{ resource: 'message', operation: 'relayToUsers', recipients: '={{ $json.jids }}', message: 'stop me' },
			[{ jids: jids(4_000) }],
			500,
		);
		expect(result.run.status).toBe('canceled');
		expect(late).toEqual([]);
		expect(total).toBeGreaterThan(0);
		expect(total).toBeLessThan(1_000);
	}, 30_000);

	it('starts no item after Stop, also while items wait for their pace', async () => {
		const { result, late, total } = await stopped(
			{ resource: 'message', operation: 'sendToUser', jid: '={{ $json.jid }}', message: 'stop me', options: { maxPerSecond: 20 } },
			jids(200).map((jid) => ({ jid })),
			1_000,
		);
		expect(result.run.status).toBe('canceled');
		expect(late).toEqual([]);
		expect(total).toBeGreaterThanOrEqual(15);
		expect(total).toBeLessThanOrEqual(22);
	}, 30_000);
});
