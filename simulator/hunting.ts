// API: POST /rest/visualsearch/query/simple
// Visual Search over the hunting model: a queryPath is a chain of element sets joined by connection
// features (Machine →processes→ Process, MalopProcess →suspects→ Process, File →ownerMachine→ Machine);
// each step keeps the elements that its own filters and guidList accept and that are joined to kept
// elements of its neighbours; the answer is the step flagged isResult (or result), else the last.
import { evidenceOf } from './hunting-catalogue';
import { huntContext, simpleFeature, typeOf } from './hunting-registry';
import { EntryRenderer } from './hunting-render';
import type { ElementType, HuntContext } from './hunting-types';
import { malopEntry } from './malop-routes';
import type { SimMalop } from './model';
import {
	compileFilters,
	envelope,
	queryRoute,
	type FeatureValues,
	type ParsedQuery,
} from './query';
import { badRequest, rawJson } from './respond';
import type { SimulatorState } from './state';

type AnyType = ElementType<unknown>;

const own = <T>(rec: Record<string, T>, key: string): T | undefined =>
	Object.hasOwn(rec, key) ? rec[key] : undefined;

/** A filter's facet: a simple feature (dotted ones too), or an element feature matched by name or GUID. */
function facet(type: AnyType, name: string, ctx: HuntContext) {
	const simple = simpleFeature(type, name);
	if (simple) return (x: unknown) => simple(x, ctx) ?? [];
	const link = own(type.links, name);
	const target = link && typeOf(link.type);
	if (!link || !target) return undefined;
	return (x: unknown): FeatureValues =>
		(link.get(x, ctx) ?? []).flatMap((y) => [target.label(y), target.guid(y)]);
}

/** The element sets of every step, joined along the connection features (one pass each way). */
function resolve(q: ParsedQuery, types: AnyType[], ctx: HuntContext): unknown[][] | string {
	const sets: unknown[][] = [];
	for (const [i, step] of q.steps.entries()) {
		const type = types[i];
		const match = compileFilters(step.filters, (name) => facet(type, name, ctx));
		if (typeof match === 'string') return match;
		sets.push(
			[...type.all(ctx)].filter(
				(x) => (!step.guidList || step.guidList.has(type.guid(x))) && match(x),
			),
		);
	}
	const links = q.steps.slice(0, -1).map((s, i) => own(types[i].links, s.connection as string));
	for (const [i, link] of links.entries()) {
		if (!link) return `${types[i].name} has no element feature ${q.steps[i].connection}`;
		if (link.type !== types[i + 1].name)
			return `${types[i].name}.${q.steps[i].connection} leads to ${link.type}, not ${types[i + 1].name}`;
		const reached = new Set(sets[i].flatMap((x) => link.get(x, ctx) ?? []));
		sets[i + 1] = sets[i + 1].filter((y) => reached.has(y));
	}
	for (let i = links.length - 1; i >= 0; i--) {
		const next = new Set(sets[i + 1]);
		sets[i] = sets[i].filter((x) => (links[i]?.get(x, ctx) ?? []).some((y) => next.has(y)));
	}
	return sets;
}

/** suspicionsMap/evidenceMap of the returned elements (shape of machine_outputs, malop_processes). */
function suspicionMaps(type: AnyType, returned: unknown[]) {
	const suspicionsMap: Record<
		string,
		{ potentialEvidence: string[]; firstTimestamp: number; totalSuspicions: number }
	> = {};
	const evidenceMap: Record<string, number> = {};
	for (const x of returned) {
		for (const [name, at] of Object.entries(type.suspicions(x))) {
			const s = (suspicionsMap[name] ??= {
				potentialEvidence: [evidenceOf(name)],
				firstTimestamp: at,
				totalSuspicions: 0,
			});
			s.firstTimestamp = Math.min(s.firstTimestamp, at);
			s.totalSuspicions++;
			evidenceMap[evidenceOf(name)] = (evidenceMap[evidenceOf(name)] ?? 0) + 1;
		}
	}
	return { suspicionsMap, evidenceMap };
}

/** At most perGroupLimit results per group (File by hash, Process by image hash), groups in order of appearance. */
function perGroup(type: AnyType, results: unknown[], limit: number): unknown[] {
	const groups = new Map<string, unknown[]>();
	for (const x of results) {
		const key = type.group(x);
		const list = groups.get(key) ?? [];
		if (list.length < limit) list.push(x);
		groups.set(key, list);
	}
	return [...groups.values()].flat();
}

/** The result step's elements the answering servers hold, in the query's window; which servers failed. */
function answering(q: ParsedQuery, type: AnyType, found: unknown[], state: SimulatorState) {
	const hunting = state.hunting;
	const fault = hunting.takeFault(type.name);
	const failed = hunting.named(fault?.failedServers);
	const offline = hunting.named(fault?.offlineServers).filter((s) => !failed.includes(s));
	const down = new Set([...failed, ...offline]);
	let results = found.filter((x) => {
		const m = type.machine(x);
		return !m || !down.has(hunting.serverOf(m));
	});
	// Elastic's top-level startTime/endTime: processes alive at some point of the window.
	if (type.name === 'Process' && (q.startTime !== undefined || q.endTime !== undefined)) {
		results = results.filter((x) => {
			const p = x as { created: number; ended: number | null };
			return (
				p.created <= (q.endTime ?? Infinity) && (p.ended ?? Infinity) >= (q.startTime ?? -Infinity)
			);
		});
	}
	const cost = hunting.queryCostMsPerElement;
	const budget = cost > 0 && q.queryTimeout ? Math.floor(q.queryTimeout / cost) : Infinity;
	return {
		results,
		servers: { online: failed, offline, total: hunting.servers.length },
		cap: Math.min(q.totalResultLimit, fault?.terminateAfter ?? Infinity, budget),
	};
}

export const visualSearch = queryRoute((q, state) => {
	const types: AnyType[] = [];
	for (const step of q.steps) {
		const type = typeOf(step.type);
		if (!type)
			return badRequest(
				`The simulator's Visual Search has Machine, User, Process, File, MalopProcess and MalopLogonSession, not ${step.type}`,
			);
		types.push(type);
	}
	const ctx = huntContext(state);
	const sets = resolve(q, types, ctx);
	if (typeof sets === 'string') return badRequest(sets);
	const type = types[q.result];
	const { results, servers, cap } = answering(q, type, sets[q.result], state);
	const grouped = perGroup(type, results, q.perGroupLimit);
	const returned = grouped.slice(0, cap);
	const sp = state.spelling;
	const renderer = new EntryRenderer(
		type,
		q.customFields ?? type.defaults,
		ctx,
		sp,
		q.perFeatureLimit,
	);
	const counts = sets.map((s, i) => (i === q.result ? results.length : s.length));
	const body = envelope(sp, {
		entries: returned.map((x) =>
			type.name.startsWith('Malop')
				? malopEntry(state, x as SimMalop, q.customFields, q.perFeatureLimit)
				: renderer.entry(x),
		),
		total: results.length,
		terminated: returned.length < grouped.length,
		limits: {
			totalResultLimit: q.totalResultLimit,
			perGroupLimit: q.perGroupLimit,
			perFeatureLimit: q.perFeatureLimit,
		},
		grouping: { type: type.name, feature: type.grouping },
		pathCounts: q.steps.map((s, i) => ({
			type: i === 0 ? s.type : q.steps[i - 1].type,
			feature: i === 0 ? null : (q.steps[i - 1].connection as string),
			count: counts[i],
		})),
		...suspicionMaps(type, returned),
		expectedResults: servers.total,
		servers,
	});
	return rawJson(200, body);
});
