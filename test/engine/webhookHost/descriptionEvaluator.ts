/** The webhook description's response settings, evaluated for one request (webhook-helpers.ts). */
import {
	resolveWebhookDescriptionField,
	type INode,
	type IWebhookData,
	type IWorkflowDataProxyAdditionalKeys,
	type Workflow,
	type WebhookResponseMode,
} from 'n8n-workflow';

export interface ResponseOptions {
	responseMode: WebhookResponseMode;
	responseCode: number;
	responseData: unknown;
	responsePropertyName?: string;
	responseContentType?: string;
	responseBinaryPropertyName?: string;
}

export class DescriptionEvaluator {
	constructor(
		private readonly workflow: Workflow,
		private readonly node: INode,
		private readonly webhookData: IWebhookData,
		readonly additionalKeys: IWorkflowDataProxyAdditionalKeys,
	) {}

	simple<T>(property: string, fallback?: T): T {
		return this.evaluate('getSimpleParameterValue', property, fallback);
	}

	complex<T>(property: string, fallback?: T): T {
		return this.evaluate('getComplexParameterValue', property, fallback);
	}

	private evaluate<T>(
		method: 'getSimpleParameterValue' | 'getComplexParameterValue',
		property: string,
		fallback?: T,
	): T {
		const native = resolveWebhookDescriptionField(
			this.node,
			this.webhookData.webhookDescription,
			property,
		);
		if (native.resolved) return native.value as T;
		const raw = (this.webhookData.webhookDescription as unknown as Record<string, unknown>)[
			property
		];
		return this.workflow.expression[method](
			this.node,
			raw as string,
			'webhook',
			this.additionalKeys,
			undefined,
			fallback as string,
		) as T;
	}
}
