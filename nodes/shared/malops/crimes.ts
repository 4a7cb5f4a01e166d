// Pure: a crimes/unified answer -> normalised Malop records (unit-tested on the public captures).
import type { CrimesUnifiedResponse, ElementRef, MalopElement, MalopElementType } from '../types';
import { featureRefs, firstValue, queryAnswerFacts, refName } from './elements';
import { isClosedStatus, malformedWarning, malopUrl } from './record';
import type { MalopMachine, MalopRecord } from './record';
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

function isEmptyObject(value: object): boolean {
	for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
	return true;
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
	const facts = queryAnswerFacts(body);
	const type: MalopElementType =
		requestedType ??
		(facts.groupingType === 'MalopLogonSession' ? 'MalopLogonSession' : 'MalopProcess');
	const malops: MalopRecord[] = [];
	const map = facts.elements;
	for (const key in map) {
		const element = map[key];
		if (isRecord(element)) malops.push(normaliseCrimesMalop(key, element, type, baseUrl));
	}
	const page: CrimesPage = {
		malops,
		returned: malops.length,
		totalPossibleResults: facts.totalPossibleResults ?? malops.length,
		queryTerminated: facts.queryTerminated,
	};
	if (facts.totalResultLimit !== undefined) page.totalResultLimit = facts.totalResultLimit;
	if (facts.perFeatureLimit !== undefined) page.perFeatureLimit = facts.perFeatureLimit;
	if (facts.warning) page.warning = facts.warning;
	return page;
}
