// Pure: node parameters as n8n hands them over (date pickers in the workflow's time zone, lists as text) -> a
// MalopQuery, or the message for an input mistake. Shared by Get Malops and the trigger.
import { MALOP_ELEMENT_TYPES, MALOP_SOURCES, type MalopSource } from '../malops/record';
import type { MalopFilters } from '../malops/filters';
import {
	INVESTIGATION_STATUSES,
	MALOP_SEVERITIES,
	MMNG_STATUSES,
	type MalopElementType,
} from '../types';

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

export interface MalopQueryParameters {
	source?: unknown;
	malopTypes?: unknown;
	returnAll?: unknown;
	limit?: unknown;
	filters?: {
		updatedAfter?: unknown;
		updatedBefore?: unknown;
		statuses?: unknown;
		/** Malops management only. */
		investigationStatuses?: unknown;
		severities?: unknown;
		includeClosed?: unknown;
	};
	options?: { includeRemediationTargets?: unknown; perFeatureLimit?: unknown };
}

type Fields = [number, number, number, number, number, number, number];

function utc(fields: Fields): number {
	return Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], fields[6]);
}

/** How far `timeZone` is ahead of UTC at the instant `utc` (whole seconds, as Intl reports it). */
function zoneOffsetAt(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const local = utc([
		get('year'),
		get('month'),
		get('day'),
		get('hour'),
		get('minute'),
		get('second'),
		0,
	]);
	return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

function wallClockToUtc(fields: Fields, timeZone: string): number {
	const guess = utc(fields);
	const first = guess - zoneOffsetAt(guess, timeZone);
	// Across a DST change the offset at the result differs from the one at the guess.
	return guess - zoneOffsetAt(first, timeZone);
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
			.map((part, i) =>
				i === 6 ? Number((part ?? '0').padEnd(3, '0')) : Number(part ?? 0),
			) as Fields;
		if (timeZone) {
			try {
				return wallClockToUtc(fields, timeZone);
			} catch {
				// Unknown time zone name: read it as UTC.
			}
		}
		return utc(fields);
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

function wholeNumber(value: unknown, name: string): number | { error: string } {
	const number = Number(value);
	return Number.isInteger(number) && number >= 1
		? number
		: { error: `${name} must be a whole number of at least 1, not "${String(value)}"` };
}

function malopTypesOf(value: unknown): MalopElementType[] | { error: string } {
	const types = value === undefined ? [...MALOP_ELEMENT_TYPES] : parseList(value);
	const unknown = types.find((t) => !MALOP_ELEMENT_TYPES.includes(t as MalopElementType));
	if (unknown !== undefined) {
		return { error: `Unknown Malop type "${unknown}": use MalopProcess and/or MalopLogonSession` };
	}
	if (types.length === 0) return { error: 'Choose at least one Malop type' };
	return [...new Set(types)] as MalopElementType[];
}

function filtersOf(
	filters: NonNullable<MalopQueryParameters['filters']>,
	timeZone: string | undefined,
): MalopFilters | { error: string } {
	const updatedAfter = parseDateInput(filters.updatedAfter, timeZone);
	const updatedBefore = parseDateInput(filters.updatedBefore, timeZone);
	if (Number.isNaN(updatedAfter))
		return { error: `Updated After is not a date: "${String(filters.updatedAfter)}"` };
	if (Number.isNaN(updatedBefore))
		return { error: `Updated Before is not a date: "${String(filters.updatedBefore)}"` };
	if (updatedAfter !== undefined && updatedBefore !== undefined && updatedAfter >= updatedBefore) {
		return { error: 'Updated After must be earlier than Updated Before' };
	}
	return {
		updatedAfter,
		updatedBefore,
		statuses: parseList(filters.statuses),
		includeClosed: filters.includeClosed === true || filters.includeClosed === 'true',
	};
}

/** A Malops management filter list in Cybereason's spelling (the console's filter may not ignore case). */
function spelled(
	value: unknown,
	allowed: readonly string[],
	name: string,
): string[] | { error: string } {
	const out: string[] = [];
	for (const text of parseList(value)) {
		const known = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
		if (known === undefined) {
			return { error: `Unknown ${name} "${text}": use ${allowed.join(', ')}` };
		}
		if (!out.includes(known)) out.push(known);
	}
	return out;
}

/** Statuses, investigation statuses and severities as Malops management takes them. */
function mmngFiltersOf(
	filters: NonNullable<MalopQueryParameters['filters']>,
	common: MalopFilters,
): MalopFilters | { error: string } {
	const statuses = spelled(filters.statuses, MMNG_STATUSES, 'status');
	if (isError(statuses)) return statuses;
	// forensic-security reads Reopened back where XSOAR sends ReOpened: either is taken.
	const investigationStatuses = spelled(
		filters.investigationStatuses,
		INVESTIGATION_STATUSES,
		'investigation status',
	);
	if (isError(investigationStatuses)) return investigationStatuses;
	const severities = spelled(filters.severities, MALOP_SEVERITIES, 'severity');
	if (isError(severities)) return severities;
	return { ...common, statuses, investigationStatuses, severities };
}

function isError(value: unknown): value is { error: string } {
	return typeof value === 'object' && value !== null && 'error' in value;
}

/** Node parameters -> MalopQuery, or the message for an input mistake. */
export function buildMalopQuery(
	params: MalopQueryParameters,
	timeZone?: string,
): MalopQuery | { error: string } {
	const source = params.source ?? 'crimesUnified';
	if (!MALOP_SOURCES.includes(source as MalopSource)) {
		return {
			error: `Unknown source "${String(source)}": use ${MALOP_SOURCES.slice(0, -1).join(', ')} or ${MALOP_SOURCES.at(-1)}`,
		};
	}
	const query: MalopQuery = { source: source as MalopSource };
	if (source === 'crimesUnified') {
		const types = malopTypesOf(params.malopTypes);
		if (isError(types)) return types;
		query.malopTypes = types;
	}
	if (params.returnAll !== true) {
		const limit = wholeNumber(params.limit ?? 50, 'Limit');
		if (isError(limit)) return limit;
		query.limit = limit;
	}
	const filters = filtersOf(params.filters ?? {}, timeZone);
	if (isError(filters)) return filters;
	query.filters = filters;
	if (source === 'malopsManagement') {
		const mmng = mmngFiltersOf(params.filters ?? {}, filters);
		if (isError(mmng)) return mmng;
		query.filters = mmng;
	}
	const options = params.options ?? {};
	query.includeRemediationTargets = options.includeRemediationTargets === true;
	if (options.perFeatureLimit !== undefined && options.perFeatureLimit !== '') {
		const perFeatureLimit = wholeNumber(options.perFeatureLimit, 'Per-Feature Limit');
		if (isError(perFeatureLimit)) return perFeatureLimit;
		query.perFeatureLimit = perFeatureLimit;
	}
	return query;
}
