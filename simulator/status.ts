// API: POST /rest/crimes/status, PUT /rest/mmng/v2/malops/{guid}, GET /rest/mmng/v2/malops/metadata/{guid}
// One Malop status in two vocabularies: the old API's management status (crimes/status; crimes/unified
// `managementStatus`) and mmng/v2's investigation status. The metadata answer carries both (forensic-security's
// schema), so here setting one sets the other through the maps below, and closing or reopening moves the
// inbox/mmng `status`, `closeTime` and `closerName`. None of these answers is public beyond `status`/`message`.
import {
	closesMalop,
	type InvestigationStatus,
	type ManagementStatus,
	type SimMalop,
} from './model';
import { INVESTIGATION_STATUSES, MANAGEMENT_STATUSES } from '../nodes/shared/types';
import { badRequest, isRecord, json, type SimResponse } from './respond';
import type { MalopPatch, SimulatorState } from './state';

/** What crimes/status takes (XSOAR's STATUS_MAP; Splunk SOAR's CLOSE and REOPEN are not among them). */
const SETTABLE: readonly ManagementStatus[] = MANAGEMENT_STATUSES;
/** EPP Malops take only Remediated, Not Relevant and Open (Google SecOps). */
const EPP_SETTABLE: readonly ManagementStatus[] = ['CLOSED', 'FP', 'OPEN'];

const INVESTIGATION_OF: Record<ManagementStatus, InvestigationStatus> = {
	UNREAD: 'Pending',
	TODO: 'Pending',
	OPEN: 'UnderInvestigation',
	REOPEN: 'ReOpened',
	CLOSED: 'Closed',
	FP: 'Closed',
};

const MANAGEMENT_OF: Record<InvestigationStatus, ManagementStatus> = {
	Pending: 'TODO',
	UnderInvestigation: 'OPEN',
	OnHold: 'OPEN',
	ReOpened: 'REOPEN',
	Closed: 'CLOSED',
};

export function investigationStatusOf(m: SimMalop): InvestigationStatus {
	return m.investigationStatus ?? INVESTIGATION_OF[m.managementStatus];
}

/** XSOAR sends `ReOpened`, forensic-security's schema reads `Reopened`: both are taken. */
export function parseInvestigationStatus(value: unknown): InvestigationStatus | undefined {
	if (value === 'Reopened') return 'ReOpened';
	return INVESTIGATION_STATUSES.find((s) => s === value);
}

export function spellInvestigation(state: SimulatorState, status: InvestigationStatus): string {
	return status === 'ReOpened' ? state.management.investigationStatusSpelling : status;
}

function statusPatch(
	m: SimMalop,
	managementStatus: ManagementStatus,
	investigationStatus: InvestigationStatus,
	user: string,
	now: number,
): MalopPatch {
	const patch: MalopPatch = { managementStatus, investigationStatus };
	if (closesMalop(managementStatus)) {
		patch.status = 'Closed';
		if (m.status !== 'Closed') Object.assign(patch, { closeTime: now, closerName: user });
	} else if (m.status === 'Closed') {
		Object.assign(patch, { status: 'Active', closeTime: null, closerName: null });
	}
	return patch;
}

function apply(
	state: SimulatorState,
	m: SimMalop,
	management: ManagementStatus,
	investigation: InvestigationStatus,
	user: string,
): SimMalop {
	const patch = statusPatch(m, management, investigation, user, state.clock.now());
	return state.updateMalopMetadata(m.guid, patch, state.management.statusChangeBumpsLastUpdate);
}

/** The other vocabulary keeps its value when it already says the same (OnHold stays OnHold under OPEN). */
function setManagementStatus(
	state: SimulatorState,
	m: SimMalop,
	status: ManagementStatus,
	user: string,
): SimMalop {
	const current = investigationStatusOf(m);
	const investigation = MANAGEMENT_OF[current] === status ? current : INVESTIGATION_OF[status];
	return apply(state, m, status, investigation, user);
}

function setInvestigationStatus(
	state: SimulatorState,
	m: SimMalop,
	status: InvestigationStatus,
	user: string,
): SimMalop {
	const management =
		INVESTIGATION_OF[m.managementStatus] === status ? m.managementStatus : MANAGEMENT_OF[status];
	return apply(state, m, management, status, user);
}

const NEW_PLATFORM_MESSAGE =
	'The Malop management status (crimes/status) is not supported on this data platform: ' +
	'set the investigation status with PUT /rest/mmng/v2/malops/{malopGuid} instead';

/**
 * Body `{"<malopGuid>": "<status>"}`, one Malop per request (whether the console takes several is not
 * known). The docs say it answers the Malop details with `managementStatus` and `status` last.
 */
export function crimesStatus(body: unknown, state: SimulatorState, user: string): SimResponse {
	const mode = state.management.managementStatusApi;
	if (mode !== 'supported') {
		const failure = { status: 'FAILURE', message: NEW_PLATFORM_MESSAGE, data: null };
		return json(mode === 'badRequest' ? 400 : 200, failure);
	}
	if (!isRecord(body))
		return badRequest('Request body must be a JSON object {"<malopGuid>": "<status>"}');
	const entries = Object.entries(body);
	if (entries.length !== 1) return badRequest('Give exactly one Malop GUID and its status');
	const [guid, value] = entries[0];
	const m = state.malops.get(guid);
	if (!m) return badRequest(`Unknown Malop ${guid}`);
	const status = SETTABLE.find((s) => s === value);
	if (!status)
		return badRequest(`Invalid status ${String(value)}: use one of ${SETTABLE.join(', ')}`);
	if (m.kind === 'EPP' && !EPP_SETTABLE.includes(status)) {
		return badRequest(
			`Status ${status} does not apply to an Endpoint Protection Malop: use ${EPP_SETTABLE.join(', ')}`,
		);
	}
	const updated = setManagementStatus(state, m, status, user);
	return json(200, {
		guid: updated.guid,
		displayName: updated.displayName,
		rootCauseElementType: updated.rootCauseElementType,
		detectionType: updated.detectionType,
		creationTime: updated.creationTime,
		lastUpdateTime: updated.lastUpdateTime,
		closeTime: updated.closeTime,
		closerName: updated.closerName,
		managementStatus: updated.managementStatus,
		status: 'SUCCESS',
	});
}

export function putInvestigationStatus(
	body: unknown,
	state: SimulatorState,
	guid: string,
	user: string,
): SimResponse {
	const m = state.malops.get(guid);
	if (!m) return badRequest(`Unknown Malop ${guid}`);
	const status = parseInvestigationStatus(isRecord(body) ? body.investigationStatus : undefined);
	if (!status) {
		return badRequest(`investigationStatus must be one of ${INVESTIGATION_STATUSES.join(', ')}`);
	}
	setInvestigationStatus(state, m, status, user);
	return json(200, {
		status: 'SUCCESS',
		message: `Investigation status of Malop ${guid} set to ${spellInvestigation(state, status)}`,
	});
}

/** The fields of forensic-security's live-tested schema (`tests/schemas/malops.yaml`, key `status`). */
export function malopMetadata(state: SimulatorState, guid: string): SimResponse {
	const m = state.malops.get(guid);
	if (!m) return badRequest(`Unknown Malop ${guid}`);
	return json(200, {
		status: 'SUCCESS',
		message: '',
		data: {
			guid: m.guid,
			malopLabels: state.labels.ids(m.labels),
			status: m.managementStatus,
			malopPriority: m.priority ?? 'UNSPECIFIED',
			investigationStatus: spellInvestigation(state, investigationStatusOf(m)),
			closerName: m.closerName,
			closeTime: m.closeTime,
			version: m.metadataVersion ?? 1,
			lastUpdated: metadataTime(m),
			empty: false,
		},
	});
}

/** The later of the last detection update and the last management change. */
export function metadataTime(m: SimMalop): number {
	return Math.max(m.metadataUpdateTime ?? 0, m.lastUpdateTime);
}
