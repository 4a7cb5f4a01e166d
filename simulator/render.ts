// Wire rendering of the model: crimes/unified elements, inbox entries, custom-remediation entries.
// Key names, nesting and value types follow the public captures (xsoar-query_malop_raw_response,
// xsoar-malop_to_incident, xsoar-malop_detection_data, xsoar-query_inbox_raw_response,
// xsoar-available_remediation_actions_raw_response).
import type {
	CustomRemediationEntry,
	ElementRef,
	ElementValue,
	InboxMachine,
	InboxMalop,
	MalopElement,
	SimpleValue,
} from '../nodes/shared/types';

import { renderComment } from './comments';
import { isLegacyGuid } from './dataset';
import { actionsForTarget, type SimMachine, type SimMalop, type SimTarget } from './model';

/**
 * Value spelling. Real consoles send JSON booleans and nulls at the top level and strings inside
 * simpleValues; the XSOAR fixtures were converted from Python dicts, so with `pythonQuirks` the same
 * places carry "True"/"False"/"None" (what clients written against those fixtures must survive).
 */
export class Spelling {
	constructor(readonly quirks: boolean) {}

	/** A top-level boolean: `false` or "False". */
	bool(v: boolean): boolean | string {
		return this.quirks ? (v ? 'True' : 'False') : v;
	}

	/** A top-level null: `null` or "None". */
	nil(): null | string {
		return this.quirks ? 'None' : null;
	}

	/** A boolean inside simpleValues: always a string, "false" or "False". */
	svBool(v: boolean): string {
		return this.quirks ? (v ? 'True' : 'False') : v ? 'true' : 'false';
	}

	/** A missing value inside simpleValues: malop_to_incident (real types) shows [null]. */
	svNull(): string | null {
		return this.quirks ? 'None' : null;
	}
}

function sv(values: SimpleValue['values'], total = values.length): SimpleValue {
	return { totalValues: total, values };
}

function elementRef(
	sp: Spelling,
	nested: boolean,
	elementType: string,
	guid: string,
	name: string,
	suspicious: boolean,
	malicious: boolean,
	fullSimpleValues = true,
): ElementRef {
	const ref: ElementRef = {
		elementType,
		guid,
		name,
		hasSuspicions: sp.bool(suspicious),
		hasMalops: sp.bool(malicious),
	};
	// Newer consoles (16-character GUIDs, malop_to_incident) nest each referenced element's own
	// simpleValues; older ones (legacy GUIDs, query_malop_raw_response) send the bare reference.
	if (nested) {
		ref.elementValues = {};
		ref.simpleValues = fullSimpleValues
			? {
					hasMalops: sv([sp.svBool(malicious)]),
					guid: sv([guid]),
					hasSuspicions: sv([sp.svBool(suspicious)]),
					elementDisplayName: sv([name]),
				}
			: { guid: sv([guid]), elementDisplayName: sv([name]) };
	}
	return ref;
}

function feature(refs: ElementRef[], suspicious: number, malicious: number): ElementValue {
	return {
		totalValues: refs.length,
		elementValues: refs,
		totalSuspicious: suspicious,
		totalMalicious: malicious,
		guessedTotal: 0,
	};
}

/** `labelIds` turns the Malop's label texts into the console's label ids. */
function renderMalopElement(
	m: SimMalop,
	sp: Spelling,
	labelIds: (texts: string[]) => number[] = () => [],
): MalopElement {
	const nested = !isLegacyGuid(m.guid);
	const processes = m.targets.filter((t) => t.kind === 'process');
	const files = m.targets.filter((t) => t.kind === 'file');
	const rootCauses = m.rootCauseElementType === 'File' ? files : processes;
	const rcRef = (t: SimTarget) =>
		elementRef(
			sp,
			nested,
			m.rootCauseElementType,
			t.guid,
			t.name,
			true,
			m.rootCauseElementType === 'Process',
			false,
		);

	const simpleValues: Record<string, SimpleValue> = {
		hasRansomwareSuspendedProcesses: sv([sp.svBool(processes.some((p) => p.suspended))]),
		decisionFeatureSet: sv(m.decisionFeatureSet.slice()),
		rootCauseElementCompanyProduct: sv([m.rootCauseCompanyProduct]),
		decisionFeature: sv([m.decisionFeature]),
		detectionType: sv([m.detectionType]),
		malopActivityTypes: sv(m.activityTypes.slice()),
		creationTime: sv([String(m.creationTime)]),
		isBlocked: sv([sp.svBool(m.isBlocked)]),
		rootCauseElementTypes: sv([m.rootCauseElementType]),
		malopStartTime: sv([String(m.malopStartTime)]),
		rootCauseElementNames: sv([m.displayName]),
		malopLastUpdateTime: sv([String(m.lastUpdateTime)]),
		allRansomwareProcessesSuspended: sv([
			sp.svBool(processes.length > 0 && processes.every((p) => p.suspended)),
		]),
		rootCauseElementHashes: sv([m.rootCauseHash]),
		managementStatus: sv([m.managementStatus]),
		closeTime: sv([m.closeTime === null ? sp.svNull() : String(m.closeTime)]),
		closerName: sv([m.closerName ?? sp.svNull()]),
		// "None" is what malop_to_incident (real JSON types) carries when no classification is set.
		customClassification: sv(['None']),
		comments: sv(m.comments.map(renderComment)),
		elementDisplayName: sv([m.displayName]),
	};

	const elementValues: Record<string, ElementValue> = m.emptyElementValues
		? {}
		: {
				suspects: feature(
					processes.map((p) => elementRef(sp, nested, 'Process', p.guid, p.name, true, true)),
					processes.length,
					processes.length,
				),
				filesToRemediate: feature(
					files.map((f) => elementRef(sp, nested, 'File', f.guid, f.name, true, false)),
					files.length,
					0,
				),
				primaryRootCauseElements: feature(
					rootCauses.slice(0, 1).map(rcRef),
					Math.min(1, rootCauses.length),
					0,
				),
				affectedUsers: feature(
					m.users.map((u) => elementRef(sp, nested, 'User', u.guid, u.name, false, false)),
					0,
					0,
				),
				rootCauseElements: feature(rootCauses.map(rcRef), rootCauses.length, 0),
				affectedMachines: feature(
					m.machines.map((x) => elementRef(sp, nested, 'Machine', x.guid, x.name, false, false)),
					0,
					0,
				),
			};

	return {
		simpleValues,
		elementValues,
		suspicions: {},
		filterData: { sortInGroupValue: m.guid, groupByValue: `${m.kind}Runtime:${m.guid} ` },
		isMalicious: sp.bool(false),
		suspicionCount: 0,
		guidString: m.guid,
		labelsIds: labelIds(m.labels),
		malopPriority: sp.nil(),
		suspect: sp.bool(false),
		malicious: sp.bool(false),
	};
}

/** Each element feature keeps at most `limit` entries; `totalValues` keeps the true count. */
function truncateElement(el: MalopElement, limit: number): MalopElement {
	const elementValues: Record<string, ElementValue> = {};
	for (const [name, value] of Object.entries(el.elementValues)) {
		elementValues[name] = { ...value, elementValues: value.elementValues.slice(0, limit) };
	}
	return { ...el, elementValues };
}

function longestFeature(el: MalopElement): number {
	let max = 0;
	for (const value of Object.values(el.elementValues))
		max = Math.max(max, value.elementValues.length);
	return max;
}

interface CacheEntry {
	rev: number;
	element: MalopElement;
	/** `"<guid>":<element JSON>` as UTF-8, ready to splice into the result map. */
	entry: Buffer;
	longest: number;
	limited?: { limit: number; entry: Buffer };
}

/** Rendered crimes elements, serialised once per Malop revision: a 5,000-Malop answer is a Buffer.concat. */
export class ElementCache {
	private readonly entries = new Map<string, CacheEntry>();

	constructor(
		private readonly sp: Spelling,
		private readonly labelIds?: (texts: string[]) => number[],
	) {}

	private get(m: SimMalop, rev: number): CacheEntry {
		let e = this.entries.get(m.guid);
		if (!e || e.rev !== rev) {
			const element = renderMalopElement(m, this.sp, this.labelIds);
			e = { rev, element, entry: mapEntry(m.guid, element), longest: longestFeature(element) };
			this.entries.set(m.guid, e);
		}
		return e;
	}

	element(m: SimMalop, rev: number): MalopElement {
		return this.get(m, rev).element;
	}

	entry(m: SimMalop, rev: number, perFeatureLimit: number): Buffer {
		const e = this.get(m, rev);
		if (perFeatureLimit >= e.longest) return e.entry;
		if (e.limited?.limit !== perFeatureLimit) {
			e.limited = {
				limit: perFeatureLimit,
				entry: mapEntry(m.guid, truncateElement(e.element, perFeatureLimit)),
			};
		}
		return e.limited.entry;
	}
}

export function mapEntry(key: string, value: unknown): Buffer {
	return Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
}

function pad2(n: number): string {
	return String(n).padStart(2, '0');
}

/** "2023-12-04 18:06:37" (UTC), as in xsoar-query_inbox_raw_response. */
function formatDate(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function renderInboxMachine(x: SimMachine): InboxMachine {
	return {
		'@class': '.MachineInboxModel',
		guid: x.guid,
		displayName: x.name,
		osType: x.osType,
		connected: x.connected,
		isolated: x.isolated,
		lastConnected: x.lastConnected,
		lastConnectedDate: formatDate(x.lastConnected),
		empty: true,
	};
}

/** The SHA-1 of a File root cause; nothing for a Process root cause (the inbox captures show ""). */
export function rootCauseHashes(m: SimMalop): string[] {
	return m.rootCauseElementType === 'File' ? [m.rootCauseHash] : [];
}

export function renderInboxMalop(m: SimMalop): InboxMalop {
	const closed = m.status === 'Closed';
	return {
		'@class': '.MalopInboxModel',
		guid: m.guid,
		displayName: m.displayName,
		rootCauseElementType: m.rootCauseElementType,
		primaryRootCauseName: m.displayName,
		rootCauseElementNamesCount: 1,
		detectionEngines: m.detectionEngines.slice(),
		detectionTypes: m.detectionTypes.slice(),
		malopDetectionType: m.detectionType,
		creationTime: m.creationTime,
		lastUpdateTime: m.lastUpdateTime,
		iconBase64: '',
		// The doubled fields disagree in the captures when no priority is set: priority null, malopPriority "".
		priority: m.priority,
		group: '',
		rootCauseElementHashes: rootCauseHashes(m)[0] ?? '',
		status: m.status,
		severity: m.severity,
		machines: m.machines.map(renderInboxMachine),
		users: m.users.map((u) => ({
			guid: u.guid,
			displayName: u.name,
			admin: u.admin,
			localSystem: u.localSystem,
			domainUser: u.domainUser,
		})),
		containers: [],
		labels: m.labels.slice(),
		decisionStatuses: m.decisionStatuses.slice(),
		malopCloseTime: m.closeTime,
		closerName: m.closerName,
		escalated: false,
		edr: m.kind !== 'EPP',
		malopStatus: m.status,
		malopSeverity: m.severity,
		malopType: m.detectionType,
		malopPriority: m.priority ?? '',
		closed,
		empty: true,
	};
}

export function renderCustomRemediation(m: SimMalop): CustomRemediationEntry[] {
	const out: CustomRemediationEntry[] = [];
	for (const target of m.targets) {
		const machine = m.machines.find((x) => x.guid === target.machineGuid);
		if (!machine) continue;
		for (const action of actionsForTarget(target)) {
			out.push({
				uniqueId: `${action}::${target.guid}`,
				remediationType: action,
				// BLOCK_FILE names the file by its MD5 (as in the capture); other actions by element name.
				targetName: action === 'BLOCK_FILE' ? (target.md5 ?? target.name) : target.name,
				targetId: target.guid,
				machineName: machine.name,
				machineId: machine.guid,
				machinesCount: 1,
				malopId: m.guid,
				malopType: m.kind,
				// A string in the capture, not a boolean.
				machineConnected: String(machine.connected),
			});
		}
	}
	return out;
}
