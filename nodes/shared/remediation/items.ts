// Input items: what one item of the Remediate node asks for, read from its parameters and checked before anything is sent.
import type { RemediationActionType } from '../types';
import { REMEDIATION_ACTION_TYPES } from '../types';

/** What each action needs as `targetId`, for input errors. */
const ACTION_TARGETS: Record<RemediationActionType, string | undefined> = {
	ISOLATE_MACHINE: undefined,
	KILL_PROCESS: 'the GUID of the process to kill',
	QUARANTINE_FILE: 'the GUID of the file to quarantine',
	UNQUARANTINE_FILE: 'the GUID of the QuarantineFile element (not the original file GUID)',
	DELETE_REGISTRY_KEY: 'the GUID of the registry (autorun) element to delete',
	BLOCK_FILE: 'the GUID of the file to block',
	KILL_PREVENT_UNSUSPEND: 'the GUID of the ransomware-suspended process',
	UNSUSPEND_PROCESS: 'the GUID of the ransomware-suspended process',
};

function needsTarget(actionType: RemediationActionType): boolean {
	return ACTION_TARGETS[actionType] !== undefined;
}

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
