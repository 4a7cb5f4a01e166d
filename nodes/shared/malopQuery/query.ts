// A Malop query for Get Malops and the trigger: the source's stages, then the remediation targets when asked for.
// Each source is one module; adding one means a normaliser in malops/, a module here and a line in SOURCES.
import type { MalopSource } from '../malops/record';
import { createMalopFilter } from '../malops/filters';
import { plural } from '../malops/values';
import type { CybereasonApiClient } from '../transport';
import { completeElements } from './completion';
import type { Found, QueryContext } from './context';
import { fetchCrimes } from './crimes';
import { queryInbox } from './inbox';
import { queryMalopsManagement } from './mmng';
import type { MalopQuery } from './parameters';
import { withRemediationTargets } from './remediationTargets';

export interface MalopQueryOptions {
	itemIndex?: number;
	/** Console deep links are built on it; default client.baseUrl(). */
	baseUrl?: string;
	/** Epoch ms "now" (the inbox window end). */
	now?: number;
}

export interface MalopQueryResult {
	/** Newest activity first; each Malop once. */
	malops: Found['malops'];
	/** Query-wide warnings (a cut that could not be completed, PARTIAL_SUCCESS): they belong on every item. */
	warnings: string[];
	/** What to tell the user once (hint, log): the query-wide warnings plus a summary of per-Malop ones. */
	notices: string[];
}

const SOURCES: Record<MalopSource, (ctx: QueryContext) => Promise<Found>> = {
	crimesUnified: async (ctx) => await completeElements(ctx, await fetchCrimes(ctx)),
	detectionInbox: queryInbox,
	malopsManagement: queryMalopsManagement,
};

/** Runs one Malop query. Errors are CybereasonApiError (console). */
export async function queryMalops(
	client: CybereasonApiClient,
	query: MalopQuery,
	options: MalopQueryOptions = {},
): Promise<MalopQueryResult> {
	const filters = query.filters ?? {};
	const ctx: QueryContext = {
		client,
		query,
		filters,
		match: createMalopFilter(filters),
		baseUrl: options.baseUrl ?? (await client.baseUrl()),
		now: options.now ?? Date.now(),
		itemIndex: options.itemIndex,
	};
	const found = await SOURCES[query.source](ctx);
	const malops =
		query.includeRemediationTargets && found.malops.length > 0
			? await withRemediationTargets(ctx, found.malops)
			: found.malops;
	const malformed = malops.filter((record) => record.malformed).length;
	const notices = [...found.warnings, ...found.notices];
	if (malformed > 0) {
		notices.push(
			`Cybereason sent ${plural(malformed, 'Malop')} with malformed affected machines or suspects; see the warnings on their items`,
		);
	}
	return { malops, warnings: found.warnings, notices };
}
