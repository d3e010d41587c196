import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sendHttpRequest, TransportError, type HttpResponse } from '../../../nodes/shared/http';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(server: Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startServer(handler: Handler) {
	const sockets = new Set<string>();
	const server = createServer(handler);
	server.on('connection', (socket) => sockets.add(`${socket.remotePort}`));
	const host = await listen(server);
	return { url: `http://${host}`, sockets, close: async () => await closeServer(server) };
}

async function closeServer(server: Server) {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
}

const base = { method: 'POST' as const, timeoutMs: 2_000, maxResponseBytes: 1024 };

describe('sendHttpRequest', () => {
	it('reuses kept-alive connections for sequential requests to one origin', async () => {
		const server = await startServer((_, response) => response.end('{"ok":true}'));
		for (let index = 0; index < 200; index++) {
			const result = (await sendHttpRequest({ ...base, url: `${server.url}/x`, body: '{}' })) as HttpResponse;
			expect(result.status).toBe(200);
			expect(result.body.toString()).toBe('{"ok":true}');
		}
		// undici may open a second socket while the first is being released; never one per request.
		expect(server.sockets.size).toBeLessThanOrEqual(2);
		await server.close();
	});

	it('reports a refused connection as not sent', async () => {
		const server = await startServer(() => undefined);
		const url = server.url;
		await server.close();
		const result = await sendHttpRequest({ ...base, url: `${url}/x` });
		expect(result).toBeInstanceOf(TransportError);
		expect((result as TransportError).kind).toBe('not-sent');
	});

	it('reports a timeout after sending as unknown outcome', async () => {
		const server = await startServer(() => undefined);
		const result = await sendHttpRequest({ ...base, url: `${server.url}/x`, body: '{}', timeoutMs: 200 });
		expect((result as TransportError).kind).toBe('unknown-outcome');
		expect((result as TransportError).message).toMatch(/may or may not have processed/);
		await server.close();
	});

	it('reports a connection reset mid-request as unknown outcome', async () => {
		const server = await startServer((request) => request.socket.destroy());
		const result = await sendHttpRequest({ ...base, url: `${server.url}/x`, body: '{}' });
		expect((result as TransportError).kind).toBe('unknown-outcome');
		await server.close();
	});

	it('refuses answers larger than the cap, with or without a Content-Length', async () => {
		const declared = await startServer((_, response) => response.end('x'.repeat(5000)));
		const result = await sendHttpRequest({ ...base, url: `${declared.url}/x` });
		expect((result as TransportError).kind).toBe('too-large');
		await declared.close();

		// Chunked: counted as it arrives, refused once past the cap although the answer never ends.
		const chunked = await startServer((_, response) => {
			response.write('x'.repeat(800));
			setTimeout(() => response.write('y'.repeat(800)), 50);
		});
		const streamed = await sendHttpRequest({ ...base, url: `${chunked.url}/x`, timeoutMs: 5_000 });
		expect((streamed as TransportError).kind).toBe('too-large');
		await chunked.close();
	});

	it('reads a chunked answer under the cap whole', async () => {
		const server = await startServer((_, response) => {
			response.write('{"part":');
			setTimeout(() => response.end('"two"}'), 20);
		});
		const result = (await sendHttpRequest({ ...base, url: `${server.url}/x` })) as HttpResponse;
		expect(result.headers['content-length']).toBeUndefined();
		expect(result.body.toString()).toBe('{"part":"two"}');
		await server.close();
	});

	it('rejects a self-signed certificate unless told to ignore SSL issues', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tls-'));
		execFileSync('openssl', [
			'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
			'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
		], { stdio: 'ignore' });
		const server = createTlsServer(
			{ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
			(_, response) => response.end('secure'),
		);
		rmSync(dir, { recursive: true, force: true });
		const host = await listen(server as unknown as Server);
		const strict = await sendHttpRequest({ ...base, method: 'GET', url: `https://${host}/` });
		expect(strict).toBeInstanceOf(TransportError);
		const relaxed = await sendHttpRequest({ ...base, method: 'GET', url: `https://${host}/` }, { ignoreSslIssues: true });
		expect((relaxed as HttpResponse).body.toString()).toBe('secure');
		await closeServer(server as unknown as Server);
	});
});
