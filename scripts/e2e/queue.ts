/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// `npm run test:e2e:queue`: the packed package in n8n's queue mode (see QUEUE.md). Per n8n line a main and two
// workers run the scenario table's example 1 and 2 against the simulator, behind a proxy that tells which n8n
// process sent each request, and then the checks only a cluster can make: one session renewal serves every
// worker, a one-session-per-user console, the replay guard across workers, the trigger firing once.
import type { SimMalop, Simulator } from '../../simulator';
import { QueueCluster, remediateWebhook } from './cluster';
import { selectLines, type N8nLine } from './lines';
import { installStep, nodeItems, type PublicExecution, type RunData } from './n8n';
import { packPackage, type PackedPackage } from './package';
import { Cleanup, delay, makeTempDir } from './proc';
import { AttributingProxy, type ProxyRecord } from './proxy';
import { check, detailed, log, Report, runMain } from './report';
import {
	checkRemediate,
	countBy,
	credentialFor,
	loadExamples,
	PACKAGE,
	pairKey,
	POLL_EVERY_MS,
	runScenario,
	runScenarios,
	sameSet,
	sentPairs,
	startConsole,
	targetsOf,
	TRIGGER_BATCHES,
	TriggerRun,
	withFastPolls,
	type Examples,
} from './scenarios';
import {
	ensureServicePackages,
	startPostgres,
	startRedis,
	type Postgres,
	type Redis,
} from './services';

const BURST_RUNS = Math.max(2, Number(process.env.N8N_E2E_QUEUE_RUNS ?? 20) || 20);
const WORKERS = 2;
const SCENARIOS = ['worker', 'burst', 'renewal', 'guard', 'single', 'trigger'];
const only = (process.env.N8N_E2E_QUEUE_SCENARIOS ?? '').split(',').filter((x) => x.trim());
const unknown = only.filter((name) => !SCENARIOS.includes(name.trim()));
if (unknown.length) throw new Error(`N8N_E2E_QUEUE_SCENARIOS: unknown ${unknown} (${SCENARIOS})`);
const wanted = (name: string) => only.length === 0 || only.some((x) => x.trim() === name);

type Hook = ReturnType<typeof remediateWebhook>;
type Run = { run: string; malops: SimMalop[] };

interface Line {
	report: Report;
	cluster: QueueCluster;
	sim: Simulator;
	proxy: AttributingProxy;
	examples: Examples;
	hooks: { plain: Hook; retry: Hook };
	known: Map<string, Set<string>>;
}

const isLogin = (r: ProxyRecord) =>
	r.method === 'POST' && r.path === '/login.html' && r.status === 302 && !!r.setCookie;
const isRemediate = (r: ProxyRecord) => r.method === 'POST' && r.path === '/rest/remediate';
const malopOf = (r: { body?: unknown }) => String((r.body as { malopId?: string })?.malopId);
const rest = (records: ProxyRecord[]) => records.filter((r) => r.path.startsWith('/rest/'));
const origins = (records: ProxyRecord[]) => countBy(records.map((r) => r.origin));
const remediationsOf = (sim: Simulator, malop: SimMalop) =>
	[...sim.state.remediations.values()].filter((r) => r.malopId === malop.guid).length;

/** `count` runs of new Malops (OPEN, 2 online machines each), `malops` per run. */
function newRuns(sim: Simulator, tag: string, count: number, malops = 1): Run[] {
	const machines = [{ connected: true }, { connected: true }];
	const malop = () => sim.state.addMalop({ managementStatus: 'OPEN', status: 'Active', machines });
	return Array.from({ length: count }, (_, i) => ({
		run: `${tag}-${i}`,
		malops: Array.from({ length: malops }, malop),
	}));
}

/** Sends the runs to a webhook at once; returns their executions with the run and the worker that ran each. */
async function fire(l: Line, runs: Run[], hook = l.hooks.plain) {
	const known = l.known.get(hook.workflow.id) ?? new Set<string>();
	l.known.set(hook.workflow.id, known);
	const bodies = runs.map(({ run, malops }) => ({
		run,
		targets: targetsOf(malops).map(([m, x]) => ({
			malopId: m.guid,
			machineGuid: x.guid,
			machineName: x.name,
		})),
	}));
	await l.cluster.callWebhook(hook.path, bodies);
	const executions = await l.cluster.newExecutions(hook.workflow.id, known, runs.length);
	return executions.map((e: PublicExecution) => {
		const data = e.data as RunData;
		const tag = (nodeItems(data, 'Webhook')[0]?.body as { run?: string })?.run;
		const run = runs.find((r) => r.run === tag);
		check(run, `execution ${e.id} has an unknown run tag ${tag}`);
		return { e, data, run, worker: l.cluster.workersThatRan(e.id).join('+') || 'none' };
	});
}

type Fired = Awaited<ReturnType<typeof fire>>;

/** Every execution succeeded and was logged by exactly one worker ("Worker started execution <id>"). */
function checkRan(fired: Fired, bothWorkers = false): string {
	const bad = fired.filter((f) => f.e.status !== 'success' || !/^worker-\d+$/.test(f.worker));
	const why = (f: Fired[number]) => `${f.e.id} ${f.e.status} on ${f.worker}`;
	check(
		bad.length === 0,
		`executions: ${bad.map(why)}: ${JSON.stringify(bad[0]?.data.resultData.error)}`,
	);
	const byWorker = countBy(fired.map((f) => f.worker));
	check(!bothWorkers || new Set(fired.map((f) => f.worker)).size === WORKERS, `on ${byWorker}`);
	return byWorker;
}

async function runLine(
	line: N8nLine,
	index: number,
	packed: PackedPackage,
	examples: Examples,
	services: { redis: Redis; postgres: Postgres },
): Promise<Report> {
	const report = new Report(`${line.label} n8n@${line.n8nVersion}`);
	const cleanup = new Cleanup();
	try {
		const install = await installStep(report, line);
		if (!install) return report;
		const sim = await startConsole();
		cleanup.defer('stop the simulator', () => sim.close());
		const proxy = new AttributingProxy(Number(new URL(sim.url).port));
		await proxy.start();
		cleanup.defer('stop the proxy', () => proxy.close());
		log(`[${line.label}] simulator ${sim.url}, attributing proxy ${proxy.url}`);
		const cluster = await report.step(
			`user folders for main + ${WORKERS} workers, packed package installed into each .n8n/nodes`,
			async () => {
				const keep = process.env.N8N_E2E_KEEP === '1';
				const o = { install, packed, ...services, index, workers: WORKERS, keep };
				const c = await QueueCluster.create(o);
				cleanup.defer('stop n8n and remove its user folders', () => c.dispose());
				return detailed(c, `database ${c.database}; ${c.userFolders.join(', ')}`);
			},
		);
		if (!cluster) return report;
		const hooks = {
			plain: remediateWebhook(examples.credential),
			retry: remediateWebhook(examples.credential, true),
		};
		const l: Line = { report, cluster, sim, proxy, examples, hooks, known: new Map() };
		if (await startCluster(l, services.postgres, packed)) await scenarios(l);
	} catch (error) {
		report.fail('unexpected error', (error as Error).stack ?? String(error));
	} finally {
		await report.step(
			'stop main, workers, proxy and simulator (process groups); remove user folders',
			async () => {
				const errors = await cleanup.close();
				check(errors.length === 0, errors.join('\n'));
			},
		);
	}
	return report;
}

/** Imports through the main's CLI (into PostgreSQL), starts the main and the workers. */
async function startCluster(l: Line, postgres: Postgres, packed: PackedPackage): Promise<boolean> {
	const { report, cluster, proxy, examples, hooks } = l;
	const workflows = [
		examples.scheduled.workflow,
		withFastPolls(examples.trigger),
		examples.dryRun.workflow,
		hooks.plain.workflow,
		hooks.retry.workflow,
	];
	const imported = await report.step(
		'import the credential and the workflows through the main (CLI, into PostgreSQL)',
		async () => {
			await cluster.mainInstance.importCredentials([credentialFor(examples, proxy.url)]);
			await cluster.mainInstance.importWorkflows(workflows);
			const sql = 'SELECT id FROM workflow_entity ORDER BY id';
			const ids = (await postgres.query(cluster.database, sql)).trim().split('\n');
			const diff = sameSet(
				ids,
				workflows.map((w) => w.id),
			);
			check(!diff, `workflow_entity: ${diff}`);
			return detailed(true, `credential (Server URL = the proxy); workflows ${ids.join(', ')}`);
		},
	);
	const main =
		imported &&
		(await report.step(
			'start the main (n8n start, EXECUTIONS_MODE=queue, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true)',
			async () => {
				const m = await cluster.startMain();
				proxy.label(m.proc.pid, 'main');
				return detailed(m, `${m.url} (pid ${m.proc.pid}); owner set up`);
			},
		));
	const workers =
		main &&
		(await report.step(
			`start ${WORKERS} workers (n8n worker --concurrency=5); ready when /healthz/readiness answers`,
			async () => {
				await cluster.startWorkers();
				for (const w of cluster.workers) proxy.label(w.proc.pid, w.label);
				return detailed(
					true,
					cluster.workers.map((w) => `${w.label} pid ${w.proc.pid}`).join(', '),
				);
			},
		));
	if (!main || !workers) return false;
	await report.step(
		'n8n loaded the package on every instance (no "Unrecognized node type" in any log)',
		async () => {
			for (const p of [{ label: 'main', proc: main.proc }, ...cluster.workers]) {
				const bad = p.proc
					.logs()
					.match(/.*(Unrecognized node type|Could not load.*cybereason).*/gi);
				check(!bad, `${p.label}: ${bad?.slice(-5).join('\n')}`);
			}
			const types = await main.types('nodes');
			const ours = types.filter((t) => t.name.startsWith(`${PACKAGE}.`)).map((t) => t.name);
			check(ours.length >= packed.nodes.length, `main lists ${ours.join(', ') || 'none of ours'}`);
			return detailed(true, `main lists ${ours.join(', ')}`);
		},
	);
	return true;
}

async function scenarios(l: Line): Promise<void> {
	const { report, cluster, hooks } = l;
	const activated = await report.step(
		'activate the webhook copy (POST /rest/workflows/:id/activate on the main)',
		async () => {
			await cluster.activate(hooks.plain.workflow.id);
			return detailed(true, `${cluster.main.url}/webhook/${hooks.plain.path}`);
		},
	);
	if (wanted('worker')) await runOnWorker(l);
	const burst = activated && wanted('burst') ? await burstWithExpiry(l) : undefined;
	if (activated && wanted('renewal')) await sharedRenewal(l);
	if (activated && wanted('guard')) await replayGuard(l, burst);
	if (activated && wanted('single')) await oneSessionPerUser(l);
	if (wanted('trigger')) await triggerOnce(l);
	await report.step(
		'no n8n process died during the run (2.x vm engine exit crash watch)',
		async () => {
			const exited = cluster.exited();
			check(exited.length === 0, exited.join(', '));
			return detailed(true, `main and ${cluster.workers.length} workers still running`);
		},
	);
}

/** The scenario table's queue run (example 1): "Run now" on the main, run by one worker only. */
async function runOnWorker({ report, cluster, sim, proxy, examples }: Line): Promise<void> {
	for (const scenario of runScenarios(examples).filter((s) => s.inQueue)) {
		const { workflow, file } = scenario.example;
		await report.step(`${scenario.name}: "Run now" on the main runs on one worker`, async () => {
			const manual = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
			check(manual, `examples/${file} has no manual trigger`);
			const from = proxy.records.length;
			let id = '';
			const outcome = await runScenario(
				sim,
				scenario,
				cluster.mainInstance,
				examples.credential.id,
				async () => {
					id = await cluster.runManually(workflow.id, manual.name);
					const [e] = await cluster.newExecutions(workflow.id, new Set(), 1);
					check(e.id === id && e.status === 'success' && e.data, `execution ${e.id}: ${e.status}`);
					return e.data;
				},
			);
			const ran = cluster.workersThatRan(id);
			const by = proxy.records.slice(from);
			check(ran.length === 1, `execution ${id} logged by ${ran.length} workers`);
			check(
				by.every((r) => r.origin === ran[0]),
				`console requests from ${origins(by)}, not ${ran}`,
			);
			return detailed(
				true,
				`execution ${id} on ${ran[0]} only; ${outcome}; requests: ${origins(by)}`,
			);
		});
	}
}

/**
 * BURST_RUNS webhook executions (2 Malops × 2 machines each) over both workers, every session expired once a fifth
 * of the Malops are sent, while the rest is queued or running: each Malop remediated exactly once, by the worker
 * that ran its execution; the POSTs the console refused were sent again after a new login.
 */
async function burstWithExpiry(l: Line): Promise<Run[] | undefined> {
	const { report, sim, proxy } = l;
	return await report.step(
		`${BURST_RUNS} webhook executions (2 new Malops × 2 machines each) over both workers, all sessions expired mid-way`,
		async () => {
			const runs = newRuns(sim, 'burst', BURST_RUNS, 2);
			const logins = sim.state.logins;
			const from = proxy.records.length;
			const mark = sim.requests.length;
			const watch = (async () => {
				for (let waited = 0; waited < 120_000; waited += 20, await delay(20))
					if (sentPairs(sim.requests.slice(mark)).size / 2 >= Math.max(2, (2 * BURST_RUNS) / 5))
						return { at: proxy.records.length, expired: sim.state.expireSession() };
				return undefined;
			})();
			const fired = await fire(l, runs);
			const expiry = await watch;
			check(expiry, 'the session expiry never happened (no remediation seen)');
			const byWorker = checkRan(fired, true);
			check(
				fired.every((f) => f.e.mode === 'webhook'),
				`modes ${fired.map((f) => f.e.mode)}`,
			);
			const window = proxy.records.slice(from);
			const { remediate } = l.hooks.plain;
			const perMalop: [string[], string[]] = [[], []];
			for (const f of fired) {
				const mine = new Set(f.run.malops.map((m) => m.guid));
				const requests = sim.requests.slice(mark).filter((r) => mine.has(malopOf(r)));
				checkRemediate(
					sim,
					remediate,
					targetsOf(f.run.malops),
					nodeItems(f.data, remediate.node),
					requests,
				);
				for (const m of f.run.malops) {
					const accepted = window.filter(
						(r) => isRemediate(r) && r.status === 200 && malopOf(r) === m.guid,
					);
					perMalop[0].push(
						`${m.guid}: ${remediationsOf(sim, m)} by ${accepted.map((r) => r.origin)}`,
					);
					perMalop[1].push(`${m.guid}: 1 by ${f.worker}`);
				}
			}
			const diff = sameSet(...perMalop);
			check(!diff, `console remediations per Malop and the worker that sent them: ${diff}`);
			// Who logged in again after the expiry, and what every worker sent after the last new login.
			const after = window.filter((r) => r.seq > expiry.at);
			const relogins = after.filter(isLogin);
			check(relogins.length >= 1, 'nobody logged in again after the sessions expired');
			const total = sim.state.logins - logins;
			check(window.filter(isLogin).length === total, `the simulator counted ${total} logins`);
			const fresh = new Set(relogins.map((r) => r.setCookie));
			const last = relogins[relogins.length - 1].seq;
			const stale = rest(after).filter((r) => r.seq > last && !fresh.has(r.cookie));
			check(stale.length === 0, `${stale.length} requests after the last login had an old cookie`);
			const refused = window.filter((r) => isRemediate(r) && r.status !== 200).length;
			return detailed(
				runs,
				`${fired.length} executions, all success; by worker ${byWorker}; ${perMalop[0].length} Malops remediated once each, ` +
					`by the worker that ran it; ${refused} POSTs refused with the expired session and sent again; ` +
					`${expiry.expired} sessions expired, then ${relogins.length} new logins (${origins(relogins)})`,
			);
		},
	);
}

/** After an expiry one run logs in; the runs after it, on both workers, read that cookie from PostgreSQL. */
async function sharedRenewal(l: Line): Promise<void> {
	const { report, sim, proxy, cluster } = l;
	await report.step(
		'after an expiry one worker logs in again and both workers then use that cookie (read from the credential in PostgreSQL)',
		async () => {
			const expired = sim.state.expireSession();
			const from = proxy.records.length;
			checkRan(await fire(l, newRuns(sim, 'renew-first', 1)));
			const renewal = proxy.records.slice(from).filter(isLogin);
			check(renewal.length === 1, `the first run logged in ${renewal.length} times, expected 1`);
			const logins = sim.state.logins;
			const mid = proxy.records.length;
			const senders = () => new Set(rest(proxy.records.slice(mid)).map((r) => r.origin));
			let batches = 0;
			for (; senders().size < WORKERS && batches < 3; batches++)
				checkRan(await fire(l, newRuns(sim, `renew-${batches}`, 10)));
			const window = rest(proxy.records.slice(mid));
			check(sim.state.logins === logins, `${sim.state.logins - logins} more logins`);
			check(senders().size === WORKERS, `only ${origins(window)} sent requests`);
			const other = window.filter((r) => r.cookie !== renewal[0].setCookie);
			check(other.length === 0, `${other.length} requests with another cookie: ${origins(other)}`);
			const stored = (await cluster.mainInstance.storedCredential(l.examples.credential.id))
				?.sessionCookie;
			check(stored === `JSESSIONID=${renewal[0].setCookie}`, `the credential holds ${stored}`);
			return detailed(
				true,
				`${expired} sessions expired; one login, from ${renewal[0].origin}; then ${batches} batch(es) of 10 runs: ` +
					`0 logins, ${window.length} requests by ${origins(window)}, all with that cookie, which the credential holds`,
			);
		},
	);
}

/** Re-runs of finished runs, alone and many at once over both workers: the console's history stops every send. */
async function replayGuard(l: Line, burst: Run[] | undefined): Promise<void> {
	const { report, sim, proxy } = l;
	const { remediate } = l.hooks.plain;
	const rerun = async (runs: Run[], bothWorkers: boolean) => {
		check(burst && burst.length > 0, 'no burst run to re-run');
		const from = proxy.records.length;
		const mark = sim.requests.length;
		const fired = await fire(
			l,
			runs.map((r) => ({ ...r, run: `${r.run}-again-${from}` })),
		);
		const byWorker = checkRan(fired, bothWorkers);
		const posts = proxy.records.slice(from).filter(isRemediate);
		check(posts.length === 0, `${posts.length} POST /rest/remediate in the re-runs`);
		for (const { run, data } of fired) {
			const targets = targetsOf(run.malops);
			const sent = new Set(targets.map(([m, x]) => pairKey(m.guid, x.guid)));
			checkRemediate(
				sim,
				remediate,
				targets,
				nodeItems(data, remediate.node),
				sim.requests.slice(mark),
				sent,
			);
			for (const m of run.malops) check(remediationsOf(sim, m) === 1, `Malop ${m.guid} sent twice`);
		}
		return `${fired.length} re-run(s) on ${byWorker}: 0 POSTs, every item SUCCESS with "Already sent by remediation …"`;
	};
	await report.step(
		'replay guard on (600 s): re-running a finished run sends nothing again, whichever worker runs it',
		async () => detailed(true, await rerun(burst?.slice(0, 1) ?? [], false)),
	);
	await report.step(
		`replay guard across workers: ${BURST_RUNS} simultaneous re-runs of the burst's Malops send nothing again`,
		async () => detailed(true, await rerun(burst ?? [], true)),
	);
}

/**
 * A console that keeps one session per user, emulated by the proxy (each login ends the user's other sessions):
 * 10 concurrent runs without and with Retry On Fail. Runs may fail; no Malop may be remediated twice.
 */
async function oneSessionPerUser(l: Line): Promise<void> {
	const { report, sim, proxy, cluster, hooks } = l;
	const round = async (hook: Hook, label: string) => {
		sim.state.expireSession();
		let live: string | undefined;
		let kicked = 0;
		proxy.onRecord = (r) => {
			if (!isLogin(r)) return;
			if (live && live !== r.setCookie) kicked += sim.state.expireSession(live);
			live = r.setCookie;
		};
		const logins = sim.state.logins;
		const runs = newRuns(sim, `single-${hook.path}`, 10);
		const fired = await fire(l, runs, hook).finally(() => (proxy.onRecord = undefined));
		const twice = runs.flatMap((r) => r.malops).filter((m) => remediationsOf(sim, m) > 1);
		check(twice.length === 0, `${label}: remediated twice: ${twice.map((m) => m.guid)}`);
		const failed = fired.filter((f) => f.e.status !== 'success');
		const errors = failed.map((f) => String(f.data.resultData.error?.message).slice(0, 120));
		return (
			`${label}: ${fired.length - failed.length}/10 runs succeeded (${countBy(fired.map((f) => f.worker))}), ` +
			`${sim.state.logins - logins} logins, ${kicked} sessions ended by a newer login` +
			(errors.length ? `; failures: ${countBy(errors)}` : '')
		);
	};
	await report.step(
		'one session per user (emulated: each login ends the others), 10 concurrent runs, without and with Retry On Fail: never a duplicate remediation',
		async () => {
			await cluster.activate(hooks.retry.workflow.id);
			const plain = await round(hooks.plain, 'no retry');
			return detailed(
				true,
				`${plain}; ${await round(hooks.retry, 'Retry On Fail (3 tries, 2 s)')}`,
			);
		},
	);
}

/** Example 2 on the main: the table's batches, each pair emitted once, polls from the main, runs on workers. */
async function triggerOnce({ report, cluster, sim, proxy, examples }: Line): Promise<void> {
	const run = new TriggerRun(cluster.main, sim, examples.trigger);
	const { id } = examples.trigger.workflow;
	const from = proxy.records.length;
	const activated = await report.step(
		'activate example 2 (polling every 10 s) on the main; its first poll is a baseline',
		async () => {
			const mark = sim.requests.length;
			await cluster.activate(id);
			return detailed(true, await run.baseline(mark));
		},
	);
	if (!activated) return;
	await report.step(
		'the trigger fires each new (Malop, machine) pair once across workers; polls run on the main only',
		async () => {
			const details: string[] = [];
			for (const [index] of TRIGGER_BATCHES.entries()) details.push(await run.batch(index));
			details.push(await run.totals());
			await delay(2 * POLL_EVERY_MS + 5000);
			const again = await run.fresh();
			check(again?.length === 0, `more executions over two more polls: ${again?.map((e) => e.id)}`);
			const byWorker = run.executions.map((e) => cluster.workersThatRan(e.id).join('+'));
			check(
				byWorker.every((w) => /^worker-\d+$/.test(w)),
				`executions by ${countBy(byWorker)}`,
			);
			check(
				run.executions.every((e) => e.mode === 'trigger'),
				'executions not in trigger mode',
			);
			const window = proxy.records.slice(from);
			const polls = window.filter((r) => r.path === '/rest/detection/inbox');
			check(
				polls.length > 0 && polls.every((r) => r.origin === 'main'),
				`polls: ${origins(polls)}`,
			);
			const sent = window.filter(isRemediate);
			check(
				sent.every((r) => /^worker-/.test(r.origin)),
				`remediations from ${origins(sent)}`,
			);
			return detailed(
				true,
				`${details.join('; ')}; nothing more over two polls; executions by ${countBy(byWorker)}; ` +
					`${polls.length} inbox polls, all from the main; remediations sent by ${origins(sent)}`,
			);
		},
	);
	await report.step('deactivate example 2', () => cluster.deactivate(id));
}

runMain('e2e-queue', async (setup, cleanup) => {
	const lines = selectLines();
	log(`e2e queue mode: n8n lines ${lines.map((l) => `${l.label}=${l.n8nVersion}`).join(', ')}`);
	const examples = loadExamples();
	const bins = await setup.step(
		'Redis and PostgreSQL binaries (apt-get install only when missing)',
		async () => {
			const b = await ensureServicePackages((m) => log(`[setup] ${m}`));
			return detailed(b, `${b.redisServer}, ${b.pgBin}: ${b.installed}`);
		},
	);
	const dir = await makeTempDir('n8n-e2e-queue-', process.env.N8N_E2E_KEEP === '1');
	const packed = await setup.step('npm pack', async () => {
		const p = await packPackage();
		return detailed(p, `${p.name}@${p.version}`);
	});
	const redis =
		bins &&
		(await setup.step('start redis-server (127.0.0.1, free port, no persistence)', async () => {
			const r = await startRedis(bins.redisServer, dir);
			cleanup.defer('stop redis-server', () => r.stop());
			return detailed(r, `port ${r.port}, pid ${r.pid}`);
		}));
	const postgres =
		bins &&
		(await setup.step(
			'start PostgreSQL (initdb + postgres, 127.0.0.1, free port, socket and data in the temp folder)',
			async () => {
				const p = await startPostgres(bins.pgBin, dir);
				cleanup.defer('stop PostgreSQL', () => p.stop());
				return detailed(p, `port ${p.port}, pid ${p.pid}, runs as ${p.runsAs}`);
			},
		));
	const reports: Report[] = [];
	if (packed && redis && postgres)
		for (const [index, line] of lines.entries())
			reports.push(await runLine(line, index, packed, examples, { redis, postgres }));
	return reports;
});
