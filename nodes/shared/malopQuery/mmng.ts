// Malops from Malops management (POST /rest/mmng/v2/malops), the list current consoles serve in place of the
// deprecated inbox. It pages with an item offset, which moves under a client when Malops change between two
// pages (newest first: a new Malop repeats an item on the next page, an update takes one away; oldest first, an
// update of a Malop already read moves the rest back by one). So the range itself moves with the pages (keyset
// paging): each page starts at the last update time the previous one reached, sorted that way, with offset 0.
// A change between pages then only adds a newer copy of a Malop (de-duplicated by GUID, newest copy wins); the
// offset only steps over more Malops updated in the same millisecond than fit in a page.
import { cybereasonApiMalopsManagement, type MmngPage } from '../api/malops';
import { CybereasonApiError } from '../errors';
import { mergeMalops, newest } from '../malops/filters';
import { normaliseMmngResponse } from '../malops/mmng';
import type { MalopRecord } from '../malops/record';
import { plural } from '../malops/values';
import type { MmngResponse } from '../types';
import { uniqueWarnings, type Found, type QueryContext } from './context';

/**
 * SEKOIA's production connector asks 1000 per page. A console that caps it serves fewer and says so in
 * `data.pageSize` (the pages step by what was served); one that refuses it (HTTP 400) is asked again with 100.
 */
export const MMNG_PAGE_SIZE = 1000;
/** What forensic-security asks for, and the page size the public sample answers (XSOAR sends none). */
const FALLBACK_PAGE_SIZE = 100;
/** XSOAR's upper end of "every Malop" (year 2286): the console's clock is never the limit. */
const OPEN_TOP = 9_999_999_999_999;

/** Where a page starts: range.from (oldest first) or range.to (newest first), and the offset from there. */
export interface PagePosition {
	bound: number;
	offset: number;
}

export interface PageFacts {
	/** The last update time the page reached: its latest (oldest first) or earliest (newest first). */
	edge: number | undefined;
	/** Items served. */
	served: number;
	/** What the console counts from this position on. */
	totalHits: number;
	/** Pages in a row, this one included, that brought no Malop (or no newer copy) not read before. */
	stale: number;
}

export type PageStep = { next: PagePosition } | { done: true; missing: number };

/**
 * Pure: the page after `at`, or done, with how many Malops the console counted but did not serve. The end is
 * offset + served ≥ totalHits. A page that reached a new time moves the range there (the Malops at that time are
 * read again, the GUIDs drop them); a page entirely at its bound steps the offset. A page with nothing (a result
 * window, or a totalHits that counts Malops the console does not serve), or a second stale page in a row, ends.
 */
export function nextPage(at: PagePosition, page: PageFacts): PageStep {
	const missing = Math.max(0, page.totalHits - at.offset - page.served);
	if (missing === 0) return { done: true, missing: 0 };
	if (page.served === 0 || page.edge === undefined || page.stale >= 2)
		return { done: true, missing };
	return page.edge === at.bound
		? { next: { bound: at.bound, offset: at.offset + page.served } }
		: { next: { bound: page.edge, offset: 0 } };
}

/** What a run reads: the pages, and how many Malops the console counted past what it served. */
interface Read {
	pages: MalopRecord[][];
	/** Counted but not served (0: the list was read to its end, or far enough for the limit). */
	missing: number;
	/** totalHits of the last answer. */
	totalHits: number;
	/** Items without a GUID, left out. */
	unreadable: number;
}

/** How many of the page's Malops were not read before, or only in an older copy; `latest` learns them. */
function freshCount(latest: Map<string, number>, records: MalopRecord[]): number {
	let fresh = 0;
	for (const record of records) {
		const time = record.lastUpdateTimeMs ?? -Infinity;
		const known = latest.get(record.malopId);
		if (known !== undefined && known >= time) continue;
		latest.set(record.malopId, time);
		fresh++;
	}
	return fresh;
}

function edgeOf(records: MalopRecord[], order: MmngPage['order']): number | undefined {
	const times = records
		.map((r) => r.lastUpdateTimeMs)
		.filter((t): t is number => t !== null && Number.isFinite(t));
	if (times.length === 0) return undefined;
	return order === 'asc' ? Math.max(...times) : Math.min(...times);
}

/** One page; a page size the console refuses (HTTP 400) is asked again with 100, which then stays. */
async function fetchPage(
	ctx: QueryContext,
	page: MmngPage,
): Promise<{ answer: MmngResponse; pageSize: number }> {
	const call = { itemIndex: ctx.itemIndex };
	const answer = await cybereasonApiMalopsManagement(ctx.client, page, call).catch(
		(error: unknown) => {
			const refused = error instanceof CybereasonApiError && error.httpCode === '400';
			if (refused && page.pageSize > FALLBACK_PAGE_SIZE) return undefined;
			throw error;
		},
	);
	if (answer) return { answer, pageSize: page.pageSize };
	const smaller = { ...page, pageSize: FALLBACK_PAGE_SIZE };
	return {
		answer: await cybereasonApiMalopsManagement(ctx.client, smaller, call),
		pageSize: FALLBACK_PAGE_SIZE,
	};
}

/** Pages until the end of the range, or (with a limit) until enough Malops pass the query's filters. */
async function readPages(ctx: QueryContext, window: MmngPage): Promise<Read> {
	const { order } = window;
	const limit = ctx.query.limit;
	const latest = new Map<string, number>();
	const read: Read = { pages: [], missing: 0, totalHits: 0, unreadable: 0 };
	let at: PagePosition = { bound: order === 'asc' ? window.from : window.to, offset: 0 };
	let stale = 0;
	let pageSize = window.pageSize;
	for (;;) {
		const fetched = await fetchPage(ctx, {
			...window,
			from: order === 'asc' ? at.bound : window.from,
			to: order === 'asc' ? window.to : at.bound,
			pageSize,
			offset: at.offset,
		});
		const answer = fetched.answer;
		pageSize = fetched.pageSize;
		const served = answer.data?.data.length ?? 0;
		const records = normaliseMmngResponse(answer, ctx.baseUrl);
		read.pages.push(records);
		read.unreadable += served - records.length;
		read.totalHits = Number(answer.data?.totalHits);
		stale = freshCount(latest, records) > 0 ? 0 : stale + 1;
		const step = nextPage(at, {
			edge: edgeOf(records, order),
			served,
			totalHits: read.totalHits,
			stale,
		});
		if ('done' in step) return { ...read, missing: step.missing };
		if (limit !== undefined && mergeMalops(read.pages).filter(ctx.match).length >= limit)
			return read;
		at = step.next;
	}
}

export async function queryMalopsManagement(ctx: QueryContext): Promise<Found> {
	const { updatedAfter, updatedBefore, statuses, investigationStatuses, severities } = ctx.filters;
	const limit = ctx.query.limit;
	const read = await readPages(ctx, {
		from: updatedAfter === undefined ? 0 : updatedAfter + 1,
		to: updatedBefore === undefined ? OPEN_TOP : updatedBefore - 1,
		pageSize: Math.min(limit ?? MMNG_PAGE_SIZE, MMNG_PAGE_SIZE),
		offset: 0,
		// Return all (and the trigger) reads oldest first: a list cut short ends where the next run picks up.
		order: limit === undefined ? 'asc' : 'desc',
		// Sent to the console, and checked again by ctx.match: the keys after status are guessed by analogy.
		filter: { status: statuses, investigationStatus: investigationStatuses, severity: severities },
	});
	const malops = mergeMalops(read.pages).filter(ctx.match);
	const warnings: string[] = [];
	if (read.missing > 0) {
		warnings.push(
			`Cybereason counted ${plural(read.missing, 'Malop')} more than it served (totalHits ${read.totalHits} at the last page, ${plural(
				malops.length,
				'Malop',
			)} read), so some Malops are missing: run it again, or narrow the time range with Updated After / Updated Before`,
		);
	}
	if (read.unreadable > 0) {
		warnings.push(
			`Cybereason listed ${plural(read.unreadable, 'Malop')} without a GUID: they are left out`,
		);
	}
	return { malops: newest(malops, limit), warnings: uniqueWarnings(warnings), notices: [] };
}
