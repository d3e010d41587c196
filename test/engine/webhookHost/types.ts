/** The public types of the webhook host (re-exported by test/engine/webhookHost.ts). */
import type {
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import type { AnyNodeType, BinaryDataMode, TestCredentialsHelper } from '../runtime';
import type { EngineRunResult } from '../runWorkflow';

export interface WebhookHostOptions {
	/** The trigger node (n8n workflow JSON). Give it a `webhookId` as n8n does. */
	node: INode;
	nodeType: AnyNodeType;
	/** Decrypted credential data by credential TYPE name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[] | Record<string, ICredentialType>;
	/** The rest of the workflow, run with WorkflowExecute whenever the trigger emits. */
	downstream?: {
		nodes: INode[];
		connections: IConnections;
		nodeTypes?: Record<string, AnyNodeType>;
	};
	/** Workflow id (appears in paths of nodes without webhookId and in binary-data locations). */
	workflowId?: string;
	/** Workflow static data, shared by all requests (n8n persists it between calls). */
	staticData?: IDataObject;
	/** N8N_PAYLOAD_SIZE_MAX in MiB; default from the environment, else 16. */
	payloadSizeMaxMb?: number;
	/** N8N_FORMDATA_FILE_SIZE_MAX in MiB; default from the environment, else 200. */
	formDataFileSizeMaxMb?: number;
	binaryDataMode?: BinaryDataMode;
}

export interface WebhookExecution {
	/** The `workflowData` the trigger returned (one array per output). */
	items: INodeExecutionData[][];
	/** Settles when the workflow run started by this call has finished (never rejects). */
	done: Promise<EngineRunResult>;
}

export interface RegisteredWebhook {
	name: string;
	httpMethod: string;
	/** webhookPath as n8n registers it (its webhook_entity row); may contain `:param` segments. */
	path: string;
	/** The production URL the editor shows (`:param` segments to be filled in by the caller). */
	url: string;
}

export interface WebhookHost {
	/** `http://127.0.0.1:<port>` */
	baseUrl: string;
	/** See the comment at the top of test/engine/webhookHost.ts. */
	url(pathOrName?: string): string;
	webhooks: RegisteredWebhook[];
	/** Every execution the trigger started, in order. */
	executions: WebhookExecution[];
	/** Errors thrown by the node's webhook() (n8n answers those with a 500). */
	errors: Error[];
	/** The credentials the calls read: change one (updateCredentials), count reads (readsOf). */
	credentials: TestCredentialsHelper;
	close(): Promise<void>;
}
