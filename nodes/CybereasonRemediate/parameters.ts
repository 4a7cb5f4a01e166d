// Stage 1: the run's options and every item's parameters, read and checked before anything is sent.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { failedInput } from '../shared/items';
import {
	isInputProblem,
	isMachineUnknown,
	knownFields,
	parseProtectedMachines,
	validateItem,
	type MachineUnknown,
	type RawItem,
	type RemediationItem,
} from '../shared/remediation';
import { DEFAULT_POLL_INTERVAL_S, DEFAULT_REPLAY_GUARD_S, DEFAULT_TIMEOUT_S } from './description';
import type { Options, Refusal, Run } from './model';

export function readOptions(ctx: IExecuteFunctions): Options {
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const seconds = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
	return {
		waitForCompletion: raw.waitForCompletion === true,
		timeoutMs: seconds(raw.timeout, DEFAULT_TIMEOUT_S) * 1000,
		pollMs: Math.max(10, seconds(raw.pollInterval, DEFAULT_POLL_INTERVAL_S) * 1000),
		abortOnTimeout: raw.abortOnTimeout === true,
		isolationMethod: raw.isolationMethod === 'sensorCommand' ? 'sensorCommand' : 'remediate',
		dryRun: raw.dryRun === true,
		protectedMachines: parseProtectedMachines(raw.protectedMachines),
		maxTargetsPerRun: Math.floor(seconds(raw.maxTargetsPerRun, 0)),
		replayGuardMs: seconds(raw.replayGuardWindow, DEFAULT_REPLAY_GUARD_S) * 1000,
		commentOnMalop: raw.commentOnMalop === true,
		isoTimestamps: ctx.getNode().typeVersion >= 2,
	};
}

/** `={{ $json.field }}`: the defaults of Malop ID, Machine GUID and Target ID, and the usual Action mapping. */
const FIELD_EXPRESSION = /^=\{\{\s*\$json\.([A-Za-z_$][\w$]*)\s*\}\}$/;

/** The fields the shortcut reads; any other name (n8n refuses some, such as `constructor`) goes through n8n. */
const SHORTCUT_FIELDS = new Set(['actionType', 'malopId', 'machineGuid', 'targetId']);

/**
 * One parameter of one item. n8n evaluates every expression in a fresh sandbox, about a third of a millisecond
 * each: for 1,000 items × 4 parameters that is longer than all the console calls of the run. A plain
 * `{{ $json.field }}` of one of the node's own fields that holds a string evaluates to that very string, so it is
 * read from the item directly; any other expression or value goes through n8n as usual (the equivalence is
 * tested against n8n's evaluation in test/nodes/CybereasonRemediate/parameters.test.ts).
 */
export function itemParameter(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	name: string,
	itemIndex: number,
	fallback?: unknown,
): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
	const field = typeof raw === 'string' ? FIELD_EXPRESSION.exec(raw)?.[1] : undefined;
	if (field !== undefined && SHORTCUT_FIELDS.has(field)) {
		const json = items[itemIndex].json;
		const value = Object.prototype.hasOwnProperty.call(json, field) ? json[field] : undefined;
		if (typeof value === 'string') return value;
	}
	return ctx.getNodeParameter(name, itemIndex, fallback);
}

/** The item's parameters as they evaluate; an expression that fails leaves the rest unread. */
function readRaw(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
	credentialUser: string,
): { raw: RawItem; failure?: Error } {
	const { json } = items[itemIndex];
	const raw: RawItem = {
		actionType: undefined,
		malopId: undefined,
		machineGuid: undefined,
		targetId: undefined,
		machineName: json.machineName,
		initiatorUserName: undefined,
		defaultInitiator: credentialUser,
		noMachine:
			Object.prototype.hasOwnProperty.call(json, 'machineGuid') && json.machineGuid === null,
	};
	try {
		raw.actionType = itemParameter(ctx, items, 'actionType', itemIndex);
		raw.malopId = itemParameter(ctx, items, 'malopId', itemIndex, '');
		raw.machineGuid = itemParameter(ctx, items, 'machineGuid', itemIndex, '');
		// Hidden (and not needed) for ISOLATE_MACHINE: the action targets the machine itself.
		if (String(raw.actionType).trim().toUpperCase() !== 'ISOLATE_MACHINE')
			raw.targetId = itemParameter(ctx, items, 'targetId', itemIndex, '');
		raw.initiatorUserName = ctx.getNodeParameter('initiatorUserName', itemIndex, '');
		return { raw };
	} catch (error) {
		return { raw, failure: error as Error };
	}
}

function readItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
	credentialUser: string,
): RemediationItem | MachineUnknown | Required<Refusal> {
	const { raw, failure } = readRaw(ctx, items, itemIndex, credentialUser);
	const context = knownFields(raw) as IDataObject;
	if (failure) {
		const error = new NodeOperationError(
			ctx.getNode(),
			`Could not read the parameters of item ${itemIndex}: ${failure.message}`,
			{
				itemIndex,
				description:
					'Check the expressions of Action, Malop ID, Machine GUID, Target ID and Initiator User Name for this item.',
			},
		);
		return { error, context };
	}
	const checked = validateItem(itemIndex, raw);
	if (!isInputProblem(checked)) return checked;
	const { message, description } = checked;
	return {
		error: new NodeOperationError(ctx.getNode(), message, { itemIndex, description }),
		context,
	};
}

/**
 * Every item, checked; without continue-on-fail the first bad one stops the run before anything is sent. An item
 * of a Malop with no known machine is skipped, not refused (see RawItem.noMachine).
 */
export function readItems({ ctx, credentialUser }: Run): {
	valid: RemediationItem[];
	noMachine: Map<number, MachineUnknown>;
	refused: Map<number, Refusal>;
} {
	const items = ctx.getInputData();
	const valid: RemediationItem[] = [];
	const noMachine = new Map<number, MachineUnknown>();
	const refused = new Map<number, Refusal>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const checked = readItem(ctx, items, itemIndex, credentialUser);
		if ('error' in checked) {
			refused.set(itemIndex, { ...checked, error: failedInput(ctx, checked.error, itemIndex) });
		} else if (isMachineUnknown(checked)) {
			noMachine.set(itemIndex, checked);
		} else {
			valid.push(checked);
		}
	}
	return { valid, noMachine, refused };
}
