// Pure: reading one Visual Search element (xsoar-machine_outputs, xsoar-malop_processes_raw_response) with the
// Malop normaliser's own value parsers: every simpleValues value is a string ("5180", "true", "1598888976499";
// "True"/"None" in Python-converted captures), references sit in elementValues.<feature>.elementValues[].
// Plain functions over the element's two maps: they run for every element of a 10,000-element answer.
import { featureRefs, firstValue, refName } from '../malops/elements';
import { isoTime, isRecord, parseBoolean, parseEpochMs, parseText } from '../malops/values';
import type { ElementRef, MalopElement, SimpleValue } from '../types';

export type Values = Record<string, SimpleValue>;
export type Links = Record<string, unknown>;

const NO_VALUES: Values = {};
const NO_LINKS: Links = {};

export function valuesOf(element: MalopElement): Values {
	return isRecord(element.simpleValues) ? element.simpleValues : NO_VALUES;
}

export function linksOf(element: MalopElement): Links {
	return isRecord(element.elementValues) ? element.elementValues : NO_LINKS;
}

export function text(sv: Values, feature: string): string | null {
	return parseText(firstValue(sv, feature));
}

/** A hash as the console sends it, lower case (a filter matches either case; an IF compares exactly). */
export function hash(sv: Values, feature: string): string | null {
	return text(sv, feature)?.toLowerCase() ?? null;
}

export function flag(sv: Values, feature: string): boolean | null {
	return parseBoolean(firstValue(sv, feature));
}

export function number(sv: Values, feature: string): number | null {
	const value = Number(text(sv, feature) ?? NaN);
	return Number.isFinite(value) ? value : null;
}

/** A time feature (epoch ms as a string) as ISO 8601. */
export function time(sv: Values, feature: string): string | null {
	return isoTime(parseEpochMs(firstValue(sv, feature)));
}

/** The first element a feature points to (ownerMachine, parentProcess, calculatedUser), if any. */
export function ref(ev: Links, feature: string): ElementRef | undefined {
	return featureRefs(ev, feature).refs[0];
}

export function nameOf(ref: ElementRef | undefined): string | null {
	return ref ? refName(ref) : null;
}

export interface Suspicion {
	name: string;
	/** When the console first saw it (ISO 8601). */
	firstSeen: string | null;
}

/** `suspicions: {name: firstSeenMs}`, oldest first. */
export function suspicionsOf(element: MalopElement): Suspicion[] {
	const map = isRecord(element.suspicions) ? element.suspicions : NO_LINKS;
	const names = Object.keys(map);
	if (names.length === 0) return [];
	return names
		.map((name) => ({ name, ms: parseEpochMs(map[name]) }))
		.sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))
		.map(({ name, ms }) => ({ name, firstSeen: isoTime(ms) }));
}
