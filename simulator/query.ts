// The Visual-Search query language that crimes/unified and visualsearch/query/simple share: the body
// (queryPath steps, limits, customFields), the filters and the answer envelope
// (xsoar-query_malop_raw_response, xsoar-machine_outputs, xsoar-malop_processes_raw_response).
import type { Spelling } from './render';
import { badRequest, isRecord, type SimRequest, type SimResponse } from './respond';
import type { SimulatorState } from './state';

type FeatureValue = string | number | boolean | null;
export type FeatureValues = FeatureValue[];

type Compare = (actual: string | number | boolean, wanted: string | number | boolean) => boolean;

const num = (v: FeatureValue) => (v === null || typeof v === 'boolean' ? NaN : Number(v));
// XSOAR sends `values: [True]` and Python fixtures "True": a boolean feature matches any spelling.
const same: Compare = (a, w) =>
	typeof a === 'boolean' ? String(a) === String(w).toLowerCase() : String(a) === String(w);
const contains: Compare = (a, w) => String(a).toLowerCase().includes(String(w).toLowerCase());

/** Splunk SOAR's `MatchesWildcard`: `*` any run, `?` one character, case-insensitive. */
function wildcard(a: string | number | boolean, w: string | number | boolean): boolean {
	const pattern = String(w)
		.split('')
		.map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
		.join('');
	return new RegExp(`^${pattern}$`, 'i').test(String(a));
}

const FILTER_TYPES: Record<string, { numeric: boolean; test: Compare; negate?: boolean }> = {
	Equals: { numeric: false, test: same },
	NotEquals: { numeric: false, test: same, negate: true },
	ContainsIgnoreCase: { numeric: false, test: contains },
	NotContainsIgnoreCase: { numeric: false, test: contains, negate: true },
	MatchesWildcard: { numeric: false, test: wildcard },
	GreaterThan: { numeric: true, test: (a, w) => num(a) > Number(w) },
	GreaterOrEqualsTo: { numeric: true, test: (a, w) => num(a) >= Number(w) },
	LessThan: { numeric: true, test: (a, w) => num(a) < Number(w) },
	LessOrEqualsTo: { numeric: true, test: (a, w) => num(a) <= Number(w) },
};

/**
 * Builds the AND of a Visual-Search filter list; a string is the 400 message for a bad filter.
 * A filter without `filterType` is `Equals`: XSOAR's Machine and Process queries send none.
 */
export function compileFilters<T>(
	filters: unknown,
	feature: (name: string) => ((x: T) => FeatureValues) | undefined,
): ((x: T) => boolean) | string {
	if (filters === undefined || filters === null) return () => true;
	if (!Array.isArray(filters)) return 'filters must be a list';
	const checks: Array<(x: T) => boolean> = [];
	for (const f of filters) {
		if (!isRecord(f) || typeof f.facetName !== 'string' || !Array.isArray(f.values)) {
			return 'Each filter needs facetName and values';
		}
		if (f.filterType !== undefined && typeof f.filterType !== 'string')
			return 'filterType must be a string';
		const get = feature(f.facetName);
		if (!get) return `Unknown feature: ${f.facetName}`;
		const typeName = f.filterType ?? 'Equals';
		const type = Object.hasOwn(FILTER_TYPES, typeName) ? FILTER_TYPES[typeName] : undefined;
		if (!type) return `Unsupported filterType: ${typeName}`;
		const wanted = f.values as Array<string | number | boolean>;
		// Times arrive as ms numbers or numeric strings; both are accepted.
		if (type.numeric && (wanted.length === 0 || wanted.some((w) => !Number.isFinite(Number(w))))) {
			return `${typeName} on ${f.facetName} needs a numeric value`;
		}
		checks.push((x) => {
			const actual = get(x).filter((a): a is string | number | boolean => a !== null);
			const hit = type.numeric
				? actual.some((a) => type.test(a, wanted[0]))
				: actual.some((a) => wanted.some((w) => type.test(a, w)));
			return type.negate ? !hit : hit;
		});
	}
	return (x) => checks.every((c) => c(x));
}

/** `"true"`, `"True"` and `true` all mean yes (Elastic sends `"isResult": "true"`). */
function truthy(value: unknown): boolean {
	return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function limitOf(value: unknown, fallback: number): number | undefined {
	if (value === undefined || value === null) return fallback;
	const n = Number(value);
	return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function timeOf(value: unknown): number | undefined | 'bad' {
	if (value === undefined || value === null) return undefined;
	const n = Number(value);
	return (typeof value === 'number' || typeof value === 'string') && Number.isFinite(n) ? n : 'bad';
}

interface QueryStep {
	type: string;
	guidList?: Set<string>;
	filters: unknown;
	/** The feature of this step's elements that leads to the next step's elements. */
	connection?: string;
	isResult: boolean;
}

export interface ParsedQuery {
	steps: QueryStep[];
	/** Index of the step whose elements are answered (flagged isResult/result, else the last). */
	result: number;
	totalResultLimit: number;
	perGroupLimit: number;
	perFeatureLimit: number;
	customFields?: string[];
	templateContext?: string;
	queryTimeout?: number;
	/** Elastic's top-level window (ms). */
	startTime?: number;
	endTime?: number;
}

function parseStep(step: unknown, i: number): QueryStep | string {
	if (!isRecord(step) || typeof step.requestedType !== 'string')
		return `queryPath[${i}].requestedType is required`;
	if (step.guidList !== undefined && step.guidList !== null && !Array.isArray(step.guidList))
		return 'guidList must be a list';
	const cf = step.connectionFeature;
	if (cf !== undefined && cf !== null) {
		if (
			!isRecord(cf) ||
			typeof cf.elementInstanceType !== 'string' ||
			typeof cf.featureName !== 'string'
		)
			return `queryPath[${i}].connectionFeature needs elementInstanceType and featureName`;
		if (cf.elementInstanceType !== step.requestedType)
			return `queryPath[${i}].connectionFeature.elementInstanceType must be ${step.requestedType}`;
	}
	return {
		type: step.requestedType,
		guidList: Array.isArray(step.guidList) ? new Set(step.guidList.map(String)) : undefined,
		filters: step.filters,
		connection: isRecord(cf) ? String(cf.featureName) : undefined,
		isResult: truthy(step.isResult) || truthy(step.result),
	};
}

function parseQuery(req: SimRequest, maxTotal: number): ParsedQuery | string {
	const body = req.body;
	if (!req.isJson || !isRecord(body)) return 'Request body is not valid JSON';
	const path = body.queryPath;
	if (!Array.isArray(path) || path.length === 0) return 'queryPath is required';
	const steps: QueryStep[] = [];
	for (const [i, raw] of path.entries()) {
		const step = parseStep(raw, i);
		if (typeof step === 'string') return step;
		steps.push(step);
	}
	if (steps[steps.length - 1].connection !== undefined)
		return 'The last queryPath step cannot have a connectionFeature';
	if (steps.slice(0, -1).some((s) => s.connection === undefined))
		return 'Every queryPath step but the last needs a connectionFeature';
	const total = limitOf(body.totalResultLimit, maxTotal);
	const perGroup = limitOf(body.perGroupLimit, 100);
	const perFeature = limitOf(body.perFeatureLimit, 100);
	if (total === undefined || perGroup === undefined || perFeature === undefined) {
		return 'totalResultLimit, perGroupLimit and perFeatureLimit must be non-negative integers';
	}
	const [timeout, start, end] = [body.queryTimeout, body.startTime, body.endTime].map(timeOf);
	if (timeout === 'bad' || start === 'bad' || end === 'bad')
		return 'queryTimeout, startTime and endTime must be numbers';
	const template = body.templateContext;
	if (template !== undefined && template !== null && typeof template !== 'string')
		return 'templateContext must be a string';
	const custom = Array.isArray(body.customFields)
		? body.customFields.filter((f): f is string => typeof f === 'string')
		: [];
	const flagged = steps.findIndex((s) => s.isResult);
	return {
		steps,
		result: flagged >= 0 ? flagged : steps.length - 1,
		// The console clamps what a client asks for to its own ceiling.
		totalResultLimit: Math.min(total, maxTotal),
		perGroupLimit: perGroup,
		perFeatureLimit: perFeature,
		customFields: custom.length > 0 ? custom : undefined,
		templateContext: template ?? undefined,
		queryTimeout: timeout,
		startTime: start,
		endTime: end,
	};
}

/** A route that answers a query body; a body that does not parse is a 400 with the reason. */
export function queryRoute(
	answer: (q: ParsedQuery, state: SimulatorState) => SimResponse,
): (req: SimRequest, state: SimulatorState, maxTotal: number) => SimResponse {
	return (req, state, maxTotal) => {
		const q = parseQuery(req, maxTotal);
		return typeof q === 'string' ? badRequest(q) : answer(q, state);
	};
}

interface FailedServers {
	online: string[];
	offline: string[];
	total: number;
}

interface EnvelopeSpec {
	entries: Buffer[];
	total: number;
	terminated: boolean;
	limits: { totalResultLimit: number; perGroupLimit: number; perFeatureLimit: number };
	grouping: { type: string; feature: string };
	/** One entry per queryPath step: the first with featureName null, then each connection feature. */
	pathCounts: Array<{ type: string; feature: string | null; count: number }>;
	suspicionsMap?: Record<string, unknown>;
	evidenceMap?: Record<string, number>;
	/** crimes/unified: the count of results; visual search: the count of servers asked (a guess). */
	expectedResults: number;
	servers?: FailedServers;
}

function serversInfo(s: FailedServers | undefined) {
	const pct = (n: number) => (s && s.total > 0 ? (100 * n) / s.total : 0.0);
	return {
		onlineFailedServers: s?.online ?? [],
		offlineServers: s?.offline ?? [],
		onlineFailedServersPercentage: pct(s?.online.length ?? 0),
		totalFailedServersPercentage: pct((s?.online.length ?? 0) + (s?.offline.length ?? 0)),
	};
}

/** The query envelope with the result map entries spliced in; FAILURE (no server answered) has `data: null`. */
export function envelope(sp: Spelling, spec: EnvelopeSpec): Buffer[] {
	const failures = (spec.servers?.online.length ?? 0) + (spec.servers?.offline.length ?? 0);
	const status =
		failures === 0
			? 'SUCCESS'
			: failures < (spec.servers?.total ?? 1)
				? 'PARTIAL_SUCCESS'
				: 'FAILURE';
	const data = {
		resultIdToElementDataMap: {},
		suspicionsMap: spec.suspicionsMap ?? {},
		evidenceMap: spec.evidenceMap ?? {},
		totalPossibleResults: spec.total,
		guessedPossibleResults: 0,
		queryLimits: {
			...spec.limits,
			groupingFeature: {
				elementInstanceType: spec.grouping.type,
				featureName: spec.grouping.feature,
			},
			sortInGroupFeature: sp.nil(),
		},
		queryTerminated: sp.bool(spec.terminated),
		pathResultCounts: spec.pathCounts.map((p) => ({
			featureDescriptor: { elementInstanceType: p.type, featureName: p.feature ?? sp.nil() },
			count: p.count,
		})),
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
	};
	const body = {
		data: status === 'FAILURE' ? null : data,
		status,
		hidePartialSuccess: sp.bool(false),
		message:
			failures === 0
				? ''
				: `${failures} of ${spec.servers?.total} servers did not answer the query`,
		expectedResults: spec.expectedResults,
		failures,
		failedServersInfo: serversInfo(spec.servers),
	};
	const json = JSON.stringify(body);
	if (status === 'FAILURE') return [Buffer.from(json)];
	// resultIdToElementDataMap is the first key, so its `{}` is the first one in the text.
	const marker = '"resultIdToElementDataMap":{';
	const at = json.indexOf(marker) + marker.length;
	const parts: Buffer[] = [Buffer.from(json.slice(0, at))];
	const comma = Buffer.from(',');
	spec.entries.forEach((e, i) => {
		if (i > 0) parts.push(comma);
		parts.push(e);
	});
	parts.push(Buffer.from(json.slice(at)));
	return parts;
}
