/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// `npm run bench` (see bench/README.md): P1 Get Malops fan-out, P2 Remediate batching, P3 trigger poll cost, Scale.
// Every number is a median over fresh client processes, next to a baseline measured in the same run.
import { USER_FOLDER } from './env';

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { MMNG_PAGE_SIZE } from '../nodes/shared/malopQuery/mmng';
import { describeMachine, machineInfo } from './machine';
import { runWorker, startSim, type SimHandle } from './proc';
import { benchQueue } from './queue';
import { mb, median, ms, ratio, spread, table } from './stats';
import { huntBody } from './hunt-variant';
import type { GetMalopsTask, RemediateTask, Task, TaskResult } from './worker';

interface Options {
	runs: number;
	warm: number;
	only: Set<string>;
	json?: string;
}

function parseArgs(argv: string[]): Options {
	const options: Options = { runs: 5, warm: 3, only: new Set(['p1', 'scale', 'p2', 'p3', 'hunt']) };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		if (arg === '--runs') options.runs = Number(value());
		else if (arg === '--warm') options.warm = Number(value());
		else if (arg === '--only') options.only = new Set(value().split(','));
		else if (arg === '--json') options.json = value();
		else
			throw new Error(
				`Unknown argument ${arg}; use --runs N, --warm N, --only p1,p1mmng,scale,p2,p3,hunt,queue, --json FILE`,
			);
	}
	return options;
}

const print = (text = '') => console.log(text);

/** One client process, with the simulator's CPU time over the same span. */
async function measured(sim: SimHandle, task: Task): Promise<TaskResult> {
	const before = await sim.cpuMs();
	const result = await runWorker(task);
	result.simCpuMs = (await sim.cpuMs()) - before;
	return result;
}

interface Summary {
	runs: number;
	cold: number;
	warm: number;
	coldCpu: number;
	warmCpu: number;
	/** Simulator CPU per full-size run (its time over a client process, divided by the runs in it). */
	simCpuPerRun: number;
	peakDelta: number;
	maxRss: number;
	retained: number;
	coldAll: number[];
	warmAll: number[];
}

function summarise(results: TaskResult[]): Summary {
	const warmAll = results.flatMap((r) => r.warmMs);
	return {
		runs: results.length,
		cold: median(results.map((r) => r.coldMs)),
		warm: median(warmAll),
		coldCpu: median(results.map((r) => r.coldCpuMs)),
		warmCpu: median(results.flatMap((r) => r.warmCpuMs)),
		simCpuPerRun: median(results.map((r) => (r.simCpuMs ?? NaN) / (1 + r.warmMs.length))),
		peakDelta: median(results.map((r) => r.peakDelta)),
		maxRss: median(results.map((r) => r.maxRss)),
		retained: median(results.map((r) => r.retainedHeap)),
		coldAll: results.map((r) => r.coldMs),
		warmAll,
	};
}

function sameDetail(results: TaskResult[], key: string, expected: number, label: string) {
	for (const r of results) {
		if (r.detail[key] !== expected)
			throw new Error(`${label}: ${key} = ${String(r.detail[key])}, expected ${expected}`);
	}
}

// ---------------------------------------------------------------------------------------------
// Get Malops: P1 and Scale
// ---------------------------------------------------------------------------------------------

async function getMalopsSim(malops: number): Promise<SimHandle> {
	return await startSim({
		dataset: { malops, machinesPerMalop: 4, logonSessionShare: 0.5, seed: 7, baseTime: Date.now() },
	});
}

type Source = NonNullable<GetMalopsTask['source']>;

/** What each source sends: its route, and the calls of the preflight (Get Malops with limit 1). */
const SOURCES: Record<Source, { route: string; preflight: number }> = {
	crimesUnified: { route: 'POST /rest/crimes/unified', preflight: 2 },
	malopsManagement: { route: 'POST /rest/mmng/v2/malops', preflight: 1 },
};

/** The calls of the measured runs, after the preflight's small ones, in the order sent. */
async function measuredCalls(sim: SimHandle, source: Source) {
	return (await sim.requests()).slice(SOURCES[source].preflight);
}

/**
 * The calls a run makes: crimes/unified two (one per Malop type); mmng/v2 one per page, as many as the node's
 * first run needed (every other variant must send the same).
 */
function checkCalls(
	variant: string,
	source: Source,
	byRoute: Record<string, number>,
	perRun: number,
	options: Options,
) {
	const { route, preflight } = SOURCES[source];
	const calls = Object.values(byRoute).reduce((a, b) => a + b, 0);
	const expected = preflight + perRun * (1 + options.warm);
	if (calls !== expected || byRoute[route] !== calls) {
		throw new Error(
			`${variant}: expected ${expected} ${route} calls, saw ${JSON.stringify(byRoute)}`,
		);
	}
}

async function getMalopsRounds(
	sim: SimHandle,
	variants: Array<GetMalopsTask['variant']>,
	options: Options,
	expectItems: number,
	runs: number,
	source: Source = 'crimesUnified',
): Promise<{ results: Record<string, TaskResult[]>; callsPerRun: number }> {
	const results: Record<string, TaskResult[]> = Object.fromEntries(variants.map((v) => [v, []]));
	let firstWire: { variant: string; calls: string[] } | undefined;
	// mmng/v2: learnt from the node's first run (it runs first in round 0): its pages, which the floor replays.
	let perRun = source === 'crimesUnified' ? 2 : 0;
	let bodies: unknown[] | undefined;
	for (let round = 0; round < runs; round++) {
		// Alternate the order so a load change on the machine hits both variants alike.
		const order = round % 2 === 0 ? variants : [...variants].reverse();
		for (const variant of order) {
			await sim.resetRequests();
			const result = await measured(sim, {
				kind: 'getMalops',
				variant,
				source,
				bodies,
				url: sim.url,
				cookie: sim.cookie,
				warmRuns: options.warm,
			});
			const calls = await measuredCalls(sim, source);
			if (perRun === 0) {
				perRun = calls.length / (1 + options.warm);
				bodies = calls.slice(0, perRun).map((r) => r.body);
			}
			checkCalls(variant, source, await sim.requestsByRoute(), perRun, options);
			if (round === 0) {
				const mine = calls.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`).sort();
				if (!firstWire) firstWire = { variant, calls: mine };
				else if (JSON.stringify(mine) !== JSON.stringify(firstWire.calls)) {
					throw new Error(
						`${variant} and ${firstWire.variant} sent different requests:\n${mine.join('\n')}\n---\n${firstWire.calls.join('\n')}`,
					);
				}
			}
			results[variant].push(result);
		}
	}
	if (results.node) sameDetail(results.node, 'items', expectItems, 'node');
	if (results.axios) sameDetail(results.axios, 'items', expectItems, 'axios');
	return { results, callsPerRun: perRun };
}

/** The node / baseline / floor table and the node-to-baseline ratios (P1, Hunt). */
function printAgainstBaseline(variants: Array<[string, Summary]>) {
	const row = (label: string, v: Summary) => [
		label,
		ms(v.cold),
		spread(v.coldAll),
		ms(v.warm),
		spread(v.warmAll),
		ms(v.warmCpu),
		mb(v.peakDelta),
		mb(v.maxRss),
		mb(v.retained),
		ms(v.simCpuPerRun),
	];
	print(
		table(
			[
				'variant',
				'cold (median)',
				'cold range',
				'warm (median)',
				'warm range',
				'warm CPU',
				'peak RSS added',
				'maxRSS',
				'retained heap',
				'simulator CPU/run',
			],
			variants.map(([label, v]) => row(label, v)),
		),
	);
	print();
	const [node, axios] = [variants[0][1], variants[1][1]];
	print(
		`Time ratio node/baseline: cold ${ratio(node.cold, axios.cold)}, warm ${ratio(node.warm, axios.warm)} (target ≤ 1.3×); warm CPU ${ratio(node.warmCpu, axios.warmCpu)}`,
	);
	print(
		`Peak memory ratio node/baseline (peak RSS added by the cold run): ${ratio(node.peakDelta, axios.peakDelta)} (target ≤ 2×)`,
	);
	print();
}

const P1_SOURCES: Record<Source, { title: string; calls: (perRun: number) => string }> = {
	crimesUnified: {
		title: 'crimes/unified, both Malop types',
		calls: () => 'the two crimes/unified calls',
	},
	malopsManagement: {
		title: `Malops management, mmng/v2 pages of ${MMNG_PAGE_SIZE}`,
		calls: (perRun) => `the ${perRun} mmng/v2 pages (oldest first)`,
	},
};

async function benchP1(options: Options, source: Source) {
	const malops = 5000;
	const expectItems = malops * 4;
	print(
		`## P1 Get Malops fan-out (${P1_SOURCES[source].title}): ${malops} Malops × 4 machines = ${expectItems} items`,
	);
	const sim = await getMalopsSim(malops);
	try {
		const { results, callsPerRun } = await getMalopsRounds(
			sim,
			['node', 'axios', 'raw'],
			options,
			expectItems,
			options.runs,
			source,
		);
		const node = summarise(results.node);
		const axios = summarise(results.axios);
		const raw = summarise(results.raw);
		const bytes = Number(results.raw[0].detail.bytes);
		print(
			`Answer size: ${mb(bytes)} for ${P1_SOURCES[source].calls(callsPerRun)}; ${options.runs} client processes per variant, each 1 cold + ${options.warm} warm runs.`,
		);
		print();
		printAgainstBaseline([
			['Get Malops node in n8n engine', node],
			['baseline: axios + JSON.parse', axios],
			['floor: axios, bytes only', raw],
		]);
		return { source, malops, items: expectItems, bytes, callsPerRun, node, axios, raw };
	} finally {
		await sim.close();
	}
}

async function benchScale(options: Options) {
	const sizes = [1000, 5000, 10_000];
	const runs = Math.max(1, Math.min(options.runs, 3));
	print(
		`## Scale: Get Malops at ${sizes.join(', ')} Malops × 4 machines (${runs} client processes per size and variant, ${options.warm} warm runs each)`,
	);
	const rows: Array<Array<string | number>> = [];
	const out: Array<Record<string, unknown>> = [];
	let base: { node: number; axios: number; raw: number } | undefined;
	const us = (value: number) => `${(value * 1000).toFixed(1)} µs`;
	for (const malops of sizes) {
		const items = malops * 4;
		const sim = await getMalopsSim(malops);
		try {
			const { results } = await getMalopsRounds(
				sim,
				['node', 'axios', 'raw'],
				options,
				items,
				runs,
			);
			const node = summarise(results.node);
			const axios = summarise(results.axios);
			const raw = summarise(results.raw);
			const per = { node: node.warm / items, axios: axios.warm / items, raw: raw.warm / items };
			base ??= per;
			rows.push([
				malops,
				items,
				ms(node.warm),
				us(per.node),
				ratio(per.node, base.node),
				`${us(node.warmCpu / items)}`,
				`${us(per.axios)} (${ratio(per.axios, base.axios)})`,
				`${us(per.raw)} (${ratio(per.raw, base.raw)})`,
				ratio(node.warm, axios.warm),
				mb(node.peakDelta),
			]);
			out.push({ malops, items, node, axios, raw, perItemMs: per });
		} finally {
			await sim.close();
		}
	}
	print();
	print(
		table(
			[
				'Malops',
				'items',
				'node warm (median)',
				'node per item',
				'vs 1k',
				'node CPU per item',
				'baseline per item (vs 1k)',
				'bytes-only floor per item (vs 1k)',
				'node/baseline',
				'node peak RSS added',
			],
			rows,
		),
	);
	print();
	return out;
}

// ---------------------------------------------------------------------------------------------
// P2 Remediate batching
// ---------------------------------------------------------------------------------------------

const P2 = { malops: 200, perMalop: 5, latencyMs: 25, stepMs: 500, concurrency: 5, pollS: 1 };

interface P2Variant {
	label: string;
	task: Omit<RemediateTask, 'url' | 'cookie' | 'items' | 'kind'>;
	/** The wall time that latency and concurrency alone allow, and how it is made up. */
	bound: { ms: number; how: string };
	runs: number;
}

async function benchP2(options: Options) {
	const { malops, perMalop, latencyMs, stepMs, concurrency, pollS } = P2;
	const targets = malops * perMalop;
	const waves = Math.ceil(malops / concurrency);
	const guardOn = {
		ms: waves * 2 * latencyMs,
		how: `${waves} waves of ${concurrency} Malops × 2 round trips (status read, then POST) × ${latencyMs} ms`,
	};
	const guardOff = {
		ms: waves * latencyMs,
		how: `${waves} waves × 1 round trip (POST) × ${latencyMs} ms`,
	};
	const wait = {
		ms: guardOn.ms + pollS * 1000 + waves * latencyMs,
		how: `sending ${guardOn.ms} ms + one poll interval (${pollS * 1000} ms) + one progress read per remediation (${waves} waves × ${latencyMs} ms); every action has finished (${2 * stepMs} ms after its POST) before the first read`,
	};
	const waitOptions = { waitForCompletion: true, pollInterval: pollS };
	const variants: P2Variant[] = [
		{
			label: 'Remediate node, replay guard on (default)',
			task: { variant: 'node', options: {} },
			bound: guardOn,
			runs: options.runs,
		},
		{
			label: 'floor: same calls via n8n request helper',
			task: { variant: 'floor', options: {} },
			bound: guardOn,
			runs: options.runs,
		},
		{
			label: 'Remediate node, replay guard off',
			task: { variant: 'node', options: { replayGuardWindow: 0 } },
			bound: guardOff,
			runs: options.runs,
		},
		{
			label: 'floor: same calls via n8n request helper',
			task: { variant: 'floor', options: { replayGuardWindow: 0 } },
			bound: guardOff,
			runs: options.runs,
		},
		{
			label: `Remediate node, guard on, wait for completion (poll ${pollS} s)`,
			task: { variant: 'node', options: waitOptions },
			bound: wait,
			runs: options.runs,
		},
		{
			label: 'floor: same calls via n8n request helper',
			task: { variant: 'floor', options: waitOptions },
			bound: wait,
			runs: options.runs,
		},
		{
			label: `baseline: one POST per target, ${concurrency} in flight (axios)`,
			task: { variant: 'perTarget', concurrency },
			bound: {
				ms: Math.ceil(targets / concurrency) * latencyMs,
				how: `${Math.ceil(targets / concurrency)} waves × ${latencyMs} ms`,
			},
			runs: options.runs,
		},
		{
			label: 'baseline: one POST per target, one at a time (XSOAR playbook loop, axios)',
			task: { variant: 'perTarget', concurrency: 1 },
			bound: { ms: targets * latencyMs, how: `${targets} round trips × ${latencyMs} ms` },
			runs: Math.max(1, Math.min(options.runs, 3)),
		},
	];
	print(
		`## P2 Remediate batching: ${targets} targets across ${malops} Malops, ${latencyMs} ms simulated latency on every call`,
	);
	print(
		`A fresh simulator per sample (the replay guard would otherwise find the previous sample's remediations); remediation step ${stepMs} ms; variants interleaved round by round.`,
	);
	const samples = variants.map(
		() => [] as Array<{ result: TaskResult; byRoute: Record<string, number> }>,
	);
	const rounds = Math.max(...variants.map((v) => v.runs));
	for (let round = 0; round < rounds; round++) {
		for (const [index, variant] of variants.entries()) {
			if (round >= variant.runs) continue;
			const sim = await startSim(
				{
					dataset: { malops: malops + 100, machinesPerMalop: 2, seed: 11, baseTime: Date.now() },
					latencyMs,
					remediationStepMs: stepMs,
				},
				false,
			);
			try {
				const items = await sim.items(malops, perMalop);
				const result = await measured(sim, {
					kind: 'remediate',
					url: sim.url,
					cookie: sim.cookie,
					items,
					...variant.task,
				} as RemediateTask);
				const byRoute = await sim.requestsByRoute();
				delete byRoute['POST /login.html'];
				samples[index].push({ result, byRoute });
			} finally {
				await sim.close();
			}
		}
	}
	const rows: Array<Array<string | number>> = [];
	const out: Array<Record<string, unknown>> = [];
	for (const [index, variant] of variants.entries()) {
		const mine = samples[index];
		const byRoute = mine[0].byRoute;
		for (const s of mine) {
			if (JSON.stringify(s.byRoute) !== JSON.stringify(byRoute)) {
				throw new Error(
					`${variant.label}: traffic differs between samples: ${JSON.stringify(s.byRoute)} vs ${JSON.stringify(byRoute)}`,
				);
			}
			if (s.result.detail.items !== targets)
				throw new Error(`${variant.label}: ${String(s.result.detail.items)} results`);
		}
		// Preflights: the baseline and the floor read one status; the node's dry run makes one sensors query.
		const preflight = variant.task.variant === 'node' ? 0 : 1;
		if (variant.task.variant === 'node' && byRoute['POST /rest/sensors/query'] !== 1) {
			throw new Error(
				`${variant.label}: expected the preflight's one sensors query, saw ${JSON.stringify(byRoute)}`,
			);
		}
		const posts = byRoute['POST /rest/remediate'] ?? 0;
		const statusReads = (byRoute['GET /rest/remediate/status/{malopId}'] ?? 0) - preflight;
		const progressReads =
			byRoute['GET /rest/remediate/progress/{user}/{malopId}/{remediationId}'] ?? 0;
		const remediations = Number(mine[0].result.detail.remediations);
		const walls = mine.map((s) => s.result.coldMs);
		const wall = median(walls);
		const cpu = median(mine.map((s) => s.result.coldCpuMs));
		const simCpu = median(mine.map((s) => s.result.simCpuMs ?? NaN));
		const calls = posts + statusReads + progressReads;
		rows.push([
			variant.label,
			posts,
			statusReads,
			progressReads
				? `${progressReads} (${(progressReads / remediations).toFixed(2)}/remediation)`
				: '0',
			ms(wall),
			spread(walls),
			ms(variant.bound.ms),
			ratio(wall, variant.bound.ms),
			`${ms(cpu)} (${(cpu / calls).toFixed(1)} ms/call)`,
			ms(simCpu),
			mine.length,
		]);
		out.push({
			label: variant.label,
			task: variant.task,
			bound: variant.bound,
			posts,
			statusReads,
			progressReads,
			remediations,
			calls,
			wallMs: wall,
			clientCpuMs: cpu,
			simCpuMs: simCpu,
			byRoute,
			statuses: mine[0].result.detail.statuses,
			samples: mine.map((s) => s.result),
		});
	}
	print();
	print(
		table(
			[
				'variant',
				'POST /rest/remediate',
				'status reads',
				'progress reads',
				'wall (median)',
				'range',
				'bound',
				'wall/bound',
				'client CPU',
				'simulator CPU',
				'samples',
			],
			rows,
		),
	);
	print();
	print(`Bounds: guard on = ${guardOn.how}; guard off = ${guardOff.how}; wait = ${wait.how}.`);
	for (const [node, floor] of [
		[0, 1],
		[2, 3],
		[4, 5],
	] as const) {
		const n = out[node] as { wallMs: number; clientCpuMs: number };
		const f = out[floor] as { wallMs: number; clientCpuMs: number };
		print(
			`- ${variants[node].label}: ${ratio(n.wallMs, f.wallMs)} the floor's wall time, ${ratio(n.clientCpuMs, f.clientCpuMs)} its CPU time`,
		);
	}
	print();
	return out;
}

// P3 Trigger poll: a regular poll, and the hourly reconciliation poll that re-reads the remember window.

const HOUR_MS = 3_600_000;

type TriggerStaticData = Record<string, { cursor: Record<string, unknown> }>;

/** The trigger's own state after a first poll over the console (emits every pair), or an empty memory. */
async function p3State(
	sim: SimHandle,
	malops: number,
	parameters: Record<string, unknown>,
	reference?: { since: number; cursor: number },
): Promise<TriggerStaticData> {
	if (malops === 0) {
		const { since, cursor } = reference!;
		const empty = { version: 1, since, cursor, count: 0, revision: 0, oldest: cursor, seen: {} };
		return { 'node:Trigger': { cursor: { ...empty, reconciledAt: Date.now() } } };
	}
	const prepared = await runWorker({
		kind: 'poll',
		url: sim.url,
		cookie: sim.cookie,
		staticData: {},
		parameters,
		warmRuns: 0,
		returnState: true,
	});
	if (prepared.detail.items !== malops * 4)
		throw new Error(`first poll emitted ${String(prepared.detail.items)} of ${malops * 4} pairs`);
	return prepared.detail.staticData as TriggerStaticData;
}

/** The same state, with its last reconciliation pass two hours ago: the next poll makes one. */
function reconciliationDue(staticData: TriggerStaticData): TriggerStaticData {
	const { cursor } = staticData['node:Trigger'];
	return { 'node:Trigger': { cursor: { ...cursor, reconciledAt: Date.now() - 2 * HOUR_MS } } };
}

async function benchP3(options: Options) {
	const seenMalops = [0, 2500, 10_000];
	const newPairs = 10;
	const startFrom = new Date(Date.now() - 30 * 24 * HOUR_MS).toISOString();
	const parameters = {
		event: 'newMalopMachine',
		source: 'crimesUnified',
		malopTypes: ['MalopProcess', 'MalopLogonSession'],
		filters: { includeClosed: true },
		options: { startFrom },
	};
	print(`## P3 Trigger: one poll with N (Malop, machine) pairs already seen and ${newPairs} new`);
	print(
		`The remembered state is built by the trigger itself (a first poll from Start From = 30 days ago over Malops last updated 2 h+ ago), then ${newPairs} new one-machine Malops appear. Each size is polled from that state as a regular poll and as the hourly reconciliation poll (the same state with its last pass 2 h ago: it re-reads the remember window), interleaved. ${options.runs} client processes per size and kind, each 1 cold + ${options.warm} warm polls from the same state.`,
	);
	const rows: Array<Array<string | number>> = [];
	const out: Array<Record<string, unknown>> = [];
	let reference: { since: number; cursor: number } | undefined;
	const regularBySize = new Map<number, Summary>();
	// 0 seen last: it borrows the window (since, cursor) of the 10,000-pair state so both polls ask the same question.
	for (const malops of [...seenMalops.filter((n) => n > 0), 0]) {
		const pairs = malops * 4;
		const sim = await startSim({
			dataset: {
				malops,
				machinesPerMalop: 4,
				logonSessionShare: 0.5,
				seed: 5,
				baseTime: Date.now() - 2 * HOUR_MS,
			},
		});
		try {
			const staticData = await p3State(sim, malops, parameters, reference);
			const cursor = staticData['node:Trigger'].cursor as { since: number; cursor: number };
			if (malops === 2500) reference = { since: cursor.since, cursor: cursor.cursor };
			await sim.addMalops(newPairs, { kind: 'MalopProcess', machines: 1 });
			// Default overlap 10 minutes: the poll re-reads what changed in the 10 minutes before the cursor.
			const times = await sim.malopTimes();
			const inAnswer = {
				regular: times.filter((m) => m.lastUpdateTime >= cursor.cursor - 10 * 60_000).length,
				reconciliation: times.filter((m) => m.lastUpdateTime >= cursor.since).length,
			};
			const states = { regular: staticData, reconciliation: reconciliationDue(staticData) };
			const results: Record<'regular' | 'reconciliation', TaskResult[]> = {
				regular: [],
				reconciliation: [],
			};
			for (let run = 0; run < options.runs; run++) {
				for (const kind of ['regular', 'reconciliation'] as const) {
					results[kind].push(
						await measured(sim, {
							kind: 'poll',
							url: sim.url,
							cookie: sim.cookie,
							staticData: states[kind],
							parameters,
							warmRuns: options.warm,
						}),
					);
				}
			}
			for (const kind of ['regular', 'reconciliation'] as const) {
				// Every poll emits exactly the new pairs: the re-read repeats nothing the memory holds.
				sameDetail(results[kind], 'items', newPairs, `P3 ${pairs} seen, ${kind}`);
				const summary = summarise(results[kind]);
				if (kind === 'regular') regularBySize.set(pairs, summary);
				const regular = regularBySize.get(pairs)!;
				rows.push([
					pairs,
					kind === 'regular' ? 'regular' : 'reconciliation (hourly)',
					Buffer.byteLength(JSON.stringify(states[kind])),
					inAnswer[kind],
					ms(summary.cold),
					ms(summary.warm),
					spread(summary.warmAll),
					ms(summary.warmCpu),
					ratio(summary.warm, regular.warm),
					mb(summary.peakDelta),
					mb(summary.retained),
				]);
				out.push({ seenPairs: pairs, kind, malopsInAnswer: inAnswer[kind], ...summary });
			}
		} finally {
			await sim.close();
		}
	}
	// 0 seen first in the table.
	rows.unshift(...rows.splice(-2));
	out.unshift(...out.splice(-2));
	print();
	print(
		table(
			[
				'pairs seen',
				'poll',
				'static data (bytes)',
				'Malops in the answer',
				'cold poll',
				'warm poll (median)',
				'warm range',
				'warm CPU',
				'vs regular poll (warm)',
				'peak RSS added',
				'retained heap',
			],
			rows,
		),
	);
	print();
	const base = regularBySize.get(0)!;
	for (const entry of out) {
		const s = entry as unknown as Summary & { seenPairs: number; kind: string };
		const regular = regularBySize.get(s.seenPairs)!;
		const hour = (s.warm + 59 * regular.warm) / (60 * regular.warm);
		print(
			s.kind === 'regular'
				? `${s.seenPairs} seen vs 0 seen, regular poll: warm time ${ratio(s.warm, base.warm)}, cold time ${ratio(s.cold, base.cold)}, peak RSS added ${ratio(s.peakDelta, base.peakDelta)}`
				: `${s.seenPairs} seen, reconciliation vs regular poll: warm ${ratio(s.warm, regular.warm)}, cold ${ratio(s.cold, regular.cold)}, peak RSS added ${ratio(s.peakDelta, regular.peakDelta)}; an hour of 1-minute polls costs ${hour.toFixed(2)}× the regular polls alone`,
		);
	}
	print();
	return out;
}

// ---------------------------------------------------------------------------------------------
// Hunt: one 10,000-element Visual Search answer into items
// ---------------------------------------------------------------------------------------------

const HUNT = { machines: 10, processesPerMachine: 1000 };

async function benchHunt(options: Options) {
	const elements = HUNT.machines * HUNT.processesPerMachine;
	print(
		`## Hunt: a Visual Search for every process, Return All: ${elements} elements (${HUNT.machines} machines × ${HUNT.processesPerMachine} processes) into ${elements} items`,
	);
	const sim = await startSim(
		{
			dataset: {
				malops: 0,
				eppMalops: 0,
				sharedMachines: HUNT.machines,
				seed: 9,
				baseTime: Date.now(),
			},
			hunting: { processesPerMachine: HUNT.processesPerMachine },
		},
		false,
	);
	try {
		// The simulator builds its model and serialises every entry on the first query; a console has them already.
		await sim.post('/rest/visualsearch/query/simple', huntBody());
		const variants = ['node', 'helper', 'axios', 'raw'] as const;
		const results: Record<string, TaskResult[]> = { node: [], helper: [], axios: [], raw: [] };
		let firstWire: string | undefined;
		for (let round = 0; round < options.runs; round++) {
			for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
				await sim.resetRequests();
				const result = await measured(sim, {
					kind: 'hunt',
					variant,
					url: sim.url,
					cookie: sim.cookie,
					warmRuns: options.warm,
				});
				const requests = await sim.requests();
				const calls = requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`);
				// The preflight (limit 1), then the same full query for the cold run and each warm run.
				if (calls.length !== 2 + options.warm || new Set(calls.slice(1)).size !== 1)
					throw new Error(`${variant}: unexpected requests ${calls.join('\n')}`);
				if (firstWire === undefined) firstWire = calls[1];
				else if (calls[1] !== firstWire)
					throw new Error(`${variant} sent another query:\n${calls[1]}\n---\n${firstWire}`);
				results[variant].push(result);
			}
		}
		sameDetail(results.node, 'items', elements, 'node');
		sameDetail(results.node, 'withMachine', elements, 'node');
		sameDetail(results.helper, 'items', elements, 'helper');
		sameDetail(results.axios, 'items', elements, 'axios');
		const node = summarise(results.node);
		const helper = summarise(results.helper);
		const axios = summarise(results.axios);
		const raw = summarise(results.raw);
		const bytes = Number(results.raw[0].detail.bytes);
		print(
			`Answer size: ${mb(bytes)}; ${options.runs} client processes per variant, each 1 cold + ${options.warm} warm runs, interleaved.`,
		);
		print();
		printAgainstBaseline([
			['Cybereason node, process search, in n8n engine', node],
			['baseline: axios + JSON.parse', axios],
			["n8n's share: its request helper + JSON.parse, GUID-only items", helper],
			['floor: axios, bytes only', raw],
		]);
		print(
			`Node against n8n's request helper alone: warm ${ratio(node.warm, helper.warm)}, cold ${ratio(node.cold, helper.cold)}, warm CPU ${ratio(node.warmCpu, helper.warmCpu)}`,
		);
		print();
		return { elements, bytes, node, helper, axios, raw };
	} finally {
		await sim.close();
	}
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const info = machineInfo();
	print(`# n8n-nodes-cybereason benchmarks`);
	print(`Machine: ${describeMachine(info)}`);
	print(`Started ${new Date().toISOString()}`);
	print();
	const report: Record<string, unknown> = {
		machine: info,
		options: { ...options, only: [...options.only] },
	};
	try {
		if (options.only.has('p1')) report.p1 = await benchP1(options, 'crimesUnified');
		if (options.only.has('p1') || options.only.has('p1mmng'))
			report.p1mmng = await benchP1(options, 'malopsManagement');
		if (options.only.has('scale')) report.scale = await benchScale(options);
		if (options.only.has('p2')) report.p2 = await benchP2(options);
		if (options.only.has('p3')) report.p3 = await benchP3(options);
		if (options.only.has('hunt')) report.hunt = await benchHunt(options);
		if (options.only.has('queue')) report.queue = await benchQueue(options.runs, print);
	} finally {
		rmSync(USER_FOLDER!, { recursive: true, force: true });
	}
	report.loadAverageAtEnd = machineInfo().loadAverage;
	const out = options.json ?? join(__dirname, 'results.json');
	writeFileSync(out, JSON.stringify(report, null, 2));
	print(`Load average at the end: ${machineInfo().loadAverage.join(' / ')}. Raw numbers: ${out}`);
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
