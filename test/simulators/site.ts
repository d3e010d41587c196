import type * as http from 'http';

import { readBodyCapped, startLoopbackServer } from './server';

/**
 * The dating site's own chat API, as far as the demo needs it: it records what a workflow
 * delivers to `POST /site/api/chat/deliver` (operator replies handed back to the site).
 */
export interface SiteDelivery {
	at: number;
	contentType: string | undefined;
	body: unknown;
}

export interface SiteSimulator {
	readonly url: string;
	readonly deliveries: SiteDelivery[];
	close(): Promise<void>;
}

export async function startSiteSimulator(options: { port?: number; host?: string } = {}): Promise<SiteSimulator> {
	const deliveries: SiteDelivery[] = [];
	const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
		const answer = (status: number, body: unknown) => {
			res.statusCode = status;
			res.setHeader('content-type', 'application/json; charset=utf-8');
			res.end(JSON.stringify(body));
		};
		if (req.method !== 'POST' || req.url !== '/site/api/chat/deliver') {
			req.resume();
			answer(404, { error: 'Not Found' });
			return;
		}
		readBodyCapped(req, 1024 * 1024, () => answer(413, { error: 'Too large' }), (raw) => {
			let body: unknown = raw.toString('utf8');
			try {
				body = JSON.parse(body as string);
			} catch {
				// kept as text
			}
			deliveries.push({ at: Date.now(), contentType: req.headers['content-type'], body });
			answer(200, { delivered: true, id: deliveries.length });
		});
	};
	const loopback = await startLoopbackServer(onRequest, options);
	return { url: `${loopback.origin}/site/api/chat/deliver`, deliveries, close: () => loopback.close() };
}
