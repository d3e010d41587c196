import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

export const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/** An HTTP server on loopback that counts its connections and closes them all on close(). */
export interface LoopbackServer {
	server: http.Server;
	port: number;
	/** `http://host:port` */
	origin: string;
	readonly openConnections: number;
	readonly maxOpenConnections: number;
	resetConnectionStats(): void;
	close(): Promise<void>;
}

export async function startLoopbackServer(
	onRequest: http.RequestListener,
	options: { port?: number; host?: string } = {},
): Promise<LoopbackServer> {
	const host = options.host ?? '127.0.0.1';
	const sockets = new Set<Socket>();
	let openConnections = 0;
	let maxOpenConnections = 0;

	const server = http.createServer(onRequest);
	server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
	server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 5_000;
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		openConnections++;
		if (openConnections > maxOpenConnections) maxOpenConnections = openConnections;
		socket.on('close', () => {
			sockets.delete(socket);
			openConnections--;
		});
	});
	// A client that resets mid-request must not crash the process.
	server.on('clientError', (_error: Error, socket: Socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});

	await new Promise<void>((resolve, reject) => {
		const onError = (error: Error): void => reject(error);
		server.once('error', onError);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', onError);
			resolve();
		});
	});

	const port = (server.address() as AddressInfo).port;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	return {
		server,
		port,
		origin: `http://${urlHost}:${port}`,
		get openConnections() {
			return openConnections;
		},
		get maxOpenConnections() {
			return maxOpenConnections;
		},
		resetConnectionStats() {
			maxOpenConnections = openConnections;
		},
		async close() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}

/**
 * Reads a request body of at most `maxBytes` (declared or counted). Past the limit `onTooLarge` is
 * called once and the rest is ignored; otherwise `onBody` gets the whole body.
 */
export function readBodyCapped(
	req: http.IncomingMessage,
	maxBytes: number,
	onTooLarge: () => void,
	onBody: (raw: Buffer) => void,
): void {
	req.on('error', () => undefined);
	if (Number(req.headers['content-length']) > maxBytes) {
		onTooLarge();
		return;
	}
	const chunks: Buffer[] = [];
	let size = 0;
	let aborted = false;
	req.on('data', (chunk: Buffer) => {
		if (aborted) return;
		size += chunk.length;
		if (size > maxBytes) {
			aborted = true;
			chunks.length = 0;
			onTooLarge();
			return;
		}
		chunks.push(chunk);
	});
	req.on('end', () => {
		if (!aborted) onBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
	});
}
