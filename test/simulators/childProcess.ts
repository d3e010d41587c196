// The OneChat simulator in its own process (its own core, its own small heap), driven over IPC by
// the benchmark and by tests that time arrivals (no pause of the test's process can shift them).
// Besides delivery counts and connections it reports its own load per scenario (event-loop
// utilisation, CPU time, RSS), so a run shows whether the simulator, not the client, was the limit.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

import { startOneChatSimulator } from './onechat';

async function main(): Promise<void> {
	// A bounded log: the benchmark reads only counters, and an unbounded log of 100,000 entries
	// would make the simulator's own heap (and GC) grow with the run length. argv[2] may raise it.
	const simulator = await startOneChatSimulator({ apiKey: 'bench-key', maxLogEntries: Number(process.argv[2] ?? 1_000) });
	let elu: EventLoopUtilization = performance.eventLoopUtilization();
	let cpu = process.cpuUsage();
	let peakRss = process.memoryUsage.rss();
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
	sampler.unref();
	process.on('message', (message: { type: string }) => {
		if (message.type === 'reset') {
			simulator.clearLog();
			simulator.resetConnectionStats();
			elu = performance.eventLoopUtilization();
			cpu = process.cpuUsage();
			peakRss = process.memoryUsage.rss();
			process.send?.({ type: 'reset-done', openConnections: simulator.openConnections });
		} else if (message.type === 'stats') {
			const busy = performance.eventLoopUtilization(elu);
			const used = process.cpuUsage(cpu);
			process.send?.({
				type: 'stats',
				delivered: simulator.totalDelivered(),
				maxOpenConnections: simulator.maxOpenConnections,
				openConnections: simulator.openConnections,
				eventLoopUtilization: busy.utilization,
				cpuMs: Math.round((used.user + used.system) / 1000),
				peakRss: Math.max(peakRss, process.memoryUsage.rss()),
				maxRss: process.resourceUsage().maxRSS * 1024,
			});
		} else if (message.type === 'arrivals') {
			process.send?.({ type: 'arrivals', times: simulator.log.map((entry) => entry.receivedAt) });
		} else if (message.type === 'stop') {
			void simulator.close().then(() => process.exit(0));
		}
	});
	process.send?.({ type: 'ready', baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
}

void main();
