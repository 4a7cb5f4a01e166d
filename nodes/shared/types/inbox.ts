// POST /rest/detection/inbox (20.1+, deprecated after 23.2.307).
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
