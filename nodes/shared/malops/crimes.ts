// Pure: a crimes/unified answer -> normalised Malop records (unit-tested on the public captures).
import { envelopeWarning } from '../errors';
import type {
	CrimesUnifiedResponse,
	ElementRef,
	ElementValue,
	MalopElement,
	MalopElementType,
	SimpleValue,
} from '../types';
import { isClosedStatus, malopUrl, type MalopMachine, type MalopRecord } from './record';
import { isRecord, isoTime, parseBoolean, parseEpochMs, parseText } from './values';

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

function featureOf(
	elementValues: Record<string, ElementValue>,
	name: string,
): ElementValue | undefined {
	const feature = elementValues[name];
	return isRecord(feature) ? feature : undefined;
}

function refsOf(feature: ElementValue | undefined): ElementRef[] {
	const list = feature?.elementValues;
	return Array.isArray(list)
		? list.filter((ref) => isRecord(ref) && typeof ref.guid === 'string')
		: [];
}

function countOf(feature: ElementValue | undefined, listed: number): number {
	const total = Number(feature?.totalValues);
	return Number.isFinite(total) && total > listed ? total : listed;
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

	const machineFeature = featureOf(ev, 'affectedMachines');
	const machines: MalopMachine[] = [];
	const seen = new Set<string>();
	for (const ref of refsOf(machineFeature)) {
		if (seen.has(ref.guid)) continue;
		seen.add(ref.guid);
		machines.push(crimesMachine(ref));
	}
	const suspectFeature = featureOf(ev, 'suspects');
	const suspects = refsOf(suspectFeature).map((ref) => ({
		guid: ref.guid,
		name: refName(ref),
		elementType: parseText(ref.elementType),
	}));
	const creationTimeMs = parseEpochMs(firstValue(sv, 'creationTime'));
	const lastUpdateTimeMs = parseEpochMs(firstValue(sv, 'malopLastUpdateTime'));
	const status = parseText(firstValue(sv, 'managementStatus'));
	const primaryRootCause = refsOf(featureOf(ev, 'primaryRootCauseElements'))[0];

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
		machineCount: countOf(machineFeature, machines.length),
		suspects,
		suspectCount: countOf(suspectFeature, suspects.length),
		elementValuesMissing: isEmptyObject(ev),
		warnings: [],
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
