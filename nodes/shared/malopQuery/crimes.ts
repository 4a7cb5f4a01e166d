// Malops from crimes/unified: one query per element type, asking for more while client-side filters eat the
// answer, and with return all narrowing the time range past the console's result cap (it has no paging).
import { CONSOLE_MAX_RESULTS, cybereasonApiCrimesUnified, type CrimesQuery } from '../api/malops';
import { CybereasonApiError } from '../errors';
import { normaliseCrimesResponse, type CrimesPage } from '../malops/crimes';
import { mergeMalops, newest } from '../malops/filters';
import { MALOP_ELEMENT_TYPES, type MalopRecord } from '../malops/record';
import type { CrimesUnifiedFilter, MalopElementType } from '../types';
import { uniqueWarnings, type Fetched, type QueryContext } from './context';

export const DEFAULT_PER_FEATURE_LIMIT = 100;
const DAY_MS = 86_400_000;
/** crimes/unified queries one type may spend on narrowing time windows past the console's result cap. */
const MAX_WINDOW_QUERIES = 40;

/** [after, before) on malopLastUpdateTime: GreaterThan after; LessThan before unless it is the open top. */
export interface TimeWindow {
	after: number;
	before: number;
	open: boolean;
}

export async function fetchCrimesPage(
	ctx: QueryContext,
	type: MalopElementType,
	body: CrimesQuery,
): Promise<CrimesPage> {
	const answer = await cybereasonApiCrimesUnified(ctx.client, type, body, {
		itemIndex: ctx.itemIndex,
	});
	return normaliseCrimesResponse(answer, type, ctx.baseUrl);
}

/** PARTIAL_SUCCESS of one answer, named by its type. */
export function pageWarning(type: MalopElementType, page: CrimesPage): string | undefined {
	return page.warning ? `${type}: ${page.warning}` : undefined;
}

function isCut(page: CrimesPage): boolean {
	return page.totalPossibleResults > page.returned || page.queryTerminated;
}

function timeFilter(ms: number, filterType: 'GreaterThan' | 'LessThan'): CrimesUnifiedFilter {
	return { facetName: 'malopLastUpdateTime', values: [ms], filterType };
}

/**
 * Pure: the two windows a cut answer for `window` splits into, or undefined when it cannot be narrowed. The oldest
 * time in the answer splits it (one query per cap's worth when the console answers newest first, as it appears to);
 * a window that cannot be split that way is halved.
 */
export function splitWindow(window: TimeWindow, oldest: number): TimeWindow[] | undefined {
	if (Number.isFinite(oldest) && oldest - 1 > window.after && oldest < window.before) {
		// [oldest, before) holds this answer and maybe more; [after, oldest) the rest.
		return [
			{ after: window.after, before: oldest, open: false },
			{ after: oldest - 1, before: window.before, open: window.open },
		];
	}
	if (window.before - window.after > 2) {
		const middle = Math.floor((window.after + window.before) / 2);
		return [
			{ after: window.after, before: middle + 1, open: false },
			{ after: middle, before: window.before, open: window.open },
		];
	}
	return undefined;
}

/** One window's query; undefined when the console refuses a LessThan time filter (kept as "incomplete"). */
async function fetchWindow(
	ctx: QueryContext,
	type: MalopElementType,
	window: TimeWindow,
): Promise<CrimesPage | undefined> {
	const filters = [timeFilter(window.after, 'GreaterThan')];
	if (!window.open) filters.push(timeFilter(window.before, 'LessThan'));
	return await fetchCrimesPage(ctx, type, {
		totalResultLimit: CONSOLE_MAX_RESULTS,
		perFeatureLimit: ctx.query.perFeatureLimit ?? DEFAULT_PER_FEATURE_LIMIT,
		filters,
	}).catch((error: unknown) => {
		if (error instanceof CybereasonApiError && error.httpCode === '400') return undefined;
		throw error;
	});
}

/** Return all, past the console's result cap: the time range is narrowed until every window fits. */
async function fetchByWindows(
	ctx: QueryContext,
	type: MalopElementType,
	first: CrimesPage,
): Promise<Fetched> {
	const { updatedAfter, updatedBefore } = ctx.filters;
	const ceiling = Math.max(
		updatedBefore ?? 0,
		ctx.now + DAY_MS,
		...first.malops.map((m) => (m.lastUpdateTimeMs ?? 0) + 1),
	);
	const pending: Array<TimeWindow & { page?: CrimesPage }> = [
		{
			after: updatedAfter ?? -1,
			before: updatedBefore ?? ceiling,
			open: updatedBefore === undefined,
			page: first,
		},
	];
	const collected: MalopRecord[][] = [first.malops];
	const warnings: Array<string | undefined> = [];
	let queries = 0;
	let incomplete = 0;
	while (pending.length > 0) {
		const window = pending.pop()!;
		let page = window.page;
		if (!page) {
			if (queries >= MAX_WINDOW_QUERIES) {
				incomplete++;
				continue;
			}
			queries++;
			page = await fetchWindow(ctx, type, window);
			if (!page) {
				incomplete++;
				continue;
			}
			warnings.push(pageWarning(type, page));
			collected.push(page.malops);
		}
		if (!isCut(page)) continue;
		const split = splitWindow(
			window,
			Math.min(...page.malops.map((m) => m.lastUpdateTimeMs ?? Infinity)),
		);
		if (split) pending.push(...split);
		else incomplete++;
	}
	if (incomplete > 0) {
		warnings.push(
			`Cybereason has more ${type} Malops than it returns in one answer (${first.totalPossibleResults} match, it returned ${first.returned}); narrowing by update time did not reach all of them, so some are missing. Use Updated After / Updated Before to split the range`,
		);
	}
	return { malops: mergeMalops(collected).filter(ctx.match), warnings: uniqueWarnings(warnings) };
}

/** One element type: asks for `limit` (or the console maximum), asks for more while filters ate the answer. */
async function fetchType(ctx: QueryContext, type: MalopElementType): Promise<Fetched> {
	const limit = ctx.query.limit;
	const warnings: Array<string | undefined> = [];
	let ask = limit === undefined ? CONSOLE_MAX_RESULTS : Math.min(limit, CONSOLE_MAX_RESULTS);
	for (;;) {
		const page = await fetchCrimesPage(ctx, type, {
			totalResultLimit: ask,
			perFeatureLimit: ctx.query.perFeatureLimit ?? DEFAULT_PER_FEATURE_LIMIT,
			filters:
				ctx.filters.updatedAfter === undefined
					? []
					: [timeFilter(ctx.filters.updatedAfter, 'GreaterThan')],
		});
		warnings.push(pageWarning(type, page));
		const kept = page.malops.filter(ctx.match);
		if (!isCut(page) || (limit !== undefined && kept.length >= limit)) {
			return { malops: kept, warnings: uniqueWarnings(warnings) };
		}
		// Client-side filters (updated before, statuses, closed) dropped some: ask the console for more.
		if (page.returned >= ask && ask < CONSOLE_MAX_RESULTS) {
			ask = Math.min(CONSOLE_MAX_RESULTS, ask * 4);
			continue;
		}
		if (limit === undefined) {
			const all = await fetchByWindows(ctx, type, page);
			return { malops: all.malops, warnings: uniqueWarnings(warnings, all.warnings) };
		}
		warnings.push(
			`Cybereason returned ${page.returned} of ${page.totalPossibleResults} ${type} Malops${
				page.queryTerminated ? ' and reported the query as terminated' : ''
			} (its result limit is ${page.totalResultLimit ?? page.returned}), so fewer Malops than the limit may match here; turn on Return All to fetch the rest`,
		);
		return { malops: kept, warnings: uniqueWarnings(warnings) };
	}
}

/** Both element types in parallel, merged in type order so a duplicate keeps a stable winner; newest first. */
export async function fetchCrimes(ctx: QueryContext): Promise<Fetched> {
	const types = ctx.query.malopTypes?.length ? ctx.query.malopTypes : MALOP_ELEMENT_TYPES;
	const fetched = await Promise.all(types.map(async (type) => await fetchType(ctx, type)));
	return {
		malops: newest(mergeMalops(fetched.map((f) => f.malops)), ctx.query.limit),
		warnings: uniqueWarnings(...fetched.map((f) => f.warnings)),
	};
}
