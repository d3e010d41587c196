/**
 * Body parsing (middlewares/body-parser.ts parseBody + webhook-helpers.ts parseRequestBody; the
 * parseRequestBody decision itself is made in executeWebhook, see execution.ts).
 *
 * What n8n 2.40 does (sources: see the header of test/engine/webhookHost.ts):
 * - webhook-helpers.ts `parseRequestBody`, before `webhook()`:
 *     * node typeVersion 1 with `options.binaryData` true: nothing is read.
 *     * `multipart/form-data`: parsed with formidable into `req.body = { data: fields, files }`
 *       (files in os.tmpdir(), removed again after webhook() returns; max file size
 *       N8N_FORMDATA_FILE_SIZE_MAX, default 200 MiB; payload limit does NOT apply; too large ->
 *       413 {code:413,message:'The submitted form data exceeds the allowed size.'}).
 *       See ../multipart.ts.
 *     * typeVersion > 1: the body is read and parsed only for application/json, text/plain,
 *       application/x-www-form-urlencoded, *\/xml and *+xml. Anything else (octet-stream, images,
 *       other multipart/*, no Content-Type) stays unread: `req.body` undefined, `req.rawBody`
 *       undefined until the node calls `await req.readRawBody()`.
 *     * typeVersion 1: always `parseBody` (reads rawBody for every type but multipart/*).
 *   `parseBody`: json -> jsonParse (a leading BOM stripped); xml -> xml2js (lower-cased tags,
 *   explicitArray false, normalize); urlencoded -> querystring.parse (NOT qs: flat keys, maxKeys
 *   1000); text/plain -> string. Only the exact media types match (`application/vnd.api+json`
 *   is not parsed). Empty bodies are not parsed. `req.body` is NOT defaulted to {} on this path
 *   (WebhookContext's input item uses `body: req.body ?? {}`).
 */
import { jsonParse, sanitizeXmlName } from 'n8n-workflow';

import { HttpResponseError, type ShimRequest } from '../httpShim';

type XmlParser = { parseStringPromise(text: string): Promise<unknown> };
let xmlParser: XmlParser | undefined;
function getXmlParser(): XmlParser {
	if (xmlParser === undefined) {
		// xml2js is what n8n uses; installed here as a dependency of others.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { Parser } = require('xml2js') as { Parser: new (options: object) => XmlParser };
		xmlParser = new Parser({
			async: true,
			normalize: true,
			normalizeTags: true,
			explicitArray: false,
			tagNameProcessors: [sanitizeXmlName],
			attrNameProcessors: [sanitizeXmlName],
		});
	}
	return xmlParser;
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export async function parseBody(req: ShimRequest): Promise<void> {
	if (req.contentType?.startsWith('multipart/')) return;
	await req.readRawBody();
	const { rawBody, contentType } = req;
	const encoding = req.encoding ?? 'utf-8';
	if (!rawBody?.length) return;
	try {
		if (contentType === 'application/json') {
			req.body = jsonParse(stripBom(rawBody.toString(encoding)));
		} else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
			req.body = await getXmlParser().parseStringPromise(rawBody.toString(encoding));
		} else if (contentType === 'application/x-www-form-urlencoded') {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { parse } = require('node:querystring') as typeof import('node:querystring');
			req.body = parse(stripBom(rawBody.toString(encoding)), undefined, undefined, {
				maxKeys: 1000,
			});
		} else if (contentType === 'text/plain') {
			req.body = rawBody.toString(encoding);
		}
	} catch (error) {
		throw new HttpResponseError('Failed to parse request body', 422, 422, (error as Error).message);
	}
}

export function isParsableContentType(contentType: string | undefined): boolean {
	return (
		contentType !== undefined &&
		(contentType.startsWith('application/json') ||
			contentType.startsWith('text/plain') ||
			contentType.startsWith('application/x-www-form-urlencoded') ||
			contentType.endsWith('/xml') ||
			contentType.endsWith('+xml'))
	);
}
