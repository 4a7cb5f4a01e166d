/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// n8n in queue mode for the e2e run: one main (`n8n start`) and N workers (`n8n worker`), each with its own
// user folder and the packed package installed there, sharing one encryption key, one PostgreSQL database
// and one Redis (Bull) queue. Plus what the scenarios need from the running cluster: REST calls on the
// main (manual run, activation, executions), the executions table, and which worker ran what.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { N8nLine } from './lines';
import {
	N8nInstance,
	type N8nInstall,
	type N8nProcess,
	type N8nServer,
	type RunData,
	type WorkflowJson,
} from './n8n';
import { installPackageTarball } from './package';
import { delay, freePort } from './proc';
import type { PostgresService, RedisService } from './services';

export type Log = (message: string) => void;

export interface QueueSettings {
	redis: RedisService;
	postgres: PostgresService;
	database: string;
	/** Redis logical database, so that two lines never share a queue. */
	redisDb: number;
	tarball: string;
	workers: number;
	/** Per-worker job concurrency (`n8n worker --concurrency`; n8n warns below 5). */
	concurrency: number;
	/** Extra env for every process (e.g. the expression engine override). */
	env?: Record<string, string>;
	log: Log;
}

export interface QueueWorker {
	label: string;
	instance: N8nInstance;
	proc: N8nProcess;
	healthUrl: string;
}

/** The environment every process of the cluster shares (on top of the harness's and the line's). */
export function queueEnv(line: N8nLine, s: QueueSettings): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: s.redis.host,
		QUEUE_BULL_REDIS_PORT: String(s.redis.port),
		QUEUE_BULL_REDIS_DB: String(s.redisDb),
		QUEUE_BULL_PREFIX: `bull-e2e-${line.label.replace(/[^a-z0-9]/gi, '')}`,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: s.postgres.host,
		DB_POSTGRESDB_PORT: String(s.postgres.port),
		DB_POSTGRESDB_DATABASE: s.database,
		DB_POSTGRESDB_USER: s.postgres.user,
		DB_POSTGRESDB_SCHEMA: 'public',
		// Manual runs started on the main (the editor's "Execute workflow") go to the workers too.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		...(s.env ?? {}),
	};
}

async function fetchOk(url: string): Promise<boolean> {
	try {
		return (await fetch(url)).ok;
	} catch {
		return false;
	}
}

export class QueueCluster {
	readonly workers: QueueWorker[] = [];
	main?: N8nServer;
	/** n8n's own `flatted` (execution data is stored flattened). */
	private readonly flatted: { parse(text: string): unknown };

	private constructor(
		readonly install: N8nInstall,
		readonly settings: QueueSettings,
		readonly encryptionKey: string,
		readonly mainInstance: N8nInstance,
		private readonly workerInstances: N8nInstance[],
	) {
		const requireFromN8n = createRequire(join(install.dir, 'node_modules', 'n8n', 'package.json'));
		this.flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
	}

	/**
	 * Creates the user folders (main + workers) and installs the packed package into each one's
	 * .n8n/nodes, as n8n's manual installation does on every instance. Nothing is started yet.
	 */
	static async create(install: N8nInstall, s: QueueSettings): Promise<QueueCluster> {
		const encryptionKey = randomBytes(24).toString('base64url');
		const env = queueEnv(install.line, s);
		const instances: N8nInstance[] = [];
		let created = false;
		try {
			for (let i = 0; i <= s.workers; i++) {
				const instance = await N8nInstance.create(install, { encryptionKey, env, log: s.log });
				instances.push(instance);
			}
			await Promise.all(
				instances.map((instance) => installPackageTarball(instance.userFolder, s.tarball)),
			);
			created = true;
		} finally {
			if (!created) for (const instance of instances) await instance.dispose();
		}
		return new QueueCluster(install, s, encryptionKey, instances[0], instances.slice(1));
	}

	get userFolders(): string[] {
		return [this.mainInstance, ...this.workerInstances].map((i) => i.userFolder);
	}

	/** `n8n start` (the main: UI/REST, webhooks, triggers and pollers; enqueues executions). */
	async startMain(): Promise<N8nServer> {
		this.main = await this.mainInstance.startServer({ timeoutMs: 240_000 });
		return this.main;
	}

	/** `n8n worker --concurrency=N` for every worker, in parallel; ready when /healthz/readiness answers 200. */
	async startWorkers(): Promise<QueueWorker[]> {
		const started = await Promise.all(
			this.workerInstances.map(async (instance, index) => {
				const healthPort = await freePort();
				const healthUrl = `http://127.0.0.1:${healthPort}`;
				const proc = await instance.startProcess(
					['worker', `--concurrency=${this.settings.concurrency}`],
					{
						timeoutMs: 240_000,
						env: {
							QUEUE_HEALTH_CHECK_ACTIVE: 'true',
							QUEUE_HEALTH_CHECK_PORT: String(healthPort),
							N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
							// Not listened on by a worker (its server is the health port), but never the main's port.
							N8N_PORT: String(await freePort()),
						},
						// Readiness checks the database and Redis connections.
						ready: async () => await fetchOk(`${healthUrl}/healthz/readiness`),
					},
				);
				return { label: `worker-${index + 1}`, instance, proc, healthUrl };
			}),
		);
		this.workers.push(...started);
		return started;
	}

	async dispose(): Promise<void> {
		for (const worker of this.workers) await worker.proc.stop();
		if (this.main) await this.main.stop();
		for (const instance of [...this.workerInstances, this.mainInstance]) await instance.dispose();
	}

	private mainServer(): N8nServer {
		if (!this.main) throw new Error('the main is not running');
		return this.main;
	}

	get major(): number {
		return Number(this.install.version.split('.')[0]);
	}

	// ---- workflows ---------------------------------------------------------------------------------------

	async getWorkflow(id: string): Promise<WorkflowJson & { versionId?: string; active?: boolean }> {
		return await this.mainServer().rest('GET', `/workflows/${id}`);
	}

	/** POST /rest/workflows/:id/activate {versionId} (1.123 and 2.41): the main registers webhooks/pollers. */
	async activate(id: string): Promise<void> {
		const workflow = await this.getWorkflow(id);
		const result = await this.mainServer().rest<{
			active?: boolean;
			activeVersionId?: string | null;
		}>('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
		if (result.active === false && !result.activeVersionId)
			throw new Error(`workflow ${id} did not become active`);
	}

	async deactivate(id: string): Promise<void> {
		await this.mainServer().rest('POST', `/workflows/${id}/deactivate`);
	}

	/**
	 * The editor's "Execute workflow" from a trigger (POST /rest/workflows/:id/run). 1.x takes the workflow
	 * in the body, 2.x reads it from the database. Returns the execution id.
	 */
	async runManually(id: string, triggerName: string): Promise<string> {
		const body =
			this.major >= 2
				? { triggerToStartFrom: { name: triggerName } }
				: { workflowData: await this.getWorkflow(id), triggerToStartFrom: { name: triggerName } };
		const result = await this.mainServer().rest<{
			executionId?: string;
			waitingForWebhook?: boolean;
		}>('POST', `/workflows/${id}/run`, body);
		if (!result.executionId)
			throw new Error(`manual run of ${id} started no execution: ${JSON.stringify(result)}`);
		return String(result.executionId);
	}

	/** POST to a production webhook of the main; the Webhook node answers when the execution is queued. */
	async callWebhook(path: string, body: unknown): Promise<{ status: number; text: string }> {
		const res = await fetch(`${this.mainServer().url}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, text: await res.text() };
	}

	// ---- executions --------------------------------------------------------------------------------------

	/** Rows of execution_entity for a workflow, straight from PostgreSQL. */
	async executionsOf(workflowId: string): Promise<ExecutionRow[]> {
		const out = await this.settings.postgres.query(
			this.settings.database,
			`SELECT id, status, mode, finished FROM execution_entity WHERE "workflowId" = '${workflowId.replace(/'/g, '')}' ORDER BY id`,
		);
		return out
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const [id, status, mode, finished] = line.split('|');
				return { id, status, mode, finished: finished === 't' };
			});
	}

	/** Polls until `count` executions of the workflow have ended (success, error, crashed, canceled). */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs: number,
	): Promise<ExecutionRow[]> {
		const deadline = Date.now() + timeoutMs;
		let rows: ExecutionRow[] = [];
		while (Date.now() < deadline) {
			rows = await this.executionsOf(workflowId);
			if (rows.filter((r) => ENDED.has(r.status)).length >= count) return rows;
			await delay(500);
		}
		throw new Error(
			`${count} executions of ${workflowId} did not end within ${timeoutMs} ms: ${rows.map((r) => `${r.id}:${r.status}`).join(', ') || 'none'}\n` +
				this.workerLogTail(),
		);
	}

	/** GET /rest/executions/:id, its run data unflattened. */
	async execution(id: string): Promise<StoredExecution> {
		const raw = await this.mainServer().rest<{
			id: string;
			status: string;
			mode: string;
			finished: boolean;
			data: string | RunData['data'];
		}>('GET', `/executions/${id}`);
		const data =
			typeof raw.data === 'string' ? (this.flatted.parse(raw.data) as RunData['data']) : raw.data;
		return {
			id: String(raw.id),
			status: raw.status,
			mode: raw.mode,
			finished: raw.finished,
			run: { data } as RunData,
		};
	}

	async waitForExecution(id: string, timeoutMs: number): Promise<StoredExecution> {
		const deadline = Date.now() + timeoutMs;
		let last: StoredExecution | undefined;
		while (Date.now() < deadline) {
			last = await this.execution(id);
			if (ENDED.has(last.status)) return last;
			await delay(500);
		}
		throw new Error(
			`execution ${id} still ${last?.status ?? 'unknown'} after ${timeoutMs} ms\n${this.workerLogTail()}`,
		);
	}

	/** Which worker logged "Worker started execution <id>" (undefined: none; several: a bug). */
	workersThatRan(id: string): string[] {
		const re = new RegExp(`Worker started execution ${id} \\(job`);
		return this.workers.filter((w) => re.test(w.proc.logs())).map((w) => w.label);
	}

	/** Every execution id each worker logged as started. */
	executionsByWorker(): Record<string, string[]> {
		const out: Record<string, string[]> = {};
		for (const w of this.workers) {
			out[w.label] = [...w.proc.logs().matchAll(/Worker started execution (\d+) \(job/g)].map(
				(m) => m[1],
			);
		}
		return out;
	}

	/** Worker processes that have exited (a crash mid-run), with code/signal. */
	exitedProcesses(): string[] {
		const out: string[] = [];
		for (const w of this.workers)
			if (w.proc.exited)
				out.push(`${w.label} exited (${w.proc.exited.code ?? w.proc.exited.signal})`);
		if (this.main?.proc.exited)
			out.push(`main exited (${this.main.proc.exited.code ?? this.main.proc.exited.signal})`);
		return out;
	}

	workerLogTail(lines = 15): string {
		return this.workers
			.map(
				(w) =>
					`--- ${w.label} log tail:\n${w.proc.logs().trimEnd().split('\n').slice(-lines).join('\n')}`,
			)
			.join('\n');
	}
}

export const ENDED = new Set(['success', 'error', 'crashed', 'canceled']);

export interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
}

export interface StoredExecution {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	run: RunData;
}
