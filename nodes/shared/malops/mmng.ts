// Pure: a POST /rest/mmng/v2/malops answer -> normalised Malop records (xsoar-query_malop_management_raw_response).
// Items in the inbox's shape (`edr`, labels as strings, hashes as one string), as SEKOIA's tests feed this
// endpoint, are read too.
import {
	INVESTIGATION_STATUSES,
	type InboxMalop,
	type MmngMachine,
	type MmngMalop,
	type MmngResponse,
} from '../types';
import { inboxMachine, listedMalopRecord } from './inbox';
import type { MalopMachine, MalopRecord, ManagementFields } from './record';
import { isRecord, isoTime, parseBoolean, parseEpochMs, parseText } from './values';

/** The inbox machine plus its sensor's id and last contact (set on the fresh object: a spread costs 2 µs each). */
function mmngMachine(machine: MmngMachine): MalopMachine {
	const read = inboxMachine(machine);
	read.pylumId = parseText(machine.pylumId);
	read.lastConnected = isoTime(parseEpochMs(machine.lastConnected));
	return read;
}

/** Texts from a list (objects by `key`) or from one comma-separated string; empty entries are left out. */
function texts(value: unknown, key?: string): string[] {
	const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
	const out: string[] = [];
	for (const entry of list) {
		const text = parseText(isRecord(entry) && key ? entry[key] : entry)?.trim();
		if (text) out.push(text);
	}
	return out;
}

/**
 * XSOAR sends `ReOpened`, forensic-security's live-tested schema reads `Reopened` back: items spell the statuses
 * as the API takes them; a status not in the list is kept as the console sent it.
 */
function investigationStatusOf(value: unknown): string | null {
	const text = parseText(value);
	const lower = text?.toLowerCase();
	return INVESTIGATION_STATUSES.find((status) => status.toLowerCase() === lower) ?? text;
}

function managementFields(item: MmngMalop): ManagementFields {
	return {
		investigationStatus: investigationStatusOf(item.investigationStatus),
		priority: parseText(item.priority),
		labels: texts(item.labels, 'labelText'),
		mitreTactics: Array.isArray(item.mitreTactics) ? item.mitreTactics : [],
		mitreTechniques: Array.isArray(item.mitreTechniques) ? item.mitreTechniques : [],
		rootCauseElementHashes: texts(item.rootCauseElementHashes),
	};
}

export function normaliseMmngMalop(item: MmngMalop, baseUrl: string): MalopRecord {
	const management = managementFields(item);
	return listedMalopRecord(
		{
			source: 'malopsManagement',
			entry: item,
			edr: (parseBoolean(item.isEdr) ?? parseBoolean(item.edr)) !== false,
			detectionType:
				parseText(item.detectionType) ?? parseText((item as InboxMalop).malopDetectionType),
			status: parseText(item.status),
			severity: parseText(item.severity),
			investigation: management.investigationStatus,
			management,
			toMachine: mmngMachine,
		},
		baseUrl,
	);
}

/** The items of one page (`data.data`); the transport has checked the envelope says SUCCESS. */
export function normaliseMmngResponse(body: MmngResponse, baseUrl: string): MalopRecord[] {
	const list = Array.isArray(body.data?.data) ? body.data.data : [];
	const out: MalopRecord[] = [];
	for (const item of list) {
		if (isRecord(item) && typeof item.guid === 'string')
			out.push(normaliseMmngMalop(item, baseUrl));
	}
	return out;
}
