import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

/**
 * HTTP_PROXY / NO_PROXY are read by undici's EnvHttpProxyAgent when the first request is made,
 * so this file sets them before loading the transport (jest gives each file its own modules).
 */
describe('proxy environment', () => {
	let proxy: Server;
	let target: Server;
	const tunnels: string[] = [];
	let targetUrl = '';

	beforeAll(async () => {
		target = createServer((_, response) => response.end('via target'));
		await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
		targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hello`;

		proxy = createServer((_, response) => response.writeHead(405).end());
		proxy.on('connect', (request, socket, head) => {
			tunnels.push(String(request.url));
			const [host, port] = String(request.url).split(':');
			const upstream = connect(Number(port), host, () => {
				socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
				upstream.write(head);
				upstream.pipe(socket).pipe(upstream);
			});
			upstream.on('error', () => socket.destroy());
			socket.on('error', () => upstream.destroy());
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	});

	afterAll(async () => {
		for (const server of [proxy, target]) {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
		delete process.env.HTTP_PROXY;
		delete process.env.NO_PROXY;
	});

	it('sends through HTTP_PROXY, and directly for hosts in NO_PROXY', async () => {
		process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
		process.env.NO_PROXY = 'localhost';
		const { sendHttpRequest } = await import('../../../nodes/shared/http');
		const viaProxy = await sendHttpRequest({ method: 'GET', url: targetUrl, timeoutMs: 2_000, maxResponseBytes: 1024 });
		expect('body' in viaProxy && viaProxy.body.toString()).toBe('via target');
		expect(tunnels).toEqual([new URL(targetUrl).host]);

		const direct = await sendHttpRequest(
			{ method: 'GET', url: targetUrl.replace('127.0.0.1', 'localhost'), timeoutMs: 2_000, maxResponseBytes: 1024 },
			{ tuning: { timeoutMs: 2_000, maxConnectionsPerOrigin: 3 } },
		);
		expect('body' in direct && direct.body.toString()).toBe('via target');
		expect(tunnels).toHaveLength(1);
	});
});
