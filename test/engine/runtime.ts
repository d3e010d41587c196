/**
 * Shared pieces for running n8n-core in-process: node-type registry, credentials helper,
 * additional data, and the binary-data service setup. Used by runWorkflow.ts and webhookHost.ts.
 */
import './env';

import { dirname } from 'node:path';

import { BinaryDataConfig, BinaryDataService, ExecutionLifecycleHooks } from 'n8n-core';
import {
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { TEST_NODE_TYPES } from './testNodes';

export type AnyNodeType = INodeType | IVersionedNodeType;

/**
 * n8n-core resolves its services from the `@n8n/di` copy it depends on (0.17 below
 * node_modules/n8n-core), which is not the top-level `@n8n/di`. Take the container from there.
 */
interface DiContainer {
	get<T>(type: abstract new (...args: never[]) => T): T;
}
let container: DiContainer | undefined;
export function n8nContainer(): DiContainer {
	if (container === undefined) {
		const diPath = require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] });
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		container = (require(diPath) as { Container: DiContainer }).Container;
	}
	return container;
}

// ---------------------------------------------------------------------------------------------
// Node types

/** INodeTypes over a plain map; the test node types are always present. */
export class NodeTypeRegistry implements INodeTypes {
	private readonly types: Record<string, AnyNodeType>;

	constructor(nodeTypes: Record<string, AnyNodeType>) {
		this.types = { ...TEST_NODE_TYPES, ...nodeTypes };
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types[nodeType];
		if (type === undefined) {
			throw new UnexpectedError(`Unknown node type "${nodeType}" (not passed to the test engine)`);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const name of Object.keys(this.types)) known[name] = { className: name, sourcePath: '' };
		return known;
	}
}

// ---------------------------------------------------------------------------------------------
// Credentials

/**
 * Answers every credential request from a map keyed by credential TYPE name, whatever id/name
 * the node's `credentials` entry carries. When the credential type definitions are given it
 * also does what n8n's CredentialsHelper does with them: fills property defaults, applies
 * `authenticate` (generic or function) for `httpRequestWithAuthentication`, and runs
 * `preAuthentication` for types with an expirable hidden property, keeping the result for
 * later items like n8n keeps it in the database.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly data = new Map<string, ICredentialDataDecryptedObject>();

	private readonly reads = new Map<string, number>();

	/** How often a node read (decrypted) credentials of this type. */
	readsOf(type: string): number {
		return this.reads.get(type) ?? 0;
	}

	private heldReads?: Promise<void>;

	/** Reads started from now on wait (a slow database) until the returned function is called. */
	holdReads(): () => void {
		let release = () => undefined as void;
		this.heldReads = new Promise((resolve) => (release = resolve));
		return () => {
			this.heldReads = undefined;
			release();
		};
	}

	private readonly types = new Map<string, ICredentialType>();

	constructor(
		credentials: Record<string, ICredentialDataDecryptedObject> = {},
		credentialTypes: ICredentialType[] | Record<string, ICredentialType> = [],
	) {
		super();
		for (const [type, value] of Object.entries(credentials)) this.data.set(type, { ...value });
		const list = Array.isArray(credentialTypes) ? credentialTypes : Object.values(credentialTypes);
		for (const type of list) this.types.set(type.name, type);
	}

	getParentTypes(name: string): string[] {
		const type = this.types.get(name);
		if (type?.extends === undefined) return [];
		const parents: string[] = [];
		for (const parent of type.extends) parents.push(parent, ...this.getParentTypes(parent));
		return parents;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const authenticate = this.types.get(typeName)?.authenticate;
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic') return requestOptions;
		if (workflow === undefined || node === undefined) {
			throw new UnexpectedError(
				'Workflow and node are required for declarative credential authentication',
			);
		}
		requestOptions.headers ??= {};
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
				const resolvedKey = this.resolve(key, credentials, workflow, node);
				const resolvedValue = this.resolve(value, credentials, workflow, node);
				const bucket = (target[outerKey] ??= {});
				bucket[resolvedKey] = resolvedValue;
			}
		}
		return requestOptions;
	}

	private resolve(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value as string;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value as string,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved as string) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.get(typeName);
		if (type === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			this.data.set(typeName, { ...(this.data.get(typeName) ?? {}), ...output });
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.get(typeName);
		if (type === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const data = this.lookup(type);
		const credentials = {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: () => ({ ...data }),
			getDataToSave: () => ({
				id: nodeCredentials.id ?? undefined,
				name: nodeCredentials.name,
				type,
				data: '',
			}),
			setData: (value: ICredentialDataDecryptedObject) => this.data.set(type, { ...value }),
		};
		return credentials as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.reads.set(type, this.readsOf(type) + 1);
		if (this.heldReads) await this.heldReads;
		const data = { ...this.lookup(type) };
		for (const property of this.getCredentialsProperties(type)) {
			if (data[property.name] === undefined && property.default !== undefined) {
				data[property.name] = property.default as ICredentialDataDecryptedObject[string];
			}
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data.set(type, { ...data });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data.set(type, { ...(this.data.get(type) ?? {}), ...data });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.get(type)?.properties ?? [];
	}

	private lookup(type: string): ICredentialDataDecryptedObject {
		const data = this.data.get(type);
		if (data === undefined) {
			throw new UnexpectedError(`No credentials of type "${type}" were given to the test engine`);
		}
		return data;
	}
}

// ---------------------------------------------------------------------------------------------
// Additional data

export interface AdditionalDataOptions {
	mode: WorkflowExecuteMode;
	/** Unset while a webhook() runs: n8n creates the execution only after the trigger returns. */
	executionId?: string;
	workflowData: IWorkflowBase;
	credentialsHelper: ICredentialsHelper;
	/** Origin used for the instance URLs, e.g. `http://127.0.0.1:5678`. */
	baseUrl?: string;
}

function unsupported(what: string): () => never {
	return () => {
		throw new UnexpectedError(`${what} is not supported by the test engine`);
	};
}

/** The per-execution bag n8n-core reads: hooks, URLs, credentials helper. */
export function createAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	const base = (options.baseUrl ?? 'http://localhost:5678').replace(/\/$/, '');
	const additionalData = {
		hooks: new ExecutionLifecycleHooks(
			options.mode,
			options.executionId ?? '',
			options.workflowData,
		),
		executionId: options.executionId,
		credentialsHelper: options.credentialsHelper,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		userId: 'test-user',
		workflowId: options.workflowData.id,
		executeWorkflow: unsupported('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('The task runner (Code node)'),
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------------
// Binary data

/**
 * - `filesystem` (default, what n8n 2.40 uses in regular mode): binaries are written below
 *   ENGINE_TMP_DIR and items carry `binary.<key>.id` (`filesystem-v2:...`) with `data` set to the
 *   mode name, so node code must read bytes through `this.helpers.getBinaryDataBuffer()`.
 * - `default`: the legacy in-memory mode, bytes inline in `binary.<key>.data` as base64.
 */
export type BinaryDataMode = 'filesystem' | 'default';

let binaryMode: BinaryDataMode | undefined;

export async function ensureBinaryData(mode: BinaryDataMode = 'filesystem'): Promise<void> {
	if (binaryMode === mode) return;
	const di = n8nContainer();
	const config = di.get(BinaryDataConfig);
	config.mode = mode;
	await di.get(BinaryDataService).init();
	binaryMode = mode;
}
