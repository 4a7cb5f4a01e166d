// Pure: reading one Visual Search element (xsoar-machine_outputs, xsoar-malop_processes_raw_response) with the
// Malop normaliser's own value parsers: every simpleValues value is a string ("5180", "true", "1598888976499";
// "True"/"None" in Python-converted captures), references sit in elementValues.<feature>.elementValues[].
import { featureRefs, firstValue, refName } from '../malops/elements';
import { isoTime, isRecord, parseBoolean, parseEpochMs, parseText } from '../malops/values';
import type { MalopElement, SimpleValue } from '../types';

const NO_VALUES: Record<string, SimpleValue> = {};
const NO_ELEMENTS: Record<string, unknown> = {};

export interface ElementReader {
	text(feature: string): string | null;
	flag(feature: string): boolean | null;
	number(feature: string): number | null;
	/** A time feature (epoch ms as a string) as ISO 8601. */
	time(feature: string): string | null;
	/** The first element a feature points to: `{guid, name}`, or nulls when it points to none. */
	ref(feature: string): { guid: string | null; name: string | null };
}

export function readElement(element: MalopElement): ElementReader {
	const sv = isRecord(element.simpleValues) ? element.simpleValues : NO_VALUES;
	const ev = isRecord(element.elementValues) ? element.elementValues : NO_ELEMENTS;
	return {
		text: (feature) => parseText(firstValue(sv, feature)),
		flag: (feature) => parseBoolean(firstValue(sv, feature)),
		number: (feature) => {
			const value = Number(parseText(firstValue(sv, feature)) ?? NaN);
			return Number.isFinite(value) ? value : null;
		},
		time: (feature) => isoTime(parseEpochMs(firstValue(sv, feature))),
		ref: (feature) => {
			const first = featureRefs(ev, feature).refs[0];
			return first ? { guid: first.guid, name: refName(first) } : { guid: null, name: null };
		},
	};
}

export interface Suspicion {
	name: string;
	/** When the console first saw it (ISO 8601). */
	firstSeen: string | null;
}

/** `suspicions: {name: firstSeenMs}`, oldest first. */
export function suspicionsOf(element: MalopElement): Suspicion[] {
	const map = isRecord(element.suspicions) ? element.suspicions : {};
	return Object.keys(map)
		.map((name) => ({ name, ms: parseEpochMs(map[name]) }))
		.sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))
		.map(({ name, ms }) => ({ name, firstSeen: isoTime(ms) }));
}
