// Q1 queue mode (moved here from the queue e2e, which now only checks): a burst of webhook executions over a
// main and two workers, against a baseline measured in the same run and cluster: the same executions sent one
// at a time, each after the previous one ended. Uses the e2e harness's n8n installs, Redis and PostgreSQL.
import { QueueCluster, remediateWebhook } from '../scripts/e2e/cluster';
import { selectLines } from '../scripts/e2e/lines';
import { ensureN8n, type N8nServer, type PublicExecution } from '../scripts/e2e/n8n';
import { packPackage } from '../scripts/e2e/package';
import { delay, makeTempDir, removeDir } from '../scripts/e2e/proc';
import { credentialFor, loadExamples, startConsole, targetsOf } from '../scripts/e2e/scenarios';
import { ensureServicePackages, startPostgres, startRedis } from '../scripts/e2e/services';
import type { Simulator } from '../simulator';
import { median, ms, ratio, spread, table } from './stats';

const EXECUTIONS = 20;
const VARIANTS = {
	burst: `${EXECUTIONS} executions at once`,
	expiry: `${EXECUTIONS} at once, every session expired after a fifth of the remediations`,
	sequential: `baseline: the same ${EXECUTIONS} one at a time`,
} as const;
type Variant = keyof typeof VARIANTS;
type Hook = ReturnType<typeof remediateWebhook>;

interface Sample {
	wallMs: number;
	/** Per execution: stoppedAt - startedAt as n8n stored them (the worker's run, not the wait in the queue). */
	runMs: number[];
	logins: number;
}

/** Ended executions of the workflow not in `known`, polled every 50 ms until there are `count`. */
async function ended(main: N8nServer, id: string, known: Set<string>, count: number) {
	for (const deadline = Date.now() + 300_000; Date.now() < deadline; await delay(50)) {
		const fresh = (await main.executions(id, false)).filter((e) => !known.has(e.id) && e.stoppedAt);
		if (fresh.length >= count) return fresh;
	}
	throw new Error(`${count} executions of ${id} did not end within 5 minutes`);
}

async function sample(
	cluster: QueueCluster,
	sim: Simulator,
	hook: Hook,
	variant: Variant,
): Promise<Sample> {
	const id = hook.workflow.id;
	const malops = Array.from({ length: EXECUTIONS * 2 }, () =>
		sim.state.addMalop({
			managementStatus: 'OPEN',
			status: 'Active',
			machines: [{ connected: true }, { connected: true }],
		}),
	);
	const bodies = Array.from({ length: EXECUTIONS }, (_, i) => ({
		run: `${variant}-${i}`,
		targets: targetsOf(malops.slice(2 * i, 2 * i + 2)).map(([m, x]) => ({
			malopId: m.guid,
			machineGuid: x.guid,
			machineName: x.name,
		})),
	}));
	const known = new Set((await cluster.main.executions(id, false)).map((e) => e.id));
	const logins = sim.state.logins;
	const sent = () =>
		malops.filter((m) => [...sim.state.remediations.values()].some((r) => r.malopId === m.guid))
			.length;
	const started = Date.now();
	let expired = variant !== 'expiry';
	const watch = (async () => {
		while (!expired && Date.now() - started < 120_000) {
			if (sent() >= malops.length / 5) {
				sim.state.expireSession();
				expired = true;
			}
			await delay(20);
		}
	})();
	let all: PublicExecution[] = [];
	if (variant === 'sequential')
		for (const body of bodies) {
			await cluster.callWebhook(hook.path, [body]);
			const [e] = await ended(cluster.main, id, known, 1);
			known.add(e.id);
			all.push(e);
		}
	else {
		await cluster.callWebhook(hook.path, bodies);
		all = await ended(cluster.main, id, known, EXECUTIONS);
	}
	await watch;
	// A fast number is never a wrong one: every execution succeeded, each Malop was remediated exactly once.
	const failed = all.filter((e) => e.status !== 'success');
	if (failed.length || !expired)
		throw new Error(`${variant}: ${failed.length} executions failed, expiry ${expired}`);
	const twice = malops.filter(
		(m) => [...sim.state.remediations.values()].filter((r) => r.malopId === m.guid).length !== 1,
	);
	if (twice.length)
		throw new Error(`${variant}: ${twice.length} Malops not remediated exactly once`);
	const stops = all.map((e) => Date.parse(String(e.stoppedAt)));
	return {
		wallMs: Math.max(...stops) - started,
		runMs: all.map((e) => Date.parse(String(e.stoppedAt)) - Date.parse(String(e.startedAt))),
		logins: sim.state.logins - logins,
	};
}

/** Per selected n8n line (N8N_E2E_LINES): a cluster, then `rounds` rounds of every variant, interleaved. */
export async function benchQueue(runs: number, print: (text?: string) => void) {
	const rounds = Math.max(1, Math.min(runs, 3));
	print(
		`## Q1 Queue mode: ${EXECUTIONS} webhook executions (2 Malops × 2 machines each, isolate and wait) over a main and 2 workers`,
	);
	print(
		`${rounds} rounds per line, variants interleaved; simulator remediation step 300 ms, Remediate polls every 0.2 s.`,
	);
	const examples = loadExamples();
	const { redisServer, pgBin } = await ensureServicePackages(() => undefined);
	const dir = await makeTempDir('n8n-bench-queue-');
	const redis = await startRedis(redisServer, dir);
	const postgres = await startPostgres(pgBin, dir);
	const out: Record<string, unknown> = {};
	try {
		const packed = await packPackage();
		for (const [index, line] of selectLines().entries()) {
			const install = await ensureN8n(line, () => undefined);
			const cluster = await QueueCluster.create({
				install,
				packed,
				redis,
				postgres,
				index,
				workers: 2,
				keep: false,
			});
			const sim = await startConsole();
			try {
				const hook = remediateWebhook(examples.credential);
				await cluster.mainInstance.importCredentials([credentialFor(examples, sim.url)]);
				await cluster.mainInstance.importWorkflows([hook.workflow]);
				await cluster.startMain();
				await cluster.startWorkers();
				await cluster.activate(hook.workflow.id);
				const samples: Record<Variant, Sample[]> = { burst: [], expiry: [], sequential: [] };
				for (let round = 0; round < rounds; round++)
					for (const variant of Object.keys(VARIANTS) as Variant[])
						samples[variant].push(await sample(cluster, sim, hook, variant));
				const wall = (v: Variant) => median(samples[v].map((s) => s.wallMs));
				const rows = (Object.keys(VARIANTS) as Variant[]).map((v) => [
					VARIANTS[v],
					ms(wall(v)),
					spread(samples[v].map((s) => s.wallMs)),
					(EXECUTIONS / (wall(v) / 1000)).toFixed(1),
					ms(median(samples[v].flatMap((s) => s.runMs))),
					median(samples[v].map((s) => s.logins)),
					ratio(wall(v), wall('sequential')),
				]);
				print();
				print(`### n8n ${line.n8nVersion}`);
				print(
					table(
						[
							'variant',
							'wall (median)',
							'range',
							'executions/s',
							'run per execution (median)',
							'logins',
							'wall vs one at a time',
						],
						rows,
					),
				);
				print(
					`Session expiry costs ${ratio(wall('expiry'), wall('burst'))} the burst's wall time.`,
				);
				out[line.label] = samples;
			} finally {
				await cluster.dispose();
				await sim.close();
			}
		}
	} finally {
		await postgres.stop();
		await redis.stop();
		await removeDir(dir);
	}
	print();
	return out;
}
