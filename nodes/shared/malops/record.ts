// The normalised Malop every source is turned into, and the facts about Malops that do not depend on the source's
// wire shape: which sources and element types exist, what "closed" means, where a Malop's console page is.
import type { InboxMalop, MalopElement, MalopElementType } from '../types';
import { plural } from './values';

/** The sources Get Malops and the trigger can read; each has its normaliser here and its query in malopQuery/. */
export const MALOP_SOURCES = ['crimesUnified', 'detectionInbox'] as const;

export type MalopSource = (typeof MALOP_SOURCES)[number];

/** crimes/unified says which element the Malop is built on; the inbox only says EDR or EPP. */
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
	/** Inbox only (crimes element references carry no sensor state). */
	machineConnected?: boolean | null;
	machineIsolated?: boolean | null;
	osType?: string | null;
	/** Set when remediation targets were asked for. */
	remediationTargets?: RemediationTarget[];
}

export interface MalopSuspect {
	guid: string;
	name: string | null;
	elementType: string | null;
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
	/** crimes: managementStatus (UNREAD, TODO, OPEN, REOPEN, CLOSED, FP); inbox: Active, Remediated, Closed, Excluded. */
	status: string | null;
	/** Inbox only. */
	severity?: string | null;
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
	/** The untouched element or inbox entry (a reference, never a copy). */
	raw: MalopElement | InboxMalop;
}

/** The console deep link: AI-Hunt (EDR) Malops and Endpoint Protection Malops live on different screens. */
export function malopUrl(baseUrl: string, guid: string, edr: boolean): string {
	return `${baseUrl}/#/${edr ? 'malop' : 'detection-malop'}/${encodeURIComponent(guid)}`;
}

const CLOSED_MANAGEMENT_STATUSES = new Set(['CLOSED', 'FP']);
const CLOSED_INBOX_STATUSES = new Set(['closed', 'excluded']);

/**
 * "Closed" per source. crimes/unified: managementStatus CLOSED or FP (false positive); REOPEN is open again.
 * Inbox: status Closed or Excluded, or the entry's own `closed: true` flag (a capture shows status Active with
 * closed true and a close time: the analyst closed the investigation while the threat state stayed Active).
 * Remediated is not closed: the threat was handled, the investigation may still be running.
 */
export function isClosedStatus(source: MalopSource, status: string | null): boolean {
	if (status === null) return false;
	return source === 'crimesUnified'
		? CLOSED_MANAGEMENT_STATUSES.has(status.toUpperCase())
		: CLOSED_INBOX_STATUSES.has(status.toLowerCase());
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
