// Wire types with Cybereason's own nouns. Shapes follow the public captures (XSOAR, Rapid7):
// every GUID is a string, either legacy `<int>.<int>` or 16 URL-safe base64 characters.

/** Query-style envelope (crimes/unified, visual search): HTTP 200 even when `status` says otherwise. */
type EnvelopeStatus =
	| 'SUCCESS'
	| 'FAILURE'
	| 'PARTIAL_SUCCESS'
	| 'NO_SERVERS_CONFIGURED'
	| 'QUERY_LIMIT_CROSSED'
	| 'TIMEOUT_ERROR';

export type MalopElementType = 'MalopProcess' | 'MalopLogonSession';

/** crimes/unified `simpleValues`: every value is a string (some captures carry "False"/"None"). */
export interface SimpleValue {
	totalValues: number;
	values: Array<string | null | Record<string, unknown>>;
}

export interface ElementRef {
	elementType: string;
	guid: string;
	name: string;
	hasSuspicions?: boolean | string;
	hasMalops?: boolean | string;
	elementValues?: Record<string, unknown>;
	simpleValues?: Record<string, SimpleValue>;
}

export interface ElementValue {
	totalValues: number;
	elementValues: ElementRef[];
	totalSuspicious?: number;
	totalMalicious?: number;
	guessedTotal?: number;
}

export interface MalopElement {
	simpleValues: Record<string, SimpleValue>;
	/** Rapid7: "occasionally returned as an empty dictionary". */
	elementValues: Record<string, ElementValue>;
	suspicions?: Record<string, number>;
	filterData?: { sortInGroupValue?: string; groupByValue?: string };
	isMalicious?: boolean | string;
	suspicionCount?: number;
	guidString: string;
	labelsIds?: unknown;
	malopPriority?: string | null;
	suspect?: boolean | string;
	malicious?: boolean | string;
}

export interface CrimesUnifiedFilter {
	facetName: string;
	values: Array<string | number>;
	filterType: 'GreaterThan' | 'LessThan' | 'Equals' | 'ContainsIgnoreCase' | string;
}

export interface CrimesUnifiedRequest {
	totalResultLimit: number;
	perGroupLimit: number;
	perFeatureLimit: number;
	templateContext: 'OVERVIEW' | 'MALOP' | 'SPECIFIC' | 'CUSTOM' | 'DETAILS';
	queryPath: Array<{
		requestedType: MalopElementType;
		guidList?: string[];
		filters?: CrimesUnifiedFilter[] | null;
		result: true;
	}>;
	customFields?: string[];
	queryTimeout?: number | null;
}

export interface CrimesUnifiedResponse {
	data: {
		resultIdToElementDataMap: Record<string, MalopElement>;
		suspicionsMap?: Record<string, unknown>;
		evidenceMap?: Record<string, unknown>;
		totalPossibleResults: number;
		guessedPossibleResults?: number;
		queryLimits?: {
			totalResultLimit: number;
			perGroupLimit: number;
			perFeatureLimit: number;
			groupingFeature?: { elementInstanceType: string; featureName: string };
			sortInGroupFeature?: unknown;
		};
		/** A boolean, or "False"/"True" in Python-converted captures. */
		queryTerminated: boolean | string;
		pathResultCounts?: Array<{ featureDescriptor: Record<string, unknown>; count: number }>;
		guids?: string[];
		paginationToken?: string | null;
		executionUUID?: string | null;
	} | null;
	status: EnvelopeStatus;
	hidePartialSuccess?: boolean | string;
	message: string;
	expectedResults?: number;
	failures?: number;
	failedServersInfo?: Record<string, unknown>;
}

/** Visual Search answers in the crimes/unified envelope: the same element data, for any element type. */
export type VisualSearchResponse = CrimesUnifiedResponse;

/** 20.1+ inbox entry (MalopInboxModel). Several fields come twice under two names. */
export interface InboxMachine {
	'@class'?: string;
	guid: string;
	displayName: string;
	osType?: 'WINDOWS' | 'LINUX' | 'OSX' | string;
	connected?: boolean;
	isolated?: boolean;
	lastConnected?: number;
	lastConnectedDate?: string;
	empty?: boolean;
	pylumId?: string;
}

export interface InboxMalop {
	'@class'?: string;
	guid: string;
	displayName: string;
	primaryRootCauseName?: string;
	rootCauseElementType?: string;
	rootCauseElementNamesCount?: number;
	rootCauseElementHashes?: string | string[];
	detectionEngines?: string[];
	detectionTypes?: string[];
	malopDetectionType?: string;
	malopType?: string;
	creationTime: number;
	lastUpdateTime: number;
	malopCloseTime?: number | null;
	status?: 'Active' | 'Remediated' | 'Closed' | 'Excluded' | string;
	malopStatus?: string;
	severity?: 'High' | 'Medium' | 'Low' | '' | string;
	malopSeverity?: string;
	priority?: string | null;
	malopPriority?: string | null;
	/** true = EDR (AI-Hunt) Malop, false = Endpoint Protection (EPP) Malop. */
	edr: boolean;
	closed?: boolean;
	escalated?: boolean;
	empty?: boolean;
	closerName?: string | null;
	group?: string;
	labels?: string[];
	containers?: string[];
	decisionStatuses?: string[];
	iconBase64?: string;
	machines: InboxMachine[];
	users?: Array<{
		guid: string;
		displayName: string;
		admin?: boolean;
		localSystem?: boolean;
		domainUser?: boolean;
	}>;
}

export interface InboxRequest {
	startTime: number;
	endTime: number;
	groupIds?: string[];
}

export interface InboxResponse {
	malops: InboxMalop[];
	machineCounterModel?: {
		totalMachines: number;
		onlineInfectedCount: number;
		onlineCleanCount: number;
		offlineInfectedCount: number;
		offlineCleanCount: number;
	};
}

/** mmng/v2 `status` (the threat state; the inbox spells it the same). */
export const MMNG_STATUSES = ['Active', 'Remediated', 'Closed', 'Excluded'] as const;
export const MALOP_SEVERITIES = ['High', 'Medium', 'Low'] as const;

export type MmngStatus = (typeof MMNG_STATUSES)[number];
export type MalopSeverity = (typeof MALOP_SEVERITIES)[number];

/** An mmng/v2 machine (xsoar-query_malop_management_raw_response): the inbox machine plus its sensor's pylumId. */
export interface MmngMachine {
	guid: string;
	displayName: string;
	connected?: boolean;
	isolated?: boolean;
	osType?: string;
	/** Epoch ms. */
	lastConnected?: number;
	pylumId?: string;
}

/** An mmng/v2 Malop: `isEdr` (not `edr`), label objects, `rootCauseElementHashes` a list, no `@class`. */
export interface MmngMalop {
	guid: string;
	displayName: string;
	creationTime: number;
	lastUpdateTime: number;
	metadataUpdateTime?: number;
	decisionStatuses?: string[];
	detectionEngines?: string[];
	detectionTypes?: string[];
	detectionType?: string;
	mitreTactics?: unknown[];
	mitreTechniques?: unknown[];
	mitreSubTechniques?: unknown[];
	/** A list here; SEKOIA's test mock feeds inbox-shaped items (a string) through this endpoint. */
	rootCauseElementHashes?: string[] | string;
	rootCauseElementType?: string;
	iocs?: string[];
	/** Objects here; plain strings in inbox-shaped items. */
	labels?: Array<Partial<MalopLabel> | string>;
	investigationStatus?: InvestigationStatus | 'Reopened' | string;
	closerName?: string | null;
	priority?: string | null;
	status?: MmngStatus | string;
	severity?: MalopSeverity | string;
	escalated?: boolean;
	iconBase64?: string;
	isEdr?: boolean;
	/** Inbox-shaped items (SEKOIA's mock) say `edr`. */
	edr?: boolean;
	groups?: string[];
	machines?: MmngMachine[];
	users?: Array<{
		guid: string;
		displayName: string;
		admin?: boolean;
		domainUser?: boolean;
		localSystem?: boolean;
	}>;
}

/** POST /rest/mmng/v2/malops. `filter.malop` lists: empty or absent = no restriction (Cybereason's Splunk add-on). */
export interface MmngRequest {
	search: { malop?: { guid: string } };
	range: { from: number; to: number };
	pagination: { pageSize: number; offset: number };
	federation: { groups: string[] };
	sort: Array<{ field: 'LastUpdateTime'; order: 'asc' | 'desc' }>;
	filter: {
		malop?: { status?: string[]; investigationStatus?: string[]; severity?: string[] };
	};
}

/** On success the envelope has `data` and `status` only (no `message`). */
export interface MmngResponse {
	data: {
		/** The page size served: smaller than asked when the console caps it. */
		pageSize: number;
		pages?: number;
		offset: number;
		totalHits: number;
		token?: string;
		data: MmngMalop[];
	} | null;
	status: EnvelopeStatus;
	message?: string;
}

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

export interface Sensor {
	sensorId: string;
	pylumId: string;
	guid: string;
	machineName: string;
	fqdn?: string;
	internalIpAddress?: string;
	externalIpAddress?: string;
	status: 'Online' | 'Offline' | 'Stale' | 'Archived' | string;
	isolated: boolean | string;
	osType?: string;
	[key: string]: unknown;
}

export interface SensorsQueryRequest {
	limit: number;
	offset: number;
	sortDirection?: 'ASC' | 'DESC';
	sortingFieldName?: string;
	filters?: Array<{ fieldName: string; operator: string; values: string[] }>;
}

export interface SensorsQueryResponse {
	totalResults: number;
	hasMoreResults: boolean | string;
	sensorsStatus?: Record<string, unknown>;
	sensors: Sensor[];
}

/** POST /rest/monitor/global/commands/isolate: pylumId -> "Succeeded" | "Primed" | "UnknownProbe" | ... */
export type IsolationResponse = Record<string, string>;

/** What POST /rest/crimes/status sets (XSOAR's STATUS_MAP); crimes/unified also reports REOPEN, which only the console sets. */
export const MANAGEMENT_STATUSES = ['UNREAD', 'TODO', 'OPEN', 'CLOSED', 'FP'] as const;
export type ManagementStatus = (typeof MANAGEMENT_STATUSES)[number];

/** mmng/v2 investigation status as XSOAR sends it; consoles may answer `Reopened` for ReOpened. */
export const INVESTIGATION_STATUSES = [
	'Pending',
	'ReOpened',
	'UnderInvestigation',
	'OnHold',
	'Closed',
] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

/** POST /rest/crimes/status: the docs say the Malop details with `managementStatus` and `status` last. */
export interface CrimesStatusResponse {
	guid?: string;
	managementStatus?: string;
	status?: string;
	message?: string;
	[key: string]: unknown;
}

/** PUT /rest/mmng/v2/malops/{guid}: XSOAR reads `status` and `message`. */
export interface MmngStatusResponse {
	status?: string;
	message?: string;
}

/** GET /rest/mmng/v2/malops/metadata/{guid}: forensic-security's live-tested schema (no public payload). */
export interface MalopMetadataResponse {
	status?: string;
	message?: string;
	data?: {
		guid?: string;
		malopLabels?: number[];
		/** The management status. */
		status?: string;
		investigationStatus?: string;
		closerName?: string | null;
		closeTime?: number | null;
		version?: number;
		lastUpdated?: number;
	} | null;
}

/** A comment as crimes/unified embeds it (SEKOIA capture) and get-comments lists it; `message` HTML-escaped. */
export interface MalopComment {
	commentId?: string;
	username?: string;
	message?: string;
	timestamp?: number | string;
	empty?: boolean;
}

/** The label object of the mmng/v2 sample (`{id, labelText, count, empty}`). */
export interface MalopLabel {
	id: number;
	labelText: string;
	count?: number;
	empty?: boolean;
}
