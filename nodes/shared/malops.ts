// Pure: raw crimes/unified and detection-inbox answers -> normalised Malop records -> item JSON.
// No HTTP here (see malopQuery.ts), so the Cybereason quirks below are unit-tested on the public captures.
import type { IDataObject } from 'n8n-workflow';

import { envelopeWarning } from './errors';
import type {
	CrimesUnifiedResponse,
	ElementRef,
	ElementValue,
	InboxMachine,
	InboxMalop,
	InboxResponse,
	MalopElement,
	MalopElementType,
	SimpleValue,
} from './types';

export type MalopSource = 'crimesUnified' | 'detectionInbox';

/** crimes/unified says which element the Malop is built on; the inbox only says EDR or EPP. */
export type MalopKind = MalopElementType | 'EDR' | 'EPP';

export const MALOP_ELEMENT_TYPES: readonly MalopElementType[] = [
	'MalopProcess',
	'MalopLogonSession',
];

/** An action the console offers for one machine of a Malop (from /rest/detection/custom-remediation). */
export interface RemediationTarget {
	actionType: string;
	targetId: string;
	targetName: string;
}

export interface MalopMachine {
	machineGuid: string;
	machineName: string | null;
	/** Inbox only (crimes element references carry no sensor state). */
	machineConnected?: boolean | null;
	machineIsolated?: boolean | null;
	osType?: string | null;
	/** Set by malopQuery when remediation targets were asked for. */
	remediationTargets?: RemediationTarget[];
}

export interface MalopSuspect {
	guid: string;
	name: string | null;
	elementType: string | null;
}

export interface MalopRecord {
	source: MalopSource;
	malopId: string;
	malopType: MalopKind;
	/** EDR (AI-Hunt) or Endpoint Protection: decides the deep link and the custom-remediation list. */
	edr: boolean;
	displayName: string | null;
	rootCauseElementType: string | null;
	detectionType: string | null;
	/** crimes: managementStatus (UNREAD, TODO, OPEN, REOPEN, CLOSED, FP); inbox: Active, Remediated, Closed, Excluded. */
	status: string | null;
	/** Inbox only. */
	severity?: string | null;
	creationTime: string | null;
	lastUpdateTime: string | null;
	/** Epoch ms of the two times above, for sorting, filtering and cursors; not part of the items. */
	creationTimeMs: number | null;
	lastUpdateTimeMs: number | null;
	/** See isClosed(): analyst-closed, false positive or excluded. */
	closed: boolean;
	malopUrl: string;
	machines: MalopMachine[];
	/** How many affected machines the console counts; larger than machines.length when the list was cut. */
	machineCount: number;
	/** crimes/unified only. */
	suspects?: MalopSuspect[];
	suspectCount?: number;
	/** crimes/unified answered `elementValues: {}` (Rapid7: "occasionally"): machines and suspects are unknown. */
	elementValuesMissing: boolean;
	/** Warnings about this Malop alone (query-wide ones are kept by the caller). */
	warnings: string[];
	/** The untouched element or inbox entry (a reference, never a copy). */
	raw: MalopElement | InboxMalop;
}

// ---------------------------------------------------------------------------------------------
// Cybereason value spelling
// ---------------------------------------------------------------------------------------------

/**
 * Booleans arrive as JSON booleans, as "true"/"false" inside simpleValues, and as "True"/"False" in captures that
 * went through a Python dict. "None", null and "" mean "not known".
 */
export function parseBoolean(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
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

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/** The console deep link: AI-Hunt (EDR) Malops and Endpoint Protection Malops live on different screens. */
export function malopUrl(baseUrl: string, guid: string, edr: boolean): string {
	return `${baseUrl}/#/${edr ? 'malop' : 'detection-malop'}/${encodeURIComponent(guid)}`;
}

const CLOSED_MANAGEMENT_STATUSES = new Set(['CLOSED', 'FP']);
const CLOSED_INBOX_STATUSES = new Set(['closed', 'excluded']);

/**
 * "Closed" per source. crimes/unified: managementStatus CLOSED or FP (false positive); REOPEN is open again.
 * Inbox: status Closed or Excluded, or the entry's own `closed: true` flag (a capture shows status Active with
 * closed true and a close time: the analyst closed the investigation while the threat state stayed Active).
 * Remediated is not closed: the threat was handled, the investigation may still be running.
 */
export function isClosedStatus(source: MalopSource, status: string | null): boolean {
	if (status === null) return false;
	return source === 'crimesUnified'
		? CLOSED_MANAGEMENT_STATUSES.has(status.toUpperCase())
		: CLOSED_INBOX_STATUSES.has(status.toLowerCase());
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
	const elementValuesMissing = isEmptyObject(ev);

	const machineFeature = featureOf(ev, 'affectedMachines');
	const machines: MalopMachine[] = [];
	const seen = new Set<string>();
	for (const ref of refsOf(machineFeature)) {
		if (seen.has(ref.guid)) continue;
		seen.add(ref.guid);
		machines.push(crimesMachine(ref));
	}
	const suspectFeature = featureOf(ev, 'suspects');
	const suspectRefs = refsOf(suspectFeature);
	const suspects = suspectRefs.map((ref) => ({
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
		elementValuesMissing,
		warnings: [],
		raw: element,
	};
}

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

function inboxMachine(machine: InboxMachine): MalopMachine {
	return {
		machineGuid: machine.guid,
		machineName: parseText(machine.displayName),
		machineConnected: parseBoolean(machine.connected),
		machineIsolated: parseBoolean(machine.isolated),
		osType: parseText(machine.osType),
	};
}

/** One /rest/detection/inbox entry (MalopInboxModel). Its fields come twice under two names; either may be set. */
export function normaliseInboxMalop(entry: InboxMalop, baseUrl: string): MalopRecord {
	const edr = parseBoolean(entry.edr) !== false;
	const status = parseText(entry.status) ?? parseText(entry.malopStatus);
	const creationTimeMs = parseEpochMs(entry.creationTime);
	const lastUpdateTimeMs = parseEpochMs(entry.lastUpdateTime);
	const machines: MalopMachine[] = [];
	const seen = new Set<string>();
	for (const machine of Array.isArray(entry.machines) ? entry.machines : []) {
		if (!isRecord(machine) || typeof machine.guid !== 'string' || seen.has(machine.guid)) continue;
		seen.add(machine.guid);
		machines.push(inboxMachine(machine));
	}
	return {
		source: 'detectionInbox',
		malopId: entry.guid,
		malopType: edr ? 'EDR' : 'EPP',
		edr,
		displayName: parseText(entry.displayName) ?? parseText(entry.primaryRootCauseName),
		rootCauseElementType: parseText(entry.rootCauseElementType),
		detectionType: parseText(entry.malopDetectionType) ?? parseText(entry.malopType),
		status,
		severity: parseText(entry.severity) ?? parseText(entry.malopSeverity),
		creationTime: isoTime(creationTimeMs),
		lastUpdateTime: isoTime(lastUpdateTimeMs),
		creationTimeMs,
		lastUpdateTimeMs,
		closed: isClosedStatus('detectionInbox', status) || parseBoolean(entry.closed) === true,
		malopUrl: malopUrl(baseUrl, entry.guid, edr),
		machines,
		machineCount: machines.length,
		elementValuesMissing: false,
		warnings: [],
		raw: entry,
	};
}

/** The inbox answers `{malops, machineCounterModel}`; a bare list (as in one capture) is accepted too. */
export function normaliseInboxResponse(
	body: InboxResponse | InboxMalop[],
	baseUrl: string,
): MalopRecord[] {
	const list = Array.isArray(body) ? body : Array.isArray(body?.malops) ? body.malops : [];
	const out: MalopRecord[] = [];
	for (const entry of list) {
		if (isRecord(entry) && typeof entry.guid === 'string')
			out.push(normaliseInboxMalop(entry, baseUrl));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Filtering, merging, ordering
// ---------------------------------------------------------------------------------------------

export interface MalopFilters {
	/** Epoch ms, exclusive. */
	updatedAfter?: number;
	/** Epoch ms, exclusive. */
	updatedBefore?: number;
	/** Status values as the source reports them (compared case-insensitively); empty = any. */
	statuses?: string[];
	includeClosed?: boolean;
}

/**
 * A status the user picked explicitly wins over includeClosed (asking for CLOSED Malops returns them);
 * otherwise closed Malops are left out unless includeClosed is on.
 */
export function createMalopFilter(filters: MalopFilters): (record: MalopRecord) => boolean {
	const statuses = new Set(
		(filters.statuses ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s !== ''),
	);
	const { updatedAfter, updatedBefore } = filters;
	const includeClosed = filters.includeClosed === true;
	return (record) => {
		const time = record.lastUpdateTimeMs;
		if (updatedAfter !== undefined && time !== null && time <= updatedAfter) return false;
		if (updatedBefore !== undefined && time !== null && time >= updatedBefore) return false;
		const status = record.status?.toLowerCase() ?? '';
		if (statuses.size > 0 && !statuses.has(status)) return false;
		if (record.closed && !includeClosed) {
			return statuses.size > 0 && isClosedStatus(record.source, record.status);
		}
		return true;
	};
}

/** Newest activity first; Malops without a time go last; ties keep their order. */
export function sortByLastUpdate(records: MalopRecord[]): MalopRecord[] {
	return records.sort((a, b) => {
		if (a.lastUpdateTimeMs === b.lastUpdateTimeMs) return 0;
		if (a.lastUpdateTimeMs === null) return 1;
		if (b.lastUpdateTimeMs === null) return -1;
		return b.lastUpdateTimeMs - a.lastUpdateTimeMs;
	});
}

/**
 * Merges answers (e.g. MalopProcess and MalopLogonSession) so no Malop appears twice: the most recently updated copy
 * wins, and on a tie the one from the earlier list.
 */
export function mergeMalops(lists: MalopRecord[][]): MalopRecord[] {
	const byId = new Map<string, MalopRecord>();
	for (const list of lists) {
		for (const record of list) {
			const known = byId.get(record.malopId);
			if (
				!known ||
				(record.lastUpdateTimeMs ?? -Infinity) > (known.lastUpdateTimeMs ?? -Infinity)
			) {
				byId.set(record.malopId, record);
			}
		}
	}
	return [...byId.values()];
}

// ---------------------------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------------------------

export interface ItemOptions {
	includeRaw?: boolean;
	includeRemediationTargets?: boolean;
	/** Query-wide warnings, put on every item next to the Malop's own. */
	warnings?: string[];
}

function malopFields(record: MalopRecord): IDataObject {
	const json: IDataObject = {
		malopId: record.malopId,
		malopType: record.malopType,
		displayName: record.displayName,
		rootCauseElementType: record.rootCauseElementType,
		detectionType: record.detectionType,
		status: record.status,
	};
	if (record.severity !== undefined) json.severity = record.severity;
	json.creationTime = record.creationTime;
	json.lastUpdateTime = record.lastUpdateTime;
	json.malopUrl = record.malopUrl;
	return json;
}

function warningsFor(record: MalopRecord, shared: string[] | undefined): string[] | undefined {
	if (record.warnings.length === 0) return shared && shared.length > 0 ? shared : undefined;
	return shared && shared.length > 0 ? [...shared, ...record.warnings] : record.warnings;
}

function machineFields(json: IDataObject, machine: MalopMachine | undefined, record: MalopRecord) {
	json.machineGuid = machine ? machine.machineGuid : null;
	json.machineName = machine ? machine.machineName : null;
	// Sensor fields only where the source has them (the inbox), so a crimes item does not claim "unknown" as data.
	if (
		machine
			? machine.machineConnected !== undefined
			: record.malopType === 'EDR' || record.malopType === 'EPP'
	) {
		json.machineConnected = machine?.machineConnected ?? null;
		json.machineIsolated = machine?.machineIsolated ?? null;
		json.osType = machine?.osType ?? null;
	}
}

/**
 * The item of one Malop × machine (`machine` undefined: the Malop's one item when it has no machines). For callers
 * that emit only some pairs, such as the trigger's new machines.
 */
export function toMachineItem(
	record: MalopRecord,
	machine: MalopMachine | undefined,
	options: ItemOptions = {},
): IDataObject {
	const targets = options.includeRemediationTargets === true;
	return machineItem(
		record,
		machine,
		targets,
		options.includeRaw === true,
		warningsFor(record, options.warnings),
	);
}

function machineItem(
	record: MalopRecord,
	machine: MalopMachine | undefined,
	targets: boolean,
	includeRaw: boolean,
	warnings: string[] | undefined,
): IDataObject {
	const json = malopFields(record);
	machineFields(json, machine, record);
	if (record.suspects) json.suspects = record.suspects as unknown as IDataObject[];
	if (targets) json.remediationTargets = machine?.remediationTargets ?? [];
	if (warnings) json.warnings = warnings;
	if (includeRaw) json.raw = record.raw as unknown as IDataObject;
	return json;
}

/**
 * One item per Malop × affected machine; a Malop without machines gives one item with null machine fields, so it
 * does not disappear. Items of one Malop share its `suspects`, `warnings` and `raw` objects (no per-item copies).
 */
export function toMachineItems(records: MalopRecord[], options: ItemOptions = {}): IDataObject[] {
	const items: IDataObject[] = [];
	const targets = options.includeRemediationTargets === true;
	const includeRaw = options.includeRaw === true;
	for (const record of records) {
		const warnings = warningsFor(record, options.warnings);
		if (record.machines.length === 0) {
			items.push(machineItem(record, undefined, targets, includeRaw, warnings));
			continue;
		}
		for (const machine of record.machines)
			items.push(machineItem(record, machine, targets, includeRaw, warnings));
	}
	return items;
}

/** One item per Malop, its machines as an array (each with its remediation targets when asked for). */
export function toMalopItems(records: MalopRecord[], options: ItemOptions = {}): IDataObject[] {
	const targets = options.includeRemediationTargets === true;
	return records.map((record) => {
		const json = malopFields(record);
		json.machines = record.machines.map((machine) => {
			const entry: IDataObject = {
				machineGuid: machine.machineGuid,
				machineName: machine.machineName,
			};
			if (machine.machineConnected !== undefined) {
				entry.machineConnected = machine.machineConnected;
				entry.machineIsolated = machine.machineIsolated ?? null;
				entry.osType = machine.osType ?? null;
			}
			if (targets) entry.remediationTargets = machine.remediationTargets ?? [];
			return entry;
		});
		json.machineCount = record.machineCount;
		if (record.suspects) json.suspects = record.suspects as unknown as IDataObject[];
		const warnings = warningsFor(record, options.warnings);
		if (warnings) json.warnings = warnings;
		if (options.includeRaw) json.raw = record.raw as unknown as IDataObject;
		return json;
	});
}
