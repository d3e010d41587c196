import { mapConcurrent } from '../../../nodes/shared/runner';

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
