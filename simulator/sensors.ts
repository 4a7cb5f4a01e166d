// API: POST /rest/sensors/query, POST /rest/monitor/global/commands/isolate, .../un-isolate
// One sensor per machine (machineName, pylumId, machine guid); tests may add stale duplicates with the
// same machineName, the case that made Rapid7's name lookup fail. Isolation is keyed by pylumId and
// answers per sensor: HTTP 200 alone does not mean it worked (reference §3.4).
import type { Sensor, SensorsQueryResponse } from '../nodes/shared/types';

import type { SimMachine } from './model';
import { badRequest, isRecord, json, type SimResponse } from './respond';

export type SensorStatus = 'Online' | 'Offline' | 'Stale' | 'Archived';

export interface SensorRecord {
	machine: SimMachine;
	/** Fixed status for extra (duplicate) sensors; machine-backed sensors follow `connected`. */
	status?: SensorStatus;
	/** False for extra sensors: not the machine's live sensor, isolation only queues ("Primed"). */
	live: boolean;
}

export interface SensorContext {
	serverId: string;
	organization: string;
	quirks: boolean;
	sensors(): SensorRecord[];
}

function uuidFrom(hex: string, salt: string): string {
	const h = (
		hex +
		salt
			.split('')
			.map((c) => c.charCodeAt(0).toString(16))
			.join('') +
		'0'.repeat(32)
	).slice(0, 32);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The one sensor group of the simulated console: sensors' `groupId`, mmng/v2 Malops' `groups`. */
export function groupIdOf(serverId: string): string {
	return uuidFrom(serverId, 'group');
}

function sensorStatus(rec: SensorRecord): SensorStatus {
	return rec.status ?? (rec.machine.connected ? 'Online' : 'Offline');
}

/** Field set and order of xsoar-get_sensor_id_raw_response; the capture spells some booleans "false". */
function renderSensor(rec: SensorRecord, ctx: SensorContext): Sensor {
	const m = rec.machine;
	const status = sensorStatus(rec);
	const online = status === 'Online';
	const b = (v: boolean): boolean | string => (ctx.quirks ? String(v) : v);
	const nullish = ctx.quirks ? 'null' : null;
	const firstSeen = m.lastConnected - 90 * 86_400_000;
	return {
		sensorId: m.sensorId,
		pylumId: m.pylumId,
		guid: m.guid,
		fqdn: m.name,
		machineName: m.name,
		internalIpAddress: m.internalIpAddress,
		externalIpAddress: m.externalIpAddress,
		siteName: 'Default',
		siteId: 0,
		ransomwareStatus: 'DISABLED',
		preventionStatus: 'ENABLED',
		isolated: b(m.isolated),
		disconnectionTime: online ? 0 : m.lastConnected,
		lastPylumInfoMsgUpdateTime: m.lastConnected - 38_506,
		lastPylumUpdateTimestampMs: m.lastConnected,
		status,
		serviceStatus: online ? 'Up' : 'Down',
		onlineTimeMS: 0,
		offlineTimeMS: 0,
		staleTimeMS: 0,
		archiveTimeMs: 0,
		statusTimeMS: 0,
		lastStatusAction: nullish,
		archivedOrUnarchiveComment: '',
		sensorArchivedByUser: '',
		serverName: `${ctx.organization.toLowerCase()}-1-t`,
		serverId: ctx.serverId,
		serverIp: '10.0.0.5',
		privateServerIp: '10.0.0.5',
		collectiveUuid: uuidFrom(ctx.serverId, 'collective'),
		osType: m.osType,
		osVersionType: m.osVersionType,
		collectionStatus: 'ADVANCED',
		version: '23.1.180.0',
		consoleVersion: null,
		firstSeenTime: firstSeen,
		upTime: online ? 27_003_388 : 0,
		cpuUsage: 0.0,
		memoryUsage: 0,
		outdated: b(false),
		amStatus: 'AM_UNINSTALLED',
		amModeOrigin: null,
		avDbVersion: '87313',
		avDbLastUpdateTime: firstSeen,
		powerShellStatus: 'PS_DISABLED',
		remoteShellStatus: 'AC_ENABLED',
		usbStatus: 'DISABLED',
		fwStatus: 'DISABLED',
		antiExploitStatus: 'AE_DISABLED',
		documentProtectionStatus: 'DS_DISABLED',
		documentProtectionMode: 'DM_CAUTIOUS',
		serialNumber: '',
		deviceModel: 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz',
		organizationalUnit: '',
		antiMalwareStatus: 'AM_DISABLED',
		antiMalwareModeOrigin: null,
		organization: ctx.organization.toLowerCase(),
		proxyAddress: '',
		preventionError: '',
		exitReason: online ? '' : 'STOP_REQUEST_FROM_PYLUM',
		actionsInProgress: 0,
		pendingActions: [],
		lastUpgradeResult: nullish,
		department: null,
		location: null,
		criticalAsset: null,
		deviceType: null,
		customTags: null,
		lastUpgradeSteps: [],
		disconnected: b(!online),
		staticAnalysisDetectMode: 'DISABLED',
		staticAnalysisDetectModeOrigin: null,
		staticAnalysisPreventMode: 'DISABLED',
		staticAnalysisPreventModeOrigin: null,
		collectionComponents: ['Metadata'],
		sensorLastUpdate: 0,
		fullScanStatus: 'UNKNOWN',
		quickScanStatus: 'UNKNOWN',
		lastFullScheduleScanSuccessTime: firstSeen,
		lastQuickScheduleScanSuccessTime: firstSeen,
		policyName: 'Default policy',
		deliveryTime: firstSeen,
		policyId: uuidFrom(ctx.serverId, 'policy'),
		compliance: b(true),
		groupId: groupIdOf(ctx.serverId),
		groupName: 'Perimeter 1',
		groupStickiness: b(true),
		groupStickinessLabel: 'Manual',
	};
}

type Matcher = (actual: string, wanted: string) => boolean;

const OPERATORS: Record<string, { test: Matcher; negate?: boolean }> = {
	Equals: { test: (a, w) => a === w },
	NotEquals: { test: (a, w) => a === w, negate: true },
	EqualsIgnoreCase: { test: (a, w) => a.toLowerCase() === w.toLowerCase() },
	NotEqualsIgnoreCase: { test: (a, w) => a.toLowerCase() === w.toLowerCase(), negate: true },
	ContainsIgnoreCase: { test: (a, w) => a.toLowerCase().includes(w.toLowerCase()) },
	NotContainsIgnoreCase: {
		test: (a, w) => a.toLowerCase().includes(w.toLowerCase()),
		negate: true,
	},
	StartsWith: { test: (a, w) => a.startsWith(w) },
};

function stringOf(value: unknown): string {
	return value === null || value === undefined ? '' : String(value);
}

export function querySensors(body: unknown, ctx: SensorContext): SimResponse {
	if (!isRecord(body)) return badRequest('Request body must be a JSON object');
	const filters = body.filters ?? [];
	if (!Array.isArray(filters)) return badRequest('filters must be a list');
	const checks: Array<(s: Sensor) => boolean> = [];
	for (const f of filters) {
		if (
			!isRecord(f) ||
			typeof f.fieldName !== 'string' ||
			typeof f.operator !== 'string' ||
			!Array.isArray(f.values)
		) {
			return badRequest('Each filter needs fieldName, operator and values');
		}
		const op = OPERATORS[f.operator];
		if (!op) return badRequest(`Unsupported operator: ${f.operator}`);
		const field = f.fieldName;
		const wanted = f.values.map(stringOf);
		// Several values are alternatives; a negated operator must miss all of them.
		checks.push((s) => {
			const hit = wanted.some((w) => op.test(stringOf(s[field]), w));
			return op.negate ? !hit : hit;
		});
	}
	const limit = body.limit === undefined ? 1000 : Number(body.limit);
	const offset = body.offset === undefined ? 0 : Number(body.offset);
	if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) {
		return badRequest('limit and offset must be non-negative integers');
	}

	let sensors = ctx
		.sensors()
		.map((rec) => renderSensor(rec, ctx))
		.filter((s) => checks.every((c) => c(s)));
	if (typeof body.sortingFieldName === 'string') {
		const key = body.sortingFieldName;
		const dir = body.sortDirection === 'DESC' ? -1 : 1;
		sensors = sensors
			.slice()
			.sort((a, b) => dir * stringOf(a[key]).localeCompare(stringOf(b[key])));
	}
	// `offset` is a page index (FS-PY, Splunk, Rapid7's docs), not an item offset.
	const page = sensors.slice(offset * limit, offset * limit + limit);
	const count = (status: string) => sensors.filter((s) => s.status === status).length;
	const hasMore = (offset + 1) * limit < sensors.length;
	const answer: SensorsQueryResponse = {
		totalResults: sensors.length,
		sensorsStatus: {
			'@class': '.SensorsStatusOverview',
			onlineCount: count('Online'),
			offlineCount: count('Offline'),
			staleCount: count('Stale'),
			archivedCount: count('Archived'),
			turnedOnCount: 0,
			turnedOffCount: 0,
			suspendedCount: 0,
			advancedCount: sensors.length,
			outdatedCount: 0,
			serviceErrorCount: 0,
		},
		sensors: page,
		hasMoreResults: ctx.quirks ? String(hasMore) : hasMore,
	};
	return json(200, answer);
}

/**
 * Per-pylumId answer: Succeeded (online sensor), Primed (offline: queued until it reconnects),
 * UnknownProbe. When no pylumId is known at all the console answers 400 NO_MATCHING_SENSORS (Vectra).
 */
export function isolate(body: unknown, ctx: SensorContext, isolated: boolean): SimResponse {
	if (
		!isRecord(body) ||
		!Array.isArray(body.pylumIds) ||
		body.pylumIds.some((p) => typeof p !== 'string')
	) {
		return badRequest('pylumIds must be a list of strings');
	}
	const all = ctx.sensors();
	const answer: Record<string, string> = {};
	let known = 0;
	for (const pylumId of body.pylumIds as string[]) {
		const rec = all.find((r) => r.machine.pylumId === pylumId);
		if (!rec) {
			answer[pylumId] = 'UnknownProbe';
			continue;
		}
		known++;
		if (rec.live && rec.machine.connected) {
			rec.machine.isolated = isolated;
			rec.machine.pendingIsolation = undefined;
			answer[pylumId] = 'Succeeded';
		} else {
			rec.machine.pendingIsolation = isolated;
			answer[pylumId] = 'Primed';
		}
	}
	if (known === 0) {
		return json(400, {
			status: 'NO_MATCHING_SENSORS',
			message: 'NO_MATCHING_SENSORS: no sensor matches the given pylumIds',
		});
	}
	return json(200, answer);
}
