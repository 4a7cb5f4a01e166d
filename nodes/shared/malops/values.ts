// How Cybereason spells values: booleans, times and texts arrive in several forms depending on the endpoint and
// on whether a capture went through Python.

/**
 * Booleans arrive as JSON booleans, as "true"/"false" inside simpleValues, and as "True"/"False" in captures that
 * went through a Python dict. "None", null and "" mean "not known".
 */
export function parseBoolean(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	// Hot path: simpleValues spell them exactly so.
	if (value === 'true') return true;
	if (value === 'false') return false;
	if (typeof value === 'number') return value !== 0;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	return null;
}

/** Epoch ms from a number or a numeric string ("1659517940167"); "None"/null/"" give null. */
export function parseEpochMs(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string') {
		// Hot path: every Malop carries its times as numeric strings ("1659517940167").
		const number = Number(value);
		if (value !== '' && Number.isFinite(number)) return number;
		const text = value.trim();
		if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
			const parsed = Date.parse(text);
			return Number.isNaN(parsed) ? null : parsed;
		}
	}
	return null;
}

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: beyond it toISOString writes a six-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * ISO 8601 in UTC, as Date#toISOString writes it. Hot path (every process of a 10,000-element hunt has its times):
 * whole milliseconds from 1970 to 9999 are formatted by arithmetic (civil date from day number, H. Hinnant), about
 * twice as fast as a Date per value; anything else goes through Date.
 */
export function isoTime(ms: number | null): string | null {
	if (ms === null) return null;
	if (!Number.isInteger(ms) || ms < 0 || ms >= YEAR_10000_MS) {
		const date = new Date(ms);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	const inDay = ms % DAY_MS;
	const days = (ms - inDay) / DAY_MS + 719_468;
	const era = Math.floor(days / 146_097);
	const dayOfEra = days - era * 146_097;
	const yearOfEra = Math.floor(
		(dayOfEra -
			Math.floor(dayOfEra / 1460) +
			Math.floor(dayOfEra / 36_524) -
			Math.floor(dayOfEra / 146_096)) /
			365,
	);
	const dayOfYear =
		dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const shifted = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
	const month = shifted < 10 ? shifted + 3 : shifted - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	const time = `${two(Math.floor(inDay / 3_600_000))}:${two(Math.floor(inDay / 60_000) % 60)}:${two(Math.floor(inDay / 1000) % 60)}`;
	return `${year}-${two(month)}-${two(day)}T${time}.${three(inDay % 1000)}Z`;
}

/** A text value, with Python's "None" and empty strings read as "not known". */
export function parseText(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value !== 'string') return typeof value === 'number' ? String(value) : null;
	return value === '' || value === 'None' ? null : value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function plural(n: number, word: string, words = `${word}s`): string {
	return `${n} ${n === 1 ? word : words}`;
}
