/**
 * The webhook execution (webhook-helpers.ts executeWebhook): parses the body, calls the node's
 * `webhook()` with a real WebhookContext, starts the workflow run and answers per responseMode.
 *
 * What n8n 2.40 answers (sources: see the header of test/engine/webhookHost.ts; error answers are
 * described in responses.ts, body parsing in bodyParser.ts):
 * - Responses (webhook-helpers.ts executeWebhook + webhook-request-handler.ts):
 *     * `noWebhookResponse: true` -> n8n sends nothing; the node answered through
 *       `getResponseObject()`.
 *     * no `workflowData` -> `webhookResponse` (or {"message":"Webhook call received"}) with the
 *       description's responseCode (default 200); no workflow run.
 *     * responseMode 'onReceived' (default): answered right after the execution STARTED with the
 *       evaluated description `responseData`, else `webhookResponse`, else {"message":"Workflow
 *       was started"}; 'noData' -> empty body. CAUTION: n8n evaluates `responseData` with the
 *       default 'firstEntryJson', so a webhook description WITHOUT `responseData` answers the
 *       literal text `firstEntryJson` (and a returned `webhookResponse` is ignored). Static
 *       answers get `Content-Security-Policy: sandbox ...` (N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX).
 *     * 'lastNode': after the run; the last executed node's data per `responseData`
 *       (firstEntryJson default, allEntries, firstEntryBinary, noData); a failed run -> 500
 *       {"message":"Error in workflow"}.
 *     * 'responseNode': answered when a node calls `this.sendResponse()` (Respond to Webhook);
 *       a run that ends without it -> empty body with responseCode.
 *     * 'streaming', 'formPage', 'hostedChat' are not supported by this host (500).
 */
import '../env';

import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { WebhookContext } from 'n8n-core';
import {
	isNodeClassInstance,
	NodeOperationError,
	OperationalError,
	UnexpectedError,
	WorkflowConfigurationError,
	type IExecuteResponsePromiseData,
	type IN8nHttpFullResponse,
	type INode,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowDataProxyAdditionalKeys,
	type WebhookResponseMode,
} from 'n8n-workflow';

import { HttpResponseError, type ShimRequest, type ShimResponse } from '../httpShim';
import { parseMultipartFormData } from '../multipart';
import { createAdditionalData } from '../runtime';
import { makeResult } from '../runWorkflow';
import { isParsableContentType, parseBody } from './bodyParser';
import { DescriptionEvaluator, type ResponseOptions } from './descriptionEvaluator';
import { extractLastNodeResponse, lastNodeTaskData } from './lastNodeResponse';
import { HeaderBag, sendResponseNodeResponse, type ResponseCallback } from './responses';
import { failedRun, startExecution } from './run';
import { createWorkflow, workflowBase, type HostState } from './state';

const SUPPORTED_RESPONSE_MODES = ['onReceived', 'lastNode', 'responseNode'];
const EXECUTION_ENDED_WITHOUT_RESPONSE = Symbol('executionEndedWithoutResponse');

function webhookErrorMessage(error: Error, webhookType: 'Form' | 'Webhook'): string {
	if (error instanceof NodeOperationError && error.type === 'manual-form-test')
		return error.message;
	if (error instanceof WorkflowConfigurationError) return error.message;
	return `Workflow ${webhookType} Error: Workflow could not be started!`;
}

export async function executeWebhook(
	state: HostState,
	webhookData: IWebhookData,
	req: ShimRequest,
	res: ShimResponse,
	responseCallback: ResponseCallback,
): Promise<void> {
	const workflow = createWorkflow(state);
	const node = workflow.getNode(webhookData.node) as INode;
	const nodeType = state.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $executionId: undefined };
	const evaluator = new DescriptionEvaluator(workflow, node, webhookData, additionalKeys);

	const options: ResponseOptions = {
		responseMode: evaluator.simple<WebhookResponseMode>('responseMode', 'onReceived'),
		responseCode: evaluator.simple<number>('responseCode', 200),
		responseData: evaluator.complex<unknown>('responseData', 'firstEntryJson'),
		responsePropertyName: evaluator.simple<string | undefined>('responsePropertyName'),
		responseContentType: evaluator.simple<string | undefined>('responseContentType'),
		responseBinaryPropertyName: evaluator.simple<string>('responseBinaryPropertyName', 'data'),
	};
	const { responseMode, responseCode } = options;
	if (
		!['onReceived', 'lastNode', 'responseNode', 'formPage', 'streaming', 'hostedChat'].includes(
			responseMode,
		)
	) {
		const message = `The response mode '${responseMode}' is not valid!`;
		responseCallback(new UnexpectedError(message), {});
		throw new HttpResponseError(message, 500);
	}

	const additionalData = createAdditionalData({
		mode: 'webhook',
		workflowData: workflowBase(state),
		credentialsHelper: state.credentialsHelper,
		baseUrl: state.baseUrl,
	});
	delete additionalData.executionId;
	additionalData.httpRequest = req as unknown as typeof additionalData.httpRequest;
	additionalData.httpResponse = res as unknown as typeof additionalData.httpResponse;

	let didSendResponse = false;
	let cleanupMultipartFiles: (() => Promise<void>) | undefined;
	try {
		if (!SUPPORTED_RESPONSE_MODES.includes(responseMode)) {
			throw new UnexpectedError(
				`responseMode '${responseMode}' is not supported by the test webhook host`,
			);
		}

		// parseRequestBody
		let skipBody = false;
		if (node.typeVersion === 1) {
			skipBody = Boolean(
				workflow.expression.getSimpleParameterValue(
					node,
					'={{$parameter["options"]["binaryData"]}}',
					'webhook',
					additionalKeys,
					undefined,
					false,
				),
			);
		}
		if (!skipBody) {
			if (req.contentType === 'multipart/form-data') {
				const { body, cleanup } = await parseMultipartFormData(req, {
					formDataFileSizeMaxMb: state.formDataFileSizeMaxMb,
				});
				req.body = body;
				cleanupMultipartFiles = cleanup;
			} else if (node.typeVersion > 1) {
				if (isParsableContentType(req.contentType)) await parseBody(req);
			} else {
				await parseBody(req);
			}
		}

		// WebhookService.runWebhook
		let webhookResultData: IWebhookResponseData;
		const closeFunctions: Array<() => Promise<void>> = [];
		try {
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				'webhook',
				webhookData,
				closeFunctions,
				null,
			);
			const webhook = nodeType.webhook as NonNullable<typeof nodeType.webhook>;
			webhookResultData = isNodeClassInstance(nodeType)
				? await (webhook as unknown as (ctx: WebhookContext) => Promise<IWebhookResponseData>).call(
						nodeType,
						context,
					)
				: await webhook.call(context);
		} catch (e) {
			const error = e instanceof Error ? e : new Error(String(e));
			state.errors.push(error);
			responseCallback(new UnexpectedError(webhookErrorMessage(error, 'Webhook')), {});
			didSendResponse = true;
			return;
		} finally {
			await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
		}

		if (cleanupMultipartFiles && webhookResultData.webhookResponse instanceof Readable) {
			const cleanup = cleanupMultipartFiles;
			void finished(webhookResultData.webhookResponse).then(cleanup, cleanup);
		} else {
			await cleanupMultipartFiles?.();
		}
		cleanupMultipartFiles = undefined;

		const responseHeaders = new HeaderBag();
		if (webhookData.webhookDescription.responseHeaders !== undefined) {
			const evaluated = evaluator.complex<
				{ entries?: Array<{ name: string; value: string }> } | undefined
			>('responseHeaders');
			for (const entry of evaluated?.entries ?? []) responseHeaders.set(entry.name, entry.value);
		}
		if (!res.headersSent) responseHeaders.applyTo(res);

		if (webhookResultData.noWebhookResponse === true && !didSendResponse) {
			responseCallback(null, { noWebhookResponse: true });
			didSendResponse = true;
		}

		if (webhookResultData.workflowData === undefined) {
			if (!didSendResponse) {
				responseCallback(null, {
					data: webhookResultData.webhookResponse ?? { message: 'Webhook call received' },
					responseCode,
				});
				didSendResponse = true;
			}
			return;
		}

		const shouldDeferOnReceivedResponse = responseMode === 'onReceived' && !didSendResponse;
		const executionId = String(++state.executionCounter);

		let resolveResponse:
			| ((value: IExecuteResponsePromiseData | typeof EXECUTION_ENDED_WITHOUT_RESPONSE) => void)
			| undefined;
		if (responseMode === 'responseNode') {
			const responsePromise = new Promise<
				IExecuteResponsePromiseData | typeof EXECUTION_ENDED_WITHOUT_RESPONSE
			>((resolve) => {
				resolveResponse = resolve;
			});
			void responsePromise.then(async (response) => {
				if (response === EXECUTION_ENDED_WITHOUT_RESPONSE) return;
				didSendResponse = true;
				await sendResponseNodeResponse(response as IN8nHttpFullResponse, res, responseCallback);
			});
		}

		const items = webhookResultData.workflowData;
		const runPromise = startExecution(state, node, items, executionId, (response) =>
			resolveResponse?.(response),
		);
		const done = runPromise.then(
			(run) => {
				resolveResponse?.(EXECUTION_ENDED_WITHOUT_RESPONSE);
				return makeResult(run);
			},
			(error: unknown) => {
				resolveResponse?.(EXECUTION_ENDED_WITHOUT_RESPONSE);
				return makeResult(failedRun(error));
			},
		);
		state.executions.push({ items, done });

		if (shouldDeferOnReceivedResponse) {
			additionalKeys.$executionId = executionId;
			additionalKeys.$execution = {
				id: executionId,
				mode: 'production',
				resumeUrl: `${additionalData.webhookWaitingBaseUrl}/${executionId}`,
				resumeFormUrl: `${additionalData.formWaitingBaseUrl}/${executionId}`,
			};
			const evaluated = evaluator.complex<unknown>('responseData', 'firstEntryJson');
			let body: unknown;
			if (evaluated === 'noData') body = undefined;
			else if (evaluated) body = evaluated;
			else if (webhookResultData.webhookResponse !== undefined)
				body = webhookResultData.webhookResponse;
			else body = { message: 'Workflow was started' };
			responseCallback(null, {
				kind: 'static',
				body,
				code: responseCode,
				headers: responseHeaders,
			});
			didSendResponse = true;
		}

		if (!didSendResponse) {
			void done.then(async ({ run }) => {
				if (didSendResponse) return;
				const taskData = lastNodeTaskData(run);
				if (run.data.resultData.error || taskData?.error !== undefined) {
					didSendResponse = true;
					responseCallback(null, { data: { message: 'Error in workflow' }, responseCode: 500 });
					return;
				}
				if (responseMode === 'responseNode') {
					await Promise.resolve();
					if (!didSendResponse) {
						didSendResponse = true;
						responseCallback(null, { data: undefined, responseCode });
					}
					return;
				}
				if (taskData === undefined) {
					didSendResponse = true;
					responseCallback(null, {
						data: {
							message: 'Workflow executed successfully but the last node did not return any data',
						},
						responseCode,
					});
					return;
				}
				const result = await extractLastNodeResponse(options.responseData, taskData, options);
				didSendResponse = true;
				if (!result.ok) {
					responseCallback(result.error, {});
					return;
				}
				if (result.contentType) responseHeaders.set('content-type', result.contentType);
				responseCallback(
					null,
					result.stream
						? {
								kind: 'stream',
								stream: result.stream,
								code: responseCode,
								headers: responseHeaders,
							}
						: { kind: 'static', body: result.body, code: responseCode, headers: responseHeaders },
				);
			});
		}
	} catch (e) {
		const error = e instanceof Error ? e : new Error(String(e));
		const asResponseError = error as Partial<HttpResponseError>;
		const responseError =
			typeof asResponseError.httpStatusCode === 'number' &&
			typeof asResponseError.errorCode === 'number' &&
			asResponseError.httpStatusCode < 500
				? error
				: new OperationalError('There was a problem executing the workflow', { cause: error });
		if (didSendResponse) throw responseError;
		responseCallback(responseError, {});
	} finally {
		await cleanupMultipartFiles?.();
	}
}
