// The element-data envelope every query answer shares (crimes/unified, Visual Search): `simpleValues` whose values
// are strings, and `elementValues` features that list references to other elements.
import { envelopeWarning } from '../errors';
import type { CrimesUnifiedResponse, ElementRef, MalopElement, SimpleValue } from '../types';
import { isRecord, parseBoolean, parseText, plural } from './values';

export function firstValue(
	simpleValues: Record<string, SimpleValue> | undefined,
	feature: string,
): unknown {
	const values = simpleValues?.[feature]?.values;
	return Array.isArray(values) && values.length > 0 ? values[0] : undefined;
}

export function refName(ref: ElementRef): string | null {
	return parseText(ref.name) ?? parseText(firstValue(ref.simpleValues, 'elementDisplayName'));
}

/** A feature's element references, how many the console counted but did not list, and what was malformed. */
export interface FeatureRefs {
	refs: ElementRef[];
	unlisted: number;
	problems: string[];
}

/**
 * The references of one element feature (affectedMachines, suspects). The console sends `{totalValues,
 * elementValues: [ref…]}`; anything else, or a reference without a GUID, is reported instead of being dropped or
 * taken for the per-feature limit. A feature given as a bare list is read as its references.
 */
export function featureRefs(elementValues: Record<string, unknown>, name: string): FeatureRefs {
	const feature = elementValues[name];
	if (feature === undefined) return { refs: NO_REFS, unlisted: 0, problems: NO_PROBLEMS };
	const problems: string[] = [];
	let entries: unknown[] = NO_REFS;
	if (Array.isArray(feature)) {
		problems.push(`${name} is a list, not an object`);
		entries = feature;
	} else if (!isRecord(feature)) {
		problems.push(`${name} is ${feature === null ? 'null' : typeof feature}, not an object`);
	} else if (Array.isArray(feature.elementValues)) {
		entries = feature.elementValues;
	} else if (feature.elementValues !== undefined) {
		problems.push(`${name}.elementValues is not a list`);
	}
	// Hot path (every element of a 10,000-element answer has several features): the list as the answer holds it
	// when every entry is a reference, a filtered copy otherwise.
	const refs = entries.every(isRef) ? (entries as ElementRef[]) : entries.filter(isRef);
	if (refs.length < entries.length) {
		problems.push(`${plural(entries.length - refs.length, 'entry', 'entries')} without a GUID`);
	}
	const total = isRecord(feature) ? Number(feature.totalValues) : NaN;
	const unlisted = Number.isFinite(total) ? Math.max(0, total - entries.length) : 0;
	return { refs, unlisted, problems: problems.length > 0 ? problems : NO_PROBLEMS };
}

const NO_REFS: ElementRef[] = [];
const NO_PROBLEMS: string[] = [];

function isRef(ref: unknown): ref is ElementRef {
	return isRecord(ref) && typeof ref.guid === 'string' && ref.guid !== '';
}

/** What a query answer says besides its elements: how many matched, whether it was cut, the limits applied. */
export interface QueryAnswerFacts {
	/** `resultIdToElementDataMap`, keyed by element GUID: a reference into the answer, never a copy. */
	elements: Record<string, MalopElement>;
	/** How many the console says match (before its limits); undefined when the answer does not say. */
	totalPossibleResults?: number;
	/** The console stopped the query early (its result cap, a timeout). */
	queryTerminated: boolean;
	/** The limits the console applied (it may lower what the client asked for). */
	totalResultLimit?: number;
	perGroupLimit?: number;
	perFeatureLimit?: number;
	/** `queryLimits.groupingFeature.elementInstanceType`. */
	groupingType?: string;
	/** `pathResultCounts`: how many elements each queryPath step matched (0 at step 0: the start was not found). */
	pathCounts: number[];
	/** PARTIAL_SUCCESS: some console servers did not answer (the data is what the others returned). */
	warning?: string;
}

function finite(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/** The envelope of a crimes/unified or Visual Search answer (FAILURE is rejected by the transport first). */
export function queryAnswerFacts(body: CrimesUnifiedResponse | undefined): QueryAnswerFacts {
	const data = isRecord(body?.data) ? body.data : undefined;
	const limits = isRecord(data?.queryLimits) ? data.queryLimits : undefined;
	const facts: QueryAnswerFacts = {
		elements: isRecord(data?.resultIdToElementDataMap) ? data.resultIdToElementDataMap : {},
		totalPossibleResults: finite(data?.totalPossibleResults),
		queryTerminated: parseBoolean(data?.queryTerminated) === true,
		totalResultLimit: finite(limits?.totalResultLimit),
		perGroupLimit: finite(limits?.perGroupLimit),
		perFeatureLimit: finite(limits?.perFeatureLimit),
		groupingType: parseText(limits?.groupingFeature?.elementInstanceType) ?? undefined,
		pathCounts: Array.isArray(data?.pathResultCounts)
			? data.pathResultCounts.map((step) => (isRecord(step) ? (finite(step.count) ?? 0) : 0))
			: [],
	};
	const warning = envelopeWarning(body);
	if (warning) facts.warning = warning;
	return facts;
}
