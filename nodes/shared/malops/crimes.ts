// Pure: a crimes/unified answer -> normalised Malop records (unit-tested on the public captures).
import { envelopeWarning } from '../errors';
import type {
	CrimesUnifiedResponse,
	ElementRef,
	MalopElement,
	MalopElementType,
	SimpleValue,
} from '../types';
import { isClosedStatus, malformedWarning, malopUrl } from './record';
import type { MalopMachine, MalopRecord } from './record';
import { isRecord, isoTime, parseBoolean, parseEpochMs, parseText, plural } from './values';

export interface CrimesPage {
	malops: MalopRecord[];
	/** Malops in this answer. */
	returned: number;
	/** How many the console says match; more than `returned` means the answer was cut. */
	totalPossibleResults: number;
	/** The console stopped the query early (limit or timeout). */
	queryTerminated: boolean;
	/** The result cap the console applied (it may lower what the client asked for). */
	totalResultLimit?: number;
	perFeatureLimit?: number;
	/** PARTIAL_SUCCESS: some console servers did not answer. */
	warning?: string;
}

function firstValue(
	simpleValues: Record<string, SimpleValue> | undefined,
	feature: string,
): unknown {
	const values = simpleValues?.[feature]?.values;
	return Array.isArray(values) && values.length > 0 ? values[0] : undefined;
}

function isEmptyObject(value: object): boolean {
	for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
	return true;
}

function refName(ref: ElementRef): string | null {
	return parseText(ref.name) ?? parseText(firstValue(ref.simpleValues, 'elementDisplayName'));
}

/** A feature's element references, how many the console counted but did not list, and what was malformed. */
interface FeatureRefs {
	refs: ElementRef[];
	unlisted: number;
	problems: string[];
}

/**
 * The references of one element feature (affectedMachines, suspects). The console sends `{totalValues,
 * elementValues: [ref…]}`; anything else, or a reference without a GUID, is reported instead of being dropped or
 * taken for the per-feature limit. A feature given as a bare list is read as its references.
 */
function featureRefs(elementValues: Record<string, unknown>, name: string): FeatureRefs {
	const feature = elementValues[name];
	if (feature === undefined) return { refs: [], unlisted: 0, problems: [] };
	const problems: string[] = [];
	let entries: unknown[] = [];
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
	const refs = entries.filter(
		(ref): ref is ElementRef => isRecord(ref) && typeof ref.guid === 'string' && ref.guid !== '',
	);
	if (refs.length < entries.length) {
		problems.push(`${plural(entries.length - refs.length, 'entry', 'entries')} without a GUID`);
	}
	const total = isRecord(feature) ? Number(feature.totalValues) : NaN;
	const unlisted = Number.isFinite(total) ? Math.max(0, total - entries.length) : 0;
	return { refs, unlisted, problems };
}

function crimesMachine(ref: ElementRef): MalopMachine {
	const machine: MalopMachine = { machineGuid: ref.guid, machineName: refName(ref) };
	// Newer consoles nest each element's own simpleValues; when a query asked for sensor features, use them.
	const sv = ref.simpleValues;
	if (sv) {
		if (sv.isActiveProbeConnected)
			machine.machineConnected = parseBoolean(firstValue(sv, 'isActiveProbeConnected'));
		if (sv.isIsolated) machine.machineIsolated = parseBoolean(firstValue(sv, 'isIsolated'));
		if (sv.osType) machine.osType = parseText(firstValue(sv, 'osType'));
	}
	return machine;
}

/**
 * One crimes/unified element. `requestedType` is the queryPath type the answer is for: the element itself does not
 * say whether it is a MalopProcess or a MalopLogonSession.
 */
export function normaliseCrimesMalop(
	key: string,
	element: MalopElement,
	requestedType: MalopElementType,
	baseUrl: string,
): MalopRecord {
	const sv = isRecord(element.simpleValues) ? element.simpleValues : {};
	const ev = isRecord(element.elementValues) ? element.elementValues : {};
	const malopId = parseText(element.guidString) ?? key;

	const machineRefs = featureRefs(ev, 'affectedMachines');
	const machines: MalopMachine[] = [];
	const seen = new Set<string>();
	for (const ref of machineRefs.refs) {
		if (seen.has(ref.guid)) continue;
		seen.add(ref.guid);
		machines.push(crimesMachine(ref));
	}
	const suspectRefs = featureRefs(ev, 'suspects');
	const suspects = suspectRefs.refs.map((ref) => ({
		guid: ref.guid,
		name: refName(ref),
		elementType: parseText(ref.elementType),
	}));
	const warnings: string[] = [];
	if (machineRefs.problems.length > 0) {
		warnings.push(malformedWarning('affected machines', machines.length, machineRefs.problems));
	}
	if (suspectRefs.problems.length > 0) {
		warnings.push(malformedWarning('suspects', suspects.length, suspectRefs.problems));
	}
	const creationTimeMs = parseEpochMs(firstValue(sv, 'creationTime'));
	const lastUpdateTimeMs = parseEpochMs(firstValue(sv, 'malopLastUpdateTime'));
	const status = parseText(firstValue(sv, 'managementStatus'));
	const primaryRootCause = featureRefs(ev, 'primaryRootCauseElements').refs[0];

	return {
		source: 'crimesUnified',
		malopId,
		malopType: requestedType,
		edr: true,
		displayName:
			parseText(firstValue(sv, 'elementDisplayName')) ??
			parseText(firstValue(sv, 'rootCauseElementNames')) ??
			(primaryRootCause ? refName(primaryRootCause) : null),
		rootCauseElementType: parseText(firstValue(sv, 'rootCauseElementTypes')),
		detectionType: parseText(firstValue(sv, 'detectionType')),
		status,
		creationTime: isoTime(creationTimeMs),
		lastUpdateTime: isoTime(lastUpdateTimeMs),
		creationTimeMs,
		lastUpdateTimeMs,
		closed: isClosedStatus('crimesUnified', status),
		malopUrl: malopUrl(baseUrl, malopId, true),
		machines,
		// Listed and readable, plus what the per-feature limit left out: repeats and malformed entries do not count.
		machineCount: machines.length + machineRefs.unlisted,
		suspects,
		suspectCount: suspects.length + suspectRefs.unlisted,
		elementValuesMissing: isEmptyObject(ev),
		malformed: warnings.length > 0,
		warnings,
		raw: element,
	};
}

/** A whole crimes/unified answer (FAILURE envelopes are rejected by the transport before this point). */
export function normaliseCrimesResponse(
	body: CrimesUnifiedResponse,
	requestedType: MalopElementType | undefined,
	baseUrl: string,
): CrimesPage {
	const data = isRecord(body?.data) ? body.data : undefined;
	const map = isRecord(data?.resultIdToElementDataMap) ? data.resultIdToElementDataMap : {};
	const grouped = data?.queryLimits?.groupingFeature?.elementInstanceType;
	const type: MalopElementType =
		requestedType ?? (grouped === 'MalopLogonSession' ? 'MalopLogonSession' : 'MalopProcess');
	const malops: MalopRecord[] = [];
	for (const key in map) {
		const element = map[key];
		if (isRecord(element)) malops.push(normaliseCrimesMalop(key, element, type, baseUrl));
	}
	const total = Number(data?.totalPossibleResults);
	const limits = data?.queryLimits;
	const page: CrimesPage = {
		malops,
		returned: malops.length,
		totalPossibleResults: Number.isFinite(total) ? total : malops.length,
		queryTerminated: parseBoolean(data?.queryTerminated) === true,
	};
	const totalLimit = Number(limits?.totalResultLimit);
	if (Number.isFinite(totalLimit)) page.totalResultLimit = totalLimit;
	const featureLimit = Number(limits?.perFeatureLimit);
	if (Number.isFinite(featureLimit)) page.perFeatureLimit = featureLimit;
	const warning = envelopeWarning(body);
	if (warning) page.warning = warning;
	return page;
}
