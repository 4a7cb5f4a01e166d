// Where a Malop becomes n8n items: one per Malop and machine (Get Malops' default), one per Malop, or the
// (Malop, machine) pairs a trigger poll emits. Pure; every source's records give the same fields.
import type { IDataObject } from 'n8n-workflow';

import type { MalopMachine, MalopRecord } from './record';

export interface ItemOptions {
	includeRaw?: boolean;
	includeRemediationTargets?: boolean;
	/** Query-wide warnings, put on every item next to the Malop's own. */
	warnings?: string[];
}

/** One (Malop, machine) pair to emit; machine '' is the one item of a Malop without machines. */
export interface PairEvent {
	malopId: string;
	machineGuid: string;
	/** Stable across polls and workers, for downstream de-duplication. */
	eventId: string;
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
	const management = record.management;
	if (management) {
		json.investigationStatus = management.investigationStatus;
		json.priority = management.priority;
	}
	json.creationTime = record.creationTime;
	json.lastUpdateTime = record.lastUpdateTime;
	json.malopUrl = record.malopUrl;
	if (management) {
		json.labels = management.labels;
		json.mitreTactics = management.mitreTactics as IDataObject[];
		json.mitreTechniques = management.mitreTechniques as IDataObject[];
		json.rootCauseElementHashes = management.rootCauseElementHashes;
	}
	return json;
}

function warningsFor(record: MalopRecord, shared: string[] | undefined): string[] | undefined {
	if (record.warnings.length === 0) return shared && shared.length > 0 ? shared : undefined;
	return shared && shared.length > 0 ? [...shared, ...record.warnings] : record.warnings;
}

/**
 * Sensor fields only where the source has them (inbox and mmng/v2 state, mmng/v2 ids), so a crimes item does not
 * claim "unknown" as data. `machine` undefined: the one item of a Malop without machines.
 */
function sensorFields(json: IDataObject, machine: MalopMachine | undefined, record: MalopRecord) {
	if (
		machine
			? machine.machineConnected !== undefined
			: record.malopType === 'EDR' || record.malopType === 'EPP'
	) {
		json.machineConnected = machine?.machineConnected ?? null;
		json.machineIsolated = machine?.machineIsolated ?? null;
		json.osType = machine?.osType ?? null;
	}
	if (machine ? machine.pylumId !== undefined : record.management !== undefined) {
		json.pylumId = machine?.pylumId ?? null;
		json.lastConnected = machine?.lastConnected ?? null;
	}
}

function machineFields(json: IDataObject, machine: MalopMachine | undefined, record: MalopRecord) {
	json.machineGuid = machine ? machine.machineGuid : null;
	json.machineName = machine ? machine.machineName : null;
	sensorFields(json, machine, record);
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

/** The item of one Malop × machine (`machine` undefined: the Malop's one item when it has no machines). */
export function toMachineItem(
	record: MalopRecord,
	machine: MalopMachine | undefined,
	options: ItemOptions = {},
): IDataObject {
	return machineItem(
		record,
		machine,
		options.includeRemediationTargets === true,
		options.includeRaw === true,
		warningsFor(record, options.warnings),
	);
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
			sensorFields(entry, machine, record);
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

/** The items of chosen pairs, in their order, each with its event id (what a trigger poll emits). */
export function toEventItems(
	records: MalopRecord[],
	events: PairEvent[],
	options: ItemOptions = {},
): IDataObject[] {
	const byId = new Map(records.map((record) => [record.malopId, record]));
	const items: IDataObject[] = [];
	for (const { malopId, machineGuid, eventId } of events) {
		const record = byId.get(malopId);
		if (!record) continue;
		const machine = record.machines.find((m) => m.machineGuid === machineGuid);
		items.push({ ...toMachineItem(record, machine, options), eventId });
	}
	return items;
}
