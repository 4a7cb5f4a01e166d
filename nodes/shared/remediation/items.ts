// Input items: what one item of the Remediate node asks for, read from its parameters and checked before anything is sent.
import { ACTION_OPTIONS, actionName } from '../descriptions/remediationActions';
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
	/** Empty: `defaultInitiator`. */
	initiatorUserName: unknown;
	defaultInitiator?: string;
	/**
	 * The item itself says that it has no machine: its own `machineGuid` is null, as Get Malops emits it for a Malop
	 * whose machines are unknown. An empty Machine GUID then skips the item instead of refusing the run.
	 */
	noMachine?: boolean;
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

/** An item of a Malop with no known machine: nothing to act on, skipped (SKIPPED_NO_MACHINE). */
export interface MachineUnknown {
	itemIndex: number;
	actionType: RemediationActionType;
	malopId: string;
	targetId?: string;
	noMachine: string;
}

/** A single id from a parameter: strings trimmed, numbers and bigints as text; anything else is not an id. */
function idText(value: unknown): string | undefined | null {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return null;
}

const FEED_HINT = 'Feed the node items from Cybereason Get Malops, or map the field in the node.';

function notOne(value: unknown): string {
	return Array.isArray(value) ? 'a list' : typeof value;
}

/** The target an action needs, if it needs one: one id, or what is wrong with it. */
function targetOf(
	itemIndex: number,
	actionType: RemediationActionType,
	value: unknown,
): { targetId?: string } | InputProblem {
	if (!needsTarget(actionType)) return {};
	const text = idText(value);
	if (text === null) {
		return {
			message: `The Target ID of item ${itemIndex} is not a single ID`,
			description: `${actionName(actionType)} acts on one target per item. Got ${notOne(value)}: split a list such as remediationTargets into one item per target (Split Out node) and map its targetId.`,
		};
	}
	if (text === undefined) {
		return {
			message: `No Target ID in item ${itemIndex}: ${actionName(actionType)} needs ${ACTION_TARGETS[actionType]}`,
			description:
				"Map 'Target ID' to the element the action applies to (Get Malops lists them in remediationTargets). Only Isolate Machine works without one.",
		};
	}
	return { targetId: text };
}

/** The Malop ID and machine GUID: one id each, or what is wrong with them, or a Malop without a machine. */
function idsOf(
	itemIndex: number,
	actionType: RemediationActionType,
	raw: RawItem,
): { malopId: string; machineGuid: string } | InputProblem | MachineUnknown {
	const fields: Array<[string, 'malopId' | 'machineGuid']> = [
		['Malop ID', 'malopId'],
		['Machine GUID', 'machineGuid'],
	];
	const values: string[] = [];
	for (const [label, name] of fields) {
		const text = idText(raw[name]);
		if (text === null) {
			return {
				message: `The ${label} of item ${itemIndex} is not a single ID`,
				description: `'${name}' must be one GUID (a string), got ${notOne(raw[name])}. ${FEED_HINT}`,
			};
		}
		if (text === undefined && name === 'machineGuid' && raw.noMachine) {
			const targetId = idText(raw.targetId);
			return {
				itemIndex,
				actionType,
				malopId: values[0],
				...(typeof targetId === 'string' ? { targetId } : {}),
				noMachine: `The item has no machine (machineGuid is null: Cybereason lists no affected machine for Malop ${values[0]} yet); nothing was sent`,
			};
		}
		if (text === undefined) {
			return {
				message: `No ${label} in item ${itemIndex}`,
				description: `${actionName(actionType)} needs '${name}'. ${FEED_HINT}`,
			};
		}
		values.push(text);
	}
	return { malopId: values[0], machineGuid: values[1] };
}

export function validateItem(
	itemIndex: number,
	raw: RawItem,
): RemediationItem | InputProblem | MachineUnknown {
	const rawType =
		typeof raw.actionType === 'string' ? raw.actionType.trim().toUpperCase() : raw.actionType;
	if (!REMEDIATION_ACTION_TYPES.includes(rawType as RemediationActionType)) {
		return {
			message: `Unknown action ${JSON.stringify(raw.actionType ?? null)} in item ${itemIndex}`,
			description: `Pick one in the Action dropdown, or have the expression give its value: ${ACTION_OPTIONS.map(
				(option) => `${option.name} (${option.value})`,
			).join(', ')}.`,
		};
	}
	const actionType = rawType as RemediationActionType;
	const ids = idsOf(itemIndex, actionType, raw);
	if (!('machineGuid' in ids)) return ids;
	const target = targetOf(itemIndex, actionType, raw.targetId);
	if ('message' in target) return target;
	const initiator = idText(raw.initiatorUserName);
	if (initiator === null) {
		return {
			message: `The Initiator User Name of item ${itemIndex} is not a user name`,
			description: `It must be one Cybereason user name (such as soc-analyst@acme.com), got ${notOne(
				raw.initiatorUserName,
			)}. Map it to a single field, or leave it empty to use the credential's user.`,
		};
	}
	const machineName =
		typeof raw.machineName === 'string' && raw.machineName.trim() !== ''
			? raw.machineName.trim()
			: undefined;
	return {
		itemIndex,
		actionType,
		...ids,
		...target,
		...(machineName !== undefined ? { machineName } : {}),
		initiatorUserName: initiator ?? raw.defaultInitiator ?? '',
	};
}

/** What an item asked for, as far as its parameters say it, to show beside its refusal. */
export function knownFields(raw: Partial<RawItem>): Partial<Record<keyof RawItem, string | null>> {
	const known: Partial<Record<keyof RawItem, string | null>> = {};
	for (const name of ['malopId', 'machineGuid', 'targetId'] as const) {
		const text = idText(raw[name]);
		if (typeof text === 'string') known[name] = text;
	}
	if (typeof raw.actionType === 'string' && raw.actionType.trim() !== '') {
		known.actionType = raw.actionType.trim().toUpperCase();
		if (known.actionType === 'ISOLATE_MACHINE') known.targetId = null;
	}
	return known;
}

export function isInputProblem(
	value: RemediationItem | InputProblem | MachineUnknown,
): value is InputProblem {
	return 'message' in value;
}

export function isMachineUnknown(
	value: RemediationItem | InputProblem | MachineUnknown,
): value is MachineUnknown {
	return 'noMachine' in value;
}
