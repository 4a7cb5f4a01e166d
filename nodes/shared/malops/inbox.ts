// Pure: a /rest/detection/inbox answer -> normalised Malop records.
import type { InboxMachine, InboxMalop, InboxResponse } from '../types';
import { isClosedStatus, malformedWarning, malopUrl } from './record';
import type { MalopMachine, MalopRecord } from './record';
import { isRecord, isoTime, parseBoolean, parseEpochMs, parseText, plural } from './values';

function inboxMachine(machine: InboxMachine): MalopMachine {
	return {
		machineGuid: machine.guid,
		machineName: parseText(machine.displayName),
		machineConnected: parseBoolean(machine.connected),
		machineIsolated: parseBoolean(machine.isolated),
		osType: parseText(machine.osType),
	};
}

/** The entry's machines, each once; a `machines` that is not a list, or entries without a GUID, are reported. */
function inboxMachines(list: unknown): { machines: MalopMachine[]; problems: string[] } {
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
			machines.push(inboxMachine(machine as unknown as InboxMachine));
		}
	}
	const problems =
		unreadable > 0 ? [`${plural(unreadable, 'entry', 'entries')} without a GUID`] : [];
	return { machines, problems };
}

/** One /rest/detection/inbox entry (MalopInboxModel). Its fields come twice under two names; either may be set. */
export function normaliseInboxMalop(entry: InboxMalop, baseUrl: string): MalopRecord {
	const edr = parseBoolean(entry.edr) !== false;
	const status = parseText(entry.status) ?? parseText(entry.malopStatus);
	const creationTimeMs = parseEpochMs(entry.creationTime);
	const lastUpdateTimeMs = parseEpochMs(entry.lastUpdateTime);
	const { machines, problems } = inboxMachines(entry.machines);
	const warnings =
		problems.length > 0 ? [malformedWarning('affected machines', machines.length, problems)] : [];
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
		malformed: warnings.length > 0,
		warnings,
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
