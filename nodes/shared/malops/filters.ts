// Pure: which normalised Malops a query keeps, and in what order, whatever source they came from.
import { isClosedStatus, type MalopRecord } from './record';

export interface MalopFilters {
	/** Epoch ms, exclusive. */
	updatedAfter?: number;
	/** Epoch ms, exclusive. */
	updatedBefore?: number;
	/** Status values as the source reports them (compared case-insensitively); empty = any. */
	statuses?: string[];
	/** mmng/v2 only, sent to the console and checked again here (the console's filter keys are guessed). */
	investigationStatuses?: string[];
	severities?: string[];
	includeClosed?: boolean;
}

function lowerSet(values: string[] | undefined): Set<string> {
	return new Set((values ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
}

const admits = (wanted: Set<string>, value: string | null | undefined) =>
	wanted.size === 0 || wanted.has(value?.toLowerCase() ?? '');

/**
 * A status the user picked explicitly wins over includeClosed (asking for CLOSED Malops, or for the Closed
 * investigation status, returns them); otherwise closed Malops are left out unless includeClosed is on.
 */
export function createMalopFilter(filters: MalopFilters): (record: MalopRecord) => boolean {
	const statuses = lowerSet(filters.statuses);
	const investigations = lowerSet(filters.investigationStatuses);
	const severities = lowerSet(filters.severities);
	const { updatedAfter, updatedBefore } = filters;
	const includeClosed = filters.includeClosed === true;
	return (record) => {
		const time = record.lastUpdateTimeMs;
		if (updatedAfter !== undefined && time !== null && time <= updatedAfter) return false;
		if (updatedBefore !== undefined && time !== null && time >= updatedBefore) return false;
		const investigation = record.management?.investigationStatus;
		if (!admits(statuses, record.status) || !admits(investigations, investigation)) return false;
		if (!admits(severities, record.severity)) return false;
		if (record.closed && !includeClosed) {
			return (
				(statuses.size > 0 && isClosedStatus(record.source, record.status)) ||
				(investigations.size > 0 && isClosedStatus(record.source, null, investigation ?? null))
			);
		}
		return true;
	};
}

/** Newest activity first; Malops without a time go last; ties keep their order. */
export function sortByLastUpdate(records: MalopRecord[]): MalopRecord[] {
	return records.sort((a, b) => {
		if (a.lastUpdateTimeMs === b.lastUpdateTimeMs) return 0;
		if (a.lastUpdateTimeMs === null) return 1;
		if (b.lastUpdateTimeMs === null) return -1;
		return b.lastUpdateTimeMs - a.lastUpdateTimeMs;
	});
}

/** The `limit` most recently updated (all of them without a limit), newest first. */
export function newest(records: MalopRecord[], limit: number | undefined): MalopRecord[] {
	const sorted = sortByLastUpdate(records);
	return limit === undefined ? sorted : sorted.slice(0, limit);
}

/**
 * Merges answers (e.g. MalopProcess and MalopLogonSession) so no Malop appears twice: the most recently updated copy
 * wins, and on a tie the one from the earlier list.
 */
export function mergeMalops(lists: MalopRecord[][]): MalopRecord[] {
	const byId = new Map<string, MalopRecord>();
	for (const list of lists) {
		for (const record of list) {
			const known = byId.get(record.malopId);
			if (
				!known ||
				(record.lastUpdateTimeMs ?? -Infinity) > (known.lastUpdateTimeMs ?? -Infinity)
			) {
				byId.set(record.malopId, record);
			}
		}
	}
	return [...byId.values()];
}
