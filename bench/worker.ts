/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// A measured client, one per child process (fresh heap, its own maxRSS). It loads what its variant needs, runs
// the variant once cold (time and peak memory), then `warmRuns` more times (time only), and reports over IPC.
import './env';

import { benchEngine } from './bench-engine';
import type { HuntTask } from './hunt-variant';
import type { RemediationItemSpec } from './sim-process';

export interface GetMalopsTask {
	kind: 'getMalops';
	/** node: Get Malops inside n8n's engine; axios: the same calls, JSON.parse only; raw: the bytes only. */
	variant: 'node' | 'axios' | 'raw';
	/** crimesUnified (default): two calls, one per Malop type; malopsManagement: pages of mmng/v2. */
	source?: 'crimesUnified' | 'malopsManagement';
	/** raw on malopsManagement: the bodies the node sent in one run, replayed. */
	bodies?: unknown[];
	url: string;
	cookie: string;
	warmRuns: number;
}

export interface RemediateTask {
	kind: 'remediate';
	/**
	 * node: Remediate inside n8n's engine; floor: the node's exact calls through n8n's request helper and nothing
	 * else (bench/replay-node.ts); perTarget: one POST per target with axios (XSOAR's shape).
	 */
	variant: 'node' | 'floor' | 'perTarget';
	url: string;
	cookie: string;
	items: RemediationItemSpec[];
	/** Node options (replayGuardWindow, waitForCompletion, pollInterval). */
	options?: Record<string, unknown>;
	/** perTarget: requests in flight. */
	concurrency?: number;
}

export interface PollTask {
	kind: 'poll';
	url: string;
	cookie: string;
	/** Static data to start from (JSON), e.g. a cursor with 10,000 pairs seen. */
	staticData: Record<string, unknown>;
	parameters: Record<string, unknown>;
	warmRuns: number;
	/** Send the static data back after the cold run (to build the state of a later benchmark). */
	returnState?: boolean;
}

export type Task = GetMalopsTask | RemediateTask | PollTask | HuntTask;

export interface TaskResult {
	coldMs: number;
	warmMs: number[];
	/** RSS right before the cold run (after loading and a full GC). */
	rssBefore: number;
	/** process.resourceUsage().maxRSS after the cold run, in bytes. */
	maxRss: number;
	/** maxRss - rssBefore: what the cold run added at its peak. */
	peakDelta: number;
	/** JS heap still used by the run's result after a full GC (items, parsed answers). */
	retainedHeap: number;
	/** CPU time (user + system) of the cold run: less sensitive than wall time to other load on the machine. */
	coldCpuMs: number;
	warmCpuMs: number[];
	detail: Record<string, unknown>;
	/** Set by run.ts: CPU time the simulator process spent while this client ran (all its runs). */
	simCpuMs?: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const now = () => performance.now();

export interface Variant {
	/**
	 * A tiny run of the same code path before anything is measured. n8n-core loads much of itself lazily on a
	 * node's first execution (over a second here); a running n8n instance has paid that long before, so the
	 * "cold" run below is the first full-size run of a process that is otherwise up, as in production.
	 */
	preflight(): Promise<void>;
	/** One run. */
	run(): Promise<Outcome>;
}

export interface Outcome {
	/** What the run produced: kept alive until its memory is measured. */
	keep: unknown;
	/** Counts to check the run did the whole job; called after the clock has stopped. */
	detail(): Record<string, unknown>;
}

async function getMalopsVariant(task: GetMalopsTask): Promise<Variant> {
	const malopTypes = ['MalopProcess', 'MalopLogonSession'] as const;
	const mmng = task.source === 'malopsManagement';
	if (mmng && task.variant !== 'node') {
		const { mmngClientVariant } = await import('./mmng');
		return await mmngClientVariant(task);
	}
	if (task.variant === 'node') {
		const { CybereasonGetMalops } = await import(
			'../nodes/CybereasonGetMalops/CybereasonGetMalops.node'
		);
		const { registerNodeType } = await import('../scripts/lib/engine');
		registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());
		const engine = await benchEngine(task);
		const spec = (limit?: number) => ({
			nodes: [
				{
					name: 'Get Malops',
					type: 'n8n-nodes-cybereason.cybereasonGetMalops',
					parameters: {
						...(mmng
							? { source: 'malopsManagement' }
							: { source: 'crimesUnified', malopTypes: [...malopTypes] }),
						returnAll: limit === undefined,
						...(limit === undefined ? {} : { limit }),
						filters: { includeClosed: true },
						outputMode: 'perMachine',
						options: {},
					},
				},
			],
		});
		return {
			preflight: async () => {
				await engine.run(spec(1));
			},
			run: async () => {
				const run = await engine.run(spec());
				if (run.error) throw new Error(`Get Malops failed: ${run.error.message}`);
				return {
					keep: run,
					detail: () => {
						const items = run.output('Get Malops');
						return { items: items.length, malops: new Set(items.map((i) => i.json.malopId)).size };
					},
				};
			},
		};
	}
	const { plainClient } = await import('./client');
	const client = await plainClient(task);
	// Byte for byte what the node sends for Return All (crimesUnifiedBody); run.ts checks it on the wire.
	const body = (requestedType: string, totalResultLimit = 10_000) => ({
		totalResultLimit,
		perGroupLimit: 10_000,
		perFeatureLimit: 100,
		templateContext: 'OVERVIEW',
		queryPath: [{ requestedType, filters: [], result: true }],
		queryTimeout: 120_000,
	});
	return {
		preflight: async () => {
			await Promise.all(
				malopTypes.map(async (type) => await client.post('/rest/crimes/unified', body(type, 1))),
			);
		},
		run: async () => {
			const answers = await Promise.all(
				malopTypes.map(async (type) => await client.post('/rest/crimes/unified', body(type))),
			);
			if (task.variant === 'raw') {
				return {
					keep: answers.map((a) => a.data),
					detail: () => ({ bytes: answers.reduce((n, a) => n + (a.data as Buffer).length, 0) }),
				};
			}
			const parsed = answers.map(
				(a) =>
					JSON.parse(a.data as string) as {
						data: {
							resultIdToElementDataMap: Record<
								string,
								{ elementValues: { affectedMachines?: { elementValues: unknown[] } } }
							>;
						};
					},
			);
			const detail = () => {
				let malops = 0;
				let pairs = 0;
				for (const answer of parsed) {
					for (const element of Object.values(answer.data.resultIdToElementDataMap)) {
						malops++;
						pairs += element.elementValues.affectedMachines?.elementValues.length ?? 0;
					}
				}
				return { items: pairs, malops };
			};
			return { keep: parsed, detail };
		},
	};
}

async function remediateVariant(task: RemediateTask): Promise<Variant> {
	if (task.variant === 'node') {
		const { CybereasonRemediate } = await import(
			'../nodes/CybereasonRemediate/CybereasonRemediate.node'
		);
		const { registerNodeType } = await import('../scripts/lib/engine');
		registerNodeType('cybereasonRemediate', new CybereasonRemediate());
		const engine = await benchEngine(task);
		const spec = (items: RemediationItemSpec[], options: Record<string, unknown>) => ({
			nodes: [
				{ name: 'Start', type: 'test.start', parameters: { items: JSON.stringify(items) } },
				{
					name: 'Remediate',
					type: 'n8n-nodes-cybereason.cybereasonRemediate',
					// Malop ID, Machine GUID and Target ID keep their defaults ({{ $json.malopId }}, ...).
					parameters: { actionType: '={{ $json.actionType }}', options: options as never },
				},
			],
			connections: [['Start', 'Remediate']] as Array<[string, string]>,
		});
		return {
			// A dry run sends no action. Without the item's machine name, the Protected Machines check looks the name
			// up with one sensors query: the preflight goes through the node's whole HTTP path once.
			preflight: async () => {
				const item: Partial<RemediationItemSpec> = { ...task.items[0] };
				delete item.machineName;
				await engine.run(
					spec([item as RemediationItemSpec], {
						dryRun: true,
						protectedMachines: 'bench-preflight',
					}),
				);
			},
			run: async () => {
				const run = await engine.run(spec(task.items, task.options ?? {}));
				if (run.error) throw new Error(`Remediate failed: ${run.error.message}`);
				const detail = () => {
					const out = run.output('Remediate');
					const statuses: Record<string, number> = {};
					for (const item of out) {
						const status = String(
							(item.json.results as { status?: string } | undefined)?.status ?? 'error',
						);
						statuses[status] = (statuses[status] ?? 0) + 1;
					}
					return {
						items: out.length,
						remediations: new Set(out.map((i) => i.json.remediationId)).size,
						statuses,
					};
				};
				return { keep: run, detail };
			},
		};
	}
	if (task.variant === 'floor') {
		const { registerNodeType } = await import('../scripts/lib/engine');
		const { DEMO_USER } = await import('../simulator');
		const { ReplayNode } = await import('./replay-node');
		const { planBatches, remediateRequest } = await import('../nodes/shared/remediation');
		registerNodeType('bench.replay', new ReplayNode());
		const engine = await benchEngine(task);
		const batches = planBatches(
			task.items.map((item, itemIndex) => ({
				itemIndex,
				actionType: item.actionType as never,
				malopId: item.malopId,
				machineGuid: item.machineGuid,
				targetId: item.targetId,
				initiatorUserName: DEMO_USER.username,
			})),
		);
		const options = task.options ?? {};
		const plan = {
			baseUrl: task.url,
			user: DEMO_USER.username,
			concurrency: 5,
			statusRead: options.replayGuardWindow !== 0,
			pollMs: options.waitForCompletion === true ? Number(options.pollInterval) * 1000 : undefined,
			batches: batches.map((batch) => ({
				malopId: batch.malopId,
				body: remediateRequest(batch, batch.actions) as never,
			})),
		};
		const spec = (p: unknown) => ({
			nodes: [{ name: 'Replay', type: 'bench.replay', parameters: { plan: JSON.stringify(p) } }],
		});
		return {
			// One status read: the request path is loaded before the clock starts, as for the node.
			preflight: async () => {
				await engine.run(
					spec({ ...plan, batches: plan.batches.slice(0, 1), pollMs: undefined, readOnly: true }),
				);
			},
			run: async () => {
				const run = await engine.run(spec(plan));
				if (run.error) throw new Error(`Replay failed: ${run.error.message}`);
				return {
					keep: run,
					detail: () => ({
						items: task.items.length,
						remediations: new Set(run.output('Replay').map((i) => i.json.remediationId)).size,
					}),
				};
			},
		};
	}
	const { default: axios } = await import('axios');
	const client = axios.create({
		baseURL: task.url,
		headers: { Cookie: task.cookie, 'Content-Type': 'application/json' },
	});
	const { DEMO_USER } = await import('../simulator');
	return {
		preflight: async () => {
			await client.get(`/rest/remediate/status/${encodeURIComponent(task.items[0].malopId)}`);
		},
		run: async () => {
			const answers: Array<{ remediationId: string }> = new Array(task.items.length);
			let next = 0;
			const lanes = Array.from({ length: task.concurrency ?? 1 }, async () => {
				while (next < task.items.length) {
					const index = next++;
					const item = task.items[index];
					// One action per request, as XSOAR's remediation commands send it.
					const answer = await client.post('/rest/remediate', {
						malopId: item.malopId,
						initiatorUserName: DEMO_USER.username,
						actionsByMachine: {
							[item.machineGuid]: [{ targetId: item.targetId, actionType: item.actionType }],
						},
					});
					answers[index] = answer.data as { remediationId: string };
				}
			});
			await Promise.all(lanes);
			return {
				keep: answers,
				detail: () => ({
					items: answers.length,
					remediations: new Set(answers.map((a) => a.remediationId)).size,
				}),
			};
		},
	};
}

async function pollVariant(task: PollTask): Promise<Variant> {
	const { CybereasonTrigger } = await import('../nodes/CybereasonTrigger/CybereasonTrigger.node');
	const { registerNodeType } = await import('../scripts/lib/engine');
	registerNodeType('cybereasonTrigger', new CybereasonTrigger());
	const engine = await benchEngine(task);
	const node = {
		name: 'Trigger',
		type: 'n8n-nodes-cybereason.cybereasonTrigger',
		parameters: task.parameters as never,
	};
	// Each run polls from the same remembered state, as if it were the same poll again. Every run gets its own
	// activation, made before the clock starts: n8n loads an active workflow (and wraps its static data in its
	// change-tracking proxies) once, at activation, not on every poll.
	const activations = Array.from({ length: 1 + task.warmRuns }, () =>
		engine.activate(node, task.staticData as never),
	);
	return {
		// "Fetch Test Event" (manual mode) runs the query code path without touching the state.
		preflight: async () => {
			await engine.poll(node, {}, 'manual');
		},
		run: async () => {
			const active = activations.shift()!;
			const output = await active.poll('trigger');
			const detail = () => {
				const staticData = active.saved;
				const counts: Record<string, unknown> = {
					items: output?.[0]?.length ?? 0,
					staticDataBytes: Buffer.byteLength(JSON.stringify(staticData)),
					staticDataWrites: active.saves,
				};
				if (task.returnState) counts.staticData = staticData;
				return counts;
			};
			return { keep: { output }, detail };
		},
	};
}

async function variantFor(task: Task): Promise<Variant> {
	switch (task.kind) {
		case 'getMalops':
			return await getMalopsVariant(task);
		case 'remediate':
			return await remediateVariant(task);
		case 'poll':
			return await pollVariant(task);
		case 'hunt':
			return await (await import('./hunt-variant')).huntVariant(task);
	}
}

/**
 * BENCH_PROFILE=<dir>: a CPU profile of the cold run only (not of loading or the preflight), written as
 * <dir>/<kind>-<variant>-<pid>.cpuprofile for Chrome DevTools or `node --cpu-prof`-style tools.
 */
async function profiled<T>(task: Task, body: () => Promise<T>): Promise<T> {
	const dir = process.env.BENCH_PROFILE;
	if (!dir) return await body();
	const { Session } = await import('node:inspector');
	const { mkdirSync, writeFileSync } = await import('node:fs');
	const { join } = await import('node:path');
	const session = new Session();
	session.connect();
	const post = async (method: string, params?: object) =>
		await new Promise<unknown>((resolve, reject) =>
			session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 200 });
	await post('Profiler.start');
	try {
		return await body();
	} finally {
		const { profile } = (await post('Profiler.stop')) as { profile: unknown };
		mkdirSync(dir, { recursive: true });
		const variant = 'variant' in task ? task.variant : 'node';
		writeFileSync(
			join(dir, `${task.kind}-${variant}-${process.pid}.cpuprofile`),
			JSON.stringify(profile),
		);
		session.disconnect();
	}
}

async function measure(task: Task): Promise<TaskResult> {
	const variant = await variantFor(task);
	await variant.preflight();
	gc();
	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage().rss;
	const cpuStart = process.cpuUsage();
	const start = now();
	let cold: Outcome | undefined = await profiled(task, variant.run);
	const coldMs = now() - start;
	const cpu = process.cpuUsage(cpuStart);
	const coldCpuMs = (cpu.user + cpu.system) / 1000;
	const maxRss = process.resourceUsage().maxRSS * 1024;
	gc();
	const retainedHeap = process.memoryUsage().heapUsed - heapBefore;
	const detail = cold.detail();
	cold = undefined;
	const warmMs: number[] = [];
	const warmCpuMs: number[] = [];
	const warmRuns = 'warmRuns' in task ? task.warmRuns : 0;
	for (let i = 0; i < warmRuns; i++) {
		gc();
		const c = process.cpuUsage();
		const t = now();
		const result = await variant.run();
		warmMs.push(now() - t);
		const used = process.cpuUsage(c);
		warmCpuMs.push((used.user + used.system) / 1000);
		const counts = JSON.stringify(result.detail());
		if (counts !== JSON.stringify(detail)) {
			throw new Error(`warm run ${i + 1} differs: ${counts} vs ${JSON.stringify(detail)}`);
		}
	}
	return {
		coldMs,
		warmMs,
		coldCpuMs,
		warmCpuMs,
		rssBefore,
		maxRss,
		peakDelta: maxRss - rssBefore,
		retainedHeap,
		detail,
	};
}

process.on('message', (message: { id: number; cmd: string; args?: Task }) => {
	if (message.cmd === 'exit') {
		process.exit(0);
		return;
	}
	measure(message.args!).then(
		(result) => process.send!({ id: message.id, result }),
		(error: Error) => process.send!({ id: message.id, error: error.stack ?? error.message }),
	);
});
process.on('disconnect', () => process.exit(0));
