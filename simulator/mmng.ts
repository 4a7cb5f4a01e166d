// API: POST /rest/mmng/v2/malops
// The Malops management list current consoles serve instead of the deprecated inbox. The request is what
// SEKOIA, forensic-security, Vulture, XSOAR and Cybereason's own Splunk add-on send; the answer and its items
// follow xsoar-query_malop_management_raw_response key for key: no `message` on success, `isEdr` (not `edr`),
// labels as objects, `rootCauseElementHashes` a list, machines with `pylumId`.
import type { SimMalop } from './model';
import { labelCounts, labelView } from './labels';
import { rootCauseHashes } from './render';
import { badRequest, isRecord, json, type SimResponse } from './respond';
import { groupIdOf } from './sensors';
import type { SimulatorState } from './state';
import { INVESTIGATION_STATUSES } from '../nodes/shared/types';
import {
	investigationStatusOf,
	metadataTime,
	parseInvestigationStatus,
	spellInvestigation,
} from './status';

/** XSOAR asks for one Malop without a pageSize; the sample's answer says 100. */
const DEFAULT_PAGE_SIZE = 100;

type FilterKey = 'status' | 'investigationStatus' | 'severity' | 'priority';

/** `filter.malop.status` is what the Splunk add-on sends; the other three are guessed by analogy. */
const FILTER_VALUES: Record<FilterKey, readonly string[]> = {
	status: ['Active', 'Remediated', 'Closed', 'Excluded'],
	investigationStatus: [...INVESTIGATION_STATUSES, 'Reopened'],
	severity: ['High', 'Medium', 'Low'],
	priority: ['HIGH', 'MEDIUM', 'LOW'],
};

const FILTER_FIELDS: Record<FilterKey, (m: SimMalop) => string | null> = {
	status: (m) => m.status,
	investigationStatus: (m) => investigationStatusOf(m),
	severity: (m) => m.severity,
	priority: (m) => m.priority,
};

interface MmngQuery {
	guid?: string;
	from: number;
	to: number;
	pageSize: number;
	offset: number;
	groups: string[];
	ascending: boolean;
	filter: Array<[FilterKey, Set<string>]>;
}

function ms(value: unknown, fallback: number): number | undefined {
	if (value === undefined || value === null) return fallback;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
	return undefined;
}

function count(value: unknown, fallback: number, min: number): number | undefined {
	if (value === undefined || value === null) return fallback;
	return Number.isInteger(value) && (value as number) >= min ? (value as number) : undefined;
}

function strings(value: unknown): string[] | undefined {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
	return undefined;
}

/** `{malop: {status: [...], ...}}`; an empty list (the Splunk add-on's "none selected") restricts nothing. */
function parseFilter(filter: unknown): MmngQuery['filter'] | string {
	if (filter === undefined || filter === null) return [];
	if (!isRecord(filter)) return 'filter must be an object';
	const extra = Object.keys(filter).find((k) => k !== 'malop');
	if (extra) return `Unsupported filter ${extra}: use filter.malop`;
	if (filter.malop === undefined) return [];
	if (!isRecord(filter.malop)) return 'filter.malop must be an object';
	const out: MmngQuery['filter'] = [];
	for (const [key, raw] of Object.entries(filter.malop)) {
		const allowed = FILTER_VALUES[key as FilterKey];
		if (!allowed)
			return `Unsupported filter.malop.${key}: use ${Object.keys(FILTER_VALUES).join(', ')}`;
		const values = strings(raw);
		const bad = values?.find((v) => !allowed.includes(v));
		if (!values || bad !== undefined)
			return `filter.malop.${key} takes ${allowed.join(', ')}${bad ? `, not ${bad}` : ''}`;
		const wanted = key === 'investigationStatus' ? values.map(parseInvestigationStatus) : values;
		if (values.length > 0) out.push([key as FilterKey, new Set(wanted as string[])]);
	}
	return out;
}

function parseSort(sort: unknown): boolean | string {
	if (sort === undefined || sort === null || (Array.isArray(sort) && sort.length === 0))
		return false;
	const first: unknown = Array.isArray(sort) ? sort[0] : undefined;
	if (!isRecord(first) || first.field !== 'LastUpdateTime')
		return 'sort must be [{"field":"LastUpdateTime","order":"asc"|"desc"}]';
	const order = first.order === undefined ? 'desc' : String(first.order).toLowerCase();
	if (order !== 'asc' && order !== 'desc') return `Unknown sort order ${String(first.order)}`;
	return order === 'asc';
}

function parseSearch(search: unknown): { guid?: string } | string {
	if (search === undefined || search === null) return {};
	if (!isRecord(search)) return 'search must be an object';
	const extra = Object.keys(search).find((k) => k !== 'malop');
	if (extra) return `Unsupported search ${extra}: use search.malop.guid`;
	if (search.malop === undefined) return {};
	if (!isRecord(search.malop) || typeof search.malop.guid !== 'string')
		return 'search.malop.guid must be a Malop GUID';
	return { guid: search.malop.guid };
}

/** An optional object member: {} when absent, undefined when it is something else. */
function part(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
	const value = body[key];
	if (value === undefined || value === null) return {};
	return isRecord(value) ? value : undefined;
}

function parseQuery(body: unknown, state: SimulatorState): MmngQuery | string {
	if (!isRecord(body)) return 'Request body must be a JSON object';
	const range = part(body, 'range');
	const pagination = part(body, 'pagination');
	const federation = part(body, 'federation');
	if (!range || !pagination || !federation)
		return 'range, pagination and federation must be objects';
	const from = ms(range.from, 0);
	const to = ms(range.to, Number.MAX_SAFE_INTEGER);
	if (from === undefined || to === undefined || from > to)
		return 'range must be {from, to} in ms, from <= to';
	const asked = count(pagination.pageSize, DEFAULT_PAGE_SIZE, 1);
	const offset = count(pagination.offset, 0, 0);
	if (asked === undefined || offset === undefined)
		return 'pagination.pageSize must be a positive integer and pagination.offset a non-negative one';
	const cap = state.management.mmngMaxPageSize;
	if (asked > cap && state.management.mmngOverPageSize === 'reject')
		return `pagination.pageSize must not exceed ${cap}`;
	const groups = strings(federation.groups ?? []);
	if (!groups) return 'federation.groups must be a list of group ids';
	const search = parseSearch(body.search);
	const ascending = parseSort(body.sort);
	const filter = parseFilter(body.filter);
	for (const part of [search, ascending, filter]) if (typeof part === 'string') return part;
	return {
		guid: (search as { guid?: string }).guid,
		from,
		to,
		pageSize: Math.min(asked, cap),
		offset,
		groups,
		ascending: ascending as boolean,
		filter: filter as MmngQuery['filter'],
	};
}

function renderItem(
	m: SimMalop,
	state: SimulatorState,
	counts: Map<string, number>,
	group: string,
) {
	return {
		guid: m.guid,
		displayName: m.displayName,
		creationTime: m.creationTime,
		lastUpdateTime: m.lastUpdateTime,
		metadataUpdateTime: metadataTime(m),
		decisionStatuses: m.decisionStatuses.slice(),
		detectionEngines: m.detectionEngines.slice(),
		mitreTactics: m.mitreTactics?.slice() ?? [],
		mitreTechniques: m.mitreTechniques?.slice() ?? [],
		mitreSubTechniques: [],
		rootCauseElementHashes: rootCauseHashes(m),
		iocs: [m.rootCauseElementType],
		detectionTypes: m.detectionTypes.slice(),
		labels: m.labels.map((t) => labelView(state.labels.ensure(t), counts)),
		investigationStatus: spellInvestigation(state, investigationStatusOf(m)),
		closerName: m.closerName,
		priority: m.priority,
		status: m.status,
		severity: m.severity,
		detectionType: m.detectionType,
		escalated: false,
		iconBase64: '',
		isEdr: m.kind !== 'EPP',
		groups: [group],
		rootCauseElementType: m.rootCauseElementType,
		machines: m.machines.map((x) => ({
			guid: x.guid,
			displayName: x.name,
			connected: x.connected,
			isolated: x.isolated,
			osType: x.osType,
			lastConnected: x.lastConnected,
			pylumId: x.pylumId,
		})),
		users: m.users.map((u) => ({
			guid: u.guid,
			displayName: u.name,
			admin: u.admin,
			domainUser: u.domainUser,
			localSystem: u.localSystem,
		})),
	};
}

/** EDR and EPP Malops by lastUpdateTime (inclusive range), newest first unless sorted asc. */
export function listMalops(body: unknown, state: SimulatorState): SimResponse {
	const q = parseQuery(body, state);
	if (typeof q === 'string') return badRequest(q);
	const opts = state.management;
	const group = groupIdOf(state.serverId);
	const inGroups = q.groups.length === 0 || q.groups.includes(group);
	const hits = [...state.malops.values()].filter(
		(m) =>
			inGroups &&
			(q.guid === undefined || m.guid === q.guid) &&
			m.lastUpdateTime >= q.from &&
			m.lastUpdateTime <= q.to &&
			q.filter.every(([key, wanted]) => wanted.has(FILTER_FIELDS[key](m) ?? '')),
	);
	const dir = q.ascending ? 1 : -1;
	hits.sort(
		(a, b) =>
			dir * (a.lastUpdateTime - b.lastUpdateTime) ||
			(a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0),
	);
	const start = opts.mmngOffset === 'item' ? q.offset : q.offset * q.pageSize;
	const end = Math.min(start + q.pageSize, opts.mmngMaxResultWindow ?? Infinity);
	const counts = labelCounts(state.malops.values());
	const items = hits
		.slice(start, Math.max(start, end))
		.map((m) => renderItem(m, state, counts, group));
	const totalHits = hits.length + opts.mmngTotalHitsSurplus;
	return json(200, {
		data: {
			pageSize: q.pageSize,
			// Not understood: the sample says 0 for one hit at pageSize 100; floor(totalHits / pageSize) gives that.
			pages: Math.floor(totalHits / q.pageSize),
			offset: q.offset,
			totalHits,
			token: '',
			data: items,
		},
		status: 'SUCCESS',
	});
}
