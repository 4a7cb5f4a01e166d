// Malop management: statuses (both APIs), metadata, comments and labels.
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
