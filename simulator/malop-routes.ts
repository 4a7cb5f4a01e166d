// API: POST /rest/crimes/unified, POST /rest/detection/inbox, POST /rest/detection/custom-remediation,
//      POST /rest/detection/details
import type { InboxResponse } from '../nodes/shared/types';

import type { SimMalop } from './model';
import { compileFilters, envelope, queryRoute, type FeatureValues } from './query';
import { mapEntry, renderCustomRemediation, renderInboxMalop } from './render';
import {
	badRequest,
	isRecord,
	json,
	rawJson,
	text,
	type SimRequest,
	type SimResponse,
} from './respond';
import type { SimulatorState } from './state';

// Features a Malop query can filter on (values as the console compares them).
export const MALOP_FEATURES: Record<string, (m: SimMalop) => FeatureValues> = {
	malopLastUpdateTime: (m) => [m.lastUpdateTime],
	creationTime: (m) => [m.creationTime],
	malopStartTime: (m) => [m.malopStartTime],
	closeTime: (m) => [m.closeTime],
	managementStatus: (m) => [m.managementStatus],
	detectionType: (m) => [m.detectionType],
	malopActivityTypes: (m) => m.activityTypes,
	decisionFeature: (m) => [m.decisionFeature],
	elementDisplayName: (m) => [m.displayName],
	rootCauseElementNames: (m) => [m.displayName],
	rootCauseElementTypes: (m) => [m.rootCauseElementType],
	rootCauseElementHashes: (m) => [m.rootCauseHash],
	closerName: (m) => [m.closerName],
	isBlocked: (m) => [String(m.isBlocked)],
	guid: (m) => [m.guid],
};

export const crimesUnified = queryRoute((q, state) => {
	const step = q.steps[0];
	if (q.steps.length > 1 || (step.type !== 'MalopProcess' && step.type !== 'MalopLogonSession')) {
		return badRequest(`Unsupported requestedType for crimes/unified: ${step.type}`);
	}
	const match = compileFilters(step.filters, (name: string) =>
		Object.hasOwn(MALOP_FEATURES, name) ? MALOP_FEATURES[name] : undefined,
	);
	if (typeof match === 'string') return badRequest(match);

	const hits: SimMalop[] = [];
	for (const m of state.malops.values()) {
		if (m.kind !== step.type) continue;
		if (step.guidList && !step.guidList.has(m.guid)) continue;
		if (match(m)) hits.push(m);
	}
	// Newest activity first; the console's own order is not documented.
	hits.sort(
		(a, b) =>
			b.lastUpdateTime - a.lastUpdateTime || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0),
	);
	const returned = hits.slice(0, q.totalResultLimit);
	const body = envelope(state.spelling, {
		entries: returned.map((m) => malopEntry(state, m, q.customFields, q.perFeatureLimit)),
		total: hits.length,
		terminated: hits.length > returned.length,
		limits: {
			totalResultLimit: q.totalResultLimit,
			perGroupLimit: q.perGroupLimit,
			perFeatureLimit: q.perFeatureLimit,
		},
		grouping: { type: step.type, feature: 'self' },
		pathCounts: [{ type: step.type, feature: null, count: hits.length }],
		expectedResults: hits.length,
	});
	return rawJson(200, body);
});

/** One Malop's `"<guid>":{element}` entry: the cached rendering, or `customFields` picked out of it. */
export function malopEntry(
	state: SimulatorState,
	m: SimMalop,
	fields: string[] | undefined,
	perFeatureLimit: number,
): Buffer {
	const rev = state.revision(m.guid);
	if (!fields) return state.cache.entry(m, rev, perFeatureLimit);
	const el = state.cache.element(m, rev);
	const pick = <T>(rec: Record<string, T>) =>
		Object.fromEntries(Object.entries(rec).filter(([k]) => fields.includes(k)));
	const elementValues = Object.fromEntries(
		Object.entries(pick(el.elementValues)).map(([k, v]) => [
			k,
			{ ...v, elementValues: v.elementValues.slice(0, perFeatureLimit) },
		]),
	);
	return mapEntry(m.guid, { ...el, simpleValues: pick(el.simpleValues), elementValues });
}

function timeOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
	return undefined;
}

/** Every Malop (EDR and EPP) created or updated inside the window; no pagination. */
export function inbox(req: SimRequest, state: SimulatorState): SimResponse {
	const body = isRecord(req.body) ? req.body : {};
	const start = timeOf(body.startTime);
	const end = timeOf(body.endTime);
	if (start === undefined || end === undefined || start > end)
		return text(400, 'Time range is not valid');
	const inWindow = (t: number) => t >= start && t <= end;
	const malops = [...state.malops.values()]
		.filter((m) => inWindow(m.creationTime) || inWindow(m.lastUpdateTime))
		.sort((a, b) => b.lastUpdateTime - a.lastUpdateTime);

	const infected = new Set<string>();
	for (const m of state.malops.values()) {
		if (m.status === 'Active') for (const x of m.machines) infected.add(x.guid);
	}
	const counter = {
		totalMachines: 0,
		onlineInfectedCount: 0,
		onlineCleanCount: 0,
		offlineInfectedCount: 0,
		offlineCleanCount: 0,
	};
	for (const x of state.machines.values()) {
		counter.totalMachines++;
		const key =
			`${x.connected ? 'online' : 'offline'}${infected.has(x.guid) ? 'Infected' : 'Clean'}Count` as const;
		counter[key]++;
	}
	const answer: InboxResponse = {
		malops: malops.map(renderInboxMalop),
		machineCounterModel: counter,
	};
	return json(200, answer);
}

export function customRemediation(req: SimRequest, state: SimulatorState): SimResponse {
	const body = req.body;
	if (!isRecord(body)) return badRequest('Request body must be a JSON object');
	const lists = [body.processMalopGuids, body.detectionEventMalopGuids];
	if (lists.some((l) => l !== undefined && l !== null && !Array.isArray(l))) {
		return badRequest('processMalopGuids and detectionEventMalopGuids must be lists');
	}
	const guids = Array.isArray(body.processMalopGuids) ? body.processMalopGuids.map(String) : [];
	// The answer for EPP ("detection event") Malops is not public: only EDR Malops produce entries.
	const data = guids
		.map((g) => state.malops.get(g))
		.filter((m): m is SimMalop => !!m && m.kind !== 'EPP')
		.flatMap(renderCustomRemediation);
	return json(200, { data, status: 'SUCCESS', errorMessage: '' });
}

/** EPP Malop details: the reference only says "inbox-like, plus processSuspects"; this is that. */
export function detectionDetails(req: SimRequest, state: SimulatorState): SimResponse {
	const guid = isRecord(req.body) ? req.body.malopGuid : undefined;
	const malop = typeof guid === 'string' ? state.malops.get(guid) : undefined;
	if (!malop) return text(400, 'Malop ID is not valid');
	return json(200, {
		...renderInboxMalop(malop),
		processSuspects: malop.targets
			.filter((t) => t.kind === 'process')
			.map((t) => ({ guid: t.guid, name: t.name, machineGuid: t.machineGuid })),
	});
}
