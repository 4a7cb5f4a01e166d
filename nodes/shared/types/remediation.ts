// Remediation: POST /rest/remediate, its progress, status (history) and abort; custom-remediation.
export const REMEDIATION_ACTION_TYPES = [
	'ISOLATE_MACHINE',
	'KILL_PROCESS',
	'QUARANTINE_FILE',
	'UNQUARANTINE_FILE',
	'DELETE_REGISTRY_KEY',
	'BLOCK_FILE',
	'KILL_PREVENT_UNSUSPEND',
	'UNSUSPEND_PROCESS',
] as const;

export type RemediationActionType = (typeof REMEDIATION_ACTION_TYPES)[number];

/** Console statuses seen in docs and captures; the console may send others, so keep `string`. */
export type RemediationStatus =
	| 'PENDING'
	| 'IN_PROGRESS'
	| 'SUCCESS'
	| 'FAILURE'
	| 'ABORTED'
	| string;

export interface RemediationAction {
	targetId?: string;
	actionType: RemediationActionType;
}

export interface RemediateRequest {
	malopId?: string;
	initiatorUserName?: string;
	/** Keyed by machine GUID (not pylumId). */
	actionsByMachine: Record<string, RemediationAction[]>;
}

export interface RemediationStatusLogEntry {
	machineId: string;
	targetId?: string | null;
	status: RemediationStatus;
	actionType: RemediationActionType | string;
	error?: { message: string; errorType: string } | null;
	timestamp: number;
}

/** Answer of POST /rest/remediate, progress and abort. `statusLog` grows as sensors report back. */
export interface RemediationResponse {
	malopId: string;
	remediationId: string;
	start: number;
	end?: number | null;
	initiatingUser: string;
	statusLog: RemediationStatusLogEntry[];
}

/** POST /rest/detection/custom-remediation entry: a ready-made (machine, target, action) triple. */
export interface CustomRemediationEntry {
	uniqueId: string;
	remediationType: RemediationActionType | string;
	targetName: string;
	targetId: string;
	machineName: string;
	machineId: string;
	machinesCount: number;
	malopId: string;
	malopType: string;
	/** A string ("false") in the capture. */
	machineConnected: boolean | string;
}

export interface CustomRemediationResponse {
	data: CustomRemediationEntry[];
	status: string;
	errorMessage: string;
}
