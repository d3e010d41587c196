// The OneChat simulator in its own process (its own core), driven over IPC by the benchmark.
import { startOneChatSimulator } from '../test/simulators/onechat';

async function main(): Promise<void> {
	const simulator = await startOneChatSimulator({ apiKey: 'bench-key', maxLogEntries: 1_000 });
	process.on('message', (message: { type: string }) => {
		if (message.type === 'reset') {
			simulator.clearLog();
			simulator.resetConnectionStats();
			process.send?.({ type: 'reset-done' });
		} else if (message.type === 'stats') {
			process.send?.({
				type: 'stats',
				delivered: simulator.totalDelivered(),
				maxOpenConnections: simulator.maxOpenConnections,
			});
		} else if (message.type === 'stop') {
			void simulator.close().then(() => process.exit(0));
		}
	});
	process.send?.({ type: 'ready', baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
}

void main();
