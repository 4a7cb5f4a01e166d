/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The public captures in ../shared/cybereason-samples (read, never copied) and the shape comparison the
// conformance tests run against them: same keys, same value types. Skipped where that folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { asRecord } from './helpers';

const SAMPLES = path.resolve(__dirname, '../../../shared/cybereason-samples');
export const describeWithSamples = existsSync(SAMPLES) ? describe : describe.skip;

export function sample(name: string): unknown {
	return JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8'));
}

// Spellings the captures use for booleans and nulls (Python-converted fixtures, stringified sensor flags).
const BOOLEAN_SPELLINGS = new Set(['True', 'False', 'true', 'false']);
const NULL_SPELLINGS = new Set(['None', 'null']);

interface Allow {
	/** Keys the simulator may send that this capture lacks (present in another capture or the reference). */
	extra?: string[];
	/** Keys of the capture the simulator may leave out. */
	missing?: string[];
	/**
	 * Keys holding maps whose own keys are data (suspicion names): every entry of the simulator's map is
	 * compared with the capture's first entry, whatever the names.
	 */
	maps?: string[];
}

function kind(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	return typeof v;
}

/** Recursive comparison; returns the list of differences (empty when the shapes agree). */
export function shapeDiff(
	expected: unknown,
	actual: unknown,
	at: string,
	allow: Allow = {},
	out: string[] = [],
): string[] {
	if (expected === null) return out; // the capture had nothing there: any value is fine
	if (
		typeof expected === 'string' &&
		BOOLEAN_SPELLINGS.has(expected) &&
		typeof actual === 'boolean'
	)
		return out;
	if (typeof actual === 'string' && BOOLEAN_SPELLINGS.has(actual) && typeof expected === 'boolean')
		return out;
	if (typeof expected === 'string' && NULL_SPELLINGS.has(expected) && actual === null) return out;
	if (kind(expected) !== kind(actual)) {
		out.push(
			`${at}: capture has ${kind(expected)} ${JSON.stringify(expected)}, simulator ${kind(actual)} ${JSON.stringify(actual)}`,
		);
		return out;
	}
	if (Array.isArray(expected) && Array.isArray(actual)) {
		if (expected.length > 0)
			actual.forEach((item, i) => shapeDiff(expected[0], item, `${at}[${i}]`, allow, out));
		return out;
	}
	if (kind(expected) === 'object') {
		const e = expected as Record<string, unknown>;
		const a = actual as Record<string, unknown>;
		for (const key of Object.keys(e)) {
			if (allow.maps?.includes(key) && kind(e[key]) === 'object' && kind(a[key]) === 'object') {
				const first = Object.values(e[key] as object)[0];
				for (const [name, v] of Object.entries(a[key] as object))
					if (first !== undefined) shapeDiff(first, v, `${at}.${key}.${name}`, allow, out);
			} else if (key in a) shapeDiff(e[key], a[key], `${at}.${key}`, allow, out);
			else if (!allow.missing?.includes(key)) out.push(`${at}.${key}: missing in the simulator`);
		}
		for (const key of Object.keys(a)) {
			if (!(key in e) && !allow.extra?.includes(key)) out.push(`${at}.${key}: not in the capture`);
		}
	}
	return out;
}

export function expectShape(expected: unknown, actual: unknown, at: string, allow?: Allow) {
	expect(shapeDiff(expected, actual, at, allow)).toEqual([]);
}

/** Union of two captures of one object: every key of either; a null in either accepts any value. */
export function mergeCaptures(a: unknown, b: unknown): unknown {
	if (a === null || b === null || a === undefined || b === undefined)
		return a === undefined ? b : b === undefined ? a : null;
	if (Array.isArray(a) && Array.isArray(b))
		return a.length === 0 ? b : b.length === 0 ? a : [mergeCaptures(a[0], b[0])];
	if (kind(a) === 'object' && kind(b) === 'object') {
		const x = a as Record<string, unknown>;
		const y = b as Record<string, unknown>;
		return Object.fromEntries(
			[...new Set([...Object.keys(x), ...Object.keys(y)])].map((k) => [
				k,
				mergeCaptures(x[k], y[k]),
			]),
		);
	}
	return a;
}

export function firstValue(map: unknown): unknown {
	return Object.values(asRecord(map))[0];
}

/** The envelope without its results, to compare envelopes apart from elements. */
export function withEmptyResults(envelope: unknown): unknown {
	const copy = JSON.parse(JSON.stringify(envelope)) as { data: Record<string, unknown> };
	copy.data.resultIdToElementDataMap = {};
	return copy;
}
