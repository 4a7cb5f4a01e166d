// What every stage of a Malop query reads, and what a stage hands back: records and warnings as values.
import type { MalopFilters } from '../malops/filters';
import type { MalopRecord } from '../malops/record';
import type { CybereasonApiClient } from '../transport';
import type { MalopQuery } from './parameters';

export interface QueryContext {
	client: CybereasonApiClient;
	query: MalopQuery;
	filters: MalopFilters;
	/** The filters the console cannot apply itself (statuses, closed, Updated Before), as one predicate. */
	match: (record: MalopRecord) => boolean;
	/** Console deep links are built on it. */
	baseUrl: string;
	/** Epoch ms "now" (the inbox window end, the top of crimes/unified time windows). */
	now: number;
	itemIndex?: number;
}

export interface Fetched {
	/** Each Malop once; newest activity first once a source's stages are done. */
	malops: MalopRecord[];
	/** Query-wide warnings: they belong on every item. */
	warnings: string[];
}

export interface Found extends Fetched {
	/** Summaries of per-Malop warnings, told once per query (hint, log). */
	notices: string[];
}

/** Warnings in first-seen order, each once. */
export function uniqueWarnings(...lists: Array<Array<string | undefined>>): string[] {
	return [...new Set(lists.flat().filter((w): w is string => w !== undefined))];
}
