// Pure: a sensors/query record -> the machine item, and how a machine is looked up. Sensor records differ by
// version and source (batch-2 captures): flags as booleans or "true"/"false", customTags null or absent,
// `lastPylumUpdateTimestampMs` missing in Google SecOps' record, legacy and 16-character GUIDs.
import type { IDataObject } from 'n8n-workflow';

import type { SensorFilter } from '../../../shared/api/sensors';
import { isoTime, parseBoolean, parseEpochMs, parseText } from '../../../shared/malops/values';
import type { Sensor } from '../../../shared/types';

export type LookupBy = 'guid' | 'name' | 'pylumId';

const LOOKUP_FIELDS: Record<LookupBy, { fieldName: string; label: string }> = {
	guid: { fieldName: 'guid', label: 'machine GUID' },
	name: { fieldName: 'machineName', label: 'machine name' },
	pylumId: { fieldName: 'pylumId', label: 'pylumId' },
};

export function parseLookupBy(value: unknown): LookupBy {
	return value === 'name' || value === 'pylumId' ? value : 'guid';
}

export function lookupLabel(by: LookupBy): string {
	return LOOKUP_FIELDS[by].label;
}

/** The sensors/query filter that finds these machines (several values: any of them). */
export function lookupFilter(by: LookupBy, values: readonly string[]): SensorFilter {
	return { fieldName: LOOKUP_FIELDS[by].fieldName, operator: 'Equals', values: [...values] };
}

/** The value of a sensor a lookup compares with, exactly as the console's Equals filter does. */
export function lookupKey(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

export function sensorLookupKey(by: LookupBy, sensor: Sensor): string {
	return lookupKey(sensor[LOOKUP_FIELDS[by].fieldName]);
}

export function isIsolated(sensor: Sensor): boolean {
	return parseBoolean(sensor.isolated) === true;
}

/** Online; where a record has no status, not flagged disconnected; null when it says neither. */
export function isConnected(sensor: Sensor): boolean | null {
	const status = parseText(sensor.status);
	if (status !== null) return status.toLowerCase() === 'online';
	const disconnected = parseBoolean(sensor.disconnected);
	return disconnected === null ? null : !disconnected;
}

/** The last time the console heard from the sensor: the latest of its update, info message and disconnection times. */
export function lastSeenMs(sensor: Sensor): number | null {
	const times = [
		sensor.lastPylumUpdateTimestampMs,
		sensor.lastPylumInfoMsgUpdateTime,
		sensor.disconnectionTime,
	]
		.map((value) => parseEpochMs(value))
		.filter((ms): ms is number => ms !== null && ms > 0);
	return times.length > 0 ? Math.max(...times) : null;
}

/** `customTags`: null or absent in every capture; a list or a comma-separated text is taken apart. */
function customTags(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list
		.map((tag) => (typeof tag === 'string' ? tag.trim() : ''))
		.filter((tag) => tag !== '' && tag !== 'None' && tag !== 'null');
}

export function machineItem(sensor: Sensor, includeRaw = false): IDataObject {
	const json: IDataObject = {
		machineName: parseText(sensor.machineName),
		machineGuid: parseText(sensor.guid),
		pylumId: parseText(sensor.pylumId),
		sensorId: parseText(sensor.sensorId),
		status: parseText(sensor.status),
		isolated: parseBoolean(sensor.isolated),
		connected: isConnected(sensor),
		osType: parseText(sensor.osType),
		groupName: parseText(sensor.groupName),
		policyName: parseText(sensor.policyName),
		customTags: customTags(sensor.customTags),
		internalIpAddress: parseText(sensor.internalIpAddress),
		lastSeen: isoTime(lastSeenMs(sensor)),
	};
	if (includeRaw) json.raw = sensor as IDataObject;
	return json;
}

/** Most recently seen first: a reinstalled machine's live sensor before its stale one. */
export function newestFirst(sensors: readonly Sensor[]): Sensor[] {
	return [...sensors].sort((a, b) => (lastSeenMs(b) ?? 0) - (lastSeenMs(a) ?? 0));
}
