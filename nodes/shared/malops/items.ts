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

/**
 * The Malop's fields in the table view's order: after malopId (and, per machine, machineName) what a user reads
 * first; times and the link follow the identifiers, and the heavy lists come last (see `heavyFields`).
 */
function malopSummary(json: IDataObject, record: MalopRecord) {
	json.displayName = record.displayName;
	json.status = record.status;
	if (record.severity !== undefined) json.severity = record.severity;
	// Malops management: the SOC's triage, read right after the status.
	if (record.management) {
		json.investigationStatus = record.management.investigationStatus;
		json.priority = record.management.priority;
	}
	json.malopType = record.malopType;
	json.detectionType = record.detectionType;
	json.rootCauseElementType = record.rootCauseElementType;
}

function malopTimes(json: IDataObject, record: MalopRecord) {
	json.creationTime = record.creationTime;
	json.lastUpdateTime = record.lastUpdateTime;
	json.malopUrl = record.malopUrl;
	const management = record.management;
	if (management) {
		json.labels = management.labels;
		json.mitreTactics = management.mitreTactics as IDataObject[];
		json.mitreTechniques = management.mitreTechniques as IDataObject[];
		json.rootCauseElementHashes = management.rootCauseElementHashes;
	}
}

/** Last, so the table view stays readable: warnings, the item's list (targets or machines), suspects, raw. */
function heavyFields(
	json: IDataObject,
	record: MalopRecord,
	warnings: string[] | undefined,
	includeRaw: boolean,
	list?: [string, IDataObject[]],
) {
	if (warnings) json.warnings = warnings;
	if (list) json[list[0]] = list[1];
	if (record.suspects) json.suspects = record.suspects as unknown as IDataObject[];
	if (includeRaw) json.raw = record.raw as unknown as IDataObject;
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

interface MachineItemOptions {
	targets: boolean;
	includeRaw: boolean;
	warnings: string[] | undefined;
	eventId?: string;
}

function machineItem(
	record: MalopRecord,
	machine: MalopMachine | undefined,
	options: MachineItemOptions,
): IDataObject {
	const json: IDataObject = {
		malopId: record.malopId,
		machineName: machine ? machine.machineName : null,
	};
	malopSummary(json, record);
	json.machineGuid = machine ? machine.machineGuid : null;
	sensorFields(json, machine, record);
	malopTimes(json, record);
	if (options.eventId !== undefined) json.eventId = options.eventId;
	const targets: [string, IDataObject[]] | undefined = options.targets
		? ['remediationTargets', (machine?.remediationTargets ?? []) as unknown as IDataObject[]]
		: undefined;
	heavyFields(json, record, options.warnings, options.includeRaw, targets);
	return json;
}

/** The item of one Malop × machine (`machine` undefined: the Malop's one item when it has no machines). */
export function toMachineItem(
	record: MalopRecord,
	machine: MalopMachine | undefined,
	options: ItemOptions = {},
	eventId?: string,
): IDataObject {
	return machineItem(record, machine, {
		targets: options.includeRemediationTargets === true,
		includeRaw: options.includeRaw === true,
		warnings: warningsFor(record, options.warnings),
		eventId,
	});
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
		const itemOptions = { targets, includeRaw, warnings: warningsFor(record, options.warnings) };
		if (record.machines.length === 0) {
			items.push(machineItem(record, undefined, itemOptions));
			continue;
		}
		for (const machine of record.machines) items.push(machineItem(record, machine, itemOptions));
	}
	return items;
}

/** One item per Malop, its machines as an array (each with its remediation targets when asked for). */
export function toMalopItems(records: MalopRecord[], options: ItemOptions = {}): IDataObject[] {
	const targets = options.includeRemediationTargets === true;
	return records.map((record) => {
		const json: IDataObject = { malopId: record.malopId };
		malopSummary(json, record);
		json.machineCount = record.machineCount;
		malopTimes(json, record);
		const machines = record.machines.map((machine) => {
			const entry: IDataObject = {
				machineGuid: machine.machineGuid,
				machineName: machine.machineName,
			};
			sensorFields(entry, machine, record);
			if (targets) entry.remediationTargets = machine.remediationTargets ?? [];
			return entry;
		});
		heavyFields(json, record, warningsFor(record, options.warnings), options.includeRaw === true, [
			'machines',
			machines,
		]);
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
		items.push(toMachineItem(record, machine, options, eventId));
	}
	return items;
}
