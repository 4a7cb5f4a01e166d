// Reading the console's answers back into per-item results: a statusLog (remediate, progress, abort, history) or an
// isolate command's per-sensor answer.
import type { IsolationResponse, RemediationResponse, RemediationStatusLogEntry } from '../types';
import type { ActionRef } from './batches';

export interface ActionResult {
	status: string;
	message: string | null;
	errorType: string | null;
	timestamp: number | null;
}

/** Console statuses that mean "not finished yet". Anything else the console sends is taken as final. */
const NON_TERMINAL = new Set(['PENDING', 'IN_PROGRESS']);

export function isTerminal(status: string): boolean {
	return !NON_TERMINAL.has(status);
}

export function matchesAction(entry: RemediationStatusLogEntry, action: ActionRef): boolean {
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
