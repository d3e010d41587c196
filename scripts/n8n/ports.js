'use strict';
/** Free loopback ports for the processes the scripts start (n8n, PostgreSQL, Redis). */
const net = require('node:net');

/** Ports this process handed out recently; the OS may offer a just-released port again. */
const handedOut = new Set();

/**
 * `count` distinct free TCP ports on the loopback interface, all held open at the same time
 * while they are chosen. Another process may still grab one before it is bound; callers
 * retry with new ports when that happens (startN8n, startPostgres, startRedis).
 */
async function freePorts(count) {
	const servers = [];
	try {
		const ports = [];
		while (ports.length < count) {
			const server = net.createServer();
			servers.push(server);
			const port = await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(0, '127.0.0.1', () => resolve(server.address().port));
			});
			if (!handedOut.has(port)) ports.push(port);
		}
		for (const port of ports) handedOut.add(port);
		return ports;
	} finally {
		await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
	}
}

async function freePort() {
	const [port] = await freePorts(1);
	return port;
}

module.exports = { freePorts, freePort };
