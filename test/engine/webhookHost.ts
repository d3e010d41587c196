/**
 * A real HTTP server on 127.0.0.1 (random port) that hosts ONE trigger node's webhook(s) the way
 * n8n 2.40's production webhook path (`/webhook/...`, execution mode 'webhook') does, so tests can
 * call a trigger node with real HTTP. Each request gets a real n8n-core WebhookContext and
 * `nodeType.webhook` is called with it; the workflow the trigger starts is run with the real
 * WorkflowExecute (trigger node plus the optional `downstream` nodes).
 *
 * URLs: `host.url()` is the production URL n8n shows for the node's first webhook
 * (NodeHelpers.getNodeWebhookUrl):
 *   - `/webhook/<path>` when the node has a `webhookId` and the webhook description says
 *     `isFullPath: true` (like n8n's Webhook node),
 *   - `/webhook/<webhookId>/<path>` when the node has a `webhookId` otherwise, and always for a
 *     dynamic path (with `:param` segments, to be filled in by the caller),
 *   - `/webhook/<workflowId>/<node name, lower-cased, URI-encoded>/<path>` without a webhookId
 *     (n8n then matches the decoded request path against the encoded name, so names with
 *     spaces are not reachable - faithfully reproduced).
 * Dynamic paths are matched as n8n does: first segment = webhookId, then as many segments as the
 * registered path has. So they only work with `isFullPath: true`; without it the registered path
 * already starts with the webhookId and every request 404s, in n8n and here.
 * `host.url(name)` gives the webhook with that description name; any other `host.url(x)` is
 * `<base>/webhook/<x>` (to fill dynamic segments or to probe unknown paths).
 *
 * ------------------------------------------------------------------------------------------------
 * What n8n 2.40 does to a webhook request before `webhook()` runs. Read in the published
 * n8n@2.40.7 package (dist/*.js, compiled from packages/cli/src/...):
 *   packages/cli/src/abstract-server.ts, middlewares/body-parser.ts, webhooks/webhook-request-handler.ts,
 *   webhooks/live-webhooks.ts, webhooks/webhook-helpers.ts, webhooks/webhook.service.ts,
 *   webhooks/webhook-form-data.ts, webhooks/webhook-blank-file-inputs.ts,
 *   webhooks/webhook-request-sanitizer.ts, webhooks/webhook-response.ts,
 *   webhooks/webhook-response-headers.ts, webhooks/webhook-on-received-response-extractor.ts,
 *   webhooks/webhook-last-node-response-extractor.ts, webhooks/webhook-execution-context.ts,
 *   response-helper.ts, errors/http-error-classifier.ts, errors/http-error-serializers.ts,
 *   errors/response-errors/*.ts; and n8n-core 2.40.3 webhook-context.ts,
 *   @n8n/backend-network http/parse-incoming-message.ts, formidable 3.5.4 src/.
 *
 * - Middleware order (abstract-server.ts): compression, then `rawBodyReader`, then the webhook
 *   routes, and only AFTER them the REST `bodyParser`. So webhook requests are NOT parsed by
 *   middleware. express 5.1 with `app.set('query parser', 'extended')`: `req.query` is qs-parsed
 *   (`a[b]=1` -> {a:{b:'1'}}, repeated keys -> arrays), recomputed on every read (a getter).
 * - `rawBodyReader`: `parseIncomingMessage(req)` sets `req.contentType` (lower-cased media type,
 *   no parameters), `req.encoding` (charset, lower-cased, default 'utf-8') and
 *   `req.contentDisposition`; adds `req.readRawBody()` which reads the body once into
 *   `req.rawBody` (a Buffer; gzip/deflate Content-Encoding decoded) with raw-body's limit
 *   `${N8N_PAYLOAD_SIZE_MAX}mb` (default 16 MiB; the Content-Length is checked before reading).
 * - The other parts, next to the code that reproduces them (in test/engine/webhookHost/):
 *     * live-webhooks.ts (`req.params`, auth cookies): registration.ts, with the webhook
 *       registration and path matching;
 *     * webhook-helpers.ts `parseRequestBody` and `parseBody`: bodyParser.ts;
 *     * the error answers (body parse errors, payload limit, a throwing webhook(), unknown
 *       path/method, unsupported methods, OPTIONS): responses.ts;
 *     * the responses per responseMode (executeWebhook + webhook-request-handler.ts): execution.ts.
 *   The request handling and startWebhookHost are in server.ts, the public types in types.ts.
 * Not reproduced: compression middleware, ETag/304 handling, Prometheus metrics, execution
 * persistence, the test-webhook (`/webhook-test/`) and waiting-webhook paths.
 * ------------------------------------------------------------------------------------------------
 */
import './env';

export { startWebhookHost } from './webhookHost/server';
export type {
	RegisteredWebhook,
	WebhookExecution,
	WebhookHost,
	WebhookHostOptions,
} from './webhookHost/types';
