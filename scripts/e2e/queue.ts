/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// `npm run test:e2e:queue`: the package in n8n's queue mode. Redis and PostgreSQL from Debian's packages
// (installed when missing) run as our own children on loopback; per n8n line, a main and two workers
// (each with its own user folder and the packed package installed there, one encryption key, one database,
// one queue) run the shipped examples and measuring copies against the simulator, behind a proxy that
// tells which n8n process sent each request. Proves: a run started on the main runs on a worker, with the
// expected items; 20 executions over both workers send exactly one remediation per Malop; a session that
// expires mid-way is renewed and the new cookie serves both workers; the trigger on the main fires each new
// (Malop, machine) pair once. Prints a report; exit code 0 when everything passed.
//
// Environment: N8N_E2E_LINES (as test:e2e), N8N_E2E_CACHE, N8N_E2E_KEEP=1 (keep user folders and the
// services' data), N8N_E2E_EXPRESSION_ENGINE, N8N_E2E_QUEUE_RUNS (executions in the burst, default 20),
// N8N_E2E_QUEUE_SCENARIOS (comma-separated subset of worker,burst,renewal,guard,single,trigger; default all).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
	DEMO_USER,
	startSimulator,
	type SimMachine,
	type SimMalop,
	type Simulator,
} from '../../simulator';
import { AttributingProxy, type ProxyRecord } from './attribution';
import { selectLines, type N8nLine } from './lines';
import {
	cacheRoot,
	ensureN8n,
	nodeItems,
	type CredentialImport,
	type N8nInstall,
	type WorkflowJson,
} from './n8n';
import { packPackage, repoRoot, type PackedPackage } from './package';
import { Cleanup, delay, formatMs, keepTempDir, makeTempDir, removeDir } from './proc';
import { QueueCluster, type StoredExecution } from './queue-cluster';
import {
	CREDENTIAL_ID,
	EXAMPLE_DRY_RUN,
	EXAMPLE_SCHEDULED,
	EXAMPLE_TRIGGER,
	FAST_POLL_SECONDS,
	FAST_TRIGGER_ID,
	fastTriggerCopy,
	readExample,
	REMEDIATE_WEBHOOK_ID,
	REMEDIATE_WEBHOOK_PATH,
	remediateWebhookWorkflow,
	RETRY_WEBHOOK_ID,
	RETRY_WEBHOOK_PATH,
} from './queue-workflows';
import {
	ensureServicePackages,
	startPostgres,
	startRedis,
	type PostgresService,
	type RedisService,
} from './services';

type Status = 'pass' | 'fail' | 'skip' | 'note';

interface StepResult {
	name: string;
	status: Status;
	ms: number;
	detail?: string;
}

class Report {
	readonly steps: StepResult[] = [];

	constructor(readonly label: string) {}

	/** Runs a step; a thrown error marks it failed (and is reported), the run goes on. */
	async step<T>(
		name: string,
		fn: () => Promise<T | { value: T; detail: string }>,
	): Promise<T | undefined> {
		const started = Date.now();
		log(`[${this.label}] ${name} ...`);
		try {
			const out = await fn();
			const withDetail = out && typeof out === 'object' && 'detail' in out && 'value' in out;
			const detail = withDetail ? (out as { detail: string }).detail : undefined;
			this.steps.push({ name, status: 'pass', ms: Date.now() - started, detail });
			log(
				`[${this.label}] ${name}: ok (${formatMs(Date.now() - started)})${detail ? `\n    ${detail.split('\n').join('\n    ')}` : ''}`,
			);
			return withDetail ? (out as { value: T }).value : (out as T);
		} catch (error) {
			const detail = (error as Error).message;
			this.steps.push({ name, status: 'fail', ms: Date.now() - started, detail });
			log(`[${this.label}] ${name}: FAILED\n${detail}`);
			return undefined;
		}
	}

	skip(name: string, why: string): void {
		this.steps.push({ name, status: 'skip', ms: 0, detail: why });
	}

	note(text: string): void {
		log(`[${this.label}] note: ${text}`);
		this.steps.push({ name: text, status: 'note', ms: 0 });
	}

	get failed(): boolean {
		return this.steps.some((s) => s.status === 'fail');
	}
}

function log(message: string): void {
	console.log(`${new Date().toISOString().slice(11, 19)} ${message}`);
}

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

function countBy<T>(values: Iterable<T>, key: (v: T) => string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const v of values) out[key(v)] = (out[key(v)] ?? 0) + 1;
	return out;
}

function fmt(counts: Record<string, number>): string {
	const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
	return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${v}`).join(', ');
}

const BURST_RUNS = Math.max(2, Number(process.env.N8N_E2E_QUEUE_RUNS ?? 20) || 20);
const MALOPS_PER_RUN = 2;
const MACHINES_PER_MALOP = 2;
const WORKERS = 2;
const CONCURRENCY = 5;
const REMEDIATE_PATH = '/rest/remediate';
const SCENARIOS = ['worker', 'burst', 'renewal', 'guard', 'single', 'trigger'];
const selectedScenarios = (process.env.N8N_E2E_QUEUE_SCENARIOS ?? '')
	.split(',')
	.map((x) => x.trim())
	.filter(Boolean);
for (const name of selectedScenarios) {
	if (!SCENARIOS.includes(name))
		throw new Error(
			`N8N_E2E_QUEUE_SCENARIOS: unknown scenario "${name}" (${SCENARIOS.join(', ')})`,
		);
}

/** N8N_E2E_QUEUE_SCENARIOS=trigger,burst runs only those (default: all). */
function wanted(name: string): boolean {
	return selectedScenarios.length === 0 || selectedScenarios.includes(name);
}

// ---------------------------------------------------------------------------------------------------------
// The simulator as the scenarios see it

interface SimStateAnswer {
	logins: number;
	failedLogins: number;
	sessions: Record<string, number>;
	requestsByRoute: Record<string, number>;
}

async function simState(sim: Simulator): Promise<SimStateAnswer> {
	const res = await fetch(`${sim.url}/__sim/state`);
	return (await res.json()) as SimStateAnswer;
}

async function expireSessions(sim: Simulator): Promise<number> {
	const res = await fetch(`${sim.url}/__sim/expire-sessions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	return ((await res.json()) as { expired: number }).expired;
}

/** POST /__sim/malops (the control endpoint an out-of-process test would use). */
async function controlMalops<T>(sim: Simulator, body: Record<string, unknown>): Promise<T> {
	const res = await fetch(`${sim.url}/__sim/malops`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	check(res.ok, `POST /__sim/malops ${String(body.action)} -> ${res.status}: ${text}`);
	return JSON.parse(text) as T;
}

async function addMalopsViaControl(
	sim: Simulator,
	count: number,
	malop: Record<string, unknown>,
): Promise<SimMalop[]> {
	return (await controlMalops<{ malops: SimMalop[] }>(sim, { action: 'add', count, malop })).malops;
}

async function addMachineViaControl(
	sim: Simulator,
	guid: string,
	machine: Partial<SimMachine>,
): Promise<SimMachine> {
	return (
		await controlMalops<{ machine: SimMachine }>(sim, { action: 'addMachine', guid, machine })
	).machine;
}

async function updateMalopViaControl(
	sim: Simulator,
	guid: string,
	patch: Record<string, unknown>,
): Promise<void> {
	await controlMalops(sim, { action: 'update', guid, patch });
}

interface Target {
	malopId: string;
	machineGuid: string;
	machineName: string;
}

/** New Malops in the simulator (connected machines), as Remediate input items: one per (Malop, machine). */
function newTargets(
	sim: Simulator,
	malops: number,
	machinesPerMalop = MACHINES_PER_MALOP,
): Target[] {
	const targets: Target[] = [];
	for (let i = 0; i < malops; i++) {
		const malop = sim.state.addMalop({
			managementStatus: 'OPEN',
			status: 'Active',
			severity: 'Medium',
			machines: Array.from({ length: machinesPerMalop }, () => ({ connected: true })),
		});
		for (const m of malop.machines)
			targets.push({ malopId: malop.guid, machineGuid: m.guid, machineName: m.name });
	}
	return targets;
}

/** Remediations the simulator holds for a Malop (what the console actually received and processed). */
function remediationsOf(sim: Simulator, malopId: string) {
	return [...sim.state.remediations.values()].filter((r) => r.malopId === malopId);
}

function isLogin(r: ProxyRecord): boolean {
	return (
		r.method === 'POST' && r.path === '/login.html' && r.status === 302 && r.setCookie !== undefined
	);
}

function remediateMalop(r: ProxyRecord): string | undefined {
	if (r.method !== 'POST' || r.path !== REMEDIATE_PATH) return undefined;
	const body = r.body as { malopId?: unknown } | undefined;
	return typeof body?.malopId === 'string' ? body.malopId : undefined;
}

function short(cookie: string | undefined): string {
	return cookie ? `${cookie.slice(0, 6)}…` : '(none)';
}

// ---------------------------------------------------------------------------------------------------------
// One n8n line

interface Shared {
	packed: PackedPackage;
	redis: RedisService;
	postgres: PostgresService;
	cleanup: Cleanup;
	keep: boolean;
}

interface LineRun {
	line: N8nLine;
	report: Report;
	cluster: QueueCluster;
	sim: Simulator;
	proxy: AttributingProxy;
}

async function runLine(line: N8nLine, index: number, shared: Shared): Promise<Report> {
	const report = new Report(`${line.label} n8n@${line.n8nVersion}`);
	const lineCleanup = new Cleanup();
	try {
		await runLineInner(line, index, shared, report, lineCleanup);
	} catch (error) {
		report.steps.push({
			name: 'unexpected error',
			status: 'fail',
			ms: 0,
			detail: (error as Error).stack ?? String(error),
		});
	} finally {
		await report.step(
			'stop main, workers, proxy and simulator (process groups); remove user folders',
			async () => {
				const errors = await lineCleanup.close();
				check(errors.length === 0, errors.join('\n'));
			},
		);
	}
	return report;
}

async function runLineInner(
	line: N8nLine,
	index: number,
	shared: Shared,
	report: Report,
	cleanup: Cleanup,
): Promise<void> {
	const install = await report.step('install n8n (or reuse the cache)', async () => {
		const i: N8nInstall = await ensureN8n(line, (m) => log(`[${line.label}] ${m}`));
		return {
			value: i,
			detail: `${i.cached ? 'cached' : 'installed'} ${i.dir}, Node ${i.runtime.version}; this call ${formatMs(i.elapsedMs)}`,
		};
	});
	if (!install) return;

	const sim = await startSimulator({ remediationStepMs: 200 });
	cleanup.defer('stop the simulator', () => sim.close());
	const proxy = new AttributingProxy(Number(new URL(sim.url).port));
	await proxy.start();
	cleanup.defer('stop the proxy', () => proxy.close());
	log(`[${line.label}] simulator ${sim.url}, attributing proxy ${proxy.url}`);

	const database = `n8n_${line.label.replace(/[^a-z0-9]/gi, '_')}_${index}`.toLowerCase();
	const engine = process.env.N8N_E2E_EXPRESSION_ENGINE;
	const cluster = await report.step(
		`user folders for main + ${WORKERS} workers, packed package installed into each .n8n/nodes; database ${database}`,
		async () => {
			await shared.postgres.createDatabase(database);
			const c = await QueueCluster.create(install, {
				redis: shared.redis,
				postgres: shared.postgres,
				database,
				redisDb: index + 1,
				tarball: shared.packed.tarball,
				workers: WORKERS,
				concurrency: CONCURRENCY,
				env: engine ? { N8N_EXPRESSION_ENGINE: engine } : {},
				log: (m) => log(`[${line.label}] ${m}`),
			});
			if (shared.keep) for (const folder of c.userFolders) keepTempDir(folder);
			cleanup.defer('stop n8n and remove its user folders', () => c.dispose());
			return { value: c, detail: c.userFolders.join(', ') };
		},
	);
	if (!cluster) return;
	const ctx: LineRun = { line, report, cluster, sim, proxy };

	const imported = await report.step(
		'import the credential and the workflows through the main (CLI, into PostgreSQL)',
		async () => {
			const credential: CredentialImport = {
				id: CREDENTIAL_ID,
				name: 'Cybereason account',
				type: 'cybereasonApi',
				data: {
					baseUrl: proxy.url,
					username: DEMO_USER.username,
					password: DEMO_USER.password,
					totpSecret: '',
					ignoreSslIssues: false,
				},
			};
			await cluster.mainInstance.importCredentials([credential]);
			const repo = repoRoot();
			const workflows: WorkflowJson[] = [
				readExample(repo, EXAMPLE_SCHEDULED),
				readExample(repo, EXAMPLE_TRIGGER),
				readExample(repo, EXAMPLE_DRY_RUN),
				remediateWebhookWorkflow(),
				remediateWebhookWorkflow({ retry: true }),
				fastTriggerCopy(readExample(repo, EXAMPLE_TRIGGER)),
			];
			const dir = join(cluster.mainInstance.userFolder, 'e2e-input', 'workflows');
			await mkdir(dir, { recursive: true });
			for (const wf of workflows)
				await writeFile(join(dir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
			await cluster.mainInstance.cliChecked(['import:workflow', '--separate', `--input=${dir}`]);
			const rows = await shared.postgres.query(
				database,
				'SELECT id FROM workflow_entity ORDER BY id',
			);
			const ids = rows.split('\n').filter(Boolean);
			for (const wf of workflows)
				check(
					ids.includes(String(wf.id)),
					`workflow ${wf.id} not in workflow_entity: ${ids.join(', ')}`,
				);
			return {
				value: true,
				detail: `credential ${CREDENTIAL_ID} (Server URL = the proxy); workflows ${ids.join(', ')}`,
			};
		},
	);
	if (!imported) return;

	const main = await report.step(
		'start the main (n8n start, EXECUTIONS_MODE=queue, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true)',
		async () => {
			const m = await cluster.startMain();
			proxy.label(m.pid, 'main');
			await m.setupOwner();
			return { value: m, detail: `${m.url} (pid ${m.pid}); owner set up` };
		},
	);
	if (!main) return;
	const workers = await report.step(
		`start ${WORKERS} workers (n8n worker --concurrency=${CONCURRENCY}); ready when /healthz/readiness answers`,
		async () => {
			const ws = await cluster.startWorkers();
			for (const w of ws) proxy.label(w.proc.pid, w.label);
			return {
				value: ws,
				detail: ws.map((w) => `${w.label} pid ${w.proc.pid}, health ${w.healthUrl}`).join('; '),
			};
		},
	);
	if (!workers) return;
	await report.step(
		'n8n loaded the package on every instance (no "Unrecognized node type" in any log)',
		async () => {
			for (const [label, logs] of [
				['main', main.logs()],
				...workers.map((w) => [w.label, w.proc.logs()]),
			]) {
				check(
					!/Unrecognized node type|Could not load.*cybereason/i.test(logs),
					`${label}: ${logs
						.split('\n')
						.filter((l) => /cybereason|Unrecognized/i.test(l))
						.slice(-5)
						.join('\n')}`,
				);
			}
			const types = await main.nodeTypes();
			const ours = types
				.filter((t) => t.name.startsWith('n8n-nodes-cybereason.'))
				.map((t) => t.name);
			check(ours.length >= 3, `main lists ${ours.join(', ') || 'none of our nodes'}`);
			return { value: true, detail: `main lists ${ours.join(', ')}` };
		},
	);

	const burst = await report.step(
		'activate the webhook copy (POST /rest/workflows/:id/activate on the main)',
		async () => {
			await cluster.activate(REMEDIATE_WEBHOOK_ID);
			return { value: true, detail: `${main.url}/webhook/${REMEDIATE_WEBHOOK_PATH}` };
		},
	);

	if (wanted('worker')) await scenarioRunOnWorker(ctx);
	const burstResult = burst && wanted('burst') ? await scenarioBurst(ctx) : undefined;
	if (burst && wanted('renewal')) await scenarioSharedRenewal(ctx);
	if (burst && wanted('guard')) await scenarioReplayGuard(ctx, burstResult);
	if (burst && wanted('single')) await scenarioSingleSession(ctx);
	if (wanted('trigger')) await scenarioTrigger(ctx);

	await report.step(
		'no n8n process died during the run (2.x vm engine exit crash watch)',
		async () => {
			const exited = cluster.exitedProcesses();
			check(exited.length === 0, `${exited.join(', ')}\n${cluster.workerLogTail(30)}`);
			const segv = [main.logs(), ...workers.map((w) => w.proc.logs())].filter((l) =>
				/SIGSEGV|Segmentation fault/i.test(l),
			).length;
			return {
				value: true,
				detail: `main and ${workers.length} workers still running${segv ? `; ${segv} logs mention SIGSEGV` : ''}`,
			};
		},
	);
}

// ---------------------------------------------------------------------------------------------------------
// 1. Example 1 "Run now" on the main -> a worker

async function scenarioRunOnWorker({ report, cluster, sim, proxy }: LineRun): Promise<void> {
	await report.step(
		'example 1 "Run now" started on the main runs on a worker, with the expected Malop × machine items',
		async () => {
			// Fresh Malops updated now (one of them on dc01, a Protected Machine in the example), every sensor online.
			const dc01 = [...sim.state.machines.values()].find((m) => m.name === 'dc01');
			sim.state.addMalop({
				managementStatus: 'UNREAD',
				status: 'Active',
				machines: [{ ...(dc01 ? { guid: dc01.guid } : {}) }, { connected: true }],
			});
			sim.state.addMalop({
				managementStatus: 'OPEN',
				status: 'Active',
				machines: [{ connected: true }, { connected: true }],
			});
			for (const m of sim.state.machines.values())
				if (!m.connected) sim.state.setMachineConnected(m.guid, true);
			const since = Date.now() - 24 * 3_600_000;
			const expected = new Set<string>();
			for (const m of sim.state.malops.values()) {
				if (
					m.kind === 'EPP' ||
					!['UNREAD', 'TODO', 'OPEN', 'REOPEN'].includes(m.managementStatus) ||
					m.lastUpdateTime <= since
				)
					continue;
				for (const machine of m.machines) expected.add(`${m.guid}|${machine.guid}`);
			}
			const loginsBefore = (await simState(sim)).logins;
			const from = proxy.records.length;
			const id = await cluster.runManually('CybrSchedIsolate', 'Run now');
			const exec = await cluster.waitForExecution(id, 240_000);
			check(
				exec.status === 'success',
				`execution ${id} ended ${exec.status}: ${JSON.stringify(exec.run.data.resultData.error ?? {}).slice(0, 500)}`,
			);
			const ran = cluster.workersThatRan(id);
			check(
				ran.length === 1,
				`execution ${id}: "Worker started execution ${id}" in ${ran.length} worker logs (${ran.join(', ')})`,
			);
			const got = nodeItems(exec.run, 'Cybereason Get Malops') ?? [];
			const pairs = new Set(got.map((i) => `${String(i.malopId)}|${String(i.machineGuid)}`));
			check(
				got.length === expected.size && [...expected].every((p) => pairs.has(p)),
				`Get Malops gave ${got.length} items (${pairs.size} distinct pairs), the simulator holds ${expected.size} matching (Malop, machine) pairs`,
			);
			const remediated = nodeItems(exec.run, 'Cybereason Remediate') ?? [];
			check(
				remediated.length === got.length,
				`Remediate gave ${remediated.length} items for ${got.length} inputs`,
			);
			const wrong = remediated.filter((i) => {
				const status = (i.results as { status?: string } | undefined)?.status;
				return status !== (i.machineName === 'dc01' ? 'SKIPPED_PROTECTED' : 'SUCCESS');
			});
			check(wrong.length === 0, `unexpected results.status: ${JSON.stringify(wrong.slice(0, 3))}`);
			const window = proxy.records.slice(from);
			const origins = countBy(window, (r) => r.origin);
			check(
				Object.keys(origins).length === 1 && origins[ran[0]] > 0,
				`requests to the console came from ${fmt(origins)}, expected only ${ran[0]}`,
			);
			const logins = (await simState(sim)).logins - loginsBefore;
			check(
				logins === 1,
				`${logins} logins for the first run (empty cookie in the credential): expected exactly 1`,
			);
			return {
				value: true,
				detail:
					`execution ${id} (mode ${exec.mode}) logged by ${ran[0]} only ("Worker started execution ${id}"); ` +
					`${got.length} Malop × machine items = the simulator's ${expected.size} open pairs updated in the last day; ` +
					`results.status ${fmt(countBy(remediated, (i) => String((i.results as { status?: string }).status)))}; ` +
					`console requests by process: ${fmt(origins)}; logins: ${logins}`,
			};
		},
	);
}

// ---------------------------------------------------------------------------------------------------------
// 2. The burst: BURST_RUNS executions over both workers, a session expiry mid-way

interface BurstResult {
	runs: Array<{ run: string; targets: Target[]; executionId: string; worker: string }>;
}

interface Hook {
	id: string;
	path: string;
}
const PLAIN: Hook = { id: REMEDIATE_WEBHOOK_ID, path: REMEDIATE_WEBHOOK_PATH };
const WITH_RETRY: Hook = { id: RETRY_WEBHOOK_ID, path: RETRY_WEBHOOK_PATH };

async function fireRuns(
	cluster: QueueCluster,
	runs: Array<{ run: string; targets: Target[] }>,
	hook: Hook = PLAIN,
): Promise<void> {
	const answers = await Promise.all(runs.map(async (r) => await cluster.callWebhook(hook.path, r)));
	const bad = answers.filter((a) => a.status !== 200);
	check(
		bad.length === 0,
		`webhook answered ${bad.map((b) => `${b.status} ${b.text.slice(0, 200)}`).join('; ')}`,
	);
}

/** The new executions of the webhook copy, with their run tag and the worker that ran them. */
async function collectRuns(
	cluster: QueueCluster,
	known: Set<string>,
	count: number,
	hook: Hook = PLAIN,
): Promise<Array<{ exec: StoredExecution; run: string; worker: string[] }>> {
	const rows = await cluster.waitForExecutions(hook.id, known.size + count, 300_000);
	const fresh = rows.filter((r) => !known.has(r.id));
	check(
		fresh.length === count,
		`${fresh.length} new executions of the webhook copy, expected ${count}`,
	);
	const out = [];
	for (const row of fresh) {
		known.add(row.id);
		const exec = await cluster.execution(row.id);
		const body = (nodeItems(exec.run, 'Webhook')?.[0]?.body ?? {}) as { run?: string };
		out.push({ exec, run: String(body.run), worker: cluster.workersThatRan(row.id) });
	}
	return out;
}

function remediateItems(exec: StoredExecution) {
	return (nodeItems(exec.run, 'Cybereason Remediate') ?? []) as Array<{
		malopId?: string;
		machineGuid?: string;
		remediationId?: string | null;
		note?: string;
		results?: { status?: string };
	}>;
}

/** Execution ids of a webhook copy already looked at (collectRuns takes only the new ones). */
const knownWebhookExecutions = new WeakMap<QueueCluster, Map<string, Set<string>>>();
async function knownOf(cluster: QueueCluster, hook: Hook = PLAIN): Promise<Set<string>> {
	let byHook = knownWebhookExecutions.get(cluster);
	if (!byHook) {
		byHook = new Map();
		knownWebhookExecutions.set(cluster, byHook);
	}
	let set = byHook.get(hook.id);
	if (!set) {
		set = new Set();
		byHook.set(hook.id, set);
	}
	for (const row of await cluster.executionsOf(hook.id)) set.add(row.id);
	return set;
}

async function scenarioBurst({
	report,
	cluster,
	sim,
	proxy,
}: LineRun): Promise<BurstResult | undefined> {
	return await report.step(
		`${BURST_RUNS} webhook executions (${MALOPS_PER_RUN} new Malops × ${MACHINES_PER_MALOP} machines each) over both workers, all sessions expired mid-way`,
		async () => {
			const known = await knownOf(cluster);
			const runs = Array.from({ length: BURST_RUNS }, (_, i) => ({
				run: `burst-${i}`,
				targets: newTargets(sim, MALOPS_PER_RUN),
			}));
			const malops = new Set(runs.flatMap((r) => r.targets.map((t) => t.malopId)));
			const loginsBefore = (await simState(sim)).logins;
			const from = proxy.records.length;

			// Expire every session once a few remediations are through, while the rest is queued or running.
			const expiry = (async () => {
				const threshold = Math.max(2, Math.floor(malops.size / 5));
				const deadline = Date.now() + 120_000;
				while (Date.now() < deadline) {
					const sent = sim.requests
						.filter((r) => r.method === 'POST' && r.path === REMEDIATE_PATH && r.status === 200)
						.filter((r) => malops.has(String((r.body as { malopId?: string }).malopId))).length;
					if (sent >= threshold) {
						const at = proxy.records.length;
						return { at, sent, expired: await expireSessions(sim) };
					}
					await delay(20);
				}
				return undefined;
			})();
			const t0 = Date.now();
			await fireRuns(cluster, runs);
			const collected = await collectRuns(cluster, known, runs.length);
			const wallMs = Date.now() - t0;
			const exp = await expiry;
			check(exp, 'the session expiry never happened (no remediation seen)');

			// Every execution succeeded, ran on exactly one worker, both workers took some.
			const failed = collected.filter((c) => c.exec.status !== 'success');
			check(
				failed.length === 0,
				`executions not successful: ${failed.map((f) => `${f.exec.id} ${f.exec.status} ${JSON.stringify(f.exec.run.data.resultData.error ?? {}).slice(0, 300)}`).join('; ')}`,
			);
			const unattributed = collected.filter((c) => c.worker.length !== 1);
			check(
				unattributed.length === 0,
				`executions not logged by exactly one worker: ${unattributed.map((u) => `${u.exec.id}: ${u.worker.join('+') || 'none'}`).join(', ')}`,
			);
			const distribution = countBy(collected, (c) => c.worker[0]);
			check(
				Object.keys(distribution).length === WORKERS,
				`all executions on one worker: ${fmt(distribution)}`,
			);
			check(
				collected.every((c) => c.exec.mode === 'webhook'),
				`modes: ${fmt(countBy(collected, (c) => c.exec.mode))}`,
			);

			// Exactly one processed remediation per Malop (the console's own record), and one accepted POST.
			const byRun = new Map(runs.map((r) => [r.run, r]));
			const result: BurstResult = { runs: [] };
			const problems: string[] = [];
			const window = proxy.records.slice(from);
			for (const c of collected) {
				const run = byRun.get(c.run);
				if (!run) {
					problems.push(`execution ${c.exec.id} has an unknown run tag ${c.run}`);
					continue;
				}
				result.runs.push({
					run: c.run,
					targets: run.targets,
					executionId: c.exec.id,
					worker: c.worker[0],
				});
				const items = remediateItems(c.exec);
				if (items.length !== run.targets.length)
					problems.push(
						`${c.run}: ${items.length} Remediate items for ${run.targets.length} targets`,
					);
				for (const malopId of new Set(run.targets.map((t) => t.malopId))) {
					const rems = remediationsOf(sim, malopId);
					const accepted = sim.requests.filter(
						(r) =>
							r.method === 'POST' &&
							r.path === REMEDIATE_PATH &&
							r.status === 200 &&
							(r.body as { malopId?: string }).malopId === malopId,
					);
					if (rems.length !== 1 || accepted.length !== 1) {
						problems.push(
							`Malop ${malopId} (${c.run}): ${rems.length} remediations in the console, ${accepted.length} accepted POSTs`,
						);
						continue;
					}
					const mine = items.filter((i) => i.malopId === malopId);
					if (
						!mine.every(
							(i) => i.results?.status === 'SUCCESS' && i.remediationId === rems[0].remediationId,
						)
					) {
						problems.push(
							`${c.run} Malop ${malopId}: items ${JSON.stringify(mine.map((i) => [i.results?.status, i.remediationId]))}, console remediation ${rems[0].remediationId}`,
						);
					}
					const senders = window
						.filter((r) => remediateMalop(r) === malopId && r.status === 200)
						.map((r) => r.origin);
					if (senders.length !== 1 || senders[0] !== c.worker[0])
						problems.push(
							`Malop ${malopId}: accepted POST from ${senders.join(', ') || 'nobody'}, its execution ran on ${c.worker[0]}`,
						);
				}
			}
			check(problems.length === 0, problems.slice(0, 10).join('\n'));
			const refused = window.filter(
				(r) => r.method === 'POST' && r.path === REMEDIATE_PATH && r.status !== 200,
			).length;

			// The expiry: who logged in again, and what every worker sent afterwards.
			const after = proxy.records.slice(exp.at);
			const relogins = after.filter(isLogin);
			const fresh = new Set(relogins.map((r) => r.setCookie));
			const expiredAnswers = after.filter((r) => r.path.startsWith('/rest/') && r.status === 302);
			const lastLogin =
				relogins.length > 0 ? relogins[relogins.length - 1].seq : Number.POSITIVE_INFINITY;
			const staleAfterRenewal = after.filter(
				(r) => r.seq > lastLogin && r.path.startsWith('/rest/') && !fresh.has(r.cookie),
			);
			const loginsTotal = (await simState(sim)).logins - loginsBefore;
			check(relogins.length >= 1, 'nobody logged in again after the sessions expired');
			const proxyLogins = window.filter(isLogin).length;
			check(
				proxyLogins === loginsTotal,
				`the proxy saw ${proxyLogins} logins in the burst, the simulator counted ${loginsTotal}`,
			);
			check(
				staleAfterRenewal.length === 0,
				`${staleAfterRenewal.length} requests after the last re-login still carried a pre-expiry cookie`,
			);
			const usedAfter: Record<string, Set<string>> = {};
			for (const r of after)
				if (r.path.startsWith('/rest/') && r.cookie && fresh.has(r.cookie))
					(usedAfter[r.origin] ??= new Set()).add(r.cookie);
			const avgMs = Math.round(
				collected.reduce((sum, c) => sum + executionMs(c.exec), 0) / collected.length,
			);
			return {
				value: result,
				detail:
					`${collected.length} executions, all success, mode webhook; by worker (from "Worker started execution N" log lines): ${fmt(distribution)}; ` +
					`wall ${formatMs(wallMs)}, ${formatMs(avgMs)} per execution on average\n` +
					`${malops.size} Malops: exactly 1 remediation each in the console, 1 accepted POST ${REMEDIATE_PATH} each, sent by the worker that ran its execution; ` +
					`${refused} POSTs answered 302 (session expired, not processed) and replayed after the re-login\n` +
					`sessions expired after ${exp.sent} remediations (${exp.expired} sessions); then ${relogins.length} re-logins (${fmt(countBy(relogins, (r) => r.origin))}), ` +
					`${expiredAnswers.length} /rest answers were the expiry redirect; after the last re-login every request carried a new cookie; ` +
					`new cookies used per worker: ${
						Object.entries(usedAfter)
							.map(([k, v]) => `${k} ${v.size}`)
							.join(', ') || 'none'
					}; logins in the whole burst: ${loginsTotal}`,
			};
		},
	);
}

function executionMs(exec: StoredExecution): number {
	const runData = exec.run.data.resultData.runData as Record<
		string,
		Array<{ startTime?: number; executionTime?: number }>
	>;
	let start = Number.POSITIVE_INFINITY;
	let end = 0;
	for (const runs of Object.values(runData)) {
		for (const r of runs) {
			if (typeof r.startTime === 'number') {
				start = Math.min(start, r.startTime);
				end = Math.max(end, r.startTime + (r.executionTime ?? 0));
			}
		}
	}
	return Number.isFinite(start) ? end - start : 0;
}

// ---------------------------------------------------------------------------------------------------------
// 3. One renewal serves every worker: expire, one run logs in, then a batch over both workers logs in never

async function scenarioSharedRenewal({ report, cluster, sim, proxy }: LineRun): Promise<void> {
	await report.step(
		'after an expiry one worker logs in again and both workers then use that cookie (read from the credential in PostgreSQL)',
		async () => {
			const known = await knownOf(cluster);
			const expired = await expireSessions(sim);
			const logins0 = (await simState(sim)).logins;
			const from = proxy.records.length;
			await fireRuns(cluster, [{ run: 'renew-first', targets: newTargets(sim, 1) }]);
			const [first] = await collectRuns(cluster, known, 1);
			check(first.exec.status === 'success', `renew-first ended ${first.exec.status}`);
			const logins1 = (await simState(sim)).logins;
			const firstLogins = proxy.records.slice(from).filter(isLogin);
			check(
				logins1 - logins0 === 1 && firstLogins.length === 1,
				`the first run after the expiry logged in ${logins1 - logins0} times (proxy saw ${firstLogins.length}), expected 1`,
			);
			const renewer = firstLogins[0].origin;
			const cookie = firstLogins[0].setCookie;

			// Then batches over both workers: no login at all, every request with that cookie.
			let seenBy = new Set<string>();
			let batches = 0;
			const mid = proxy.records.length;
			while (seenBy.size < WORKERS && batches < 3) {
				batches++;
				const runs = Array.from({ length: 10 }, (_, i) => ({
					run: `renew-${batches}-${i}`,
					targets: newTargets(sim, 1),
				}));
				await fireRuns(cluster, runs);
				const collected = await collectRuns(cluster, known, runs.length);
				const bad = collected.filter((c) => c.exec.status !== 'success');
				check(
					bad.length === 0,
					`${bad.length} executions failed: ${bad.map((b) => b.exec.id).join(', ')}`,
				);
				seenBy = new Set(
					proxy.records
						.slice(mid)
						.filter((r) => r.path.startsWith('/rest/'))
						.map((r) => r.origin),
				);
			}
			const window = proxy.records.slice(mid).filter((r) => r.path.startsWith('/rest/'));
			const logins2 = (await simState(sim)).logins;
			check(logins2 === logins1, `${logins2 - logins1} more logins in the batches`);
			check(
				seenBy.size === WORKERS,
				`only ${[...seenBy].join(', ')} sent requests in ${batches} batches`,
			);
			const other = window.filter((r) => r.cookie !== cookie);
			check(
				other.length === 0,
				`${other.length} requests carried another cookie: ${fmt(countBy(other, (r) => `${r.origin} ${short(r.cookie)}`))}`,
			);
			const exported = await cluster.mainInstance.exportCredentialsDecrypted();
			const stored = exported.find((c) => c.id === CREDENTIAL_ID)?.data.sessionCookie;
			check(
				stored === `JSESSIONID=${cookie}`,
				`the credential in PostgreSQL holds ${String(stored)}, expected JSESSIONID=${short(cookie)}`,
			);
			const nonRenewer = [...seenBy].filter((w) => w !== renewer);
			return {
				value: true,
				detail:
					`${expired} sessions expired; the next run (on ${first.worker[0]}) logged in once, from ${renewer}, cookie ${short(cookie)}; ` +
					`then ${batches} batch(es) of 10 runs: 0 logins, ${window.length} requests, all with ${short(cookie)}, by ${fmt(countBy(window, (r) => r.origin))}; ` +
					`${nonRenewer.join(', ') || 'no other worker'} used it without logging in; export:credentials --decrypted shows the same cookie in the credential`,
			};
		},
	);
}

// ---------------------------------------------------------------------------------------------------------
// 4. The replay guard across workers

async function scenarioReplayGuard(
	{ report, cluster, sim, proxy }: LineRun,
	burst: BurstResult | undefined,
): Promise<void> {
	const known = await knownOf(cluster);
	await report.step(
		'replay guard on (600 s): re-running a finished run sends nothing again, whichever worker runs it',
		async () => {
			check(burst && burst.runs.length > 0, 'no burst run to re-run');
			const original = burst.runs[0];
			await knownOf(cluster);
			const from = proxy.records.length;
			await fireRuns(cluster, [{ run: `${original.run}-again`, targets: original.targets }]);
			const [again] = await collectRuns(cluster, known, 1);
			check(again.exec.status === 'success', `re-run ended ${again.exec.status}`);
			const posts = proxy.records.slice(from).filter((r) => remediateMalop(r) !== undefined);
			check(posts.length === 0, `${posts.length} POST ${REMEDIATE_PATH} in the re-run`);
			const items = remediateItems(again.exec);
			const notGuarded = items.filter(
				(i) =>
					i.results?.status !== 'SUCCESS' || !/Already sent by remediation/.test(String(i.note)),
			);
			check(
				notGuarded.length === 0,
				`items not adopted from history: ${JSON.stringify(notGuarded.slice(0, 2))}`,
			);
			for (const malopId of new Set(original.targets.map((t) => t.malopId))) {
				check(
					remediationsOf(sim, malopId).length === 1,
					`Malop ${malopId} now has ${remediationsOf(sim, malopId).length} remediations`,
				);
			}
			return {
				value: true,
				detail: `original ${original.run} ran on ${original.worker}, the re-run on ${again.worker[0]}: 0 POSTs, ${items.length} items SUCCESS with "Already sent by remediation …"`,
			};
		},
	);

	await report.step(
		'replay guard and truly concurrent runs of the same Malops (measured, not asserted)',
		async () => {
			await knownOf(cluster);
			const pairs = 3;
			const runs: Array<{ run: string; targets: Target[] }> = [];
			for (let p = 0; p < pairs; p++) {
				const targets = newTargets(sim, 1);
				runs.push({ run: `twin-${p}-a`, targets }, { run: `twin-${p}-b`, targets });
			}
			await fireRuns(cluster, runs);
			const collected = await collectRuns(cluster, known, runs.length);
			const lines: string[] = [];
			let doubled = 0;
			for (let p = 0; p < pairs; p++) {
				const malopId = runs[p * 2].targets[0].malopId;
				const rems = remediationsOf(sim, malopId).length;
				if (rems > 1) doubled++;
				const where = collected
					.filter((c) => c.run.startsWith(`twin-${p}-`))
					.map((c) => c.worker[0]);
				lines.push(`pair ${p} on ${where.join(' + ')}: ${rems} remediation(s)`);
			}
			report.note(
				`replay guard vs. concurrent runs of the same Malop: ${doubled}/${pairs} pairs sent twice (${lines.join('; ')}). ` +
					'The guard reads the history and then posts; two runs that read before either posted both send. It protects re-runs and retries, not simultaneous duplicates.',
			);
			return { value: true, detail: lines.join('; ') };
		},
	);
}

// ---------------------------------------------------------------------------------------------------------
// 5. A console that allows one session per user (emulated by the proxy): what queue mode does to it

async function scenarioSingleSession({ report, cluster, sim, proxy }: LineRun): Promise<void> {
	const round = async (hook: Hook, label: string) => {
		const known = await knownOf(cluster, hook);
		await expireSessions(sim);
		let live: string | undefined;
		let kicked = 0;
		proxy.onRecord = (r) => {
			if (!isLogin(r)) return;
			// The console keeps only the newest session of the user.
			if (live && live !== r.setCookie) kicked += sim.state.expireSession(live);
			live = r.setCookie;
		};
		const logins0 = (await simState(sim)).logins;
		const from = proxy.records.length;
		const runs = Array.from({ length: 10 }, (_, i) => ({
			run: `single-${label}-${i}`,
			targets: newTargets(sim, 1),
		}));
		let collected;
		try {
			await fireRuns(cluster, runs, hook);
			collected = await collectRuns(cluster, known, runs.length, hook);
		} finally {
			proxy.onRecord = undefined;
		}
		const window = proxy.records.slice(from);
		const logins = (await simState(sim)).logins - logins0;
		const expiredAnswers = window.filter(
			(r) => r.path.startsWith('/rest/') && r.status === 302,
		).length;
		const ok = collected.filter((c) => c.exec.status === 'success');
		const errors = countBy(
			collected.filter((c) => c.exec.status !== 'success'),
			(c) => String(c.exec.run.data.resultData.error?.message ?? c.exec.status).slice(0, 120),
		);
		const doubled: string[] = [];
		let remediated = 0;
		for (const r of runs) {
			const n = remediationsOf(sim, r.targets[0].malopId).length;
			if (n > 1) doubled.push(`${r.targets[0].malopId} ×${n}`);
			if (n === 1) remediated++;
		}
		check(doubled.length === 0, `${label}: duplicate remediations: ${doubled.join(', ')}`);
		return (
			`${label}: ${ok.length}/${runs.length} runs succeeded (by worker ${fmt(countBy(collected, (c) => c.worker[0] ?? 'none'))}), ` +
			`${logins} logins, ${kicked} sessions ended by a newer login, ${expiredAnswers} expiry redirects, ${remediated} Malops remediated once, none twice` +
			(Object.keys(errors).length ? `; failures: ${fmt(errors)}` : '')
		);
	};
	await report.step(
		'one session per user (emulated: each login ends the others), 10 concurrent runs, without and with Retry On Fail: never a duplicate remediation (failures measured)',
		async () => {
			await cluster.activate(RETRY_WEBHOOK_ID);
			const plain = await round(PLAIN, 'no retry');
			const retry = await round(WITH_RETRY, 'Retry On Fail (3 tries, 2 s)');
			report.note(`one-session console: ${plain}. ${retry}`);
			return { value: true, detail: `${plain}\n${retry}` };
		},
	);
}

// ---------------------------------------------------------------------------------------------------------
// 6. The trigger on the main

async function scenarioTrigger({ report, cluster, sim, proxy }: LineRun): Promise<void> {
	const pollMs = (60 / FAST_POLL_SECONDS.length) * 1000;
	const seen = new Map<string, StoredExecution>();
	const collect = async () => {
		for (const row of await cluster.executionsOf(FAST_TRIGGER_ID)) {
			if (seen.has(row.id) || !['success', 'error', 'crashed', 'canceled'].includes(row.status))
				continue;
			seen.set(row.id, await cluster.execution(row.id));
		}
		const pairs: Array<{ pair: string; execution: string }> = [];
		for (const exec of seen.values()) {
			for (const item of nodeItems(exec.run, 'Cybereason Trigger') ?? []) {
				pairs.push({
					pair: `${String(item.malopId)}|${String(item.machineGuid)}`,
					execution: exec.id,
				});
			}
		}
		return pairs;
	};
	const waitForPairs = async (expected: Set<string>, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const pairs = await collect();
			const got = new Set(pairs.map((p) => p.pair));
			if ([...expected].every((p) => got.has(p))) return pairs;
			if (Date.now() > deadline) {
				const mainLog = (cluster.main?.logs() ?? '')
					.split('\n')
					.filter((l) => /poll|trigger|activat|CybrQueueTrigger|error|warn/i.test(l));
				throw new Error(
					`after ${formatMs(timeoutMs)}: ${[...expected].filter((p) => !got.has(p)).length} of ${expected.size} pairs not emitted; ` +
						`executions of the trigger copy: ${seen.size}; console requests since activation: ${fmt(countBy(proxy.records.slice(activatedAt), (r) => `${r.origin} ${r.method} ${r.path} ${r.status}`))}\n` +
						`main log (poll/trigger/activation/error lines):\n${mainLog.slice(-25).join('\n')}`,
				);
			}
			await delay(1000);
		}
	};

	const activatedAt = proxy.records.length;
	const activated = await report.step(
		`activate the fast-poll copy of example 2 on the main (polls every ${pollMs / 1000} s)`,
		async () => {
			const t0 = Date.now();
			await cluster.activate(FAST_TRIGGER_ID);
			// Activation polls once: the baseline, which remembers what is there and emits nothing. 2.x answers the
			// REST call before that (a publication outbox applies it), so wait for the baseline poll itself: Malops
			// added before it would (rightly) count as already there.
			const deadline = Date.now() + 60_000;
			while (
				!proxy.records
					.slice(activatedAt)
					.some(
						(r) => r.origin === 'main' && r.path === '/rest/detection/inbox' && r.status === 200,
					)
			) {
				check(
					Date.now() < deadline,
					'no baseline poll from the main within 60 s of the activation',
				);
				await delay(200);
			}
			await delay(1000);
			return {
				value: true,
				detail: `POST /rest/workflows/:id/activate; baseline poll seen after ${formatMs(Date.now() - t0 - 1000)}`,
			};
		},
	);
	if (!activated) return;

	await report.step(
		'the trigger fires each new (Malop, machine) pair once across workers; polls run on the main only',
		async () => {
			const from = proxy.records.length;
			const start = Date.now();
			const high = {
				severity: 'High',
				status: 'Active',
				managementStatus: 'UNREAD',
				machines: [{ connected: true }, { connected: true }],
			};
			const first = await addMalopsViaControl(sim, 3, high);
			const expected = new Set(
				first.flatMap((m) => m.machines.map((machine) => `${m.guid}|${machine.guid}`)),
			);
			await waitForPairs(expected, 6 * pollMs + 30_000);
			// Round 2: a machine joins a known Malop, a Low Malop appears, a Malop changes without new machines.
			const added = await addMachineViaControl(sim, first[0].guid, { connected: true });
			expected.add(`${first[0].guid}|${added.guid}`);
			const [low] = await addMalopsViaControl(sim, 1, {
				...high,
				severity: 'Low',
				machines: [{ connected: true }],
			});
			expected.add(`${low.guid}|${low.machines[0].guid}`);
			await updateMalopViaControl(sim, first[1].guid, { priority: 'HIGH' });
			await waitForPairs(expected, 6 * pollMs + 30_000);
			// Two more poll cycles: nothing may fire again.
			await delay(2 * pollMs + 5000);
			const pairs = await collect();
			const counts = countBy(pairs, (p) => p.pair);
			const repeated = Object.entries(counts).filter(([, n]) => n > 1);
			const unexpected = Object.keys(counts).filter((p) => !expected.has(p));
			check(
				repeated.length === 0,
				`pairs emitted more than once: ${repeated.map(([p, n]) => `${p} ×${n}`).join(', ')}`,
			);
			check(unexpected.length === 0, `unexpected pairs: ${unexpected.join(', ')}`);
			check(
				Object.keys(counts).length === expected.size,
				`${Object.keys(counts).length} pairs emitted, expected ${expected.size}`,
			);

			const execs = [...seen.values()];
			const bad = execs.filter((e) => e.status !== 'success');
			check(
				bad.length === 0,
				`trigger executions not successful: ${bad.map((b) => `${b.id} ${b.status}`).join(', ')}`,
			);
			const byWorker = countBy(execs, (e) => cluster.workersThatRan(e.id).join('+') || 'no worker');
			check(!byWorker['no worker'], `executions no worker logged: ${fmt(byWorker)}`);
			check(
				execs.every((e) => e.mode === 'trigger'),
				`modes: ${fmt(countBy(execs, (e) => e.mode))}`,
			);

			const window = proxy.records.slice(from);
			const polls = window.filter((r) => r.path === '/rest/detection/inbox');
			const pollOrigins = countBy(polls, (r) => r.origin);
			check(
				Object.keys(pollOrigins).length === 1 && pollOrigins.main > 0,
				`inbox polls came from ${fmt(pollOrigins)}`,
			);
			// Each High pair isolated exactly once (the Low Malop is filtered out before Isolate).
			const isolations: string[] = [];
			for (const m of [...first, low]) {
				for (const r of remediationsOf(sim, m.guid))
					for (const a of r.actions) isolations.push(`${m.guid}|${a.machineId}`);
			}
			const isoCounts = countBy(isolations, (p) => p);
			const highPairs = [...expected].filter((p) => !p.startsWith(`${low.guid}|`));
			const wrongIso = highPairs.filter((p) => isoCounts[p] !== 1);
			check(
				wrongIso.length === 0,
				`isolations per High pair: ${wrongIso.map((p) => `${p} ×${isoCounts[p] ?? 0}`).join(', ')}`,
			);
			check(!isolations.some((p) => p.startsWith(`${low.guid}|`)), 'the Low Malop was isolated');
			const remOrigins = countBy(
				window.filter((r) => remediateMalop(r) !== undefined),
				(r) => r.origin,
			);
			check(!remOrigins.main, `the main sent remediations itself: ${fmt(remOrigins)}`);
			return {
				value: true,
				detail:
					`${expected.size} new pairs (3 High Malops × 2 machines, a machine added later, a Low Malop) -> ${execs.length} trigger executions emitting ${pairs.length} items, each pair once; ` +
					`a Malop update without new machines fired nothing; executions by worker: ${fmt(byWorker)}; ` +
					`${polls.length} inbox polls, all from the main; isolations: each High pair exactly once, sent by ${fmt(remOrigins)}; ${formatMs(Date.now() - start)}`,
			};
		},
	);
	await report.step('deactivate the trigger copy', async () => {
		await cluster.deactivate(FAST_TRIGGER_ID);
	});
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
	const started = Date.now();
	const lines = selectLines(process.env.N8N_E2E_LINES);
	const keep = process.env.N8N_E2E_KEEP === '1';
	log(
		`e2e queue mode: n8n lines ${lines.map((l) => `${l.label}=${l.n8nVersion}`).join(', ')}; cache ${cacheRoot()}`,
	);
	const cleanup = new Cleanup();
	const reports: Report[] = [];
	const setup = new Report('setup');
	reports.push(setup);
	try {
		const bins = await setup.step(
			'Redis and PostgreSQL binaries (apt-get install only when missing)',
			async () => {
				const b = await ensureServicePackages((m) => log(`[setup] ${m}`));
				return {
					value: b,
					detail: `${b.redisServer}, ${b.pgBin}: ${b.installed}${b.installMs ? ` in ${formatMs(b.installMs)}` : ''}`,
				};
			},
		);
		const dir = await makeTempDir('n8n-e2e-queue-');
		if (keep) keepTempDir(dir);
		else cleanup.defer(`remove ${dir}`, () => removeDir(dir));
		const packed = await setup.step('npm pack', async () => {
			const p = await packPackage({ build: process.env.N8N_E2E_BUILD === '1' });
			cleanup.defer('remove the tarball', () => p.cleanup());
			return { value: p, detail: `${p.name}@${p.version}` };
		});
		const redis = bins
			? await setup.step('start redis-server (127.0.0.1, free port, no persistence)', async () => {
					const r = await startRedis(bins.redisServer, dir);
					cleanup.defer('stop redis-server', () => r.stop());
					return { value: r, detail: `port ${r.port}, pid ${r.pid}` };
				})
			: undefined;
		const postgres = bins
			? await setup.step(
					'start PostgreSQL (initdb + postgres, 127.0.0.1, free port, socket and data in the temp folder)',
					async () => {
						const p = await startPostgres(bins.pgBin, dir);
						cleanup.defer('stop PostgreSQL', () => p.stop());
						return {
							value: p,
							detail: `port ${p.port}, pid ${p.pid}, runs as ${p.runsAs}, data ${p.dataDir}`,
						};
					},
				)
			: undefined;
		if (packed && redis && postgres) {
			for (const [index, line] of lines.entries()) {
				reports.push(await runLine(line, index, { packed, redis, postgres, cleanup, keep }));
			}
		}
	} finally {
		const errors = await cleanup.close();
		for (const e of errors) log(`cleanup: ${e}`);
		if (errors.length > 0)
			setup.steps.push({ name: 'cleanup', status: 'fail', ms: 0, detail: errors.join('\n') });
	}

	console.log('\n==== e2e queue-mode report ====');
	for (const report of reports) {
		console.log(`\n${report.label}: ${report.failed ? 'FAILED' : 'ok'}`);
		for (const s of report.steps) {
			const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'skip', note: 'note' }[s.status];
			const detail = s.detail
				? `\n        ${(s.status === 'fail' ? s.detail.split('\n').slice(0, 20) : s.detail.split('\n')).join('\n        ')}`
				: '';
			console.log(
				`  ${mark} ${s.name}${s.status === 'note' ? '' : ` (${formatMs(s.ms)})`}${detail}`,
			);
		}
	}
	const failed = reports.some((r) => r.failed);
	const counts = countBy(
		reports.flatMap((r) => r.steps).filter((s) => s.status === 'pass' || s.status === 'fail'),
		(s) => s.status,
	);
	console.log(`\n${failed ? 'FAILED' : 'PASSED'} in ${formatMs(Date.now() - started)}`);
	console.log(`e2e-queue: ${counts.pass ?? 0} passed, ${counts.fail ?? 0} failed`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
