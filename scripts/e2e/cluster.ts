// n8n in queue mode: one main (`n8n start`) and N workers (`n8n worker`), each with its own user folder and the
// packed package installed there (as n8n's manual installation on every instance), sharing one encryption key,
// one PostgreSQL database and one Redis (Bull) queue. Used by queue.ts and by the queue benchmark (bench/queue.ts).
import { randomBytes } from 'node:crypto';

import { isN8n2, type N8nLine } from './lines';
import { N8nInstance, type N8nInstall, type N8nProcess, type N8nServer } from './n8n';
import { installPackageTarball, type PackedPackage } from './package';
import { fetchOk, freePort, waitFor } from './proc';
import type { Postgres, Redis } from './services';
import { REMEDIATE, remediateSettings, type Example, type ExampleNode } from './scenarios';

interface ClusterOptions {
	install: N8nInstall;
	packed: PackedPackage;
	redis: Redis;
	postgres: Postgres;
	/** Per line: a database and a Redis logical database of its own, so that two lines never share a queue. */
	index: number;
	workers: number;
	keep: boolean;
}

/** The environment every process of the cluster shares (on top of the harness's and the line's). */
function queueEnv(line: N8nLine, o: ClusterOptions, database: string): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(o.redis.port),
		QUEUE_BULL_REDIS_DB: String(o.index + 1),
		QUEUE_BULL_PREFIX: `bull-e2e-${line.label.replace(/[^a-z0-9]/gi, '')}`,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(o.postgres.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_SCHEMA: 'public',
		// Manual runs started on the main (the editor's "Execute workflow") go to the workers too.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
	};
}

export class QueueCluster {
	readonly workers: Array<{ label: string; proc: N8nProcess }> = [];
	private server?: N8nServer;

	private constructor(
		readonly line: N8nLine,
		readonly database: string,
		readonly mainInstance: N8nInstance,
		private readonly workerInstances: N8nInstance[],
	) {}

	/** The database, the user folders (main + workers) with the package installed; nothing is started yet. */
	static async create(o: ClusterOptions): Promise<QueueCluster> {
		const { line } = o.install;
		const database = `n8n_${line.label.replace(/[^a-z0-9]/gi, '_')}_${o.index}`.toLowerCase();
		await o.postgres.query('postgres', `CREATE DATABASE "${database}"`);
		const env = queueEnv(line, o, database);
		const encryptionKey = randomBytes(24).toString('base64url');
		const instances: N8nInstance[] = [];
		for (let i = 0; i <= o.workers; i++)
			instances.push(await N8nInstance.create(o.install, { env, encryptionKey, keep: o.keep }));
		// On a failure the temp folders go when the harness exits.
		await Promise.all(instances.map((i) => installPackageTarball(i.userFolder, o.packed)));
		return new QueueCluster(line, database, instances[0], instances.slice(1));
	}

	get userFolders(): string[] {
		return [this.mainInstance, ...this.workerInstances].map((i) => i.userFolder);
	}

	get main(): N8nServer {
		if (!this.server) throw new Error('the main is not running');
		return this.server;
	}

	/** `n8n start`: the editor, REST, webhooks, triggers and pollers; it enqueues executions. */
	async startMain(): Promise<N8nServer> {
		this.server = await this.mainInstance.startServer();
		await this.server.setupOwner();
		return this.server;
	}

	/** `n8n worker --concurrency=5` for every worker, in parallel; ready when /healthz/readiness (database, Redis) answers. */
	async startWorkers(): Promise<void> {
		const started = await Promise.all(
			this.workerInstances.map(async (instance, index) => {
				const healthPort = String(await freePort());
				const env = {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: healthPort,
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					// Not listened on by a worker (its server is the health port), but never the main's port.
					N8N_PORT: String(await freePort()),
				};
				// n8n warns below a concurrency of 5.
				const proc = await instance.startProcess(['worker', '--concurrency=5'], env, () =>
					fetchOk(`http://127.0.0.1:${healthPort}/healthz/readiness`),
				);
				return { label: `worker-${index + 1}`, proc };
			}),
		);
		this.workers.push(...started);
	}

	async dispose(): Promise<void> {
		for (const instance of [...this.workerInstances, this.mainInstance]) await instance.dispose();
	}

	/** POST /rest/workflows/:id/activate {versionId} (1.123 and 2.41): the main registers webhooks and pollers. */
	async activate(id: string): Promise<void> {
		const { versionId } = await this.main.rest<{ versionId?: string }>('GET', `/workflows/${id}`);
		const result = await this.main.rest<{ active?: boolean; activeVersionId?: string | null }>(
			'POST',
			`/workflows/${id}/activate`,
			{
				versionId,
			},
		);
		if (result.active === false && !result.activeVersionId)
			throw new Error(`workflow ${id} did not become active`);
	}

	async deactivate(id: string): Promise<void> {
		await this.main.rest('POST', `/workflows/${id}/deactivate`);
	}

	/** The editor's "Execute workflow" from a trigger: 1.x sends the workflow, 2.x only names the trigger. */
	async runManually(id: string, trigger: string): Promise<string> {
		const body = { triggerToStartFrom: { name: trigger } };
		const workflowData = isN8n2(this.line)
			? undefined
			: await this.main.rest('GET', `/workflows/${id}`);
		const result = await this.main.rest<{ executionId?: string }>('POST', `/workflows/${id}/run`, {
			...body,
			workflowData,
		});
		if (!result.executionId)
			throw new Error(`manual run of ${id} started no execution: ${JSON.stringify(result)}`);
		return String(result.executionId);
	}

	/** POSTs to production webhooks of the main at once; the Webhook node answers when the execution is queued. */
	async callWebhook(path: string, bodies: unknown[]): Promise<void> {
		const answers = await Promise.all(
			bodies.map((body) =>
				fetch(`${this.main.url}/webhook/${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				}),
			),
		);
		const bad = answers.filter((a) => a.status !== 200);
		if (bad.length) throw new Error(`webhook answered ${bad.map((b) => b.status).join(', ')}`);
	}

	/** Waits until `count` executions of the workflow, not among `known`, have ended; adds them to `known`. */
	async newExecutions(workflowId: string, known: Set<string>, count: number) {
		const fresh = await waitFor(
			`${count} executions of ${workflowId}`,
			300_000,
			async () => {
				// The list also holds queued executions ("new", no data yet) the main does not run itself.
				const all = await this.main.executions(workflowId);
				const list = all.filter((e) => !known.has(e.id) && e.stoppedAt);
				return list.length >= count ? list : undefined;
			},
			500,
		);
		for (const e of fresh) known.add(e.id);
		return fresh;
	}

	/** The workers that logged "Worker started execution <id> (job N)" (1.123 and 2.41); exactly one is right. */
	workersThatRan(id: string): string[] {
		const re = new RegExp(`Worker started execution ${id} \\(job`);
		return this.workers.filter((w) => re.test(w.proc.logs())).map((w) => w.label);
	}

	/** Processes that ended by themselves (a crash mid-run). */
	exited(): string[] {
		const all = [{ label: 'main', proc: this.main.proc }, ...this.workers];
		return all.filter((p) => p.proc.exited).map((p) => `${p.label} ${p.proc.exited}`);
	}
}

/**
 * POST /webhook/<path> {run, targets: [{malopId, machineGuid, machineName}]} -> one item per target -> Cybereason
 * Remediate (Isolate Machine, wait for completion). The Webhook answers at once; the main queues the execution and
 * a worker runs it. Remediate keeps its defaults for Malop ID / Machine GUID (`{{ $json.malopId }}` ...) and the
 * replay guard (600 s). `retry`: n8n's Retry On Fail on Remediate (3 tries, 2 s apart).
 */
export function remediateWebhook(credential: { id: string; name: string }, retry = false) {
	const path = `cybereason-queue-e2e-remediate${retry ? '-retry' : ''}`;
	const tag = retry ? 'fe' : 'ff';
	const node = (n: number, rest: ExampleNode): ExampleNode => ({
		id: `9e9e0001-0000-4000-8000-00000000${tag}0${n}`,
		position: [n * 220, 0],
		...rest,
	});
	const remediate = node(3, {
		name: 'Cybereason Remediate',
		type: REMEDIATE,
		typeVersion: 1,
		credentials: { cybereasonApi: credential },
		parameters: {
			actionType: 'ISOLATE_MACHINE',
			options: { waitForCompletion: true, pollInterval: 0.2, timeout: 60 },
		},
		...(retry ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 2000 } : {}),
	});
	const workflow: Example['workflow'] = {
		id: `CybrQueueRemed${retry ? 'Rt' : 'Wh'}`,
		name: `e2e queue: webhook -> isolate the given machines${retry ? ' (Retry On Fail)' : ''}`,
		nodes: [
			node(1, {
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: `9e9e0001-0000-4000-8000-0000000000${tag}`,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			}),
			node(2, {
				name: 'One item per target',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				parameters: { fieldToSplitOut: 'body.targets', include: 'noOtherFields', options: {} },
			}),
			remediate,
		],
		connections: {
			Webhook: { main: [[{ node: 'One item per target', type: 'main', index: 0 }]] },
			'One item per target': { main: [[{ node: 'Cybereason Remediate', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	return { workflow, path, remediate: remediateSettings(remediate) };
}
