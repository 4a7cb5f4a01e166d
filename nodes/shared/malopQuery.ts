// API: POST /rest/crimes/unified, POST /rest/detection/inbox, POST /rest/detection/custom-remediation
// Fetching Malops through the one transport: both EDR element types in parallel, merged and deduplicated,
// limit / return-all, truncation detected and completed where the console allows it, remediation targets.
// Shared by the Get Malops node and the trigger; both turn the records into items with malops.ts.
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CONSOLE_MAX_RESULTS,
	cybereasonApiCrimesUnified,
	cybereasonApiCustomRemediation,
	cybereasonApiDetectionInbox,
	type CrimesQuery,
} from './api/malops';
import { CybereasonApiError, envelopeWarning } from './errors';
import { mapWithConcurrency } from './items';
import {
	createMalopFilter,
	MALOP_ELEMENT_TYPES,
	mergeMalops,
	normaliseCrimesResponse,
	normaliseInboxResponse,
	sortByLastUpdate,
	type CrimesPage,
	type MalopFilters,
	type MalopMachine,
	type MalopRecord,
	type MalopSource,
} from './malops';
import type { CybereasonApiClient } from './transport';
import type { CrimesUnifiedFilter, MalopElementType } from './types';

const DAY_MS = 86_400_000;

export const DEFAULT_PER_FEATURE_LIMIT = 100;
/** Ceiling when return-all asks again for Malops whose machine or suspect list was cut. */
export const MAX_PER_FEATURE_LIMIT = 10_000;
/**
 * The inbox has no paging and answers a whole time window at once, so "everything since 1970" is one huge answer.
 * Without Updated After the node asks for the last 30 days: the span an analyst's inbox view covers, and far more
 * than a SOC workflow that runs every few minutes needs.
 */
export const DEFAULT_INBOX_WINDOW_MS = 30 * DAY_MS;
/**
 * custom-remediation takes lists of Malop GUIDs and every entry it returns names its malopId and machineId, so
 * several Malops per request lose nothing; one request per Malop would be thousands of round trips for return-all.
 */
export const REMEDIATION_BATCH_SIZE = 50;
const REMEDIATION_CONCURRENCY = 4;
/** GUIDs per crimes/unified re-query of cut or empty Malops. */
const GUID_BATCH_SIZE = 100;
/** crimes/unified queries one type may spend on narrowing time windows past the console's result cap. */
const MAX_WINDOW_QUERIES = 40;

export interface MalopQuery {
	source: MalopSource;
	/** crimes/unified only; default both. */
	malopTypes?: MalopElementType[];
	/** At most this many Malops (the newest); undefined = all of them (return all). */
	limit?: number;
	filters?: MalopFilters;
	/** crimes/unified: entries per element feature (affected machines, suspects) in each Malop. */
	perFeatureLimit?: number;
	includeRemediationTargets?: boolean;
	/** Inbox window when filters.updatedAfter is empty (default DEFAULT_INBOX_WINDOW_MS). */
	inboxWindowMs?: number;
}

export interface MalopQueryOptions {
	/** For error messages. */
	node: INode;
	itemIndex?: number;
	/** Console deep links are built on it; default client.baseUrl(). */
	baseUrl?: string;
	/** Epoch ms "now" (the inbox window end). */
	now?: number;
}

export interface MalopQueryResult {
	/** Newest activity first; each Malop once. */
	malops: MalopRecord[];
	/** Query-wide warnings (a cut that could not be completed, PARTIAL_SUCCESS): they belong on every item. */
	warnings: string[];
	/** What to tell the user once (hint, log): the query-wide warnings plus a summary of per-Malop ones. */
	notices: string[];
}

// ---------------------------------------------------------------------------------------------
// Parameters -> query (pure; shared by the node and the trigger)
// ---------------------------------------------------------------------------------------------

function wallClockToUtc(fields: number[], timeZone: string): number {
	const guess = Date.UTC(
		fields[0],
		fields[1] - 1,
		fields[2],
		fields[3],
		fields[4],
		fields[5],
		fields[6],
	);
	const offsetAt = (utc: number) => {
		const parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		}).formatToParts(new Date(utc));
		const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
		const local = Date.UTC(
			get('year'),
			get('month') - 1,
			get('day'),
			get('hour'),
			get('minute'),
			get('second'),
		);
		return local - (utc - (((utc % 1000) + 1000) % 1000));
	};
	const first = guess - offsetAt(guess);
	// Across a DST change the offset at the result differs from the one at the guess.
	return guess - offsetAt(first);
}

/**
 * A date filter as n8n hands it over: the date picker's wall-clock text ("2024-05-01T10:00:00", read in the workflow's
 * time zone), ISO with an offset, epoch ms or seconds, a Date or a Luxon DateTime from an expression.
 * Undefined for empty; NaN when it cannot be read.
 */
export function parseDateInput(value: unknown, timeZone?: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number')
		return Number.isFinite(value) ? (Math.abs(value) < 1e11 ? value * 1000 : value) : NaN;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'object') {
		const toMillis = (value as { toMillis?: unknown }).toMillis;
		if (typeof toMillis === 'function') return Number(toMillis.call(value));
		return NaN;
	}
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^-?\d+$/.test(text)) return parseDateInput(Number(text));
	const wall =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/.exec(text);
	if (wall) {
		// No offset given: the date picker's wall-clock time, in the workflow's time zone (UTC if unknown).
		const fields = wall
			.slice(1)
			.map((part, i) => (i === 6 ? Number((part ?? '0').padEnd(3, '0')) : Number(part ?? 0)));
		if (timeZone) {
			try {
				return wallClockToUtc(fields, timeZone);
			} catch {
				// Unknown time zone name: read it as UTC.
			}
		}
		return Date.UTC(
			fields[0],
			fields[1] - 1,
			fields[2],
			fields[3],
			fields[4],
			fields[5],
			fields[6],
		);
	}
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? NaN : parsed;
}

/** A list parameter that may also arrive as "a, b" or a single value from an expression. */
export function parseList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : String(value).split(',');
	return list.map((v) => String(v).trim()).filter((v) => v !== '');
}

export interface MalopQueryParameters {
	source?: unknown;
	malopTypes?: unknown;
	returnAll?: unknown;
	limit?: unknown;
	filters?: {
		updatedAfter?: unknown;
		updatedBefore?: unknown;
		statuses?: unknown;
		includeClosed?: unknown;
	};
	options?: { includeRemediationTargets?: unknown; perFeatureLimit?: unknown };
}

/** Node parameters -> MalopQuery, or the message for an input mistake. */
export function buildMalopQuery(
	params: MalopQueryParameters,
	timeZone?: string,
): MalopQuery | { error: string } {
	const source = params.source ?? 'crimesUnified';
	if (source !== 'crimesUnified' && source !== 'detectionInbox') {
		return { error: `Unknown source "${String(source)}": use crimesUnified or detectionInbox` };
	}
	const query: MalopQuery = { source };
	if (source === 'crimesUnified') {
		const types =
			params.malopTypes === undefined ? [...MALOP_ELEMENT_TYPES] : parseList(params.malopTypes);
		const unknown = types.find((t) => !MALOP_ELEMENT_TYPES.includes(t as MalopElementType));
		if (unknown !== undefined) {
			return {
				error: `Unknown Malop type "${unknown}": use MalopProcess and/or MalopLogonSession`,
			};
		}
		if (types.length === 0) return { error: 'Choose at least one Malop type' };
		query.malopTypes = [...new Set(types)] as MalopElementType[];
	}
	if (params.returnAll !== true) {
		const limit = Number(params.limit ?? 50);
		if (!Number.isInteger(limit) || limit < 1)
			return { error: `Limit must be a whole number of at least 1, not "${String(params.limit)}"` };
		query.limit = limit;
	}
	const filters = params.filters ?? {};
	const updatedAfter = parseDateInput(filters.updatedAfter, timeZone);
	const updatedBefore = parseDateInput(filters.updatedBefore, timeZone);
	if (Number.isNaN(updatedAfter))
		return { error: `Updated After is not a date: "${String(filters.updatedAfter)}"` };
	if (Number.isNaN(updatedBefore))
		return { error: `Updated Before is not a date: "${String(filters.updatedBefore)}"` };
	if (updatedAfter !== undefined && updatedBefore !== undefined && updatedAfter >= updatedBefore) {
		return { error: 'Updated After must be earlier than Updated Before' };
	}
	query.filters = {
		updatedAfter,
		updatedBefore,
		statuses: parseList(filters.statuses),
		includeClosed: filters.includeClosed === true || filters.includeClosed === 'true',
	};
	const options = params.options ?? {};
	query.includeRemediationTargets = options.includeRemediationTargets === true;
	if (options.perFeatureLimit !== undefined && options.perFeatureLimit !== '') {
		const perFeatureLimit = Number(options.perFeatureLimit);
		if (!Number.isInteger(perFeatureLimit) || perFeatureLimit < 1) {
			return {
				error: `Per-Feature Limit must be a whole number of at least 1, not "${String(options.perFeatureLimit)}"`,
			};
		}
		query.perFeatureLimit = perFeatureLimit;
	}
	return query;
}

// ---------------------------------------------------------------------------------------------
// crimes/unified
// ---------------------------------------------------------------------------------------------

function updatedAfterFilter(ms: number): CrimesUnifiedFilter {
	return { facetName: 'malopLastUpdateTime', values: [ms], filterType: 'GreaterThan' };
}

function updatedBeforeFilter(ms: number): CrimesUnifiedFilter {
	return { facetName: 'malopLastUpdateTime', values: [ms], filterType: 'LessThan' };
}

function isCut(page: CrimesPage): boolean {
	return page.totalPossibleResults > page.returned || page.queryTerminated;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

class MalopQueryRun {
	private readonly match: (record: MalopRecord) => boolean;

	private readonly filters: MalopFilters;

	private readonly perFeatureLimit: number;

	readonly warnings: string[] = [];

	/** Summaries of per-Malop warnings, told once per query. */
	readonly notices: string[] = [];

	constructor(
		private readonly client: CybereasonApiClient,
		private readonly query: MalopQuery,
		private readonly options: MalopQueryOptions & { baseUrl: string; now: number },
	) {
		this.filters = query.filters ?? {};
		this.match = createMalopFilter(this.filters);
		this.perFeatureLimit = query.perFeatureLimit ?? DEFAULT_PER_FEATURE_LIMIT;
	}

	private get returnAll(): boolean {
		return this.query.limit === undefined;
	}

	private warn(message: string) {
		if (!this.warnings.includes(message)) this.warnings.push(message);
	}

	async crimes(type: MalopElementType, body: CrimesQuery): Promise<CrimesPage> {
		const answer = await cybereasonApiCrimesUnified(this.client, type, body, {
			itemIndex: this.options.itemIndex,
		});
		const page = normaliseCrimesResponse(answer, type, this.options.baseUrl);
		if (page.warning) this.warn(`${type}: ${page.warning}`);
		return page;
	}

	private baseFilters(): CrimesUnifiedFilter[] {
		return this.filters.updatedAfter === undefined
			? []
			: [updatedAfterFilter(this.filters.updatedAfter)];
	}

	/** One element type: asks for `limit` (or the console maximum), asks for more while filters ate the answer. */
	async fetchType(type: MalopElementType): Promise<MalopRecord[]> {
		const limit = this.query.limit;
		let ask = limit === undefined ? CONSOLE_MAX_RESULTS : Math.min(limit, CONSOLE_MAX_RESULTS);
		for (;;) {
			const page = await this.crimes(type, {
				totalResultLimit: ask,
				perFeatureLimit: this.perFeatureLimit,
				filters: this.baseFilters(),
			});
			const kept = page.malops.filter(this.match);
			if (!isCut(page) || (limit !== undefined && kept.length >= limit)) return kept;
			// Client-side filters (updated before, statuses, closed) dropped some: ask the console for more.
			const consoleCapped = page.returned < ask;
			if (!consoleCapped && ask < CONSOLE_MAX_RESULTS) {
				ask = Math.min(CONSOLE_MAX_RESULTS, ask * 4);
				continue;
			}
			if (limit === undefined) return await this.fetchByWindows(type, page);
			this.warn(
				`Cybereason returned ${page.returned} of ${page.totalPossibleResults} ${type} Malops${
					page.queryTerminated ? ' and reported the query as terminated' : ''
				} (its result limit is ${page.totalResultLimit ?? page.returned}), so fewer Malops than the limit may match here; turn on Return All to fetch the rest`,
			);
			return kept;
		}
	}

	/**
	 * Return all, past the console's result cap: crimes/unified has no paging, so the time range is narrowed on
	 * malopLastUpdateTime until every window fits. The oldest time in a cut answer splits the window (one query per
	 * cap's worth when the console answers newest first, as it appears to); a window that cannot be narrowed that
	 * way is halved.
	 */
	private async fetchByWindows(type: MalopElementType, first: CrimesPage): Promise<MalopRecord[]> {
		const collected: MalopRecord[][] = [first.malops];
		const after = this.filters.updatedAfter ?? -1;
		const ceiling = Math.max(
			this.filters.updatedBefore ?? 0,
			this.options.now + DAY_MS,
			...first.malops.map((m) => (m.lastUpdateTimeMs ?? 0) + 1),
		);
		// [after, before): GreaterThan after; LessThan before unless it is the open top of the range.
		const windows: Array<{ after: number; before: number; open: boolean; page?: CrimesPage }> = [
			{
				after,
				before: this.filters.updatedBefore ?? ceiling,
				open: this.filters.updatedBefore === undefined,
				page: first,
			},
		];
		let queries = 0;
		let incomplete = 0;
		while (windows.length > 0) {
			const window = windows.pop()!;
			let page = window.page;
			if (!page) {
				if (queries >= MAX_WINDOW_QUERIES) {
					incomplete++;
					continue;
				}
				queries++;
				const filters = [updatedAfterFilter(window.after)];
				if (!window.open) filters.push(updatedBeforeFilter(window.before));
				page = await this.crimes(type, {
					totalResultLimit: CONSOLE_MAX_RESULTS,
					perFeatureLimit: this.perFeatureLimit,
					filters,
				}).catch((error: unknown) => {
					// A console that refuses a LessThan time filter: keep what we have and say so below.
					if (error instanceof CybereasonApiError && error.httpCode === '400') return undefined;
					throw error;
				});
				if (!page) {
					incomplete++;
					continue;
				}
				collected.push(page.malops);
			}
			if (!isCut(page)) continue;
			const oldest = Math.min(...page.malops.map((m) => m.lastUpdateTimeMs ?? Infinity));
			if (Number.isFinite(oldest) && oldest - 1 > window.after && oldest < window.before) {
				// [oldest, before) holds this answer and maybe more; [after, oldest) the rest.
				windows.push({ after: window.after, before: oldest, open: false });
				windows.push({ after: oldest - 1, before: window.before, open: window.open });
			} else if (window.before - window.after > 2) {
				const middle = Math.floor((window.after + window.before) / 2);
				windows.push({ after: window.after, before: middle + 1, open: false });
				windows.push({ after: middle, before: window.before, open: window.open });
			} else {
				incomplete++;
			}
		}
		if (incomplete > 0) {
			this.warn(
				`Cybereason has more ${type} Malops than it returns in one answer (${first.totalPossibleResults} match, it returned ${first.returned}); narrowing by update time did not reach all of them, so some are missing. Use Updated After / Updated Before to split the range`,
			);
		}
		return mergeMalops(collected).filter(this.match);
	}

	/**
	 * Malops whose element came back as `{}` are asked for again (all modes); with return all, so are Malops whose
	 * machine or suspect list the per-feature limit cut. What stays incomplete gets a warning on its items.
	 */
	async completeElements(records: MalopRecord[]): Promise<MalopRecord[]> {
		const cut = (r: MalopRecord) =>
			r.machineCount > r.machines.length || (r.suspectCount ?? 0) > (r.suspects?.length ?? 0);
		const again = records.filter(
			(r) => r.source === 'crimesUnified' && (r.elementValuesMissing || (this.returnAll && cut(r))),
		);
		const replaced = new Map<string, MalopRecord>();
		if (again.length > 0) {
			const needed = Math.max(
				this.perFeatureLimit,
				...again.map((r) => (this.returnAll ? Math.max(r.machineCount, r.suspectCount ?? 0) : 0)),
			);
			const perFeatureLimit = Math.min(MAX_PER_FEATURE_LIMIT, needed);
			const batches: Array<{ type: MalopElementType; guids: string[] }> = [];
			for (const type of MALOP_ELEMENT_TYPES) {
				const guids = again.filter((r) => r.malopType === type).map((r) => r.malopId);
				for (let i = 0; i < guids.length; i += GUID_BATCH_SIZE) {
					batches.push({ type, guids: guids.slice(i, i + GUID_BATCH_SIZE) });
				}
			}
			await mapWithConcurrency(batches, 2, async ({ type, guids }) => {
				const page = await this.crimes(type, {
					totalResultLimit: guids.length,
					perFeatureLimit,
					guidList: guids,
				});
				for (const record of page.malops) replaced.set(record.malopId, record);
			});
		}
		let missing = 0;
		let truncated = 0;
		const out = records.map((original) => {
			const record = replaced.get(original.malopId) ?? original;
			if (record.elementValuesMissing) {
				missing++;
				record.warnings.push(
					'Cybereason returned this Malop without its details (elementValues was empty, also when asked again): its affected machines and suspects are unknown',
				);
			} else if (cut(record)) {
				truncated++;
				const parts: string[] = [];
				if (record.machineCount > record.machines.length) {
					parts.push(
						`${record.machines.length} of its ${plural(record.machineCount, 'affected machine')}`,
					);
				}
				if ((record.suspectCount ?? 0) > (record.suspects?.length ?? 0)) {
					parts.push(
						`${record.suspects?.length ?? 0} of its ${plural(record.suspectCount ?? 0, 'suspect')}`,
					);
				}
				record.warnings.push(
					`Cybereason listed only ${parts.join(' and ')} (per-feature limit)${
						this.returnAll
							? ''
							: ': raise Options > Per-Feature Limit or turn on Return All to get all of them'
					}`,
				);
			}
			return record;
		});
		if (missing > 0) {
			this.notices.push(
				`Cybereason returned ${plural(missing, 'Malop')} without details (empty elementValues): their affected machines are unknown; see the warnings on their items`,
			);
		}
		if (truncated > 0) {
			this.notices.push(
				`${plural(truncated, 'Malop')} list fewer affected machines or suspects than Cybereason counts (per-feature limit); see the warnings on their items`,
			);
		}
		return out;
	}

	// -----------------------------------------------------------------------------------------
	// detection inbox
	// -----------------------------------------------------------------------------------------

	async fetchInbox(): Promise<MalopRecord[]> {
		const end = this.filters.updatedBefore ?? this.options.now;
		const start =
			this.filters.updatedAfter ?? end - (this.query.inboxWindowMs ?? DEFAULT_INBOX_WINDOW_MS);
		const answer = await cybereasonApiDetectionInbox(
			this.client,
			{ startTime: start, endTime: end },
			{ itemIndex: this.options.itemIndex },
		);
		const warning = envelopeWarning(answer);
		if (warning) this.warn(warning);
		return mergeMalops([normaliseInboxResponse(answer, this.options.baseUrl)]).filter(this.match);
	}

	// -----------------------------------------------------------------------------------------
	// remediation targets
	// -----------------------------------------------------------------------------------------

	async attachRemediationTargets(records: MalopRecord[]): Promise<void> {
		const byMalop = new Map<string, { record: MalopRecord; machines: Map<string, MalopMachine> }>();
		for (const record of records) {
			const machines = new Map<string, MalopMachine>();
			for (const machine of record.machines) {
				machine.remediationTargets = [];
				machines.set(machine.machineGuid, machine);
			}
			byMalop.set(record.malopId, { record, machines });
		}
		const batches: MalopRecord[][] = [];
		for (let i = 0; i < records.length; i += REMEDIATION_BATCH_SIZE) {
			batches.push(records.slice(i, i + REMEDIATION_BATCH_SIZE));
		}
		await mapWithConcurrency(batches, REMEDIATION_CONCURRENCY, async (batch) => {
			const answer = await cybereasonApiCustomRemediation(
				this.client,
				{
					processMalopGuids: batch.filter((r) => r.edr).map((r) => r.malopId),
					detectionEventMalopGuids: batch.filter((r) => !r.edr).map((r) => r.malopId),
				},
				{
					operation: `list the remediation actions Cybereason offers for ${plural(batch.length, 'Malop')}`,
					itemIndex: this.options.itemIndex,
				},
			);
			const entries = Array.isArray(answer?.data) ? answer.data : [];
			for (const entry of entries) {
				if (!entry || typeof entry.machineId !== 'string' || typeof entry.targetId !== 'string')
					continue;
				// Every entry names its Malop; only a one-Malop batch may do without.
				const owner = entry.malopId
					? byMalop.get(String(entry.malopId))
					: batch.length === 1
						? byMalop.get(batch[0].malopId)
						: undefined;
				const machine = owner?.machines.get(entry.machineId);
				if (!machine?.remediationTargets) continue;
				const actionType = String(entry.remediationType ?? '');
				if (
					machine.remediationTargets.some(
						(t) => t.actionType === actionType && t.targetId === entry.targetId,
					)
				)
					continue;
				machine.remediationTargets.push({
					actionType,
					targetId: entry.targetId,
					targetName: String(entry.targetName ?? ''),
				});
			}
		});
	}

	async run(): Promise<MalopQueryResult> {
		let malops: MalopRecord[];
		if (this.query.source === 'detectionInbox') {
			malops = sortByLastUpdate(await this.fetchInbox());
			if (this.query.limit !== undefined) malops = malops.slice(0, this.query.limit);
		} else {
			const types = this.query.malopTypes?.length ? this.query.malopTypes : MALOP_ELEMENT_TYPES;
			// One request per type, in parallel; merged in type order so a duplicate keeps a stable winner.
			const lists = await Promise.all(types.map(async (type) => await this.fetchType(type)));
			malops = sortByLastUpdate(mergeMalops(lists));
			if (this.query.limit !== undefined) malops = malops.slice(0, this.query.limit);
			malops = await this.completeElements(malops);
		}
		if (this.query.includeRemediationTargets && malops.length > 0)
			await this.attachRemediationTargets(malops);
		return { malops, warnings: this.warnings, notices: [...this.warnings, ...this.notices] };
	}
}

/** Runs one Malop query. Errors are CybereasonApiError (console) or NodeOperationError (input). */
export async function queryMalops(
	client: CybereasonApiClient,
	query: MalopQuery,
	options: MalopQueryOptions,
): Promise<MalopQueryResult> {
	const filters = query.filters ?? {};
	if (
		filters.updatedAfter !== undefined &&
		filters.updatedBefore !== undefined &&
		filters.updatedAfter >= filters.updatedBefore
	) {
		throw new NodeOperationError(
			options.node,
			'Updated After must be earlier than Updated Before',
			{
				itemIndex: options.itemIndex,
			},
		);
	}
	const baseUrl = options.baseUrl ?? (await client.baseUrl());
	const now = options.now ?? Date.now();
	return await new MalopQueryRun(client, query, { ...options, baseUrl, now }).run();
}
