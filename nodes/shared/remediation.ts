// Pure remediation logic for the Remediate node, with no HTTP: input items -> one RemediateRequest per Malop
// (duplicates merged, mapped back to the items), the guardrails (protected machines, the cap), and reading a
// statusLog / status history / isolation answer back into per-item results.
import type {
	IsolationResponse,
	RemediateRequest,
	RemediationActionType,
	RemediationResponse,
	RemediationStatusLogEntry,
} from './types';
import { REMEDIATION_ACTION_TYPES } from './types';

/**
 * Statuses the node reports besides the console's own (SUCCESS, FAILURE, PENDING, IN_PROGRESS, ABORTED).
 * UNKNOWN: the console's answer to an action was lost and the status could not be read back either.
 */
export const OUR_STATUSES = [
	'TIMEOUT',
	'ABORTED',
	'DRY_RUN',
	'SKIPPED_PROTECTED',
	'UNKNOWN',
] as const;

/** Console statuses that mean "not finished yet". Anything else the console sends is taken as final. */
const NON_TERMINAL = new Set(['PENDING', 'IN_PROGRESS']);

export function isTerminal(status: string): boolean {
	return !NON_TERMINAL.has(status);
}

/** What each action needs as `targetId`, for the UI and for input errors. */
export const ACTION_TARGETS: Record<RemediationActionType, string | undefined> = {
	ISOLATE_MACHINE: undefined,
	KILL_PROCESS: 'the GUID of the process to kill',
	QUARANTINE_FILE: 'the GUID of the file to quarantine',
	UNQUARANTINE_FILE: 'the GUID of the QuarantineFile element (not the original file GUID)',
	DELETE_REGISTRY_KEY: 'the GUID of the registry (autorun) element to delete',
	BLOCK_FILE: 'the GUID of the file to block',
	KILL_PREVENT_UNSUSPEND: 'the GUID of the ransomware-suspended process',
	UNSUSPEND_PROCESS: 'the GUID of the ransomware-suspended process',
};

export function needsTarget(actionType: RemediationActionType): boolean {
	return ACTION_TARGETS[actionType] !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Input items
// ---------------------------------------------------------------------------------------------

export interface RawItem {
	actionType: unknown;
	malopId: unknown;
	machineGuid: unknown;
	targetId: unknown;
	/** From the input item (Get Malops emits it); only used for display and the protected-machines check. */
	machineName?: unknown;
	initiatorUserName: string;
}

export interface RemediationItem {
	itemIndex: number;
	actionType: RemediationActionType;
	malopId: string;
	machineGuid: string;
	/** Absent for ISOLATE_MACHINE, whose action targets the machine itself. */
	targetId?: string;
	machineName?: string;
	initiatorUserName: string;
}

export interface InputProblem {
	message: string;
	description: string;
}

/** A single id from a parameter: strings trimmed, numbers and bigints as text; anything else is not an id. */
function idText(value: unknown): string | undefined | null {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return null;
}

const FEED_HINT = 'Feed the node items from Cybereason Get Malops, or map the field in the node.';

export function validateItem(itemIndex: number, raw: RawItem): RemediationItem | InputProblem {
	const rawType =
		typeof raw.actionType === 'string' ? raw.actionType.trim().toUpperCase() : raw.actionType;
	if (!REMEDIATION_ACTION_TYPES.includes(rawType as RemediationActionType)) {
		return {
			message: `Unknown action type ${JSON.stringify(raw.actionType ?? null)} in item ${itemIndex}`,
			description: `Use one of ${REMEDIATION_ACTION_TYPES.join(', ')}.`,
		};
	}
	const actionType = rawType as RemediationActionType;
	const fields: Array<[string, string, unknown]> = [
		['Malop ID', 'malopId', raw.malopId],
		['Machine GUID', 'machineGuid', raw.machineGuid],
	];
	const values: string[] = [];
	for (const [label, name, value] of fields) {
		const text = idText(value);
		if (text === null) {
			return {
				message: `The ${label} of item ${itemIndex} is not a single ID`,
				description: `'${name}' must be one GUID (a string), got ${Array.isArray(value) ? 'a list' : typeof value}. ${FEED_HINT}`,
			};
		}
		if (text === undefined) {
			return {
				message: `No ${label} in item ${itemIndex}`,
				description: `${actionType} needs '${name}'. ${FEED_HINT}`,
			};
		}
		values.push(text);
	}
	const [malopId, machineGuid] = values;
	let targetId: string | undefined;
	if (needsTarget(actionType)) {
		const text = idText(raw.targetId);
		if (text === null) {
			return {
				message: `The Target ID of item ${itemIndex} is not a single ID`,
				description: `${actionType} acts on one target per item. Got ${
					Array.isArray(raw.targetId) ? 'a list' : typeof raw.targetId
				}: split a list such as remediationTargets into one item per target (Split Out node) and map its targetId.`,
			};
		}
		if (text === undefined) {
			return {
				message: `No Target ID in item ${itemIndex}: ${actionType} needs ${ACTION_TARGETS[actionType]}`,
				description:
					"Map 'Target ID' to the element the action applies to (Get Malops lists them in remediationTargets). Only ISOLATE_MACHINE works without one.",
			};
		}
		targetId = text;
	}
	const machineName =
		typeof raw.machineName === 'string' && raw.machineName.trim() !== ''
			? raw.machineName.trim()
			: undefined;
	return {
		itemIndex,
		actionType,
		malopId,
		machineGuid,
		...(targetId !== undefined ? { targetId } : {}),
		...(machineName !== undefined ? { machineName } : {}),
		initiatorUserName: raw.initiatorUserName,
	};
}

export function isInputProblem(value: RemediationItem | InputProblem): value is InputProblem {
	return 'message' in value;
}

// ---------------------------------------------------------------------------------------------
// Batching: one request per Malop (and initiator), duplicates merged
// ---------------------------------------------------------------------------------------------

export interface ActionRef {
	machineGuid: string;
	actionType: RemediationActionType | string;
	targetId?: string;
}

export interface PlannedAction extends ActionRef {
	actionType: RemediationActionType;
	key: string;
	/** Every input item that asked for this action; they share its result. */
	itemIndexes: number[];
}

export interface MalopBatch {
	malopId: string;
	initiatorUserName: string;
	actions: PlannedAction[];
	itemIndexes: number[];
}

export function actionKey(action: ActionRef): string {
	return JSON.stringify([
		action.machineGuid,
		action.actionType,
		action.actionType === 'ISOLATE_MACHINE' ? null : (action.targetId ?? null),
	]);
}

/** Groups items by Malop (and initiator, which is part of the request body), keeping first-seen order. */
export function planBatches(items: readonly RemediationItem[]): MalopBatch[] {
	const batches = new Map<string, MalopBatch & { byKey: Map<string, PlannedAction> }>();
	for (const item of items) {
		const batchKey = JSON.stringify([item.malopId, item.initiatorUserName]);
		let batch = batches.get(batchKey);
		if (!batch) {
			batch = {
				malopId: item.malopId,
				initiatorUserName: item.initiatorUserName,
				actions: [],
				itemIndexes: [],
				byKey: new Map(),
			};
			batches.set(batchKey, batch);
		}
		batch.itemIndexes.push(item.itemIndex);
		const key = actionKey(item);
		let action = batch.byKey.get(key);
		if (!action) {
			action = {
				key,
				machineGuid: item.machineGuid,
				actionType: item.actionType,
				...(item.actionType !== 'ISOLATE_MACHINE' && item.targetId !== undefined
					? { targetId: item.targetId }
					: {}),
				itemIndexes: [],
			};
			batch.byKey.set(key, action);
			batch.actions.push(action);
		}
		action.itemIndexes.push(item.itemIndex);
	}
	return [...batches.values()].map((batch) => ({
		malopId: batch.malopId,
		initiatorUserName: batch.initiatorUserName,
		actions: batch.actions,
		itemIndexes: batch.itemIndexes,
	}));
}

/** The body of POST /rest/remediate: every machine of the Malop with its actions; ISOLATE_MACHINE without a target. */
export function remediateRequest(
	batch: Pick<MalopBatch, 'malopId' | 'initiatorUserName'>,
	actions: readonly ActionRef[],
): RemediateRequest {
	const actionsByMachine: RemediateRequest['actionsByMachine'] = {};
	for (const action of actions) {
		const list = (actionsByMachine[action.machineGuid] ??= []);
		list.push(
			action.actionType === 'ISOLATE_MACHINE' || action.targetId === undefined
				? { actionType: action.actionType as RemediationActionType }
				: { targetId: action.targetId, actionType: action.actionType as RemediationActionType },
		);
	}
	return { malopId: batch.malopId, initiatorUserName: batch.initiatorUserName, actionsByMachine };
}

/** Distinct actions the run would send: what maxTargetsPerRun counts. */
export function countActions(batches: readonly MalopBatch[]): number {
	return batches.reduce((sum, batch) => sum + batch.actions.length, 0);
}

// ---------------------------------------------------------------------------------------------
// Protected machines
// ---------------------------------------------------------------------------------------------

const LEGACY_GUID = /^-?\d+\.-?\d+$/;

/** Names or GUIDs, separated by commas, semicolons or new lines. */
export function parseProtectedMachines(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	return [
		...new Set(
			text
				.split(/[,;\n\r]+/)
				.map((entry) => entry.trim())
				.filter((entry) => entry !== ''),
		),
	];
}

function shortName(name: string): string {
	return name.split('.')[0];
}

/**
 * The protected entry that covers this machine, if any. GUIDs match exactly (case-insensitively), names
 * case-insensitively, also as host name against FQDN ("dc01" protects "DC01.corp.local" and the other way round).
 */
export function protectedEntry(
	entries: readonly string[],
	machineGuid: string,
	machineNames: readonly string[],
): string | undefined {
	const guid = machineGuid.toLowerCase();
	const names = machineNames.map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
	return entries.find((entry) => {
		const e = entry.toLowerCase();
		if (e === guid) return true;
		if (LEGACY_GUID.test(e)) return false;
		return names.some((name) => name === e || shortName(name) === shortName(e));
	});
}

/**
 * Whether the machine's name must be known to decide. Legacy GUIDs (`<int>.<int>`) cannot be names; anything
 * else, including the 16-character GUID form, could be a host name and is checked as one.
 */
export function nameCheckNeeded(entries: readonly string[], machineGuid: string): boolean {
	if (protectedEntry(entries, machineGuid, []) !== undefined) return false;
	return entries.some((entry) => !LEGACY_GUID.test(entry));
}

// ---------------------------------------------------------------------------------------------
// Reading results back
// ---------------------------------------------------------------------------------------------

export interface ActionResult {
	status: string;
	message: string | null;
	errorType: string | null;
	timestamp: number | null;
}

function matchesAction(entry: RemediationStatusLogEntry, action: ActionRef): boolean {
	if (entry.machineId !== action.machineGuid || entry.actionType !== action.actionType)
		return false;
	// ISOLATE_MACHINE has no element: the console echoes the machine GUID, or nothing, as targetId.
	if (action.actionType === 'ISOLATE_MACHINE') return true;
	return (entry.targetId ?? '') === (action.targetId ?? '');
}

/**
 * The current entry for an action: the last one, as XSOAR and Splunk read it (latest timestamp, later position
 * on a tie). Given the remediation's other actions (`siblings`), an entry without targetId is accepted for an
 * action when no sibling has the same machine and type, so it cannot be someone else's; without them, exact only.
 */
export function latestEntry(
	statusLog: readonly RemediationStatusLogEntry[] | undefined,
	action: ActionRef,
	siblings?: readonly ActionRef[],
): RemediationStatusLogEntry | undefined {
	if (!Array.isArray(statusLog)) return undefined;
	let candidates = statusLog.filter((entry) => entry && matchesAction(entry, action));
	if (candidates.length === 0 && siblings && action.actionType !== 'ISOLATE_MACHINE') {
		const alone =
			siblings.filter(
				(s) => s.machineGuid === action.machineGuid && s.actionType === action.actionType,
			).length <= 1;
		if (alone) {
			candidates = statusLog.filter(
				(entry) =>
					entry &&
					entry.machineId === action.machineGuid &&
					entry.actionType === action.actionType &&
					(entry.targetId === undefined || entry.targetId === null || entry.targetId === ''),
			);
		}
	}
	let latest: RemediationStatusLogEntry | undefined;
	for (const entry of candidates) {
		if (!latest || (Number(entry.timestamp) || 0) >= (Number(latest.timestamp) || 0))
			latest = entry;
	}
	return latest;
}

/** An action with no entry yet was accepted and waits for its sensor: PENDING. */
export function resultOf(
	entry: RemediationStatusLogEntry | undefined,
	acceptedAt: number | null,
): ActionResult {
	if (!entry) {
		return {
			status: 'PENDING',
			message: 'Accepted by the console; the sensor has not reported yet',
			errorType: null,
			timestamp: acceptedAt,
		};
	}
	return {
		status: String(entry.status),
		message: entry.error?.message ?? null,
		errorType: entry.error?.errorType ?? null,
		timestamp:
			typeof entry.timestamp === 'number' ? entry.timestamp : Number(entry.timestamp) || null,
	};
}

export function actionResult(
	remediation: Pick<RemediationResponse, 'statusLog' | 'start'>,
	action: ActionRef,
	siblings: readonly ActionRef[] = [action],
): ActionResult {
	return resultOf(latestEntry(remediation.statusLog, action, siblings), remediation.start ?? null);
}

function sameUser(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/**
 * After a lost answer: the remediation we sent, found in the Malop's history. Same initiator, started no earlier
 * than our send time minus the allowed clock skew, and its statusLog names only our actions (an empty log
 * cannot be told apart, so it is taken only when nothing better matches). The newest best match wins.
 */
export function findSentRemediation(
	history: readonly RemediationResponse[],
	sent: {
		initiatorUserName: string;
		sentAt: number;
		skewMs: number;
		actions: readonly ActionRef[];
	},
): RemediationResponse | undefined {
	let best: { remediation: RemediationResponse; score: number } | undefined;
	for (const remediation of history) {
		if (!sameUser(remediation.initiatingUser, sent.initiatorUserName)) continue;
		if (!(Number(remediation.start) >= sent.sentAt - sent.skewMs)) continue;
		const log = Array.isArray(remediation.statusLog) ? remediation.statusLog : [];
		if (!log.every((entry) => sent.actions.some((action) => matchesAction(entry, action))))
			continue;
		const covered = sent.actions.filter((action) =>
			log.some((entry) => matchesAction(entry, action)),
		).length;
		const score = covered === sent.actions.length ? 2 : covered > 0 ? 1 : 0;
		if (
			!best ||
			score > best.score ||
			(score === best.score && Number(remediation.start) > Number(best.remediation.start))
		) {
			best = { remediation, score };
		}
	}
	return best?.remediation;
}

/**
 * How long after its start an earlier remediation whose status log is still empty is taken to possibly hold the
 * action: the console lists the actions only as it dispatches them (seconds, in the public captures), and a retry
 * or re-run right after a POST would otherwise see nothing and send the same action again.
 */
export const UNREPORTED_GRACE_MS = 120_000;

/**
 * Replay guard: an earlier remediation of ours (same initiator, started since `since`) that already carries this
 * action and did not fail or get aborted. Sending it again would run it twice; a failed one may be retried. A very
 * recent one that has not listed any action yet counts too (`unconfirmed`), since it may hold this one.
 */
export function findRecentlySent(
	history: readonly RemediationResponse[],
	action: ActionRef,
	options: { initiatorUserName: string; since: number; now: number },
):
	| { remediation: RemediationResponse; entry?: RemediationStatusLogEntry; unconfirmed?: true }
	| undefined {
	let found: ReturnType<typeof findRecentlySent>;
	for (const remediation of history) {
		if (!sameUser(remediation.initiatingUser, options.initiatorUserName)) continue;
		const start = Number(remediation.start);
		if (!(start >= options.since)) continue;
		if (found && start <= Number(found.remediation.start)) continue;
		if ((remediation.statusLog ?? []).length === 0) {
			if (start >= options.now - UNREPORTED_GRACE_MS) found = { remediation, unconfirmed: true };
			continue;
		}
		const entry = latestEntry(remediation.statusLog, action);
		if (!entry || entry.status === 'FAILURE' || entry.status === 'ABORTED') continue;
		found = { remediation, entry };
	}
	return found;
}

// ---------------------------------------------------------------------------------------------
// Isolation by sensor command
// ---------------------------------------------------------------------------------------------

function isSucceeded(value: string | undefined): boolean {
	return typeof value === 'string' && /^(succeeded|success)$/i.test(value);
}

/**
 * One machine's result from the isolate answer (pylumId -> status). HTTP 200 alone proves nothing: Succeeded on
 * any of its sensors is SUCCESS, Primed (offline, queued until it reconnects) is PENDING, anything else FAILURE.
 */
export function isolationResult(
	answer: IsolationResponse | undefined,
	pylumIds: readonly string[],
	at: number,
): ActionResult {
	const values = pylumIds.map((id) => ({ id, value: answer?.[id] }));
	const list = values.map(({ id, value }) => `${id}: ${value ?? 'no answer'}`).join('; ');
	const several =
		pylumIds.length > 1 ? `${pylumIds.length} sensors match this machine (${list})` : '';
	if (values.some(({ value }) => isSucceeded(value))) {
		return { status: 'SUCCESS', message: several || null, errorType: null, timestamp: at };
	}
	if (values.some(({ value }) => typeof value === 'string' && value.toLowerCase() === 'primed')) {
		return {
			status: 'PENDING',
			message: `The sensor is offline: isolation is queued (Primed) and applies when it reconnects${several ? `. ${several}` : ''}`,
			errorType: null,
			timestamp: at,
		};
	}
	const first = values.find(({ value }) => value !== undefined)?.value;
	return {
		status: 'FAILURE',
		message: several || (first ?? `The console did not answer for sensor ${pylumIds[0]}`),
		errorType: first ?? null,
		timestamp: at,
	};
}
