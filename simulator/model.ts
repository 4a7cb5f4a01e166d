// Internal model of the simulated console. Wire shapes are rendered from it in render.ts;
// field names here follow Cybereason's nouns so the mapping stays obvious.
import {
	REMEDIATION_ACTION_TYPES,
	type InvestigationStatus,
	type ManagementStatus as SettableStatus,
	type RemediationActionType,
} from '../nodes/shared/types';

import type { HuntingOptions } from './hunting-state';
import type { SimulatorState } from './state';

export type MalopKind = 'MalopProcess' | 'MalopLogonSession' | 'EPP';
/** What crimes/status sets, plus REOPEN, which only the console itself sets. */
export type ManagementStatus = SettableStatus | 'REOPEN';
export type InboxStatus = 'Active' | 'Remediated' | 'Closed' | 'Excluded';
/** mmng/v2 investigation status, as XSOAR sends it (forensic-security reads `Reopened` back). */
export type { InvestigationStatus };
export type Severity = 'High' | 'Medium' | 'Low';
export type Priority = 'HIGH' | 'MEDIUM' | 'LOW';
export type OsType = 'WINDOWS' | 'LINUX' | 'OSX';
export type GuidStyle = 'legacy' | 'short' | 'mixed';

export interface SimMachine {
	guid: string;
	name: string;
	osType: OsType;
	osVersionType: string;
	connected: boolean;
	isolated: boolean;
	lastConnected: number;
	pylumId: string;
	sensorId: string;
	internalIpAddress: string;
	externalIpAddress: string;
	/** Isolation requested while the sensor was offline ("Primed"); applied when it reconnects. */
	pendingIsolation?: boolean;
}

export interface SimUser {
	guid: string;
	/** `host\user`, as the console shows it. */
	name: string;
	machineGuid: string;
	admin: boolean;
	localSystem: boolean;
	domainUser: boolean;
}

/**
 * A remediation target lives on exactly one machine. `quarantinedFile` is the QuarantineFile element
 * that UNQUARANTINE_FILE needs (a different GUID from the original file); `registry` is an autorun entry.
 */
export type TargetKind = 'process' | 'file' | 'quarantinedFile' | 'registry';

export interface SimTarget {
	guid: string;
	kind: TargetKind;
	name: string;
	machineGuid: string;
	md5?: string;
	sha1?: string;
	/** Ransomware-suspended process: KILL_PREVENT_UNSUSPEND / UNSUSPEND_PROCESS apply. */
	suspended?: boolean;
}

export interface SimComment {
	commentId: string;
	username: string;
	message: string;
	timestamp: number;
}

export interface SimMalop {
	guid: string;
	kind: MalopKind;
	displayName: string;
	rootCauseElementType: 'File' | 'Process';
	rootCauseHash: string;
	rootCauseCompanyProduct: string;
	/** crimes `detectionType` and inbox `malopDetectionType`/`malopType` (same enum). */
	detectionType: string;
	/** inbox `detectionTypes`: human-readable strings. */
	detectionTypes: string[];
	detectionEngines: string[];
	decisionFeature: string;
	decisionFeatureSet: string[];
	activityTypes: string[];
	decisionStatuses: string[];
	managementStatus: ManagementStatus;
	status: InboxStatus;
	severity: Severity;
	/** null = no priority set: inbox sends `priority: null`, `malopPriority: ""`. */
	priority: Priority | null;
	creationTime: number;
	malopStartTime: number;
	lastUpdateTime: number;
	closeTime: number | null;
	closerName: string | null;
	isBlocked: boolean;
	labels: string[];
	comments: SimComment[];
	machines: SimMachine[];
	users: SimUser[];
	targets: SimTarget[];
	/** Rapid7: crimes/unified "occasionally" answers `elementValues: {}` for a Malop. */
	emptyElementValues: boolean;
	/** Unset: derived from managementStatus (simulator/status.ts). */
	investigationStatus?: InvestigationStatus;
	/** Last management change (status, comment, label); unset = lastUpdateTime. */
	metadataUpdateTime?: number;
	/** mmng metadata `version`: 1, plus one per management change. */
	metadataVersion?: number;
	/** mmng/v2 only; the public sample has empty lists, so the value format is whatever a test sets. */
	mitreTactics?: string[];
	mitreTechniques?: string[];
}

/** What "closed" means for a management status: CLOSED (XSOAR's "Remediated") and FP ("Not Relevant"). */
export function closesMalop(status: ManagementStatus): boolean {
	return status === 'CLOSED' || status === 'FP';
}

export interface SimDataset {
	seed: number;
	serverId: string;
	organization: string;
	/** Style for Malops and machines added later through state.addMalop / addMachineToMalop. */
	guidStyle?: GuidStyle;
	machines: SimMachine[];
	malops: SimMalop[];
}

export type ExpiredSessionMode = 'redirect' | 'loginPage' | 'unauthorized';

export interface SimUserAccount {
	username: string;
	password: string;
	/** Base32 TOTP secret; when set, the login takes the two-factor step. */
	totpSecret?: string;
}

export interface Clock {
	now(): number;
}

/** Malop management (status, comments, labels, mmng/v2, inbox deprecation); changeable at runtime. */
export interface ManagementOptions {
	/** crimes/status on a newer data platform: a 200 FAILURE envelope, or a 400 with it. */
	managementStatusApi: 'supported' | 'failureEnvelope' | 'badRequest';
	/** How answers spell the ReOpened investigation status. */
	investigationStatusSpelling: 'Reopened' | 'ReOpened';
	statusChangeBumpsLastUpdate: boolean;
	/** crimes/comment answers the stored comment, or `{}` as XSOAR's test mock. */
	commentAnswer: 'comment' | 'empty';
	/** Content-Type of the non-JSON `success` answers (update-labels, labels/delete). */
	successContentType: 'json' | 'text';
	deprecatedInbox: false | 'notFound' | 'errorEnvelope';
	/** mmng/v2 `pagination.offset`: an item offset (FS-PY, Vulture, Cybereason's Splunk add-on) or a page index. */
	mmngOffset: 'item' | 'page';
	mmngMaxPageSize: number;
	mmngOverPageSize: 'clamp' | 'reject';
	/** Items past this position are never served (an Elasticsearch-style result window); null = none. */
	mmngMaxResultWindow: number | null;
	/** Added to every `totalHits`: the console counts Malops it does not serve. */
	mmngTotalHitsSurplus: number;
}

export const MANAGEMENT_DEFAULTS: Readonly<ManagementOptions> = {
	managementStatusApi: 'supported',
	investigationStatusSpelling: 'Reopened',
	statusChangeBumpsLastUpdate: true,
	commentAnswer: 'comment',
	successContentType: 'json',
	deprecatedInbox: false,
	mmngOffset: 'item',
	mmngMaxPageSize: 1000,
	mmngOverPageSize: 'clamp',
	mmngMaxResultWindow: null,
	mmngTotalHitsSurplus: 0,
};

export interface SimulatorOptions extends Partial<ManagementOptions> {
	port?: number;
	tls?: boolean;
	users?: SimUserAccount[];
	sessionTtlMs?: number;
	expiredSession?: ExpiredSessionMode;
	loginErrorLocation?: string;
	twoFactorStep?: 'page' | 'redirect';
	dataset?: SimDataset;
	latencyMs?: number;
	remediationStepMs?: number;
	initialStatusLog?: 'empty' | 'pending';
	statusShape?: 'array' | 'map';
	progressRequiresInitiator?: boolean;
	pythonQuirks?: boolean;
	maxTotalResultLimit?: number;
	clock?: Clock;
	/** The console's clock runs this far ahead of `clock` (negative: behind); also `state.shiftClock(ms)`. */
	clockOffsetMs?: number;
	/** Send the console's time in a `Date` header on every answer (default true), as web servers do. */
	dateHeader?: boolean;
	/** Visual Search model size, detection servers, reputation answers (hunting-state.ts). */
	hunting?: HuntingOptions;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** JSESSIONID value sent by the client, if any. */
	cookie: string | undefined;
	body: unknown;
	/** The body as sent: crimes/comment and get-comments take raw text, which `body` may have parsed as JSON. */
	rawBody: string;
	contentType: string | undefined;
	status: number | 'dropped';
	time: number;
}

export type Outcome =
	| { status: 'SUCCESS' }
	| { status: 'FAILURE'; errorType?: string; message?: string }
	| { status: 'OFFLINE' };

export interface Fault {
	method?: string;
	/** Exact path, or a prefix when it ends with '*'. */
	path: string | RegExp;
	times?: number;
	status?: number;
	headers?: Record<string, string>;
	body?: unknown;
	retryAfter?: number | string;
	latencyMs?: number;
	envelopeStatus?: 'FAILURE' | 'PARTIAL_SUCCESS';
	drop?: 'beforeProcessing' | 'afterProcessing';
	/**
	 * The canned answer (`status`) quotes what it was sent, as careless error pages do: the request body (a login
	 * form with its password) and the Cookie header, in an HTML page or in a JSON `message`.
	 */
	echo?: 'html' | 'json';
	/** With `status`: the request is processed for real first, then answered with the canned answer instead. */
	processFirst?: boolean;
	/**
	 * Runs on the state when the fault applies, after `latencyMs` and before anything else: a change that lands
	 * between two requests (Malops added or updated between two pages). In-process only (a function).
	 */
	act?: (state: SimulatorState) => void;
}

/** The console accepts exactly the action types the product knows (one list, in nodes/shared/types/remediation.ts). */
export const ACTION_TYPES: readonly RemediationActionType[] = REMEDIATION_ACTION_TYPES;

/** Which action types each kind of target accepts. */
export function actionsForTarget(target: SimTarget): RemediationActionType[] {
	switch (target.kind) {
		case 'process':
			return target.suspended
				? ['KILL_PROCESS', 'KILL_PREVENT_UNSUSPEND', 'UNSUSPEND_PROCESS']
				: ['KILL_PROCESS'];
		case 'file':
			return ['QUARANTINE_FILE', 'BLOCK_FILE'];
		case 'quarantinedFile':
			return ['UNQUARANTINE_FILE'];
		case 'registry':
			return ['DELETE_REGISTRY_KEY'];
	}
}
