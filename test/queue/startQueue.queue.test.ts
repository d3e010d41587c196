import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { N8nClient } from '../e2e/n8n';
import { workerThatRan } from './fleet';

/** scripts/n8n/api.js (plain JavaScript), typed for what is used here. */
interface ApiModule {
	bootstrap(options: { url: string; owner: { email: string; password: string; firstName: string; lastName: string } }): Promise<N8nClient>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bootstrap } = require('../../scripts/n8n/api') as ApiModule;

const ROOT = join(__dirname, '..', '..');
const DEMO_OWNER = { email: 'demo@example.com', password: 'Demo-Passw0rd', firstName: 'Demo', lastName: 'User' };

async function isFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** A base port whose demo ports (base, +3 to +6, +10) are all free. */
async function freeDemoPorts(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const base = 20_000 + Math.floor(Math.random() * 20_000);
		const ports = [base, base + 3, base + 4, base + 5, base + 6, base + 10];
		if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
	}
	throw new Error('no free demo ports');
}

describe('npm run start:queue', () => {
	let demo: ChildProcess | undefined;
	let output = '';
	const exited = () => demo?.exitCode !== null || demo?.signalCode !== null;

	afterAll(async () => {
		if (demo && !exited()) process.kill(-(demo.pid as number), 'SIGKILL');
	});

	it('starts the demo in queue mode: a webhook through the webhook processor runs on a worker, Ctrl+C stops it all', async () => {
		const port = await freeDemoPorts();
		demo = spawn('npm', ['run', 'start:queue'], { cwd: ROOT, env: { ...process.env, N8N_PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		demo.stdout?.on('data', (chunk) => (output += chunk));
		demo.stderr?.on('data', (chunk) => (output += chunk));
		for (const deadline = Date.now() + 300_000; !output.includes('Press Ctrl+C to stop everything.'); ) {
			if (exited() || Date.now() > deadline) throw new Error(`the demo did not come up:\n${output.slice(-3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const editor = /Editor:\s+(\S+)/.exec(output)?.[1];
		const webhooks = /Production webhooks go to the webhook processor: (\S+)\/webhook\//.exec(output)?.[1];
		const workerLogs = [...output.matchAll(/worker-\d+\s+\S+\s+\(log (\S+)\)/g)].map((match) => match[1]);
		expect(editor).toBe(`http://localhost:${port}`);
		expect(webhooks).toBe(`http://localhost:${port + 10}`);
		expect(workerLogs).toHaveLength(2);

		const client = await bootstrap({ url: editor as string, owner: DEMO_OWNER });
		const response = await fetch(`${webhooks}/webhook/order-shipped`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ order: 'Q-1', team: 'sales' }),
		});
		expect(response.status).toBe(200);
		const { body } = await client.request('GET', '/rest/workflows');
		const { name } = JSON.parse(readFileSync(join(ROOT, 'examples', 'openplatform-notify-on-event.json'), 'utf8')) as { name: string };
		const notify = (body as { data: Array<{ id: string; name: string }> }).data.find((workflow) => workflow.name === name);
		expect(notify).toBeDefined();
		const [execution] = await client.waitForExecutions(String(notify?.id), { count: 1 });
		expect(execution.status).toBe('success');
		const workers = workerLogs.map((logFile, index) => ({ name: `worker-${index + 1}`, logFile }));
		expect(await workerThatRan(workers, execution.id)).toMatch(/^worker-\d$/);

		// Ctrl+C: the demo stops n8n's processes, PostgreSQL, Redis and the simulators, then exits.
		process.kill(-(demo.pid as number), 'SIGINT');
		for (const deadline = Date.now() + 60_000; !exited(); ) {
			if (Date.now() > deadline) throw new Error('the demo did not stop within 60 s of Ctrl+C');
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		expect(await Promise.all([port, port + 3, port + 10].map(isFree))).toEqual([true, true, true]);
	}, 420_000);
});
