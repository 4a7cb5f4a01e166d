/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// Runs workflows with our real node and credential classes inside n8n-core's WorkflowExecute, with a
// credentials helper that has the n8n application's semantics (preAuthentication on an empty expirable field
// or a forced refresh, result persisted). n8n's own NodeTestHarness stubs preAuthentication out, which would
// hide exactly the session-expiry paths that matter for Cybereason.
import { createRequire } from 'node:module';
import type { Container as ContainerType } from '@n8n/di';
import type { Logger as LoggerType } from '@n8n/backend-common';
import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	NodeExecutionHint,
	Workflow as WorkflowType,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { CybereasonApi } from '../../credentials/CybereasonApi.credentials';

export const PACKAGE = 'n8n-nodes-cybereason';

// ---------------------------------------------------------------------------------------------
// Log capture: node code logs through Container.get(Logger); tests assert on it (warnings, no secrets).
// ---------------------------------------------------------------------------------------------

export interface LogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	meta?: unknown;
}

export const logs: LogEntry[] = [];

// n8n-core ships its own copies of @n8n/di and @n8n/backend-common: use the ones it resolves, not ours.
const requireFromCore = createRequire(require.resolve('n8n-core'));
const { Container } = requireFromCore('@n8n/di') as { Container: typeof ContainerType };
const { Logger } = requireFromCore('@n8n/backend-common') as { Logger: typeof LoggerType };

function captureLogger() {
	const record = (level: LogEntry['level']) => (message: string, meta?: unknown) => {
		logs.push({ level, message, meta });
	};
	const logger = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
		scoped: () => logger,
	};
	Container.set(Logger, logger as unknown as LoggerType);
}
captureLogger();

/**
 * n8n-core 1.x starts an SSH-tunnel cleanup interval (not unref'd) the first time a node runs; stop it so the
 * test process can exit. 2.x unrefs it, and onShutdown is harmless there.
 */
export function shutdownEngine() {
	const { SSHClientsManager } = requireFromCore(
		'n8n-core/dist/execution-engine/ssh-clients-manager',
	) as {
		SSHClientsManager: new () => { onShutdown(): void };
	};
	Container.get(SSHClientsManager).onShutdown();
}

// ---------------------------------------------------------------------------------------------
// Credentials with the n8n application's semantics
// ---------------------------------------------------------------------------------------------

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** Stands in for n8n's encrypted credentials table. */
export class CredentialStore {
	private readonly items = new Map<string, StoredCredential>();

	/** Every write of a credential by preAuthentication, in order (what n8n would persist). */
	readonly updates: Array<{ id: string; data: ICredentialDataDecryptedObject }> = [];

	add(credential: StoredCredential): StoredCredential {
		this.items.set(credential.id, { ...credential, data: { ...credential.data } });
		return credential;
	}

	has(id: string): boolean {
		return this.items.has(id);
	}

	get(id: string): StoredCredential {
		const item = this.items.get(id);
		if (!item) throw new Error(`No credential ${id}`);
		return item;
	}

	/** A copy, as n8n decrypts a fresh object from the database on every read. */
	read(id: string): ICredentialDataDecryptedObject {
		return { ...this.get(id).data };
	}

	write(id: string, data: ICredentialDataDecryptedObject) {
		this.get(id).data = { ...data };
		this.updates.push({ id, data: { ...data } });
	}
}

const credentialTypes: Record<string, ICredentialType> = { cybereasonApi: new CybereasonApi() };

class RealCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type].properties;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		const authenticate = type.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const resolve = (value: unknown) => {
			if (typeof value !== 'string' || !value.startsWith('=')) return value;
			const resolved = workflow!.expression.getSimpleParameterValue(
				node!,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};
		const options = requestOptions as unknown as Record<string, IDataObject>;
		for (const [outer, values] of Object.entries(authenticate.properties)) {
			options[outer] ??= {};
			for (const [key, value] of Object.entries(values as IDataObject)) {
				options[outer][String(resolve(key))] = resolve(value) as string;
			}
		}
		return requestOptions;
	}

	// Same decisions as the CLI's CredentialsHelper.preAuthentication (n8n 1.123 and 2.41).
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || !type.preAuthentication) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const reference = node.credentials?.[typeName];
		if (!reference?.id) return undefined;
		this.store.write(reference.id, Object.assign(credentials, output));
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		if (!type.preAuthentication) return undefined;
		return (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.read(nodeCredentials.id!);
		// applyDefaultsAndOverwrites: missing fields take their defaults (an imported credential has no cookie).
		for (const property of credentialTypes[type].properties) {
			if (data[property.name] === undefined) data[property.name] = property.default as string;
		}
		return data;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store.write(nodeCredentials.id!, data);
	}

	async updateCredentialsOauthTokenData() {}
}

// ---------------------------------------------------------------------------------------------
// Node types: ours, plus two tiny stand-ins for n8n-nodes-base (not a dependency of this package)
// ---------------------------------------------------------------------------------------------

/**
 * The description of a test or bench node: one main input and output, a group, and the Cybereason credential when
 * it makes requests.
 */
export function testNodeDescription(node: {
	name: string;
	displayName: string;
	description: string;
	properties: INodeProperties[];
	credential?: boolean;
	group?: 'input' | 'transform';
}): INodeTypeDescription {
	return {
		displayName: node.displayName,
		name: node.name,
		group: [node.group ?? 'transform'],
		version: 1,
		description: node.description,
		defaults: { name: node.displayName },
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		...(node.credential ? { credentials: [{ name: 'cybereasonApi', required: true }] } : {}),
		properties: node.properties,
	};
}

/** Emits the items given in its `items` parameter, like a Manual Trigger with pinned data. */
class StartNode implements INodeType {
	description = testNodeDescription({
		name: 'start',
		displayName: 'Start',
		description: 'Test input',
		group: 'input',
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	});

	async execute(this: IExecuteFunctions) {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

export type ItemFunction = (items: INodeExecutionData[]) => INodeExecutionData[];
const functions = new Map<string, ItemFunction>();

/** Runs a registered JavaScript function over its input, standing in for an IF/Filter/Code node. */
class FunctionNode implements INodeType {
	description = testNodeDescription({
		name: 'function',
		displayName: 'Function',
		description: 'Test transform',
		properties: [{ displayName: 'Function', name: 'fn', type: 'string', default: '' }],
	});

	async execute(this: IExecuteFunctions) {
		const fn = functions.get(this.getNodeParameter('fn', 0) as string);
		if (!fn) throw new Error('unknown function');
		return [fn(this.getInputData())];
	}
}

export function registerFunction(name: string, fn: ItemFunction) {
	functions.set(name, fn);
}

const nodeTypeRegistry = new Map<string, INodeType | IVersionedNodeType>([
	['test.start', new StartNode()],
	['test.function', new FunctionNode()],
]);

export function registerNodeType(name: string, type: INodeType | IVersionedNodeType) {
	nodeTypeRegistry.set(name.includes('.') ? name : `${PACKAGE}.${name}`, type);
}

const nodeTypes: INodeTypes = {
	getByName: (type) => {
		const found = nodeTypeRegistry.get(type);
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	},
	getByNameAndVersion: (type, version) =>
		NodeHelpers.getVersionedNodeType(nodeTypes.getByName(type), version),
	getKnownTypes: () => ({}),
} as INodeTypes;

// ---------------------------------------------------------------------------------------------
// Running workflows
// ---------------------------------------------------------------------------------------------

export interface WorkflowSpec {
	nodes: Array<Partial<INode> & Pick<INode, 'name' | 'type' | 'parameters'>>;
	/** [from, to] pairs of node names, main output 0 to main input 0. */
	connections?: Array<[string, string]>;
	/** Node the execution starts at; default the first node. */
	start?: string;
	/** Items fed to the start node (default one empty item, like a Manual Trigger). */
	input?: IDataObject[];
	/** How n8n runs it: 'manual' (default) from the editor, 'trigger' or 'webhook' when the workflow is active. */
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	run: IRun;
	/** The output items of a node's last run (main output 0), or [] if it did not run. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: IRun['data']['resultData']['error'];
	hints(nodeName: string): NodeExecutionHint[];
	/** Everything that would be persisted for this execution, as n8n stores it. */
	readonly serialized: string;
}

export interface ActivePoller {
	poll(mode?: 'trigger' | 'manual'): Promise<INodeExecutionData[][] | null>;
	/** The static data as n8n's database holds it. */
	readonly saved: IDataObject;
	/** How many times n8n would have written the static data. */
	readonly saves: number;
	/** n8n restarted (or another main took over): the workflow is loaded again from the database. */
	restart(): void;
}

/** What n8n's database round trip does to static data: JSON in, JSON out. */
function deepCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export interface EngineOptions {
	store?: CredentialStore;
	credentialId?: string;
	/**
	 * false: skip the secret-leak check after each run and poll (it serialises the whole execution, which
	 * benchmarks must not time); bench/ only.
	 */
	checkSecrets?: boolean;
}

let executionCounter = 0;

/**
 * Every run and poll of the suite is a secret-leak test: the credential's password, 2FA secret and every session
 * cookie it ever held must not appear in what n8n would persist (run data, errors) or in the log. Fails the test.
 */
function assertNoSecret(store: CredentialStore, id: string, what: string, ...texts: string[]) {
	const credential = store.get(id).data;
	const cookies = [credential, ...store.updates.map((u) => u.data)].map((data) =>
		String(data.sessionCookie ?? '').replace(/^JSESSIONID=/, ''),
	);
	const secrets = [credential.password, credential.totpSecret, ...cookies]
		.map((value) => String(value ?? ''))
		.filter((value) => value.length >= 4);
	const haystacks = [...texts, JSON.stringify(logs)];
	// The haystacks are JSON: a quote or backslash in a secret appears escaped there.
	const spellings = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
	for (const secret of new Set(spellings)) {
		if (haystacks.some((text) => text.includes(secret))) {
			throw new Error(`A secret of the credential appears in ${what} or the log`);
		}
	}
}

export class Engine {
	readonly store: CredentialStore;

	readonly credentialsHelper: RealCredentialsHelper;

	readonly credentialId: string;

	private readonly checkSecrets: boolean;

	constructor(options: EngineOptions = {}) {
		this.store = options.store ?? new CredentialStore();
		this.credentialId = options.credentialId ?? 'cred-1';
		this.credentialsHelper = new RealCredentialsHelper(this.store);
		this.checkSecrets = options.checkSecrets !== false;
	}

	private checksSecrets(): boolean {
		return this.checkSecrets && this.store.has(this.credentialId);
	}

	/** Adds (or replaces) the Cybereason credential the workflow's nodes use. */
	setCredential(data: ICredentialDataDecryptedObject) {
		this.store.add({
			id: this.credentialId,
			name: 'Cybereason account',
			type: 'cybereasonApi',
			data,
		});
	}

	private additionalData(
		hooks: ExecutionLifecycleHooks,
		executionId: string,
	): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentialsHelper,
			hooks,
			executionId,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://localhost:5678/rest',
			instanceBaseUrl: 'http://localhost:5678',
			formBaseUrl: 'http://localhost:5678/form',
			formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
			formTestBaseUrl: 'http://localhost:5678/form-test',
			webhookBaseUrl: 'http://localhost:5678/webhook',
			webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
			mcpBaseUrl: 'http://localhost:5678/mcp',
			mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
			variables: {},
			userId: 'user-1',
			executeWorkflow: async () => {
				throw new Error('not supported');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			logAiEvent: () => undefined,
			startRunnerTask: async () => {
				throw new Error('not supported');
			},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	buildWorkflow(spec: WorkflowSpec, staticData?: IDataObject): WorkflowType {
		const nodes: INode[] = spec.nodes.map((node, index) => ({
			id: node.id ?? `node-${index}`,
			typeVersion: node.typeVersion ?? defaultVersion(node.type),
			position: node.position ?? [index * 200, 0],
			credentials: nodeTypeUsesCredential(node.type)
				? { cybereasonApi: { id: this.credentialId, name: 'Cybereason account' } }
				: undefined,
			...node,
		})) as INode[];
		const connections: IConnections = {};
		for (const [from, to] of spec.connections ?? []) {
			connections[from] ??= { main: [[]] };
			connections[from].main![0]!.push({ node: to, type: NodeConnectionTypes.Main, index: 0 });
		}
		return new Workflow({
			id: 'wf-1',
			name: 'test workflow',
			nodes,
			connections,
			active: false,
			nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' },
		});
	}

	async run(spec: WorkflowSpec): Promise<RunResult> {
		const workflow = this.buildWorkflow(spec);
		const executionId = `exec-${++executionCounter}`;
		const mode = spec.mode ?? 'manual';
		const hooks = new ExecutionLifecycleHooks(mode, executionId, {
			id: workflow.id,
			name: workflow.name,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		const done = new Promise<IRun>((resolve) => {
			hooks.addHandler('workflowExecuteAfter', (fullRunData: IRun) => resolve(fullRunData));
		});
		const startName = spec.start ?? spec.nodes[0].name;
		const startNode = workflow.getNode(startName)!;
		const runExecutionData: IRunExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node: startNode,
						data: { main: [(spec.input ?? [{}]).map((json) => ({ json }))] },
						source: null,
					},
				],
			},
		});
		const execute = new WorkflowExecute(
			this.additionalData(hooks, executionId),
			mode,
			runExecutionData,
		);
		await execute.processRunExecutionData(workflow);
		const run = await done;
		if (this.checksSecrets()) {
			assertNoSecret(this.store, this.credentialId, 'the execution data', JSON.stringify(run.data));
		}
		return {
			run,
			error: run.data.resultData.error,
			output: (nodeName, outputIndex = 0) => {
				const runs = run.data.resultData.runData[nodeName];
				const last = runs?.[runs.length - 1];
				return last?.data?.main?.[outputIndex] ?? [];
			},
			hints: (nodeName) => {
				const runs = run.data.resultData.runData[nodeName];
				return (runs?.[runs.length - 1]?.hints ?? []) as NodeExecutionHint[];
			},
			// Computed on demand: benchmarks time runs without it (n8n persists executions after they end).
			get serialized() {
				return JSON.stringify(run.data);
			},
		};
	}

	/**
	 * One poll of a polling trigger as n8n's ActiveWorkflows does it: `mode` 'trigger' for an active workflow,
	 * 'manual' for "Fetch Test Event". The static data object is the workflow's, kept by the caller between polls;
	 * n8n persists it only for non-manual runs, after a poll that did not throw.
	 */
	async poll(
		node: Partial<INode> & Pick<INode, 'name' | 'type' | 'parameters'>,
		staticData: IDataObject,
		mode: 'trigger' | 'manual' = 'trigger',
	): Promise<INodeExecutionData[][] | null> {
		return await this.pollWorkflow(this.buildWorkflow({ nodes: [node] }, staticData), node, mode);
	}

	/**
	 * A polling trigger in an active workflow, as n8n keeps it: one Workflow object per activation whose static
	 * data is written to the database after a poll only when n8n's change tracking says it changed; a restart loads
	 * the workflow again from what was written. "Fetch Test Event" runs on the editor's own copy.
	 */
	activate(
		node: Partial<INode> & Pick<INode, 'name' | 'type' | 'parameters'>,
		/** What the database already holds for the workflow's static data. */
		initial: IDataObject = {},
	): ActivePoller {
		let saved: IDataObject = deepCopy(initial);
		let saves = 0;
		let workflow = this.buildWorkflow({ nodes: [node] }, deepCopy(saved));
		return {
			poll: async (mode = 'trigger') => {
				if (mode === 'manual') {
					return await this.pollWorkflow(
						this.buildWorkflow({ nodes: [node] }, deepCopy(saved)),
						node,
						'manual',
					);
				}
				const result = await this.pollWorkflow(workflow, node, 'trigger');
				const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
				if (staticData.__dataChanged === true) {
					saved = deepCopy(staticData);
					saves++;
					staticData.__dataChanged = false;
				}
				return result;
			},
			get saved() {
				return saved;
			},
			get saves() {
				return saves;
			},
			restart: () => {
				workflow = this.buildWorkflow({ nodes: [node] }, deepCopy(saved));
			},
		};
	}

	private async pollWorkflow(
		workflow: WorkflowType,
		node: Pick<INode, 'name' | 'type'> & { typeVersion?: number },
		mode: 'trigger' | 'manual',
	): Promise<INodeExecutionData[][] | null> {
		const hooks = new ExecutionLifecycleHooks(mode, `poll-${++executionCounter}`, {} as never);
		const context = new PollContext(
			workflow,
			workflow.getNode(node.name)!,
			this.additionalData(hooks, 'poll'),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		const type = nodeTypes.getByNameAndVersion(
			node.type,
			node.typeVersion ?? defaultVersion(node.type),
		) as INodeType;
		const check = (what: string, value: unknown) => {
			if (this.checksSecrets())
				assertNoSecret(this.store, this.credentialId, what, JSON.stringify(value ?? null));
		};
		const outcome = await type.poll!.call(context).then(
			(items) => ({ items }),
			(error: { message?: string; description?: string }) => ({ error }),
		);
		if ('error' in outcome) {
			const { message, description } = outcome.error;
			check('the trigger error', { message, description });
			return await Promise.reject(outcome.error);
		}
		check('the trigger items', outcome.items);
		return outcome.items;
	}
}

/** The version n8n gives a node added in the editor today: a spec without typeVersion gets it. */
function defaultVersion(type: string): number {
	const found = nodeTypeRegistry.get(type);
	if (!found) return 1;
	if ('nodeVersions' in found) return found.currentVersion;
	const { defaultVersion: chosen, version } = found.description;
	return chosen ?? (Array.isArray(version) ? Math.max(...version) : version);
}

function nodeTypeUsesCredential(type: string): boolean {
	const found = nodeTypeRegistry.get(type);
	if (!found) return false;
	const description = 'nodeVersions' in found ? undefined : found.description;
	return (description?.credentials ?? []).some((c) => c.name === 'cybereasonApi');
}
