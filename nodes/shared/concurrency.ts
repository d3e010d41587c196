/**
 * Runs `worker` over `count` indexes with at most `limit` in flight. Results come back in index
 * order whatever order the work finishes in. `shouldStop` is asked before each new start, so a
 * batch can stop launching work after a failure while the work in flight completes.
 */
export async function mapConcurrent<R>(
	count: number,
	limit: number,
	worker: (index: number) => Promise<R>,
	shouldStop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results = new Array<R | undefined>(count);
	let next = 0;
	const lane = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			results[index] = await worker(index);
		}
	};
	const lanes = Math.max(1, Math.min(limit, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	return results;
}
