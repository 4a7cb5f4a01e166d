// crimes/unified Malops that came back incomplete are asked for again by GUID: those whose element was `{}` (all
// modes) and, with return all, those whose machine or suspect list the per-feature limit cut. What stays
// incomplete gets a warning on its items.
import { mapWithConcurrency } from '../items';
import { MALOP_ELEMENT_TYPES, type MalopRecord } from '../malops/record';
import { plural } from '../malops/values';
import type { MalopElementType } from '../types';
import { uniqueWarnings, type Fetched, type Found, type QueryContext } from './context';
import { DEFAULT_PER_FEATURE_LIMIT, fetchCrimesPage, pageWarning } from './crimes';

/** Ceiling when return all asks again for Malops whose machine or suspect list was cut. */
export const MAX_PER_FEATURE_LIMIT = 10_000;
/** GUIDs per crimes/unified re-query of cut or empty Malops. */
const GUID_BATCH_SIZE = 100;

function isCutRecord(record: MalopRecord): boolean {
	return (
		record.machineCount > record.machines.length ||
		(record.suspectCount ?? 0) > (record.suspects?.length ?? 0)
	);
}

/** Pure: what to tell the user about a Malop that is still incomplete, or undefined when it is whole. */
export function incompleteWarning(record: MalopRecord, returnAll: boolean): string | undefined {
	if (record.elementValuesMissing) {
		return 'Cybereason returned this Malop without its details (elementValues was empty, also when asked again): its affected machines and suspects are unknown';
	}
	if (!isCutRecord(record)) return undefined;
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
	return `Cybereason listed only ${parts.join(' and ')} (per-feature limit)${
		returnAll ? '' : ': raise Options > Per-Feature Limit or turn on Return All to get all of them'
	}`;
}

/** The re-queries: per element type, GUID batches, two at a time; the fresh copies by Malop ID. */
async function requery(
	ctx: QueryContext,
	again: MalopRecord[],
	returnAll: boolean,
): Promise<{ replaced: Map<string, MalopRecord>; warnings: string[] }> {
	const perFeatureLimit = Math.min(
		MAX_PER_FEATURE_LIMIT,
		Math.max(
			ctx.query.perFeatureLimit ?? DEFAULT_PER_FEATURE_LIMIT,
			...again.map((r) => (returnAll ? Math.max(r.machineCount, r.suspectCount ?? 0) : 0)),
		),
	);
	const batches: Array<{ type: MalopElementType; guids: string[] }> = [];
	for (const type of MALOP_ELEMENT_TYPES) {
		const guids = again.filter((r) => r.malopType === type).map((r) => r.malopId);
		for (let i = 0; i < guids.length; i += GUID_BATCH_SIZE) {
			batches.push({ type, guids: guids.slice(i, i + GUID_BATCH_SIZE) });
		}
	}
	const pages = await mapWithConcurrency(batches, 2, async ({ type, guids }) => ({
		type,
		page: await fetchCrimesPage(ctx, type, {
			totalResultLimit: guids.length,
			perFeatureLimit,
			guidList: guids,
		}),
	}));
	const replaced = new Map<string, MalopRecord>();
	for (const { page } of pages)
		for (const record of page.malops) replaced.set(record.malopId, record);
	return {
		replaced,
		warnings: uniqueWarnings(pages.map(({ type, page }) => pageWarning(type, page))),
	};
}

export async function completeElements(ctx: QueryContext, fetched: Fetched): Promise<Found> {
	const records = fetched.malops;
	const returnAll = ctx.query.limit === undefined;
	const again = records.filter(
		(r) =>
			r.source === 'crimesUnified' && (r.elementValuesMissing || (returnAll && isCutRecord(r))),
	);
	const { replaced, warnings } =
		again.length > 0 ? await requery(ctx, again, returnAll) : { replaced: new Map(), warnings: [] };
	let missing = 0;
	let truncated = 0;
	const malops = records.map((original) => {
		const record = replaced.get(original.malopId) ?? original;
		const warning = incompleteWarning(record, returnAll);
		if (!warning) return record;
		if (record.elementValuesMissing) missing++;
		else truncated++;
		return { ...record, warnings: [...record.warnings, warning] };
	});
	const notices: string[] = [];
	if (missing > 0) {
		notices.push(
			`Cybereason returned ${plural(missing, 'Malop')} without details (empty elementValues): their affected machines are unknown; see the warnings on their items`,
		);
	}
	if (truncated > 0) {
		notices.push(
			`${plural(truncated, 'Malop')} list fewer affected machines or suspects than Cybereason counts (per-feature limit); see the warnings on their items`,
		);
	}
	return { malops, warnings: uniqueWarnings(fetched.warnings, warnings), notices };
}
