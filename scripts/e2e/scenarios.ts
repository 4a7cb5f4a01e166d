/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// The scenario table: the example workflows as shipped (read from examples/ at run time, no copies that could
// drift), the console preparation each needs, and its oracle: the expected requests and items, derived from the
// simulator's state and the example's own parameters with the product's own rules (what "closed" means, how a
// protected machine matches, the action types). run.ts runs them in one n8n process, queue.ts in queue mode.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isClosedStatus } from '../../nodes/shared/malops/record';
import { parseProtectedMachines, protectedEntry } from '../../nodes/shared/remediation';
import { REMEDIATION_ACTION_TYPES } from '../../nodes/shared/types';
import {
	DEMO_USER,
	startSimulator,
	type NewMalopSpec,
	type RecordedRequest,
	type SimMachine,
	type SimMalop,
	type Simulator,
} from '../../simulator';
import {
	nodeItems,
	type CredentialImport,
	type N8nInstance,
	type N8nServer,
	type PublicExecution,
	type RunData,
} from './n8n';
import { repoRoot } from './package';
import { delay, waitFor } from './proc';
import { check } from './report';

type Json = Record<string, unknown>;

export const PACKAGE = 'n8n-nodes-cybereason';
const GET_MALOPS = `${PACKAGE}.cybereasonGetMalops`;
export const REMEDIATE = `${PACKAGE}.cybereasonRemediate`;
const TRIGGER = `${PACKAGE}.cybereasonTrigger`;

export type ExampleNode = { name: string; type: string; parameters: Json } & Json;
type Workflow = { id: string; name: string; nodes: ExampleNode[]; connections: Json } & Json;
/** An example as shipped; `file` is its name in examples/. */
export type Example = { file: string; workflow: Workflow };

export interface Examples {
	scheduled: Example;
	trigger: Example;
	dryRun: Example;
	/** The one `cybereasonApi` credential ({ id, name }) all examples refer to. */
	credential: { id: string; name: string };
}

/** Reads examples/1-*, 2-* and 3-*.json; each needs an id (n8n would assign a random one) and the one credential. */
export function loadExamples(): Examples {
	const dir = join(repoRoot(), 'examples');
	const files = readdirSync(dir);
	const [scheduled, trigger, dryRun] = ['1-', '2-', '3-'].map((prefix): Example => {
		const file = files.find((f) => f.startsWith(prefix) && f.endsWith('.json'));
		check(file, `no examples/${prefix}*.json (found: ${files.join(', ')})`);
		const workflow = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
		check(typeof workflow.id === 'string' && workflow.id !== '', `examples/${file} has no id`);
		return { file, workflow };
	});
	const nodes = [scheduled, trigger, dryRun].flatMap((e) => e.workflow.nodes);
	const refs = nodes.flatMap((n) => (n.credentials as Json | undefined)?.cybereasonApi ?? []);
	const ids = new Set(refs.map((r) => (r as { id: string }).id));
	check(
		ids.size === 1,
		`the examples should share one cybereasonApi credential, found ${[...ids]}`,
	);
	return { scheduled, trigger, dryRun, credential: refs[0] as Examples['credential'] };
}

/** The one node of a type in a workflow. */
function nodeOf(example: Example, type: string): ExampleNode {
	const nodes = example.workflow.nodes.filter((n) => n.type === type);
	check(nodes.length === 1, `examples/${example.file}: ${nodes.length} nodes of type ${type}`);
	return nodes[0];
}

/** The credential as the README tells users to create it: Server URL, username, password. */
export function credentialFor(examples: Examples, baseUrl: string, password = DEMO_USER.password) {
	const data = { baseUrl, username: DEMO_USER.username, password };
	return { ...examples.credential, type: 'cybereasonApi', data } satisfies CredentialImport;
}

/** Simulator step time: remediations finish well within the Remediate node's first progress read. */
export async function startConsole(): Promise<Simulator> {
	return await startSimulator({ remediationStepMs: 300 });
}

export const pairKey = (malopId: unknown, machineGuid: unknown) =>
	`${String(malopId)}|${String(machineGuid)}`;

/** What differs between two lists taken as sets (and duplicates in `actual`); undefined when equal. */
export function sameSet(actual: string[], expected: string[]): string | undefined {
	const a = new Set(actual);
	const e = new Set(expected);
	const missing = [...e].filter((k) => !a.has(k));
	const extra = [...a].filter((k) => !e.has(k));
	const problems = [
		missing.length > 0 && `missing ${missing.join(', ')}`,
		extra.length > 0 && `unexpected ${extra.join(', ')}`,
		actual.length !== a.size && `${actual.length - a.size} duplicate(s)`,
	];
	return problems.filter(Boolean).join('; ') || undefined;
}

/** "3 SUCCESS, 1 SKIPPED_PROTECTED" */
export function countBy(values: string[]): string {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

const posts = (requests: RecordedRequest[]) =>
	requests.filter((r) => r.method === 'POST' && r.path === '/rest/remediate');

/** Pairs sent in accepted POST /rest/remediate requests. */
export function sentPairs(requests: RecordedRequest[]): Set<string> {
	const sent = new Set<string>();
	for (const r of posts(requests).filter((p) => p.status === 200)) {
		const body = r.body as { malopId: string; actionsByMachine: Json };
		for (const guid of Object.keys(body.actionsByMachine)) sent.add(pairKey(body.malopId, guid));
	}
	return sent;
}

/**
 * The Updated After filter of example 1, `={{ $now.minus({ days: 1 }).toISO() }}`, as a time. Any other form
 * fails loudly so the test is taught the new expression instead of guessing.
 */
function updatedAfter(expression: unknown, now: number): number | undefined {
	if (expression === undefined || expression === '') return undefined;
	const match =
		/^=\{\{\s*\$now\.minus\(\{\s*(days|hours|minutes)\s*:\s*(\d+)\s*\}\)\.toISO\(\)\s*\}\}$/.exec(
			String(expression),
		);
	check(
		match,
		`Updated After is ${JSON.stringify(expression)}: the e2e test only knows "$now.minus({ <unit>: N })"`,
	);
	return (
		now -
		Number(match[2]) * { days: 86_400_000, hours: 3_600_000, minutes: 60_000 }[match[1] as 'days']
	);
}

/** The Malops a Get Malops node selects on crimes/unified (EDR only, newest first), from its parameters. */
function selectedMalops(sim: Simulator, params: Json, now: number): SimMalop[] {
	check(
		(params.source ?? 'crimesUnified') === 'crimesUnified',
		`Get Malops source ${String(params.source)} is not modelled`,
	);
	const filters = (params.filters ?? {}) as Json;
	const statuses = (filters.statuses ?? []) as string[];
	const after = updatedAfter(filters.updatedAfter, now);
	const selected = [...sim.state.malops.values()]
		.filter(
			(m) =>
				m.kind !== 'EPP' &&
				(statuses.length === 0 || statuses.includes(m.managementStatus)) &&
				(after === undefined || m.lastUpdateTime > after) &&
				// A status picked explicitly wins over Include Closed (as in the node's filter).
				(statuses.length > 0 ||
					filters.includeClosed === true ||
					!isClosedStatus('crimesUnified', m.managementStatus)),
		)
		.sort((a, b) => b.lastUpdateTime - a.lastUpdateTime);
	return params.returnAll === true ? selected : selected.slice(0, Number(params.limit ?? 50));
}

interface RemediateSettings {
	node: string;
	actionType: string;
	protectedEntries: string[];
	waitForCompletion: boolean;
	dryRun: boolean;
}

export function remediateSettings(node: ExampleNode): RemediateSettings {
	const options = (node.parameters.options ?? {}) as Json;
	const actionType = String(node.parameters.actionType);
	check(
		(REMEDIATION_ACTION_TYPES as readonly string[]).includes(actionType),
		`"${node.name}": action ${actionType} is not one of the node's action types`,
	);
	return {
		node: node.name,
		actionType,
		protectedEntries: parseProtectedMachines(options.protectedMachines),
		waitForCompletion: options.waitForCompletion === true,
		dryRun: options.dryRun === true,
	};
}

const isProtected = (s: RemediateSettings, m: SimMachine) =>
	protectedEntry(s.protectedEntries, m.guid, [m.name]) !== undefined;

/** The console's machine a Protected Machines list names (the examples protect one: dc01). */
function protectedMachine(sim: Simulator, s: RemediateSettings): SimMachine {
	const machine = [...sim.state.machines.values()].find((m) => isProtected(s, m));
	check(machine, `the simulator has no machine that "${s.protectedEntries.join(', ')}" protects`);
	return machine;
}

type Target = [SimMalop, SimMachine];

export const targetsOf = (malops: SimMalop[]): Target[] =>
	malops.flatMap((m) => m.machines.map((x): Target => [m, x]));

type ActionsByMachine = Record<string, Array<{ actionType: string }>>;
type Body = { malopId: string; initiatorUserName: string; actionsByMachine: ActionsByMachine };

/**
 * What one Remediate run must send, independent of how the product batches it: per unit (a machine to isolate,
 * or a Malop × machine for the other actions, isolation being a state of the machine), once, in a request of a
 * Malop that holds the machine, naming only machines of that Malop. `bodies` are the accepted POSTs (or a dry
 * run's requests); `units` what must be in them.
 */
function checkBodies(s: RemediateSettings, targets: Target[], bodies: Body[], units: Set<string>) {
	const isolates = s.actionType === 'ISOLATE_MACHINE';
	const holds = new Set(targets.map(([m, x]) => pairKey(m.guid, x.guid)));
	const named: string[] = [];
	for (const body of bodies) {
		check(
			body.initiatorUserName === DEMO_USER.username,
			`${body.malopId}: initiator ${body.initiatorUserName}`,
		);
		for (const [guid, actions] of Object.entries(body.actionsByMachine)) {
			check(
				holds.has(pairKey(body.malopId, guid)),
				`${body.malopId} names ${guid}, not one of its machines`,
			);
			check(
				actions.every((a) => a.actionType === s.actionType),
				`${body.malopId}: ${guid} ${actions.map((a) => a.actionType)}`,
			);
			named.push(isolates ? guid : pairKey(body.malopId, guid));
		}
	}
	const twice = named.filter((u, i) => named.indexOf(u) !== i);
	check(twice.length === 0, `sent twice in one run: ${twice}`);
	const diff = sameSet(named, [...units]);
	check(!diff, `what the requests name vs. what the run must send: ${diff}`);
}

/**
 * A Remediate node's output items and requests of its run, against the console: protected machines skipped; a dry
 * run's requests, or the accepted POSTs, naming each thing to send once (checkBodies); otherwise each result as the
 * machine's state says, with a remediation the console holds for a Malop of that machine; items of one machine's
 * isolation share it. `alreadySent`: pairs sent within the replay guard window earlier (those items say so).
 * POSTs refused with the expired-session redirect must have been sent again.
 */
export function checkRemediate(
	sim: Simulator,
	s: RemediateSettings,
	targets: Target[],
	items: Json[],
	requests: RecordedRequest[],
	alreadySent = new Set<string>(),
): string {
	const isolates = s.actionType === 'ISOLATE_MACHINE';
	const unitOf = (malopId: unknown, guid: unknown) =>
		isolates ? String(guid) : pairKey(malopId, guid);
	const sentBefore = new Set(
		[...alreadySent].map((k) => unitOf(...(k.split('|') as [string, string]))),
	);
	const holds = new Set(targets.map(([m, x]) => pairKey(m.guid, x.guid)));
	const expected = targets.map(([m, x]) => {
		const key = pairKey(m.guid, x.guid);
		if (isProtected(s, x)) return `${key} SKIPPED_PROTECTED`;
		if (s.dryRun) return `${key} DRY_RUN POST /rest/remediate: ${s.actionType}`;
		// Without Wait For Completion the node reports the console's first answer: the action is queued.
		const status = !s.waitForCompletion ? 'queued' : x.connected ? 'SUCCESS' : 'TIMEOUT';
		const guard = sentBefore.has(unitOf(m.guid, x.guid)) ? ' (replay guard)' : '';
		return `${key} ${status}${guard} on the console${status === 'SUCCESS' && isolates ? ', isolated' : ''}`;
	});
	const byPair = new Map(targets.map(([m, x]) => [pairKey(m.guid, x.guid), x]));
	const shared = new Map<string, Set<string>>();
	const actual = items.map((item) => {
		const key = pairKey(item.malopId, item.machineGuid);
		let status = String((item.results as Json | undefined)?.status);
		if (status === 'SKIPPED_PROTECTED')
			return `${key} ${status}${item.remediationId ? ' + remediationId' : ''}`;
		const unit = unitOf(item.malopId, item.machineGuid);
		if (status === 'DRY_RUN') {
			const { method, path, body } = item.request as { method: string; path: string; body: Body };
			shared.set(unit, new Set([...(shared.get(unit) ?? []), body.malopId]));
			const action = body.actionsByMachine[String(item.machineGuid)]?.map((a) => a.actionType);
			return `${key} DRY_RUN ${method} ${path}: ${action}`;
		}
		shared.set(unit, new Set([...(shared.get(unit) ?? []), String(item.remediationId)]));
		if (!s.waitForCompletion && ['PENDING', 'IN_PROGRESS', 'SUCCESS'].includes(status))
			status = 'queued';
		const guard = /replay guard/i.test(String(item.note)) ? ' (replay guard)' : '';
		const remediation = sim.state.remediations.get(String(item.remediationId));
		const known = !!remediation && holds.has(pairKey(remediation.malopId, item.machineGuid));
		const isolated =
			status === 'SUCCESS' && isolates && byPair.get(key)?.isolated ? ', isolated' : '';
		return `${key} ${status}${guard} ${known ? 'on' : 'unknown to'} the console${isolated}`;
	});
	const diff = sameSet(actual, expected);
	check(!diff, `"${s.node}" items (${items.length} for ${targets.length} inputs): ${diff}`);
	const split = [...shared].filter(([, seen]) => seen.size > 1);
	check(
		split.length === 0,
		`items of one action point at different requests: ${split.map(([u]) => u)}`,
	);
	const statuses = countBy(items.map((i) => String((i.results as Json | undefined)?.status)));
	const toSend = (before: Set<string>) =>
		new Set(
			targets
				.filter(([m, x]) => !isProtected(s, x) && !before.has(unitOf(m.guid, x.guid)))
				.map(([m, x]) => unitOf(m.guid, x.guid)),
		);
	if (s.dryRun) {
		const sent = requests.filter((r) => r.path.startsWith('/rest/remediate'));
		check(sent.length === 0, `a dry run sent ${sent.map((r) => `${r.method} ${r.path}`)}`);
		const previews = new Map<string, Body>();
		for (const item of items)
			if (item.request)
				previews.set(
					(item.request as { body: Body }).body.malopId,
					(item.request as { body: Body }).body,
				);
		checkBodies(s, targets, [...previews.values()], toSend(new Set()));
		return `${statuses}; no /rest/remediate* request`;
	}
	const all = posts(requests);
	const accepted = all.filter((r) => r.status === 200).map((r) => r.body as Body);
	checkBodies(s, targets, accepted, toSend(sentBefore));
	const refused = all.filter((r) => r.status !== 200);
	const sentAgain = refused.every((r) =>
		accepted.some((b) => b.malopId === (r.body as Json).malopId),
	);
	check(sentAgain, 'a POST /rest/remediate refused by the console was not sent again');
	return (
		`${statuses}; ${accepted.length} POST /rest/remediate` +
		(refused.length
			? ` (+${refused.length} refused with the expired-session redirect, sent again)`
			: '')
	);
}

/** What a run gave: its data, the console's requests during it, and the credential's stored cookie. */
interface RunOutcome {
	data: RunData;
	requests: RecordedRequest[];
	logins: number;
	storedCookie: () => Promise<string>;
}

/** The session after a run: exactly one login, and n8n persisted that session's cookie in the credential. */
async function checkSession(sim: Simulator, run: RunOutcome, expired?: string): Promise<string> {
	check(run.logins === 1, `${run.logins} logins during the run, expected exactly 1`);
	const cookie = await run.storedCookie();
	const session = /^JSESSIONID=([0-9A-F]+)$/.exec(cookie)?.[1];
	check(session, `the credential's sessionCookie is ${JSON.stringify(cookie)}`);
	check(sim.state.sessions.authenticated(session), 'the persisted cookie is not a live session');
	const last = [...run.requests].reverse().find((r) => r.path.startsWith('/rest/'));
	check(last?.cookie === session, `the persisted cookie is not the one the run used last`);
	if (!expired) return cookie;
	check(cookie !== expired, 'the renewed session cookie was not persisted (still the expired one)');
	const tried = run.requests.some((r) => `JSESSIONID=${r.cookie}` === expired);
	check(tried, 'the run never tried the expired cookie: the expiry path was not exercised');
	return cookie;
}

/**
 * Makes the demo console exercise example 1 deterministically: a selected Malop on the protected machine, at
 * least two selected Malops, their sensors online (an offline one would report TIMEOUT only after the example's
 * 120 s), negative controls (closed but recently updated; open but older than the window; the EPP Malops are
 * inbox-only), and no Malop within 30 minutes of the cut-off, so the expectation cannot flip during the run.
 */
function prepareConsole(sim: Simulator, example: Example): string {
	const { state } = sim;
	const get = nodeOf(example, GET_MALOPS).parameters;
	const dc01 = protectedMachine(sim, remediateSettings(nodeOf(example, REMEDIATE)));
	const now = Date.now();
	const cutoff = updatedAfter(((get.filters ?? {}) as Json).updatedAfter, now) ?? now - 86_400_000;
	const margin = 30 * 60_000;
	const edr = () => [...state.malops.values()].filter((m) => m.kind !== 'EPP');
	const closed = (m: SimMalop) => isClosedStatus('crimesUnified', m.managementStatus);
	const selected = () => selectedMalops(sim, get, now);
	const open = { managementStatus: 'UNREAD', status: 'Active' } as const;
	for (const m of edr())
		if (Math.abs(m.lastUpdateTime - cutoff) < margin)
			state.updateMalop(m.guid, { lastUpdateTime: cutoff - 2 * margin });
	if (!selected().some((m) => m.machines.includes(dc01)))
		state.addMalop({ ...open, machines: [{ guid: dc01.guid }, { connected: true }] });
	while (selected().length < 2)
		state.addMalop({ ...open, machines: [{ connected: true }, { connected: true }] });
	if (!edr().some((m) => closed(m) && m.lastUpdateTime > cutoff + margin)) {
		const m = state.addMalop({ machines: 1 });
		state.updateMalop(m.guid, {
			managementStatus: 'CLOSED',
			status: 'Closed',
			closeTime: now,
			closerName: 'analyst@demo.local',
		});
	}
	if (!edr().some((m) => !closed(m) && m.lastUpdateTime < cutoff - margin)) {
		const m = state.addMalop({ ...open, machines: 1 });
		state.updateMalop(m.guid, { lastUpdateTime: cutoff - 6 * 3_600_000 });
	}
	for (const machine of targetsOf(selected()).map(([, x]) => x))
		if (!machine.connected) state.setMachineConnected(machine.guid, true);
	const all = edr();
	return (
		`console: ${state.malops.size} Malops (${all.length} EDR), the example selects ${selected().length} ` +
		`(one on ${dc01.name}); left out: ${all.filter((m) => closed(m) && m.lastUpdateTime > cutoff).length} closed recently, ` +
		`${all.filter((m) => !closed(m) && m.lastUpdateTime <= cutoff).length} open but older, ${state.malops.size - all.length} EPP (inbox only)`
	);
}

/** A run of an example (`n8n execute`, or "Run now" on a queue-mode main) and its oracle. */
interface RunScenario {
	name: string;
	example: Example;
	/** Also run by queue.ts, on a worker. */
	inQueue?: true;
	/** Prepares the console and computes the expectation from its state; returns the check of the run. */
	arrange(sim: Simulator): { detail?: string; verify: (run: RunOutcome) => Promise<string> };
}

/**
 * Runs a table scenario: prepares the console, `execute`s the example the runner's way (`n8n execute`, or "Run
 * now" on a queue-mode main) and checks what came back against what the console saw meanwhile.
 */
export async function runScenario(
	sim: Simulator,
	scenario: RunScenario,
	n8n: N8nInstance,
	credentialId: string,
	execute: () => Promise<RunData>,
): Promise<string> {
	const mark = sim.requests.length;
	const logins = sim.state.logins;
	const { detail, verify } = scenario.arrange(sim);
	const outcome = await verify({
		data: await execute(),
		requests: sim.requests.slice(mark),
		logins: sim.state.logins - logins,
		storedCookie: async () =>
			String((await n8n.storedCredential(credentialId))?.sessionCookie ?? ''),
	});
	return detail ? `${detail}; ${outcome}` : outcome;
}

/**
 * A Get Malops -> Remediate example: the items are the Malop × machine pairs the console holds for the Get
 * Malops parameters, and Remediate did what checkRemediate expects. Everything sent earlier in this run is within
 * the examples' replay guard window (the default 600 s).
 */
function isolationOracle(sim: Simulator, example: Example) {
	const get = nodeOf(example, GET_MALOPS);
	const remediate = remediateSettings(nodeOf(example, REMEDIATE));
	const selected = selectedMalops(sim, get.parameters, Date.now());
	check(selected.length > 0, `the console has no Malop for examples/${example.file} to select`);
	const alreadySent = sentPairs(sim.requests);
	return (run: RunOutcome) => {
		const items = nodeItems(run.data, get.name);
		const pairs = targetsOf(selected).map(([m, x]) => pairKey(m.guid, x.guid));
		const diff = sameSet(
			items.map((i) => pairKey(i.malopId, i.machineGuid)),
			pairs,
		);
		check(!diff, `"${get.name}" items vs. the ${selected.length} selected Malops: ${diff}`);
		if ((get.parameters.options as Json | undefined)?.includeRemediationTargets === true) {
			check(
				items.every((i) => Array.isArray(i.remediationTargets)),
				'no remediationTargets',
			);
			const asked = run.requests.some((r) => r.path === '/rest/detection/custom-remediation');
			check(asked, 'remediation targets were not asked for');
		}
		const out = nodeItems(run.data, remediate.node);
		const done = checkRemediate(
			sim,
			remediate,
			targetsOf(selected),
			out,
			run.requests,
			alreadySent,
		);
		const guarded = out.filter((i) => /replay guard/i.test(String(i.note))).length;
		return `${items.length} items from ${selected.length} Malops; ${done}${guarded ? ` (${guarded} via the replay guard)` : ''}`;
	};
}

/** Example 1 (then again, with the session expired), example 3; one table per n8n line (it holds state). */
export function runScenarios(examples: Examples): RunScenario[] {
	const { scheduled, dryRun } = examples;
	let firstCookie = '';
	return [
		{
			name: `example 1 (${scheduled.file})`,
			example: scheduled,
			inQueue: true,
			arrange: (sim) => {
				const detail = prepareConsole(sim, scheduled);
				const verify = isolationOracle(sim, scheduled);
				return {
					detail,
					verify: async (run) => {
						const done = verify(run);
						firstCookie = await checkSession(sim, run);
						return `${done}; 1 login, cookie persisted`;
					},
				};
			},
		},
		{
			name: 'example 1 again after the console expired the session (+ one new Malop)',
			example: scheduled,
			arrange: (sim) => {
				check(firstCookie, 'the first run failed');
				const expired = sim.state.expireSession();
				const machines = [{ connected: true }, { connected: true }];
				const added = sim.state.addMalop({
					managementStatus: 'UNREAD',
					status: 'Active',
					machines,
				});
				const verify = isolationOracle(sim, scheduled);
				return {
					detail: `${expired} session(s) expired, Malop ${added.guid} added`,
					verify: async (run) => {
						const done = verify(run);
						await checkSession(sim, run, firstCookie);
						return `${done}; 1 login (renewal), new cookie persisted`;
					},
				};
			},
		},
		{
			name: `example 3 (${dryRun.file}): dry run`,
			example: dryRun,
			arrange: (sim) => {
				check(remediateSettings(nodeOf(dryRun, REMEDIATE)).dryRun, 'example 3 is not a dry run');
				const before = sim.state.remediations.size;
				const verify = isolationOracle(sim, dryRun);
				return {
					verify: async (run) => {
						const done = verify(run);
						check(sim.state.remediations.size === before, 'the dry run created remediations');
						return done;
					},
				};
			},
		},
	];
}

/**
 * Poll Times for the imported copy of example 2 (the file says every 5 minutes): a poll every 10 s as six crons
 * "every minute at second S". n8n 2.41 refuses a cron whose seconds field is anything but a single number
 * (n8n-workflow isSubMinuteCron: "The polling interval is too short"), so one cron per second value.
 */
export const POLL_EVERY_MS = 10_000;

export function withFastPolls(example: Example): Workflow {
	const copy = JSON.parse(JSON.stringify(example.workflow)) as Workflow;
	const item = [0, 10, 20, 30, 40, 50].map((s) => ({
		mode: 'custom',
		cronExpression: `${s} * * * * *`,
	}));
	nodeOf({ ...example, workflow: copy }, TRIGGER).parameters.pollTimes = { item };
	return copy;
}

type TriggerSettings = ReturnType<typeof triggerSettings>;

const nextNode = (example: Example, from: string) =>
	((example.workflow.connections[from] as Json)?.main as Array<Array<{ node: string }>>)?.[0]?.[0]
		?.node;

/** Example 2: trigger (inbox, new Malop machine, status filter) -> "severity equals X" -> isolate -> notify. */
function triggerSettings(example: Example) {
	const trigger = nodeOf(example, TRIGGER);
	const isolate = nodeOf(example, REMEDIATE);
	const filter = example.workflow.nodes.find((n) => n.name === nextNode(example, trigger.name));
	const conditions = ((filter?.parameters.conditions as Json)?.conditions ?? []) as Json[];
	const [severity] = conditions;
	const p = trigger.parameters;
	check(
		filter?.type === 'n8n-nodes-base.filter' &&
			conditions.length === 1 &&
			/^=\{\{\s*\$json\.severity\s*\}\}$/.test(String(severity.leftValue)) &&
			(severity.operator as Json)?.operation === 'equals' &&
			nextNode(example, filter.name) === isolate.name &&
			p.source === 'detectionInbox' &&
			(p.event ?? 'newMalopMachine') === 'newMalopMachine',
		`examples/${example.file} is no longer trigger (inbox) -> severity equals -> ${isolate.name}`,
	);
	return {
		trigger: trigger.name,
		filter: filter.name,
		notify: nextNode(example, isolate.name),
		statuses: ((p.filters as Json)?.statuses ?? []) as string[],
		severity: String(severity.rightValue),
		isolate: remediateSettings(isolate),
	};
}

/** The (Malop, machine) pairs the trigger may emit: the inbox Malops its status filter lets through. */
function triggerPairs(sim: Simulator, s: TriggerSettings): Set<string> {
	const statuses = s.statuses.map((x) => x.toLowerCase());
	const passes = (m: SimMalop) =>
		statuses.length > 0
			? statuses.includes(m.status.toLowerCase())
			: !isClosedStatus('detectionInbox', m.status);
	const malops = [...sim.state.malops.values()].filter(passes);
	return new Set(targetsOf(malops).map(([m, x]) => pairKey(m.guid, x.guid)));
}

/**
 * What appears on the console between two polls. A: two Malops of the filter's severity (one on the protected
 * machine), one of another severity, one of the severity but Remediated (the status filter leaves it out).
 * B: a machine joins a Malop of A, a Malop of A changes without a new machine, a Malop of another severity.
 */
export const TRIGGER_BATCHES: Array<{
	name: string;
	add: (sim: Simulator, s: TriggerSettings, earlier: SimMalop[]) => SimMalop[];
}> = [
	{
		name: 'example 2: new Malops fire once per (Malop, machine); high severity isolated',
		add: (sim, s) => {
			const online = { connected: true };
			const malop = (severity: string, machines: Array<Partial<SimMachine>>, status = 'Active') =>
				sim.state.addMalop({
					severity,
					status,
					managementStatus: 'UNREAD',
					machines,
				} as NewMalopSpec);
			const other = s.severity === 'Medium' ? 'Low' : 'Medium';
			const dc01 = protectedMachine(sim, s.isolate);
			return [
				malop(s.severity, [online, online]),
				malop(s.severity, [{ guid: dc01.guid }, online]),
				malop(other, [online]),
				malop(s.severity, [online], 'Remediated'),
			];
		},
	},
	{
		name: 'example 2: a machine added to a known Malop fires alone; re-read Malops do not fire again',
		add: (sim, s, [first, , other]) => {
			sim.state.addMachineToMalop(first.guid, { connected: true });
			sim.state.updateMalop(other.guid, { labels: ['e2e-updated'] });
			const low = s.severity === 'Low' ? 'Medium' : 'Low';
			const spec = {
				severity: low,
				status: 'Active',
				managementStatus: 'UNREAD',
				machines: [{ connected: true }],
			};
			return [first, sim.state.addMalop(spec as NewMalopSpec)];
		},
	},
];

/**
 * Example 2 activated in a running n8n (single process or queue-mode main): the baseline poll, then each batch
 * of TRIGGER_BATCHES must come out as exactly one execution holding exactly the new pairs; executions are read
 * through the public API.
 */
export class TriggerRun {
	readonly settings: TriggerSettings;
	readonly executions: PublicExecution[] = [];
	/** Every Malop the batches touched, and the pairs that fired. */
	readonly malops: SimMalop[] = [];
	readonly fired = new Set<string>();

	constructor(
		private readonly server: N8nServer,
		private readonly sim: Simulator,
		readonly example: Example,
	) {
		this.settings = triggerSettings(example);
	}

	/** The workflow is active in the server, and its first poll since `mark` only remembered what is there. */
	async baseline(mark: number): Promise<string> {
		const id = this.example.workflow.id;
		const res = await this.server.publicApi<{ active?: boolean }>('GET', `/workflows/${id}`);
		check(
			res.status === 200 && res.body.active === true,
			`workflow ${id} is not active in the server: ${res.text.slice(0, 300)}`,
		);
		const poll = await waitFor(
			"the trigger's first poll (POST /rest/detection/inbox)",
			60_000,
			() =>
				this.sim.requests
					.slice(mark)
					.find((r) => r.path === '/rest/detection/inbox' && r.status !== 'dropped'),
		);
		check(poll.status === 200, `the trigger's first poll was answered ${poll.status}`);
		await delay(1000); // the poller stores its cursor after the answer
		const started = await this.server.executions(id);
		check(
			started.length === 0,
			`the activation poll started ${started.length} execution(s): it should only remember what is there`,
		);
		return 'active; first poll answered 200 and started no execution (baseline)';
	}

	/** Executions not seen before, once none is running. */
	async fresh(): Promise<PublicExecution[] | undefined> {
		const list = (await this.server.executions(this.example.workflow.id)).filter(
			(e) => !this.executions.some((x) => x.id === e.id),
		);
		return list.some(
			(e) => e.status === 'running' || e.status === 'new' || (!e.status && !e.finished),
		)
			? undefined
			: list;
	}

	/** Adds a batch, waits for the execution that emits its new pairs and checks it. */
	async batch(index: number): Promise<string> {
		const s = this.settings;
		const before = triggerPairs(this.sim, s);
		const mark = this.sim.requests.length;
		for (const m of TRIGGER_BATCHES[index].add(this.sim, s, this.malops))
			if (!this.malops.includes(m)) this.malops.push(m);
		const expected = [...triggerPairs(this.sim, s)].filter((p) => !before.has(p));
		const pairsOf = (e: PublicExecution, node: string) =>
			(e.data ? nodeItems(e.data, node) : []).map((i) => pairKey(i.malopId, i.machineGuid));
		const wait = `an execution emitting ${expected.length} new pairs`;
		const executions = await waitFor(wait, 6 * POLL_EVERY_MS + 30_000, async () => {
			const list = await this.fresh();
			const emitted = new Set(list?.flatMap((e) => pairsOf(e, s.trigger)));
			return list && expected.every((p) => emitted.has(p)) ? list : undefined;
		});
		this.executions.push(...executions);
		const [e] = executions;
		const ran = executions.map((x) => `${x.id} (${x.status})`).join(', ');
		check(executions.length === 1 && e.status === 'success' && e.data, `executions ${ran}`);
		const events = nodeItems(e.data, s.trigger).map(
			(i) => `${pairKey(i.malopId, i.machineGuid)} ${String(i.eventId)}`,
		);
		const diff = sameSet(
			events,
			expected.map((p) => `${p} ${p.replace('|', ':')}`),
		);
		check(
			!diff,
			`execution ${e.id}: trigger items (pair, eventId <malopId>:<machineGuid>): ${diff}`,
		);
		for (const p of expected) this.fired.add(p);
		const passed = this.targets(expected).filter(([m]) => m.severity === s.severity);
		for (const node of [s.filter, s.notify]) {
			const passedDiff = sameSet(
				pairsOf(e, node),
				passed.map(([m, x]) => pairKey(m.guid, x.guid)),
			);
			check(!passedDiff, `"${node}" items: ${passedDiff}`);
		}
		const items = nodeItems(e.data, s.isolate.node);
		const done = checkRemediate(this.sim, s.isolate, passed, items, this.sim.requests.slice(mark));
		return `execution ${e.id}: ${expected.length} pairs fired, ${passed.length} ${s.severity} passed; ${done}`;
	}

	private targets(pairs: string[]): Target[] {
		return targetsOf(this.malops).filter(([m, x]) => pairs.includes(pairKey(m.guid, x.guid)));
	}

	/**
	 * After the batches: one execution per batch; every pair of the filter's severity isolated exactly once on the
	 * console (the simulator moves a remediation on when it is read, as its progress API would), the rest never.
	 */
	async totals(): Promise<string> {
		const s = this.settings;
		const all = await this.server.executions(this.example.workflow.id);
		check(
			all.length === TRIGGER_BATCHES.length,
			`${all.length} executions of the trigger in total`,
		);
		const isolate = this.targets([...this.fired]).filter(
			([m, x]) => m.severity === s.severity && !isProtected(s.isolate, x),
		);
		await waitFor('the isolations to finish on the console', 10_000, () => {
			for (const id of this.sim.state.remediations.keys()) this.sim.state.remediation(id);
			return isolate.every(([, x]) => x.isolated) || undefined;
		});
		const touched = new Set(this.malops.map((m) => m.guid));
		const actions = [...this.sim.state.remediations.values()]
			.filter((r) => touched.has(String(r.malopId)))
			.flatMap((r) => r.actions.map((a) => pairKey(r.malopId, a.machineId)));
		const diff = sameSet(
			actions,
			isolate.map(([m, x]) => pairKey(m.guid, x.guid)),
		);
		check(!diff, `console actions vs. one per unprotected ${s.severity} pair: ${diff}`);
		const dc01 = protectedMachine(this.sim, s.isolate);
		check(!dc01.isolated, `${dc01.name} (protected) was isolated`);
		return `${all.length} executions in total; ${isolate.length} machines isolated once each, ${dc01.name} not`;
	}
}
