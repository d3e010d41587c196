'use strict';
/**
 * A small client for the internal REST API of n8n 2.40.7 (the one the editor uses), over the
 * global fetch, authenticated with the `n8n-auth` session cookie.
 *
 *   const { bootstrap } = require('./api');
 *   const client = await bootstrap({ url, owner: { email, password, firstName, lastName } });
 *   const credId = await client.createCredential('oneChatApi', 'OneChat', { baseUrl, apiKey });
 *   const wfId = await client.importWorkflow(json, { oneChatApi: credId });
 *   const run = await client.runWorkflowManually(wfId);   // waits for the end by default
 *
 * Endpoints (read from node_modules/n8n/dist; every answer is wrapped as `{ "data": ... }`):
 *   POST /rest/owner/setup            controllers/owner.controller.js (skipAuth; sets the cookie)
 *   POST /rest/login                  controllers/auth.controller.js (5 logins/min per email)
 *   GET  /rest/settings               unauthenticated: userManagement.showSetupOnFirstLoad
 *   POST /rest/credentials            credentials/credentials.controller.js, CreateCredentialDto
 *   PATCH /rest/credentials/:id       the same controller (updateCredentials)
 *   POST /rest/workflows              workflows/workflows.controller.js, CreateWorkflowDto
 *   GET  /rest/workflows/:id          (versionId, activeVersionId, ...)
 *   POST /rest/workflows/:id/activate ActivateWorkflowDto { versionId } ("publish" in 2.x)
 *   GET  /rest/workflows/:id/publication-status   (2.x publishes through an outbox, asynchronously)
 *   POST /rest/workflows/:id/deactivate
 *   POST /rest/workflows/:id/run      ManualRunDto { triggerToStartFrom: { name } } -> { executionId }
 *   GET  /rest/executions?filter=...  executions/executions.controller.js (+ parse-range-query)
 *   GET  /rest/executions/:id         `data` is a `flatted` string (parsed here)
 *   GET  /types/nodes.json            (needs the cookie; skips the browser-id check)
 *   POST /rest/api-keys               controllers/api-keys.controller.js { label, scopes, expiresAt }
 *
 * The session cookie carries a hash of the `browser-id` header it was issued with, and n8n
 * refuses the cookie on requests without that header (auth/auth.service.js validateBrowserId), so
 * every request sends the same browser-id.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');

const DEFAULT_TIMEOUT_MS = 30_000;

class N8nApiError extends Error {
	constructor(message, { status, body, method, path } = {}) {
		super(message);
		this.name = 'N8nApiError';
		this.status = status;
		this.body = body;
		this.method = method;
		this.path = path;
	}
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Parses n8n's execution `data` text, written with the `flatted` format: a JSON array whose first
 * entry is the root; inside objects and arrays every string is the index (as text) of the entry
 * holding the real value, which makes repeated and circular references possible. Top-level
 * string entries are plain string values.
 */
function parseFlatted(text) {
	const table = JSON.parse(text);
	if (!Array.isArray(table) || table.length === 0) return table;
	const isContainer = (value) => value !== null && typeof value === 'object';
	const visited = new Set();
	const pending = [];
	const visit = (index) => {
		if (isContainer(table[index]) && !visited.has(index)) {
			visited.add(index);
			pending.push(index);
		}
	};
	visit(0);
	while (pending.length > 0) {
		const container = table[pending.pop()];
		for (const key of Object.keys(container)) {
			const value = container[key];
			if (typeof value !== 'string') continue;
			const index = Number(value);
			container[key] = table[index];
			visit(index);
		}
	}
	return table[0];
}

function cookieFrom(response) {
	const setCookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
	for (const line of setCookies) {
		const match = /^n8n-auth=([^;]*)/.exec(line);
		if (match && match[1]) return match[1];
	}
	return undefined;
}

function preview(text, max = 2000) {
	return text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}

/** Low-level request: JSON in, `{ status, body, text, response }` out; throws N8nApiError unless `ok`. */
async function request(baseUrl, method, path, { body, cookie, browserId, timeoutMs = DEFAULT_TIMEOUT_MS, expect, headers = {} } = {}) {
	const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
	const init = {
		method,
		headers: { accept: 'application/json', 'browser-id': browserId, ...headers },
		signal: AbortSignal.timeout(timeoutMs),
	};
	if (cookie) init.headers.cookie = `n8n-auth=${cookie}`;
	if (body !== undefined) {
		init.headers['content-type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	let response;
	for (let attempt = 1; ; attempt++) {
		try {
			response = await fetch(url, init);
			break;
		} catch (error) {
			// A busy n8n (a long execution blocks its event loop) may reset a kept-alive connection;
			// a GET is safe to send again.
			const reset = error.cause && ['ECONNRESET', 'UND_ERR_SOCKET'].includes(error.cause.code);
			if (method === 'GET' && reset && attempt < 4) {
				await sleep(500 * attempt);
				continue;
			}
			const reason = error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${error.message}${error.cause ? ` (${error.cause.message || error.cause.code})` : ''}`;
			throw new N8nApiError(`${method} ${path} failed: ${reason}`, { method, path });
		}
	}
	const text = await response.text();
	let parsed;
	try {
		parsed = text === '' ? undefined : JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	const ok = expect ? expect.includes(response.status) : response.ok;
	if (!ok) {
		throw new N8nApiError(`${method} ${path} failed: HTTP ${response.status} ${preview(text)}`, {
			status: response.status,
			body: parsed === undefined ? text : parsed,
			method,
			path,
		});
	}
	return { status: response.status, body: parsed, text, response };
}

/** Unwraps n8n's `{ data: ... }` envelope. */
function dataOf(result, what) {
	if (!result.body || typeof result.body !== 'object' || !('data' in result.body)) {
		throw new N8nApiError(`${what}: unexpected answer (HTTP ${result.status}) ${preview(result.text)}`, { status: result.status, body: result.body });
	}
	return result.body.data;
}

/** True when the instance still waits for its owner account (GET /rest/settings, no auth). */
async function needsOwnerSetup(url) {
	const result = await request(url, 'GET', '/rest/settings', { browserId: 'setup-check' });
	return Boolean(dataOf(result, 'GET /rest/settings').userManagement?.showSetupOnFirstLoad);
}

/** n8n's version, from the settings a signed-in user gets (1.x tells strangers fewer settings). */
async function versionOf(url, cookie, browserId) {
	return dataOf(await request(url, 'GET', '/rest/settings', { cookie, browserId }), 'GET /rest/settings').versionCli;
}

/**
 * What differs between the REST APIs of the n8n versions the suites run on, written once.
 * 2.x publishes a workflow's version (POST /:id/activate {versionId}, applied through a
 * publication outbox) and runs the stored workflow from a named trigger. 1.x keeps `active` as a
 * column the create call must fill, switches it with PATCH /:id {active, versionId}, and takes the
 * workflow itself in the manual-run request.
 */
function dialectFor(version) {
	const major = Number(String(version || '2').split('.')[0]);
	if (major >= 2) {
		return {
			newWorkflow: (body) => body,
			setActive: async ({ post, getWorkflow }, id, active) => {
				const path = `/rest/workflows/${encodeURIComponent(id)}`;
				if (!active) return post(`${path}/deactivate`, {}, `deactivate workflow ${id}`);
				return post(`${path}/activate`, { versionId: (await getWorkflow(id)).versionId }, `activate workflow ${id}`);
			},
			runBody: (_workflow, start) => ({ triggerToStartFrom: { name: start } }),
		};
	}
	return {
		newWorkflow: (body) => ({ ...body, active: false }),
		setActive: async ({ patch, getWorkflow }, id, active) => {
			const { versionId } = await getWorkflow(id);
			return patch(`/rest/workflows/${encodeURIComponent(id)}`, { active, versionId }, `${active ? 'activate' : 'deactivate'} workflow ${id}`);
		},
		runBody: (workflow, start) => ({ workflowData: workflow, triggerToStartFrom: { name: start } }),
	};
}

/** POST /rest/owner/setup; returns a logged-in client (the answer sets the session cookie). */
async function setupOwner({ url, owner }) {
	const browserId = crypto.randomUUID();
	const result = await request(url, 'POST', '/rest/owner/setup', {
		browserId,
		body: { email: owner.email, password: owner.password, firstName: owner.firstName, lastName: owner.lastName },
	});
	const cookie = cookieFrom(result.response);
	if (!cookie) throw new N8nApiError('POST /rest/owner/setup: no n8n-auth cookie in the answer', { status: result.status });
	return createClient({ url, cookie, browserId, user: dataOf(result, 'owner setup'), version: await versionOf(url, cookie, browserId) });
}

/** POST /rest/login; n8n allows 5 logins per minute per email. */
async function login({ url, email, password }) {
	const browserId = crypto.randomUUID();
	const result = await request(url, 'POST', '/rest/login', { browserId, body: { emailOrLdapLoginId: email, password } });
	const cookie = cookieFrom(result.response);
	if (!cookie) throw new N8nApiError('POST /rest/login: no n8n-auth cookie in the answer', { status: result.status });
	return createClient({ url, cookie, browserId, user: dataOf(result, 'login'), version: await versionOf(url, cookie, browserId) });
}

/**
 * Sets up the owner on a fresh instance, or logs in when that was done already.
 * n8n's password rules: 8-64 characters, at least one digit and one capital letter.
 */
async function bootstrap({ url, owner }) {
	if (await needsOwnerSetup(url)) return setupOwner({ url, owner });
	return login({ url, email: owner.email, password: owner.password });
}

const TRIGGER_TYPE = /trigger$/i;

/** Name of the node a manual run starts from: the Manual Trigger, else the first trigger-like node without inputs. */
function pickStartNode(workflow) {
	const nodes = workflow.nodes || [];
	const manual = nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger' && !node.disabled);
	if (manual) return manual.name;
	const targets = new Set();
	for (const outputs of Object.values(workflow.connections || {})) {
		for (const list of Object.values(outputs)) {
			for (const branch of list || []) for (const edge of branch || []) targets.add(edge.node);
		}
	}
	const roots = nodes.filter((node) => !targets.has(node.name) && !node.disabled);
	const trigger = roots.find((node) => TRIGGER_TYPE.test(node.type)) || roots[0];
	if (!trigger) throw new Error(`workflow ${workflow.id} has no node to start from`);
	return trigger.name;
}

/** Execution states that will not change any more. */
const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/** `version`: n8n's version (GET /rest/settings versionCli), which picks the REST dialect. */
function createClient({ url, cookie, browserId, user, version }) {
	const call = (method, path, options = {}) => request(url, method, path, { cookie, browserId, ...options });
	// `timeoutMs`: per request, default DEFAULT_TIMEOUT_MS.
	const get = async (path, what = `GET ${path}`, { timeoutMs } = {}) => dataOf(await call('GET', path, { timeoutMs }), what);
	const post = async (path, body, what = `POST ${path}`, { timeoutMs } = {}) => dataOf(await call('POST', path, { body, timeoutMs }), what);
	const patch = async (path, body, what = `PATCH ${path}`) => dataOf(await call('PATCH', path, { body }), what);
	const dialect = dialectFor(version);

	const client = {
		url,
		user,
		version,
		/** The session cookie value (`n8n-auth`) and the browser-id it is bound to, for other tools. */
		cookie,
		browserId,
		/** Raw access for endpoints not wrapped here: `await client.request('GET', '/rest/...')`. */
		request: call,

		/** POST /rest/credentials -> the new credential's id. */
		async createCredential(type, name, data) {
			const created = await post('/rest/credentials', { type, name, data }, `create credential "${name}" (${type})`);
			return created.id;
		},

		/** PATCH /rest/credentials/:id with the whole new data (what the editor's Save sends). */
		async updateCredential(id, type, name, data) {
			await patch(`/rest/credentials/${id}`, { type, name, data }, `update credential "${name}" (${type})`);
		},

		/**
		 * POST /rest/workflows. `json` is a workflow export (object or path to a .json file).
		 * Each node's `credentials.<type>.id` is replaced through `credentialIdMap`, looked up by the
		 * old credential id first, then by the credential type; values are ids or `{ id, name }`.
		 * Node ids are added where missing; webhookIds are kept. Returns the new workflow's id.
		 */
		async importWorkflow(json, credentialIdMap = {}, { name } = {}) {
			const source = typeof json === 'string' ? JSON.parse(fs.readFileSync(json, 'utf8')) : json;
			const nodes = structuredClone(source.nodes || []).map((node) => {
				if (!node.id) node.id = crypto.randomUUID();
				for (const [type, ref] of Object.entries(node.credentials || {})) {
					const mapped = (ref && ref.id !== undefined && credentialIdMap[ref.id]) || credentialIdMap[type];
					if (mapped === undefined) {
						throw new Error(`importWorkflow: node "${node.name}" uses a ${type} credential (${ref && ref.id}) that credentialIdMap does not map`);
					}
					node.credentials[type] = typeof mapped === 'object' ? { id: mapped.id, name: mapped.name ?? ref.name } : { id: mapped, name: ref.name };
				}
				return node;
			});
			const body = {
				name: name || source.name || 'Imported workflow',
				nodes,
				connections: source.connections || {},
				settings: source.settings || { executionOrder: 'v1' },
			};
			if (source.pinData) body.pinData = source.pinData;
			if (source.meta) body.meta = source.meta;
			const created = await post('/rest/workflows', dialect.newWorkflow(body), `import workflow "${body.name}"`);
			return created.id;
		},

		/** GET /rest/workflows/:id */
		getWorkflow(id) {
			return get(`/rest/workflows/${encodeURIComponent(id)}`, `get workflow ${id}`);
		},

		/**
		 * Activates the workflow (2.x: publishes its current version). n8n 2.40 applies it through a
		 * publication outbox, so this then polls GET /rest/workflows/:id/publication-status until
		 * every trigger is 'published' (webhooks registered, triggers started); a failed trigger
		 * fails with n8n's error message. Versions without that endpoint activate synchronously.
		 */
		async activateWorkflow(id, { timeoutMs = 30_000 } = {}) {
			const path = `/rest/workflows/${encodeURIComponent(id)}`;
			await dialect.setActive({ post, patch, getWorkflow: client.getWorkflow }, id, true);
			const deadline = Date.now() + timeoutMs;
			let status;
			for (;;) {
				try {
					status = await get(`${path}/publication-status`, `publication status of workflow ${id}`);
				} catch (error) {
					// 404: this n8n applies activations synchronously (publication service off).
					if (error.status === 404) return { status: 'published', synchronous: true };
					throw error;
				}
				if (status.status === 'published') return status;
				if (status.status === 'failed' || status.status === 'partial') {
					const reasons = (status.triggers || [])
						.filter((trigger) => trigger.status === 'failed')
						.map((trigger) => `${trigger.nodeId}: ${trigger.errorMessage}`)
						.join('; ');
					throw new Error(`activating workflow ${id} ${status.status}: ${reasons || JSON.stringify(status)}`);
				}
				if (Date.now() > deadline) {
					throw new Error(`workflow ${id} was not published after ${timeoutMs} ms (last status ${JSON.stringify(status)})`);
				}
				await sleep(200);
			}
		},

		async deactivateWorkflow(id) {
			return dialect.setActive({ post, patch, getWorkflow: client.getWorkflow }, id, false);
		},

		/**
		 * Runs a saved workflow like the editor's "Execute workflow" button:
		 * POST /rest/workflows/:id/run { triggerToStartFrom: { name } } (the server runs the stored
		 * workflow; nothing is taken from the request but the start node). Starts from
		 * `triggerName`, else the Manual Trigger, else the first trigger. A trigger that needs a
		 * test webhook makes n8n answer { waitingForWebhook: true }, refused here.
		 * With `wait` (default) polls the execution until it ends and returns it parsed.
		 * `requestTimeoutMs`, `retryUnanswered`, `intervalMs` and `onUnanswered` are passed to
		 * waitForExecution (a long execution can keep n8n too busy to answer a poll in time);
		 * `requestTimeoutMs` also applies to the start request.
		 * @returns {Promise<{ executionId: string, status?: string, execution?: object }>}
		 */
		async runWorkflowManually(id, { triggerName, wait = true, timeoutMs = 60_000, requestTimeoutMs, retryUnanswered, intervalMs, onUnanswered } = {}) {
			const workflow = await client.getWorkflow(id);
			const start = triggerName || pickStartNode(workflow);
			const result = await post(`/rest/workflows/${encodeURIComponent(id)}/run`, dialect.runBody(workflow, start), `run workflow ${id}`, { timeoutMs: requestTimeoutMs });
			if (!result || !result.executionId) {
				throw new Error(`run workflow ${id} from "${start}": n8n did not start an execution (${JSON.stringify(result)}); a webhook trigger waits for a test call instead`);
			}
			if (!wait) return { executionId: String(result.executionId) };
			const execution = await client.waitForExecution(result.executionId, { timeoutMs, requestTimeoutMs, retryUnanswered, intervalMs, onUnanswered });
			return { executionId: String(result.executionId), status: execution.status, execution };
		},

		/**
		 * Polls GET /rest/executions/:id until the execution ended; returns it (data parsed).
		 * `timeoutMs` is the overall deadline; `requestTimeoutMs` the time one poll may take
		 * (default DEFAULT_TIMEOUT_MS; the last poll may end that much after the deadline). With
		 * `retryUnanswered`, a poll that got no answer at all (timeout, reset) is asked again until
		 * the deadline instead of failing: n8n runs the execution in its main process, and a big one
		 * can keep it from answering for a while.
		 * `onUnanswered(error, attempt)` is told of each such poll.
		 */
		async waitForExecution(executionId, { timeoutMs = 60_000, intervalMs = 200, requestTimeoutMs = DEFAULT_TIMEOUT_MS, retryUnanswered = false, onUnanswered } = {}) {
			const deadline = Date.now() + timeoutMs;
			let unanswered = 0;
			for (;;) {
				let execution;
				try {
					execution = await client.getExecution(executionId, { includeData: true, timeoutMs: requestTimeoutMs });
				} catch (error) {
					if (retryUnanswered && error instanceof N8nApiError && error.status === undefined) {
						// No answer at all: asked again below unless the deadline has passed.
						unanswered++;
						if (onUnanswered) onUnanswered(error, unanswered);
					} else if (error.status !== 404 && !(error instanceof N8nApiError && /not found/i.test(error.message))) {
						// Not saved yet right after the start: 404, or an empty answer.
						throw error;
					}
				}
				if (execution && (FINAL_STATUSES.has(execution.status) || (execution.finished && execution.stoppedAt))) return execution;
				if (Date.now() > deadline) {
					const polls = unanswered > 0 ? `; ${unanswered} poll(s) got no answer within ${requestTimeoutMs} ms` : '';
					throw new Error(`execution ${executionId} did not end within ${timeoutMs} ms (status ${execution ? execution.status : 'not found'}${polls})`);
				}
				await sleep(intervalMs);
			}
		},

		/**
		 * GET /rest/executions?filter={"workflowId":...,"status":[...]}&limit=N -> newest first.
		 * Each entry: { id, workflowId, mode, status, startedAt, stoppedAt, ... } (no data).
		 */
		async listExecutions({ workflowId, status, limit = 100 } = {}) {
			const filter = {};
			if (workflowId !== undefined) filter.workflowId = String(workflowId);
			if (status !== undefined) filter.status = Array.isArray(status) ? status : [status];
			const query = new URLSearchParams({ limit: String(limit) });
			if (Object.keys(filter).length > 0) query.set('filter', JSON.stringify(filter));
			const page = await get(`/rest/executions?${query}`, 'list executions');
			return page.results || [];
		},

		/**
		 * GET /rest/executions/:id. With includeData, `data` is the parsed run data
		 * ({ resultData: { runData, error, lastNodeExecuted }, ... }); without, it is removed.
		 */
		async getExecution(executionId, { includeData = true, timeoutMs } = {}) {
			const execution = await get(`/rest/executions/${encodeURIComponent(executionId)}`, `get execution ${executionId}`, { timeoutMs });
			if (!execution) {
				throw new N8nApiError(`get execution ${executionId}: not found`, { status: 404 });
			}
			if (includeData && typeof execution.data === 'string') execution.data = parseFlatted(execution.data);
			if (!includeData) delete execution.data;
			return execution;
		},

		/** Waits until at least `count` executions of the workflow exist and all have ended. */
		async waitForExecutions(workflowId, { count = 1, timeoutMs = 30_000 } = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const list = await client.listExecutions({ workflowId });
				if (list.length >= count && list.every((entry) => FINAL_STATUSES.has(entry.status))) return list;
				if (Date.now() > deadline) {
					throw new Error(`workflow ${workflowId}: ${list.length} execution(s) after ${timeoutMs} ms, wanted ${count} ended ones (${JSON.stringify(list.map((e) => e.status))})`);
				}
				await sleep(200);
			}
		},

		/** GET /types/nodes.json -> sorted unique node type names (`<package>.<node>`). */
		async nodeTypes() {
			const { body } = await call('GET', '/types/nodes.json');
			if (!Array.isArray(body)) throw new N8nApiError('GET /types/nodes.json: not a list of node types');
			return [...new Set(body.map((type) => type.name))].sort();
		},

		/** GET /types/credentials.json -> sorted credential type names. */
		async credentialTypes() {
			const { body } = await call('GET', '/types/credentials.json');
			if (!Array.isArray(body)) throw new N8nApiError('GET /types/credentials.json: not a list of credential types');
			return [...new Set(body.map((type) => type.name))].sort();
		},

		/**
		 * POST /rest/api-keys: a key for the public API (/api/v1, header X-N8N-API-KEY) with every
		 * scope the owner may grant (GET /rest/api-keys/scopes). Returns the raw key.
		 */
		async createApiKey(label = 'e2e') {
			const scopes = await get('/rest/api-keys/scopes', 'api key scopes');
			const created = await post('/rest/api-keys', { label, scopes, expiresAt: null }, 'create api key');
			return created.rawApiKey;
		},
	};
	return client;
}

/** Items a node produced in an execution (first run, first output by default), as plain JSON. */
function nodeOutput(execution, nodeName, { run = 0, output = 0 } = {}) {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs || !runs[run]) return undefined;
	const items = runs[run].data?.main?.[output] || [];
	return items.map((item) => item.json);
}

/** The execution's error (message, node, description) or undefined. */
function executionError(execution) {
	const error = execution.data?.resultData?.error;
	if (!error) return undefined;
	return { message: error.message, node: error.node?.name, description: error.description, httpCode: error.httpCode };
}

module.exports = {
	bootstrap,
	setupOwner,
	login,
	needsOwnerSetup,
	createClient,
	request,
	parseFlatted,
	nodeOutput,
	executionError,
	pickStartNode,
	dialectFor,
	N8nApiError,
};
