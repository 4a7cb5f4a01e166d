// The normalised Malop every source is turned into, and the facts about Malops that do not depend on the source's
// wire shape: which sources and element types exist, what "closed" means, where a Malop's console page is.
import type { InboxMalop, MalopElement, MalopElementType, MmngMalop } from '../types';
import { plural } from './values';

/** The sources Get Malops and the trigger can read; each has its normaliser here and its query in malopQuery/. */
export const MALOP_SOURCES = ['crimesUnified', 'detectionInbox', 'malopsManagement'] as const;

export type MalopSource = (typeof MALOP_SOURCES)[number];

/** crimes/unified says which element the Malop is built on; the inbox and mmng/v2 only say EDR or EPP. */
export type MalopKind = MalopElementType | 'EDR' | 'EPP';

export const MALOP_ELEMENT_TYPES: readonly MalopElementType[] = [
	'MalopProcess',
	'MalopLogonSession',
];

/** An action the console offers for one machine of a Malop (from /rest/detection/custom-remediation). */
export interface RemediationTarget {
	actionType: string;
	targetId: string;
	targetName: string;
}

export interface MalopMachine {
	machineGuid: string;
	machineName: string | null;
	/** Inbox and mmng/v2 (crimes element references carry no sensor state). */
	machineConnected?: boolean | null;
	machineIsolated?: boolean | null;
	osType?: string | null;
	/** mmng/v2 only: the sensor's id (what sensor commands such as isolate take) and its last contact (ISO). */
	pylumId?: string | null;
	lastConnected?: string | null;
	/** Set when remediation targets were asked for. */
	remediationTargets?: RemediationTarget[];
}

export interface MalopSuspect {
	guid: string;
	name: string | null;
	elementType: string | null;
}

/** What only mmng/v2 tells about a Malop: the SOC's own triage of it. */
export interface ManagementFields {
	/** Pending, ReOpened, UnderInvestigation, OnHold, Closed (`Reopened` answers are read as ReOpened). */
	investigationStatus: string | null;
	priority: string | null;
	/** Label texts. */
	labels: string[];
	/** As the console lists them (the public sample has empty lists only). */
	mitreTactics: unknown[];
	mitreTechniques: unknown[];
	rootCauseElementHashes: string[];
}

export interface MalopRecord {
	source: MalopSource;
	malopId: string;
	malopType: MalopKind;
	/** EDR (AI-Hunt) or Endpoint Protection: decides the deep link and the custom-remediation list. */
	edr: boolean;
	displayName: string | null;
	rootCauseElementType: string | null;
	detectionType: string | null;
	/**
	 * crimes: managementStatus (UNREAD, TODO, OPEN, REOPEN, CLOSED, FP); inbox and mmng/v2: Active, Remediated,
	 * Closed, Excluded.
	 */
	status: string | null;
	/** Inbox and mmng/v2. */
	severity?: string | null;
	/** mmng/v2 only. */
	management?: ManagementFields;
	creationTime: string | null;
	lastUpdateTime: string | null;
	/** Epoch ms of the two times above, for sorting, filtering and cursors; not part of the items. */
	creationTimeMs: number | null;
	lastUpdateTimeMs: number | null;
	/** See isClosedStatus(): analyst-closed, false positive or excluded. */
	closed: boolean;
	malopUrl: string;
	machines: MalopMachine[];
	/** How many affected machines the console counts; larger than machines.length when the list was cut. */
	machineCount: number;
	/** crimes/unified only. */
	suspects?: MalopSuspect[];
	suspectCount?: number;
	/** crimes/unified answered `elementValues: {}` (Rapid7: "occasionally"): machines and suspects are unknown. */
	elementValuesMissing: boolean;
	/** Some machine (or suspect) references could not be read; `warnings` says which. */
	malformed: boolean;
	/** Warnings about this Malop alone (query-wide ones are kept by the caller). */
	warnings: string[];
	/** The untouched element, inbox entry or mmng/v2 item (a reference, never a copy). */
	raw: MalopElement | InboxMalop | MmngMalop;
}

/** The console deep link: AI-Hunt (EDR) Malops and Endpoint Protection Malops live on different screens. */
export function malopUrl(baseUrl: string, guid: string, edr: boolean): string {
	return `${baseUrl}/#/${edr ? 'malop' : 'detection-malop'}/${encodeURIComponent(guid)}`;
}

const CLOSED_STATUSES: Record<MalopSource, Set<string>> = {
	crimesUnified: new Set(['closed', 'fp']),
	detectionInbox: new Set(['closed', 'excluded']),
	malopsManagement: new Set(['closed', 'excluded']),
};

/**
 * "Closed" per source. crimes/unified: managementStatus CLOSED or FP (false positive); REOPEN is open again.
 * Inbox and mmng/v2: status Closed or Excluded, or an investigation an analyst closed while the threat state stayed
 * Active: the inbox entry's own `closed: true` flag (a capture shows status Active with closed true and a close
 * time; the inbox normaliser passes that flag as `investigation`), mmng/v2's investigationStatus Closed.
 * Remediated is not closed: the threat was handled, the investigation may still be running.
 */
export function isClosedStatus(
	source: MalopSource,
	status: string | null,
	investigation: string | boolean | null = null,
): boolean {
	if (
		investigation === true ||
		(typeof investigation === 'string' && investigation.toLowerCase() === 'closed')
	)
		return true;
	return status !== null && CLOSED_STATUSES[source].has(status.toLowerCase());
}

/**
 * The warning on a Malop whose machine (or suspect) references came malformed: said as such, never taken for the
 * per-feature limit, and never dropped in silence.
 */
export function malformedWarning(what: string, read: number, problems: string[]): string {
	return `Cybereason sent this Malop's ${what} malformed (${problems.join('; ')}): ${
		read > 0
			? `${plural(read, 'was', 'were')} read, what could not be read is left out of the items`
			: `none could be read, so its ${what} are unknown`
	}`;
}
