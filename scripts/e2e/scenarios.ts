/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// The example workflows in the real n8n application, against the simulator, with assertions derived from the
// simulator's state and the examples' own settings:
//
//   1 scheduled isolation   n8n execute --id: the Malop x machine items, one POST /rest/remediate per Malop,
//                            results.status per machine, the session cookie persisted; then with the session
//                            expired: renewed exactly once, new cookie persisted, the replay guard holds.
//   3 dry run                nothing sent to /rest/remediate*, DRY_RUN / SKIPPED_PROTECTED with request bodies.
//   2 trigger -> isolate     activated in `n8n start`: new (Malop, machine) pairs fire once, high severity ones
//                            are isolated; executions read through the public API.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DEMO_USER, type SimMachine, type SimMalop, type Simulator } from '../../simulator';
import {
	copyOf,
	GET_MALOPS_TYPE,
	nextNodes,
	nodeOfType,
	protectedList,
	REMEDIATE_TYPE,
	TRIGGER_TYPE,
	updatedWithinMs,
	type Example,
	type Examples,
} from './examples';
import type { N8nLine } from './lines';
import {
	nodeItems,
	type CredentialImport,
	type N8nInstance,
	type N8nServer,
	type RunData,
	type WorkflowJson,
} from './n8n';
import { delay, formatMs } from './proc';
import { check, detailed, type Detailed } from './report';

type Json = Record<string, unknown>;

const DAY_MS = 86_400_000;
/** The Remediate node's default Replay Guard Window (README: Remediate options). */
const DEFAULT_REPLAY_GUARD_MS = 600_000;
/** No Malop's last update may sit this close to example 1's "updated in the last day" cut-off. */
const CUTOFF_MARGIN_MS = 30 * 60_000;

export const BAD_CREDENTIAL_ID = 'e2eCybereasonBad';

export function isN8n2(line: N8nLine): boolean {
	return Number(line.n8nVersion.split('.')[0]) >= 2;
}

const pairKey = (malopId: unknown, machineGuid: unknown) =>
	`${String(malopId)}|${String(machineGuid)}`;

function isClosed(m: SimMalop): boolean {
	return m.managementStatus === 'CLOSED' || m.managementStatus === 'FP';
}

function isEdr(m: SimMalop): boolean {
	return m.kind !== 'EPP';
}

function sameSet(actual: string[], expected: string[]): string | undefined {
	const a = new Set(actual);
	const e = new Set(expected);
	const missing = [...e].filter((k) => !a.has(k));
	const extra = [...a].filter((k) => !e.has(k));
	const dupes = actual.length !== a.size ? actual.length - a.size : 0;
	if (missing.length === 0 && extra.length === 0 && dupes === 0) return undefined;
	return [
		missing.length ? `missing ${missing.join(', ')}` : '',
		extra.length ? `unexpected ${extra.join(', ')}` : '',
		dupes ? `${dupes} duplicate(s)` : '',
	]
		.filter(Boolean)
		.join('; ');
}

function results(item: Json): Json {
	return (item.results ?? {}) as Json;
}

function countBy(values: string[]): string {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
	everyMs = 1000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${formatMs(timeoutMs)} waiting for ${what}`);
		await delay(everyMs);
	}
}

// ---------------------------------------------------------------------------------------------------------
// The simulated console

/** What example 1 selects and does, read from its Get Malops and Remediate nodes. */
export interface IsolationSettings {
	statuses: string[];
	updatedWithinMs?: number;
	protectedMachines: string[];
	waitForCompletion: boolean;
	actionType: string;
	replayGuardMs: number;
}

export function isolationSettings(example: Example): IsolationSettings {
	const get = nodeOfType(example, GET_MALOPS_TYPE).parameters;
	const remediate = nodeOfType(example, REMEDIATE_TYPE).parameters;
	const filters = (get.filters ?? {}) as Json;
	const options = (remediate.options ?? {}) as Json;
	check(
		(get.source ?? 'crimesUnified') === 'crimesUnified',
		`examples/${example.file}: Get Malops source ${String(get.source)} is not what the test models`,
	);
	check(
		get.returnAll === true,
		`examples/${example.file}: Get Malops is expected to return all Malops`,
	);
	return {
		statuses: Array.isArray(filters.statuses) ? filters.statuses.map(String) : [],
		updatedWithinMs: updatedWithinMs(filters.updatedAfter),
		protectedMachines: protectedList(options.protectedMachines),
		waitForCompletion: options.waitForCompletion === true,
		actionType: String(remediate.actionType),
		replayGuardMs:
			typeof options.replayGuardWindow === 'number'
				? options.replayGuardWindow * 1000
				: DEFAULT_REPLAY_GUARD_MS,
	};
}

export function isProtected(machine: Pick<SimMachine, 'name' | 'guid'>, list: string[]): boolean {
	return list.includes(machine.name.toLowerCase()) || list.includes(machine.guid.toLowerCase());
}

/** Example 1's selection on crimes/unified: EDR Malops, not closed, in the statuses, updated after the cut-off. */
export function selectedByExample1(sim: Simulator, s: IsolationSettings, now: number): SimMalop[] {
	const cutoff = s.updatedWithinMs === undefined ? undefined : now - s.updatedWithinMs;
	return [...sim.state.malops.values()].filter(
		(m) =>
			isEdr(m) &&
			!isClosed(m) &&
			(s.statuses.length === 0 || s.statuses.includes(m.managementStatus)) &&
			(cutoff === undefined || m.lastUpdateTime > cutoff),
	);
}

/**
 * Makes the demo console exercise example 1 deterministically: a selected Malop with the protected machine
 * (dc01), selected Malops' sensors online (an offline one would only report TIMEOUT after the example's 120 s),
 * negative controls (closed and recently updated; open but older than the window), and no Malop near the cut-off.
 */
export function prepareConsole(sim: Simulator, s: IsolationSettings): string {
	const { state } = sim;
	const now = Date.now();
	const window = s.updatedWithinMs ?? DAY_MS;
	const cutoff = now - window;
	const edr = () => [...state.malops.values()].filter(isEdr);
	const dc01 = [...state.machines.values()].find((m) =>
		s.protectedMachines.includes(m.name.toLowerCase()),
	);
	check(dc01, `the simulator has no machine named ${s.protectedMachines.join('/')}`);
	const openStatus = s.statuses[0] ?? 'OPEN';
	const touched: string[] = [];

	// Nothing within CUTOFF_MARGIN_MS of the cut-off, so the expectation cannot flip during the run.
	for (const m of edr()) {
		if (Math.abs(m.lastUpdateTime - cutoff) < CUTOFF_MARGIN_MS) {
			state.updateMalop(m.guid, { lastUpdateTime: cutoff - 2 * CUTOFF_MARGIN_MS });
			touched.push(`${m.guid} moved off the cut-off`);
		}
	}
	// A selected Malop on the protected machine.
	if (!selectedByExample1(sim, s, now).some((m) => m.machines.includes(dc01))) {
		const withDc = edr().find((m) => !isClosed(m) && m.machines.includes(dc01));
		if (withDc) {
			state.updateMalop(withDc.guid, {
				managementStatus: openStatus as SimMalop['managementStatus'],
			});
			touched.push(`${withDc.guid} (on ${dc01.name}) updated now`);
		} else {
			const added = state.addMalop({
				managementStatus: 'OPEN',
				status: 'Active',
				machines: [{ guid: dc01.guid }, { connected: true }],
			});
			touched.push(`${added.guid} added on ${dc01.name}`);
		}
	}
	// At least two selected Malops.
	while (selectedByExample1(sim, s, now).length < 2) {
		const added = state.addMalop({
			managementStatus: 'UNREAD',
			status: 'Active',
			machines: [{ connected: true }, { connected: true }],
		});
		touched.push(`${added.guid} added`);
	}
	// Negative controls: closed but recently updated; open but older than the window.
	if (!edr().some((m) => isClosed(m) && m.lastUpdateTime > cutoff + CUTOFF_MARGIN_MS)) {
		const added = state.addMalop({ machines: 1 });
		state.updateMalop(added.guid, {
			managementStatus: 'CLOSED',
			status: 'Closed',
			closeTime: now,
			closerName: 'analyst@demo.local',
		});
		touched.push(`${added.guid} closed now`);
	}
	if (!edr().some((m) => !isClosed(m) && m.lastUpdateTime < cutoff - CUTOFF_MARGIN_MS)) {
		const added = state.addMalop({ managementStatus: 'OPEN', status: 'Active', machines: 1 });
		state.updateMalop(added.guid, { lastUpdateTime: cutoff - 6 * 3_600_000 });
		touched.push(`${added.guid} made older than the window`);
	}
	// Sensors of the selected Malops online.
	for (const m of selectedByExample1(sim, s, now)) {
		for (const machine of m.machines) {
			if (!machine.connected) {
				state.setMachineConnected(machine.guid, true);
				touched.push(`${machine.name} online`);
			}
		}
	}
	const selected = selectedByExample1(sim, s, now);
	const all = edr();
	return (
		`${state.malops.size} Malops (${all.length} EDR); example 1 selects ${selected.length} ` +
		`(${selected.reduce((n, m) => n + m.machines.length, 0)} machines, one on ${dc01.name}); ` +
		`left out: ${all.filter((m) => isClosed(m) && m.lastUpdateTime > cutoff).length} closed recently, ` +
		`${all.filter((m) => !isClosed(m) && m.lastUpdateTime <= cutoff).length} open but older, ` +
		`${state.malops.size - all.length} EPP (inbox only)` +
		(touched.length ? `; changes: ${touched.length}` : '')
	);
}

// ---------------------------------------------------------------------------------------------------------
// Import

/** The credential as the README tells users to create it: Server URL, username, password (defaults for the rest). */
export function exampleCredentials(sim: Simulator, examples: Examples): CredentialImport[] {
	const data = { baseUrl: sim.url, username: DEMO_USER.username };
	return [
		{
			id: examples.credential.id,
			name: examples.credential.name,
			type: 'cybereasonApi',
			data: { ...data, password: DEMO_USER.password },
		},
		{
			id: BAD_CREDENTIAL_ID,
			name: 'Cybereason (wrong password)',
			type: 'cybereasonApi',
			data: { ...data, password: 'not-the-password' },
		},
	];
}

/**
 * Poll Times for the imported copy of example 2 (the file says every 5 minutes). 1.x: every 5 seconds as a
 * list of seconds (1.123 only refuses a `*` in the seconds field). 2.x: every minute, the shortest n8n 2.41
 * allows (n8n-workflow isSubMinuteCron refuses any seconds field but a single number: "The polling interval
 * is too short. It has to be at least a minute.").
 */
export function fastPollTimes(line: N8nLine): { item: Json[] } {
	if (isN8n2(line)) return { item: [{ mode: 'custom', cronExpression: '0 * * * * *' }] };
	const seconds = Array.from({ length: 12 }, (_, i) => i * 5).join(',');
	return { item: [{ mode: 'custom', cronExpression: `${seconds} * * * * *` }] };
}

/** One `n8n import:workflow` for several workflows (a JSON array), instead of one CLI start each. */
export async function importWorkflows(n8n: N8nInstance, workflows: WorkflowJson[]): Promise<void> {
	const dir = join(n8n.userFolder, 'e2e-input');
	await mkdir(dir, { recursive: true });
	const file = join(dir, `workflows-${Date.now()}.json`);
	await writeFile(
		file,
		JSON.stringify(
			workflows.map((w) => ({ active: false, settings: {}, ...w })),
			null,
			2,
		),
	);
	await n8n.cliChecked(['import:workflow', `--input=${file}`]);
}

/** Activates a workflow in the database (picked up by the next `n8n start`): 1.x update:workflow, 2.x publish:workflow. */
export async function activateWorkflow(
	n8n: N8nInstance,
	line: N8nLine,
	id: string,
): Promise<string> {
	const args = isN8n2(line)
		? ['publish:workflow', `--id=${id}`]
		: ['update:workflow', `--id=${id}`, '--active=true'];
	const result = await n8n.cliChecked(args);
	const out = `${result.stdout}\n${result.stderr}`;
	// Both commands log their failure ("Error updating database ...") and still exit 0.
	check(
		!/Error updating database|GOT ERROR/.test(out),
		`n8n ${args.join(' ')} reported an error:\n${out.trim().slice(-1500)}`,
	);
	return `n8n ${args.join(' ')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Example 1: scheduled isolation through `n8n execute`

export interface IsolationRun {
	logins: number;
	cookie: string;
	posts: number;
}

/**
 * Runs example 1 once and checks it against the simulator. `expired`: the session was expired just before, so
 * exactly one new login is expected and a different cookie must be persisted.
 */
export async function runScheduledIsolation(
	n8n: N8nInstance,
	sim: Simulator,
	examples: Examples,
	opts: { previous?: IsolationRun },
): Promise<Detailed<IsolationRun>> {
	const example = examples.scheduledIsolation;
	const s = isolationSettings(example);
	const getNode = nodeOfType(example, GET_MALOPS_TYPE).name;
	const remediateNode = nodeOfType(example, REMEDIATE_TYPE).name;
	const mark = sim.requests.length;
	const loginsBefore = sim.state.logins;
	const now = Date.now();
	const selected = selectedByExample1(sim, s, now);
	check(selected.length > 0, 'the console has no Malop for example 1 to select');
	// What earlier runs already sent (the replay guard will not send it again within its window).
	const alreadySent = new Set<string>();
	for (const r of sim.requests.slice(0, mark)) {
		if (
			r.method !== 'POST' ||
			r.path !== '/rest/remediate' ||
			r.status !== 200 ||
			r.time < now - s.replayGuardMs
		)
			continue;
		const body = r.body as { malopId?: string; actionsByMachine?: Record<string, unknown> };
		for (const guid of Object.keys(body.actionsByMachine ?? {}))
			alreadySent.add(pairKey(body.malopId, guid));
	}

	const result = await n8n.executeWorkflow(example.workflow.id);
	check(result.ok && result.run, `execute failed: ${result.error}`);
	const run = result.run;
	const requests = sim.requests.slice(mark);

	// Get Malops: exactly the selected Malop x machine pairs.
	const items = (nodeItems(run, getNode) ?? []) as Json[];
	const expectedPairs = selected.flatMap((m) =>
		m.machines.length ? m.machines.map((x) => pairKey(m.guid, x.guid)) : [pairKey(m.guid, null)],
	);
	const pairDiff = sameSet(
		items.map((i) => pairKey(i.malopId, i.machineGuid)),
		expectedPairs,
	);
	check(
		!pairDiff,
		`"${getNode}" items are not the expected ${expectedPairs.length} Malop x machine pairs: ${pairDiff}`,
	);

	// Remediate: one POST per Malop with machines to send, naming exactly those machines.
	const byMalop = new Map(selected.map((m) => [m.guid, m]));
	const toSend = new Map<string, string[]>();
	for (const m of selected) {
		const guids = m.machines
			.filter(
				(x) => !isProtected(x, s.protectedMachines) && !alreadySent.has(pairKey(m.guid, x.guid)),
			)
			.map((x) => x.guid);
		if (guids.length > 0) toSend.set(m.guid, guids);
	}
	const posts = requests.filter((r) => r.method === 'POST' && r.path === '/rest/remediate');
	const postedMalops = posts.map((r) => String((r.body as Json).malopId));
	const postDiff = sameSet(postedMalops, [...toSend.keys()]);
	check(
		!postDiff,
		`POST /rest/remediate: expected one per Malop with something to send (${toSend.size}): ${postDiff}`,
	);
	for (const r of posts) {
		const body = r.body as {
			malopId: string;
			initiatorUserName?: string;
			actionsByMachine: Record<string, Array<{ actionType: string }>>;
		};
		const diff = sameSet(Object.keys(body.actionsByMachine), toSend.get(body.malopId) ?? []);
		check(!diff, `POST /rest/remediate for Malop ${body.malopId}: machines ${diff}`);
		for (const [guid, actions] of Object.entries(body.actionsByMachine)) {
			check(
				actions.length === 1 && actions[0].actionType === s.actionType,
				`POST /rest/remediate for Malop ${body.malopId}, machine ${guid}: actions ${JSON.stringify(actions)}`,
			);
		}
		check(r.status === 200, `POST /rest/remediate for Malop ${body.malopId} answered ${r.status}`);
	}

	// Results: per item, from the machine's state and the example's settings.
	const out = (nodeItems(run, remediateNode) ?? []) as Json[];
	check(
		out.length === items.length,
		`"${remediateNode}" returned ${out.length} items for ${items.length} inputs`,
	);
	const statuses: string[] = [];
	for (const item of out) {
		const malop = byMalop.get(String(item.malopId));
		const machine = malop?.machines.find((x) => x.guid === item.machineGuid);
		check(
			malop && machine,
			`"${remediateNode}" item for an unknown pair ${pairKey(item.malopId, item.machineGuid)}`,
		);
		const status = String(results(item).status);
		statuses.push(status);
		const where = `${malop.guid} / ${machine.name}`;
		if (isProtected(machine, s.protectedMachines)) {
			check(status === 'SKIPPED_PROTECTED', `${where}: protected machine has status ${status}`);
			check(item.remediationId === null, `${where}: protected machine has a remediationId`);
			continue;
		}
		const expected = !s.waitForCompletion ? 'PENDING' : machine.connected ? 'SUCCESS' : 'TIMEOUT';
		check(
			status === expected,
			`${where}: status ${status}, expected ${expected} (${JSON.stringify(results(item))})`,
		);
		check(
			typeof item.remediationId === 'string' && item.remediationId !== '',
			`${where}: no remediationId`,
		);
		const rec = sim.state.remediations.get(String(item.remediationId));
		check(rec, `${where}: remediation ${String(item.remediationId)} unknown to the console`);
		if (alreadySent.has(pairKey(malop.guid, machine.guid))) {
			check(
				/replay guard/i.test(String(item.note ?? '')),
				`${where}: sent before, but no replay-guard note (${String(item.note)})`,
			);
		}
		if (expected === 'SUCCESS')
			check(machine.isolated, `${where}: SUCCESS but the simulator's machine is not isolated`);
	}

	// The session: logins, and the cookie n8n persisted in the credential.
	// First run: one login for the whole run (Get Malops' parallel queries share it); after the expiry: one renewal.
	const logins = sim.state.logins - loginsBefore;
	check(
		logins === 1,
		`${logins} logins during the run, expected exactly 1${opts.previous ? ' (one renewal of the expired session)' : ''}`,
	);
	const exported = await n8n.exportCredentialsDecrypted();
	const stored = exported.find((c) => c.id === examples.credential.id);
	const cookie = String(stored?.data.sessionCookie ?? '');
	check(
		/^JSESSIONID=[0-9A-F]+$/.test(cookie),
		`credential ${examples.credential.id}: sessionCookie is ${JSON.stringify(cookie)}, expected the JSESSIONID of the login`,
	);
	const sessionId = cookie.slice('JSESSIONID='.length);
	check(
		sim.state.sessions.authenticated(sessionId),
		`the persisted cookie is not a live session on the console`,
	);
	const lastRest = [...requests].reverse().find((r) => r.path.startsWith('/rest/'));
	check(
		lastRest?.cookie === sessionId,
		`the persisted cookie is not the one the run used last (${String(lastRest?.cookie)})`,
	);
	if (opts.previous) {
		check(
			cookie !== opts.previous.cookie,
			'the renewed session cookie was not persisted (still the expired one)',
		);
		const expiredUses = requests.filter(
			(r) => r.cookie === opts.previous?.cookie.slice('JSESSIONID='.length),
		).length;
		check(
			expiredUses >= 1,
			'the run never tried the expired cookie: the expiry path was not exercised',
		);
	}

	const guarded = out.filter((i) => /replay guard/i.test(String(i.note ?? ''))).length;
	return detailed(
		{ logins, cookie, posts: posts.length },
		`${items.length} items from ${selected.length} Malops; ${posts.length} POST /rest/remediate; ${countBy(statuses)}` +
			(guarded ? ` (${guarded} via the replay guard)` : '') +
			`; ${logins} login${opts.previous ? ' (renewal)' : ''}, cookie persisted; ${formatMs(result.durationMs)}` +
			(result.exitCrash ? `; exit ${result.exitCrash} after complete output (tolerated)` : ''),
	);
}

// ---------------------------------------------------------------------------------------------------------
// Example 3: dry run

export async function runDryRun(
	n8n: N8nInstance,
	sim: Simulator,
	examples: Examples,
): Promise<Detailed<void>> {
	const example = examples.dryRunReview;
	const get = nodeOfType(example, GET_MALOPS_TYPE);
	const remediate = nodeOfType(example, REMEDIATE_TYPE);
	const options = (remediate.parameters.options ?? {}) as Json;
	check(options.dryRun === true, `examples/${example.file}: Remediate is not a dry run`);
	const protectedMachines = protectedList(options.protectedMachines);
	const limit = get.parameters.returnAll === true ? Infinity : Number(get.parameters.limit ?? 50);
	const mark = sim.requests.length;
	const remediationsBefore = sim.state.remediations.size;

	// Get Malops without filters: the newest `limit` EDR Malops that are not closed.
	const selected = [...sim.state.malops.values()]
		.filter((m) => isEdr(m) && !isClosed(m))
		.sort((a, b) => b.lastUpdateTime - a.lastUpdateTime)
		.slice(0, limit);

	const result = await n8n.executeWorkflow(example.workflow.id);
	check(result.ok && result.run, `execute failed: ${result.error}`);
	const requests = sim.requests.slice(mark);
	const sent = requests.filter((r) => r.path.startsWith('/rest/remediate'));
	check(sent.length === 0, `a dry run sent ${sent.map((r) => `${r.method} ${r.path}`).join(', ')}`);
	check(
		sim.state.remediations.size === remediationsBefore,
		'a dry run created remediations on the console',
	);

	const items = (nodeItems(result.run, get.name) ?? []) as Json[];
	const expectedPairs = selected.flatMap((m) => m.machines.map((x) => pairKey(m.guid, x.guid)));
	const diff = sameSet(
		items.map((i) => pairKey(i.malopId, i.machineGuid)),
		expectedPairs,
	);
	check(!diff, `"${get.name}" items are not the expected ${expectedPairs.length} pairs: ${diff}`);
	if ((get.parameters.options as Json | undefined)?.includeRemediationTargets === true) {
		check(
			items.every((i) => Array.isArray(i.remediationTargets)),
			`"${get.name}" items lack remediationTargets`,
		);
		check(
			requests.some((r) => r.path === '/rest/detection/custom-remediation'),
			'remediation targets were not asked for',
		);
	}

	const out = (nodeItems(result.run, remediate.name) ?? []) as Json[];
	check(
		out.length === items.length,
		`"${remediate.name}" returned ${out.length} items for ${items.length}`,
	);
	const byMalop = new Map(selected.map((m) => [m.guid, m]));
	const statuses: string[] = [];
	for (const item of out) {
		const malop = byMalop.get(String(item.malopId));
		const machine = malop?.machines.find((x) => x.guid === item.machineGuid);
		check(
			malop && machine,
			`"${remediate.name}" item for an unknown pair ${pairKey(item.malopId, item.machineGuid)}`,
		);
		const status = String(results(item).status);
		statuses.push(status);
		const where = `${malop.guid} / ${machine.name}`;
		if (isProtected(machine, protectedMachines)) {
			check(status === 'SKIPPED_PROTECTED', `${where}: protected machine has status ${status}`);
			continue;
		}
		check(status === 'DRY_RUN', `${where}: status ${status}, expected DRY_RUN`);
		const request = item.request as
			| {
					method?: string;
					path?: string;
					body?: {
						malopId?: string;
						initiatorUserName?: string;
						actionsByMachine?: Record<string, Array<{ actionType: string }>>;
					};
			  }
			| undefined;
		check(
			request?.method === 'POST' && request.path === '/rest/remediate',
			`${where}: request is ${JSON.stringify(request)}`,
		);
		const body = request.body;
		check(
			body?.malopId === malop.guid,
			`${where}: request body is for Malop ${String(body?.malopId)}`,
		);
		check(
			body.initiatorUserName === DEMO_USER.username,
			`${where}: initiatorUserName ${String(body.initiatorUserName)}`,
		);
		const machinesInBody = Object.keys(body.actionsByMachine ?? {});
		const bodyDiff = sameSet(
			machinesInBody,
			malop.machines.filter((x) => !isProtected(x, protectedMachines)).map((x) => x.guid),
		);
		check(!bodyDiff, `${where}: request body machines ${bodyDiff}`);
		check(
			body.actionsByMachine?.[machine.guid]?.[0]?.actionType === remediate.parameters.actionType,
			`${where}: request body action ${JSON.stringify(body.actionsByMachine?.[machine.guid])}`,
		);
	}
	return detailed(
		undefined,
		`${items.length} items from ${selected.length} Malops; ${countBy(statuses)}; no /rest/remediate* request; ${formatMs(result.durationMs)}`,
	);
}

// ---------------------------------------------------------------------------------------------------------
// Example 2: the trigger, activated in `n8n start`

export interface PublicExecution {
	id: string | number;
	status?: string;
	finished?: boolean;
	mode?: string;
	workflowId?: string;
	startedAt?: string;
	stoppedAt?: string;
	data?: RunData['data'];
}

export interface TriggerSettings {
	triggerNode: string;
	filterNode: string;
	isolateNode: string;
	notifyNode: string;
	statuses: string[];
	severity: string;
	protectedMachines: string[];
	waitForCompletion: boolean;
}

/** Reads example 2: trigger (statuses filter), "severity equals X" filter, isolate, notify. */
export function triggerSettings(example: Example): TriggerSettings {
	const trigger = nodeOfType(example, TRIGGER_TYPE);
	const isolate = nodeOfType(example, REMEDIATE_TYPE);
	const [filterNode] = nextNodes(example, trigger.name);
	const filter = example.workflow.nodes.find((n) => n.name === filterNode);
	check(
		filter?.type === 'n8n-nodes-base.filter',
		`examples/${example.file}: the trigger should feed a Filter node`,
	);
	const conditions = ((filter.parameters.conditions as Json | undefined)?.conditions ??
		[]) as Json[];
	const severity = conditions.find((c) =>
		/^=\{\{\s*\$json\.severity\s*\}\}$/.test(String(c.leftValue)),
	);
	check(
		conditions.length === 1 &&
			severity &&
			(severity.operator as Json | undefined)?.operation === 'equals',
		`examples/${example.file}: the test models one "severity equals" condition, found ${JSON.stringify(conditions)}`,
	);
	check(
		nextNodes(example, filterNode)[0] === isolate.name,
		`examples/${example.file}: the filter should feed "${isolate.name}"`,
	);
	const [notifyNode] = nextNodes(example, isolate.name);
	const params = trigger.parameters;
	check(
		params.source === 'detectionInbox' && (params.event ?? 'newMalopMachine') === 'newMalopMachine',
		`examples/${example.file}: trigger source/event changed`,
	);
	const options = (isolate.parameters.options ?? {}) as Json;
	return {
		triggerNode: trigger.name,
		filterNode,
		isolateNode: isolate.name,
		notifyNode,
		statuses: ((params.filters as Json | undefined)?.statuses as string[] | undefined) ?? [],
		severity: String(severity.rightValue),
		protectedMachines: protectedList(options.protectedMachines),
		waitForCompletion: options.waitForCompletion === true,
	};
}

/** The imported copy of example 2: only the poll times differ from the file. */
export function triggerWorkflowForTest(example: Example, line: N8nLine): WorkflowJson {
	const copy = copyOf(example);
	const trigger = copy.nodes.find((n) => n.type === TRIGGER_TYPE);
	check(trigger, `examples/${example.file} has no Cybereason Trigger`);
	trigger.parameters = { ...trigger.parameters, pollTimes: fastPollTimes(line) };
	return copy;
}

/** The trigger's emitted pairs, and what the downstream nodes did, of one execution. */
export interface TriggerExecution {
	id: string;
	status: string;
	pairs: string[];
	eventIds: string[];
	passed: Json[];
	isolated: Json[];
	notified: number;
}

export function readTriggerExecution(e: PublicExecution, s: TriggerSettings): TriggerExecution {
	check(e.data?.resultData, `execution ${String(e.id)} has no data (includeData)`);
	const run = { data: e.data } as RunData;
	const emitted = (nodeItems(run, s.triggerNode) ?? []) as Json[];
	return {
		id: String(e.id),
		status: String(e.status ?? (e.finished ? 'success' : 'unknown')),
		pairs: emitted.map((i) => pairKey(i.malopId, i.machineGuid)),
		eventIds: emitted.map((i) => String(i.eventId)),
		passed: (nodeItems(run, s.filterNode) ?? []) as Json[],
		isolated: (nodeItems(run, s.isolateNode) ?? []) as Json[],
		notified: (nodeItems(run, s.notifyNode) ?? []).length,
	};
}

export class TriggerScenario {
	readonly settings: TriggerSettings;

	private apiKey?: string;

	private readonly executionsSeen = new Set<string>();

	constructor(
		readonly server: N8nServer,
		readonly sim: Simulator,
		readonly example: Example,
		readonly line: N8nLine,
	) {
		this.settings = triggerSettings(example);
	}

	get workflowId(): string {
		return this.example.workflow.id;
	}

	/** A public-API key with the scopes the scenario needs (those this n8n offers, from GET /rest/api-keys/scopes). */
	async key(): Promise<string> {
		if (this.apiKey) return this.apiKey;
		const offered = await this.server.rest<string[]>('GET', '/api-keys/scopes');
		const wanted = ['workflow:read', 'execution:read', 'execution:list', 'credential:read'];
		const scopes = wanted.filter((w) => offered.includes(w));
		check(
			scopes.includes('execution:list') && scopes.includes('execution:read'),
			`API key scopes offered: ${offered.join(', ')}`,
		);
		this.apiKey = await this.server.createApiKey(scopes);
		return this.apiKey;
	}

	async executions(): Promise<PublicExecution[]> {
		const res = await this.server.publicApi<{ data?: PublicExecution[] }>(
			await this.key(),
			'GET',
			`/executions?workflowId=${encodeURIComponent(this.workflowId)}&includeData=true&limit=100`,
		);
		check(
			res.status === 200 && Array.isArray(res.body?.data),
			`GET /api/v1/executions -> ${res.status}: ${res.text.slice(0, 300)}`,
		);
		return res.body.data;
	}

	/** The workflow is active in the server, and its first (baseline) poll was answered. */
	async activated(mark: number): Promise<string> {
		const res = await this.server.publicApi<{ active?: boolean }>(
			await this.key(),
			'GET',
			`/workflows/${this.workflowId}`,
		);
		check(
			res.status === 200,
			`GET /api/v1/workflows/${this.workflowId} -> ${res.status}: ${res.text.slice(0, 300)}`,
		);
		check(
			res.body.active === true,
			`workflow ${this.workflowId} is not active in the server (active=${String(res.body.active)})\n${activationLog(this.server.logs())}`,
		);
		const baseline = await waitFor(
			"the trigger's first poll (POST /rest/detection/inbox)",
			60_000,
			() =>
				this.sim.requests
					.slice(mark)
					.find((r) => r.path === '/rest/detection/inbox' && r.status !== 'dropped'),
			500,
		);
		check(baseline.status === 200, `the trigger's first poll was answered ${baseline.status}`);
		const executions = await this.executions();
		check(
			executions.length === 0,
			`the activation poll started ${executions.length} execution(s): it should only remember what is there`,
		);
		return `active; first poll at activation answered 200 and started no execution (baseline)`;
	}

	/** Waits for executions (not seen before) whose trigger items cover `pairs`; returns them once finished. */
	async waitForPairs(pairs: string[], timeoutMs: number): Promise<TriggerExecution[]> {
		return await waitFor(
			`executions emitting ${pairs.length} new (Malop, machine) pairs`,
			timeoutMs,
			async () => {
				const list = (await this.executions()).filter(
					(e) => !this.executionsSeen.has(String(e.id)),
				);
				if (
					list.some(
						(e) =>
							e.status === 'running' ||
							e.status === 'new' ||
							(e.status === undefined && !e.finished),
					)
				)
					return undefined;
				const failed = list.find((e) => e.status !== undefined && e.status !== 'success');
				if (failed) {
					const error = failed.data?.resultData.error;
					throw new Error(
						`execution ${String(failed.id)} ended ${failed.status}: ${error?.message ?? JSON.stringify(error ?? {}).slice(0, 500)}`,
					);
				}
				const read = list.map((e) => readTriggerExecution(e, this.settings));
				const emitted = new Set(read.flatMap((r) => r.pairs));
				if (!pairs.every((p) => emitted.has(p))) return undefined;
				for (const r of read) this.executionsSeen.add(r.id);
				return read;
			},
			1000,
		);
	}

	/**
	 * Checks one batch: a single execution that emitted exactly `pairs` (each once, with its eventId), passed the
	 * high-severity ones on, isolated their unprotected machines (one POST per Malop), skipped protected ones.
	 */
	checkBatch(
		executions: TriggerExecution[],
		pairs: string[],
		malops: SimMalop[],
		postsMark: number,
	): string {
		const s = this.settings;
		check(
			executions.length === 1,
			`expected 1 execution for the batch, got ${executions.length}: ${executions.map((e) => `${e.id} (${e.pairs.length} items)`).join(', ')}`,
		);
		const [e] = executions;
		check(e.status === 'success', `execution ${e.id} status ${e.status}`);
		const diff = sameSet(e.pairs, pairs);
		check(!diff, `execution ${e.id} trigger items: ${diff}`);
		check(
			e.eventIds.every((id, i) => id === e.pairs[i].replace('|', ':')),
			`eventIds are not "<malopId>:<machineGuid>": ${e.eventIds.join(', ')}`,
		);
		const byId = new Map(malops.map((m) => [m.guid, m]));
		const high = pairs.filter((p) => byId.get(p.split('|')[0])?.severity === s.severity);
		const passedDiff = sameSet(
			e.passed.map((i) => pairKey(i.malopId, i.machineGuid)),
			high,
		);
		check(!passedDiff, `"${s.filterNode}" passed: ${passedDiff}`);
		check(
			e.isolated.length === high.length,
			`"${s.isolateNode}" returned ${e.isolated.length} items for ${high.length}`,
		);
		check(
			e.notified === high.length,
			`"${s.notifyNode}" got ${e.notified} items, expected ${high.length}`,
		);
		const toSend = new Map<string, string[]>();
		const statuses: string[] = [];
		for (const item of e.isolated) {
			const malop = byId.get(String(item.malopId));
			const machine = malop?.machines.find((x) => x.guid === item.machineGuid);
			check(
				malop && machine,
				`"${s.isolateNode}" item for an unknown pair ${pairKey(item.malopId, item.machineGuid)}`,
			);
			const status = String(results(item).status);
			statuses.push(status);
			if (isProtected(machine, s.protectedMachines)) {
				check(
					status === 'SKIPPED_PROTECTED',
					`${malop.guid} / ${machine.name}: protected machine has status ${status}`,
				);
				continue;
			}
			// Without Wait For Completion the node reports the console's first answer: the action is queued.
			const expected = s.waitForCompletion ? ['SUCCESS'] : ['PENDING', 'IN_PROGRESS', 'SUCCESS'];
			check(
				expected.includes(status),
				`${malop.guid} / ${machine.name}: status ${status} (${JSON.stringify(results(item))})`,
			);
			check(
				typeof item.remediationId === 'string' &&
					this.sim.state.remediations.has(item.remediationId),
				`${malop.guid} / ${machine.name}: remediation unknown to the console`,
			);
			toSend.set(malop.guid, [...(toSend.get(malop.guid) ?? []), machine.guid]);
		}
		const posts = this.sim.requests
			.slice(postsMark)
			.filter((r) => r.method === 'POST' && r.path === '/rest/remediate');
		const postDiff = sameSet(
			posts.map((r) => String((r.body as Json).malopId)),
			[...toSend.keys()],
		);
		check(!postDiff, `POST /rest/remediate per high-severity Malop: ${postDiff}`);
		for (const r of posts) {
			const body = r.body as { malopId: string; actionsByMachine: Record<string, unknown> };
			const machineDiff = sameSet(
				Object.keys(body.actionsByMachine),
				toSend.get(body.malopId) ?? [],
			);
			check(!machineDiff, `POST /rest/remediate for ${body.malopId}: machines ${machineDiff}`);
		}
		return `execution ${e.id}: ${e.pairs.length} pairs fired, ${high.length} high severity passed, ${countBy(statuses)}, ${posts.length} POST /rest/remediate`;
	}
}

/** Server log lines about activation, for a failure message. */
function activationLog(logs: string): string {
	const lines = logs.split('\n').filter((l) => /activat|poll|cybereason|error/i.test(l));
	return lines.length
		? `server log:\n${lines.slice(-15).join('\n')}`
		: 'the server log says nothing about activation';
}
