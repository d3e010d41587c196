// The OneChat simulator in its own process (its own core), driven over IPC by the benchmark.
// Besides delivery counts and connections it reports its own load per scenario (event-loop
// utilisation, CPU time, RSS), so a run shows whether the simulator, not the client, was the limit.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

import { startOneChatSimulator } from '../test/simulators/onechat';

async function main(): Promise<void> {
	// A bounded log: the benchmark reads only counters, and an unbounded log of 100,000 entries
	// would make the simulator's own heap (and GC) grow with the run length.
	const simulator = await startOneChatSimulator({ apiKey: 'bench-key', maxLogEntries: 1_000 });
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
		} else if (message.type === 'stop') {
			void simulator.close().then(() => process.exit(0));
		}
	});
	process.send?.({ type: 'ready', baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
}

void main();
