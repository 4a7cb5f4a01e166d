// Pure: a /rest/detection/inbox answer -> normalised Malop records. The inbox and mmng/v2 list Malops in two
// versions of one model (guid, status, severity, machines with sensor state), read here by one builder.
import type { InboxMachine, InboxMalop, InboxResponse, MmngMachine, MmngMalop } from '../types';
import { isClosedStatus, malformedWarning, malopUrl } from './record';
import type { MalopMachine, MalopRecord, MalopSource, ManagementFields } from './record';
import { isRecord, isoTime, parseBoolean, parseEpochMs, parseText, plural } from './values';

export function inboxMachine(machine: InboxMachine | MmngMachine): MalopMachine {
	return {
		machineGuid: machine.guid,
		machineName: parseText(machine.displayName),
		machineConnected: parseBoolean(machine.connected),
		machineIsolated: parseBoolean(machine.isolated),
		osType: parseText(machine.osType),
	};
}

/** The entry's machines, each once; a `machines` that is not a list, or entries without a GUID, are reported. */
function machineList(
	list: unknown,
	toMachine: (machine: InboxMachine & MmngMachine) => MalopMachine,
): { machines: MalopMachine[]; problems: string[] } {
	if (list === undefined) return { machines: [], problems: [] };
	if (!Array.isArray(list)) {
		return {
			machines: [],
			problems: [`machines is ${list === null ? 'null' : typeof list}, not a list`],
		};
	}
	const machines: MalopMachine[] = [];
	const seen = new Set<string>();
	let unreadable = 0;
	for (const machine of list) {
		if (!isRecord(machine) || typeof machine.guid !== 'string' || machine.guid === '') {
			unreadable++;
		} else if (!seen.has(machine.guid)) {
			seen.add(machine.guid);
			machines.push(toMachine(machine as unknown as InboxMachine & MmngMachine));
		}
	}
	const problems =
		unreadable > 0 ? [`${plural(unreadable, 'entry', 'entries')} without a GUID`] : [];
	return { machines, problems };
}

/** What a Malop list model says, read by its source's normaliser; the builder below does the rest. */
export interface ListedMalop {
	source: MalopSource;
	entry: InboxMalop | MmngMalop;
	edr: boolean;
	detectionType: string | null;
	status: string | null;
	severity: string | null;
	/** The investigation's own closed-ness: the inbox `closed` flag, mmng/v2 investigationStatus. */
	investigation: string | boolean | null;
	/** mmng/v2's triage fields. */
	management?: ManagementFields;
	toMachine: (machine: InboxMachine & MmngMachine) => MalopMachine;
}

export function listedMalopRecord(listed: ListedMalop, baseUrl: string): MalopRecord {
	const { entry, edr, status } = listed;
	const creationTimeMs = parseEpochMs(entry.creationTime);
	const lastUpdateTimeMs = parseEpochMs(entry.lastUpdateTime);
	const { machines, problems } = machineList(entry.machines, listed.toMachine);
	const warnings =
		problems.length > 0 ? [malformedWarning('affected machines', machines.length, problems)] : [];
	return {
		source: listed.source,
		malopId: entry.guid,
		malopType: edr ? 'EDR' : 'EPP',
		edr,
		displayName:
			parseText(entry.displayName) ?? parseText((entry as InboxMalop).primaryRootCauseName),
		rootCauseElementType: parseText(entry.rootCauseElementType),
		detectionType: listed.detectionType,
		status,
		severity: listed.severity,
		management: listed.management,
		creationTime: isoTime(creationTimeMs),
		lastUpdateTime: isoTime(lastUpdateTimeMs),
		creationTimeMs,
		lastUpdateTimeMs,
		closed: isClosedStatus(listed.source, status, listed.investigation),
		malopUrl: malopUrl(baseUrl, entry.guid, edr),
		machines,
		machineCount: machines.length,
		elementValuesMissing: false,
		malformed: warnings.length > 0,
		warnings,
		raw: entry,
	};
}

/** One /rest/detection/inbox entry (MalopInboxModel). Its fields come twice under two names; either may be set. */
export function normaliseInboxMalop(entry: InboxMalop, baseUrl: string): MalopRecord {
	return listedMalopRecord(
		{
			source: 'detectionInbox',
			entry,
			edr: parseBoolean(entry.edr) !== false,
			detectionType: parseText(entry.malopDetectionType) ?? parseText(entry.malopType),
			status: parseText(entry.status) ?? parseText(entry.malopStatus),
			severity: parseText(entry.severity) ?? parseText(entry.malopSeverity),
			investigation: parseBoolean(entry.closed),
			toMachine: inboxMachine,
		},
		baseUrl,
	);
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
