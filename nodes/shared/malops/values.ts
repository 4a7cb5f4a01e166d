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

export function isoTime(ms: number | null): string | null {
	if (ms === null) return null;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
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
