import { connectFleet, workerOf } from './fleet';

/**
 * After each file of the queue layer: every execution it caused ran on a worker, none on the main
 * process or a webhook processor (they only enqueue).
 */
const { state, client } = connectFleet();
let before = new Set<string>();

const executionIds = async () => (await client.listExecutions({ limit: 1_000 })).map((execution) => String(execution.id));

beforeAll(async () => {
	before = new Set(await executionIds());
});

afterAll(async () => {
	const created = (await executionIds()).filter((id) => !before.has(id));
	const places = await Promise.all(created.map(async (id) => [id, (await workerOf(state, id)) ?? 'no worker'] as const));
	const elsewhere = places.filter(([, name]) => !name.startsWith('worker-'));
	expect(elsewhere).toEqual([]);
});
