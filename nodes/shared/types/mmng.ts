// POST /rest/mmng/v2/malops, the Malops management list of current consoles.
import type { EnvelopeStatus } from './elements';
import type { InvestigationStatus, MalopLabel } from './management';

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
