// API: POST /rest/crimes/unified, POST /rest/detection/inbox, POST /rest/detection/custom-remediation,
//      POST /rest/detection/details, POST /rest/visualsearch/query/simple
import type { InboxResponse } from '../nodes/shared/types';

import type { SimMachine, SimMalop } from './model';
import { mapEntry, renderCustomRemediation, renderInboxMalop, type Spelling } from './render';
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

type FeatureValues = Array<string | number | null>;

// Features a Malop query can filter on (values as the console compares them).
const MALOP_FEATURES: Record<string, (m: SimMalop) => FeatureValues> = {
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

const MACHINE_FEATURES: Record<string, (m: SimMachine) => FeatureValues> = {
	elementDisplayName: (m) => [m.name],
	guid: (m) => [m.guid],
	pylumId: (m) => [m.pylumId],
	osType: (m) => [m.osType],
	isActiveProbeConnected: (m) => [String(m.connected)],
	isIsolated: (m) => [String(m.isolated)],
};

type Compare = (actual: string | number | null, wanted: string | number) => boolean;

const num = (v: string | number | null) => (v === null ? NaN : Number(v));
const FILTER_TYPES: Record<string, { numeric: boolean; test: Compare; negate?: boolean }> = {
	Equals: { numeric: false, test: (a, w) => a !== null && String(a) === String(w) },
	NotEquals: {
		numeric: false,
		test: (a, w) => a !== null && String(a) === String(w),
		negate: true,
	},
	ContainsIgnoreCase: {
		numeric: false,
		test: (a, w) => a !== null && String(a).toLowerCase().includes(String(w).toLowerCase()),
	},
	GreaterThan: { numeric: true, test: (a, w) => num(a) > Number(w) },
	GreaterOrEqualsTo: { numeric: true, test: (a, w) => num(a) >= Number(w) },
	LessThan: { numeric: true, test: (a, w) => num(a) < Number(w) },
	LessOrEqualsTo: { numeric: true, test: (a, w) => num(a) <= Number(w) },
};

/** Builds the AND of a Visual-Search filter list; a string is the 400 message for a bad filter. */
function compileFilters<T>(
	filters: unknown,
	features: Record<string, (x: T) => FeatureValues>,
): ((x: T) => boolean) | string {
	if (filters === undefined || filters === null) return () => true;
	if (!Array.isArray(filters)) return 'filters must be a list';
	const checks: Array<(x: T) => boolean> = [];
	for (const f of filters) {
		if (
			!isRecord(f) ||
			typeof f.facetName !== 'string' ||
			typeof f.filterType !== 'string' ||
			!Array.isArray(f.values)
		) {
			return 'Each filter needs facetName, filterType and values';
		}
		const get = features[f.facetName];
		if (!get) return `Unknown feature: ${f.facetName}`;
		const type = FILTER_TYPES[f.filterType];
		if (!type) return `Unsupported filterType: ${f.filterType}`;
		const wanted = f.values as Array<string | number>;
		// Times arrive as ms numbers or numeric strings; both are accepted.
		if (type.numeric && (wanted.length === 0 || wanted.some((w) => !Number.isFinite(Number(w))))) {
			return `${f.filterType} on ${f.facetName} needs a numeric value`;
		}
		checks.push((x) => {
			const actual = get(x);
			const hit = type.numeric
				? actual.some((a) => type.test(a, wanted[0]))
				: actual.some((a) => wanted.some((w) => type.test(a, w)));
			return type.negate ? !hit : hit;
		});
	}
	return (x) => checks.every((c) => c(x));
}

function limitOf(value: unknown, fallback: number): number | undefined {
	if (value === undefined || value === null) return fallback;
	const n = Number(value);
	return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The query envelope of xsoar-query_malop_raw_response, with the result map entries spliced in. */
function envelope(
	sp: Spelling,
	type: string,
	entries: Buffer[],
	counts: { total: number; returned: number; terminated: boolean },
	limits: { totalResultLimit: number; perGroupLimit: number; perFeatureLimit: number },
): Buffer[] {
	const body = {
		data: {
			resultIdToElementDataMap: {},
			suspicionsMap: {},
			evidenceMap: {},
			totalPossibleResults: counts.total,
			guessedPossibleResults: 0,
			queryLimits: {
				...limits,
				groupingFeature: { elementInstanceType: type, featureName: 'self' },
				sortInGroupFeature: sp.nil(),
			},
			queryTerminated: sp.bool(counts.terminated),
			pathResultCounts: [
				{
					featureDescriptor: { elementInstanceType: type, featureName: sp.nil() },
					count: counts.total,
				},
			],
			guids: [],
			paginationToken: sp.nil(),
			executionUUID: sp.nil(),
			quapiMeasurementData: {
				timeToGetGuids: [],
				timeToGetData: [],
				timeToGetAdditionalData: [],
				totalQuapiQueryTime: [],
				startTime: [],
				endTime: [],
			},
		},
		status: 'SUCCESS',
		hidePartialSuccess: sp.bool(false),
		message: '',
		expectedResults: counts.total,
		failures: 0,
		failedServersInfo: {
			onlineFailedServers: [],
			offlineServers: [],
			onlineFailedServersPercentage: 0.0,
			totalFailedServersPercentage: 0.0,
		},
	};
	// resultIdToElementDataMap is the first key, so its `{}` is the first one in the text.
	const marker = '"resultIdToElementDataMap":{';
	const json = JSON.stringify(body);
	const at = json.indexOf(marker) + marker.length;
	const parts: Buffer[] = [Buffer.from(json.slice(0, at))];
	const comma = Buffer.from(',');
	entries.forEach((e, i) => {
		if (i > 0) parts.push(comma);
		parts.push(e);
	});
	parts.push(Buffer.from(json.slice(at)));
	return parts;
}

interface ParsedQuery {
	type: string;
	guidList?: Set<string>;
	filters: unknown;
	totalResultLimit: number;
	perGroupLimit: number;
	perFeatureLimit: number;
	customFields?: string[];
}

function parseQuery(req: SimRequest, maxTotal: number): ParsedQuery | string {
	const body = req.body;
	if (!req.isJson || !isRecord(body)) return 'Request body is not valid JSON';
	const path = body.queryPath;
	if (!Array.isArray(path) || path.length === 0 || !isRecord(path[0]))
		return 'queryPath is required';
	const step = path[0];
	if (typeof step.requestedType !== 'string') return 'queryPath[0].requestedType is required';
	if (step.guidList !== undefined && step.guidList !== null && !Array.isArray(step.guidList)) {
		return 'guidList must be a list';
	}
	const total = limitOf(body.totalResultLimit, maxTotal);
	const perGroup = limitOf(body.perGroupLimit, 100);
	const perFeature = limitOf(body.perFeatureLimit, 100);
	if (total === undefined || perGroup === undefined || perFeature === undefined) {
		return 'totalResultLimit, perGroupLimit and perFeatureLimit must be non-negative integers';
	}
	const custom = Array.isArray(body.customFields)
		? body.customFields.filter((f): f is string => typeof f === 'string')
		: [];
	return {
		type: step.requestedType,
		guidList: Array.isArray(step.guidList) ? new Set(step.guidList.map(String)) : undefined,
		filters: step.filters,
		// The console clamps what a client asks for to its own ceiling.
		totalResultLimit: Math.min(total, maxTotal),
		perGroupLimit: perGroup,
		perFeatureLimit: perFeature,
		customFields: custom.length > 0 ? custom : undefined,
	};
}

export function crimesUnified(
	req: SimRequest,
	state: SimulatorState,
	maxTotal: number,
): SimResponse {
	const q = parseQuery(req, maxTotal);
	if (typeof q === 'string') return badRequest(q);
	if (q.type !== 'MalopProcess' && q.type !== 'MalopLogonSession') {
		return badRequest(`Unsupported requestedType for crimes/unified: ${q.type}`);
	}
	const match = compileFilters(q.filters, MALOP_FEATURES);
	if (typeof match === 'string') return badRequest(match);

	const hits: SimMalop[] = [];
	for (const m of state.malops.values()) {
		if (m.kind !== q.type) continue;
		if (q.guidList && !q.guidList.has(m.guid)) continue;
		if (match(m)) hits.push(m);
	}
	// Newest activity first; the console's own order is not documented.
	hits.sort(
		(a, b) =>
			b.lastUpdateTime - a.lastUpdateTime || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0),
	);
	const returned = hits.slice(0, q.totalResultLimit);
	const parts = returned.map((m) => {
		const rev = state.revision(m.guid);
		return q.customFields
			? mapEntry(m.guid, selectCustom(state, m, rev, q.customFields, q.perFeatureLimit))
			: state.cache.entry(m, rev, q.perFeatureLimit);
	});
	const body = envelope(
		state.spelling,
		q.type,
		parts,
		{ total: hits.length, returned: returned.length, terminated: hits.length > returned.length },
		{
			totalResultLimit: q.totalResultLimit,
			perGroupLimit: q.perGroupLimit,
			perFeatureLimit: q.perFeatureLimit,
		},
	);
	return rawJson(200, body);
}

function selectCustom(
	state: SimulatorState,
	m: SimMalop,
	rev: number,
	fields: string[],
	perFeatureLimit: number,
) {
	const el = state.cache.element(m, rev);
	const pick = <T>(rec: Record<string, T>) =>
		Object.fromEntries(Object.entries(rec).filter(([k]) => fields.includes(k)));
	const elementValues = Object.fromEntries(
		Object.entries(pick(el.elementValues)).map(([k, v]) => [
			k,
			{ ...v, elementValues: v.elementValues.slice(0, perFeatureLimit) },
		]),
	);
	return { ...el, simpleValues: pick(el.simpleValues), elementValues };
}

/** Machine (and User) Visual Search, enough for XSOAR's pylumId lookup and its connectivity probe. */
export function visualSearch(
	req: SimRequest,
	state: SimulatorState,
	maxTotal: number,
): SimResponse {
	const q = parseQuery(req, maxTotal);
	if (typeof q === 'string') return badRequest(q);
	const sp = state.spelling;
	const sv = (v: string) => ({ totalValues: 1, values: [v] });
	let rows: Array<{
		guid: string;
		simpleValues: Record<string, { totalValues: number; values: string[] }>;
		group: string;
	}>;
	if (q.type === 'Machine') {
		const match = compileFilters(q.filters, MACHINE_FEATURES);
		if (typeof match === 'string') return badRequest(match);
		const fields = q.customFields ?? ['elementDisplayName'];
		rows = [...state.machines.values()]
			.filter((m) => (!q.guidList || q.guidList.has(m.guid)) && match(m))
			.map((m) => ({
				guid: m.guid,
				simpleValues: Object.fromEntries(
					fields
						.filter((f) => f in MACHINE_FEATURES)
						.map((f) => [f, sv(String(MACHINE_FEATURES[f](m)[0]))]),
				),
				group: `MachineRuntime:${m.guid} computerName=${m.name} , `,
			}));
	} else if (q.type === 'User') {
		const users = [...state.malops.values()].flatMap((m) => m.users);
		const seen = new Set<string>();
		rows = users
			.filter(
				(u) => !seen.has(u.guid) && seen.add(u.guid) && (!q.guidList || q.guidList.has(u.guid)),
			)
			.map((u) => ({
				guid: u.guid,
				simpleValues: { elementDisplayName: sv(u.name) },
				group: `UserRuntime:${u.guid} `,
			}));
	} else {
		return badRequest(`The simulator's Visual Search supports Machine and User, not ${q.type}`);
	}
	const returned = rows.slice(0, q.totalResultLimit);
	const parts = returned.map((r) =>
		mapEntry(r.guid, {
			simpleValues: r.simpleValues,
			elementValues: {},
			suspicions: {},
			filterData: { sortInGroupValue: r.guid, groupByValue: r.group },
			isMalicious: sp.bool(false),
			suspicionCount: 0,
			guidString: r.guid,
			labelsIds: sp.nil(),
			malopPriority: sp.nil(),
			suspect: sp.bool(false),
			malicious: sp.bool(false),
		}),
	);
	return rawJson(
		200,
		envelope(
			sp,
			q.type,
			parts,
			{ total: rows.length, returned: returned.length, terminated: rows.length > returned.length },
			{
				totalResultLimit: q.totalResultLimit,
				perGroupLimit: q.perGroupLimit,
				perFeatureLimit: q.perFeatureLimit,
			},
		),
	);
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
