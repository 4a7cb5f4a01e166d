// The last stage: one output item per input item, in input order, paired to it.
import type { IDataObject } from 'n8n-workflow';

import { pairedOutput, type ItemOutcome } from '../shared/items';
import { isoTime } from '../shared/malops/values';
import type { ActionResult, MachineUnknown, RemediationItem } from '../shared/remediation';
import type { Comments } from './comment';
import type { ProtectedSkip } from './guardrails';
import type { SensorMatches } from './sensors';
import { PENDING_RESULT, type Options, type Outcomes, type Refusals, type Run } from './model';
import type { Plan } from './plan';

interface RunRecord {
	count: number;
	refused: Refusals;
	skipped: {
		protected: ReadonlyMap<number, ProtectedSkip>;
		noMachine: ReadonlyMap<number, MachineUnknown>;
	};
	plan?: Plan;
	sensors?: SensorMatches;
	outcomes?: Outcomes;
	comments?: Comments;
}

/** What an item asked for, in the table view's order: what a user reads first, then the identifiers. */
function asked(item: RemediationItem): IDataObject {
	return {
		malopId: item.malopId,
		machineName: item.machineName ?? null,
		actionType: item.actionType,
		machineGuid: item.machineGuid,
		targetId: item.targetId ?? null,
	};
}

/** v1 gave the console's epoch milliseconds; from v2 the time is ISO 8601 like every other time, the number beside it. */
function resultJson(result: ActionResult, options: Options): IDataObject {
	if (!options.isoTimestamps) return { ...result };
	return { ...result, timestamp: isoTime(result.timestamp), timestampMs: result.timestamp };
}

interface ItemFields {
	item: Pick<RemediationItem, 'malopId' | 'actionType' | 'targetId'>;
	machineGuid: string | null;
	machineName: string | null;
	result: ActionResult;
	remediationId?: string | null;
	initiatingUser?: string | null;
	/** Comment On Malop: the comment posted on the item's Malop, or why it could not be. */
	comment?: IDataObject;
	warnings?: string[];
	pylumIds?: string[];
	note?: string;
	request?: IDataObject;
}

/** One output item: the fields a user reads first (malopId, machineName, actionType, results), the heavy `request` last. */
function itemJson(options: Options, fields: ItemFields): IDataObject {
	const { item } = fields;
	const json: IDataObject = {
		malopId: item.malopId,
		machineName: fields.machineName,
		actionType: item.actionType,
		results: resultJson(fields.result, options),
		machineGuid: fields.machineGuid,
		targetId: item.targetId ?? null,
		remediationId: fields.remediationId ?? null,
		initiatingUser: fields.initiatingUser ?? null,
	};
	if (fields.comment) json.comment = fields.comment;
	if (fields.warnings) json.warnings = fields.warnings;
	if (fields.pylumIds) json.pylumIds = fields.pylumIds;
	if (fields.note) json.note = fields.note;
	if (fields.request) json.request = fields.request;
	return json;
}

function protectedItem(options: Options, { item, entry, at }: ProtectedSkip): IDataObject {
	return itemJson(options, {
		item,
		machineGuid: item.machineGuid,
		machineName: item.machineName ?? null,
		result: {
			status: 'SKIPPED_PROTECTED',
			message: `Machine ${item.machineName ?? item.machineGuid} matches the Protected Machines entry "${entry}"; nothing was sent`,
			errorType: null,
			timestamp: at,
		},
	});
}

function noMachineItem(options: Options, skip: MachineUnknown): IDataObject {
	return itemJson(options, {
		item: skip,
		machineGuid: null,
		machineName: null,
		result: {
			status: 'SKIPPED_NO_MACHINE',
			message: skip.noMachine,
			errorType: null,
			timestamp: Date.now(),
		},
	});
}

function actionItem(options: Options, run: RunRecord, itemIndex: number): ItemOutcome {
	const plan = run.plan!;
	const item = plan.items.get(itemIndex)!;
	const action = plan.actionOf.get(itemIndex)!;
	const outcome = run.outcomes?.get(action);
	if (outcome?.error) {
		return {
			error: outcome.error,
			context: { ...asked(item), remediationId: outcome.remediationId },
		};
	}
	const sensors = run.sensors?.get(action);
	const comment = run.comments?.get(item.malopId);
	const told = comment?.actions.has(action) ? comment : undefined;
	// Isolation is sent once per machine and run: an item of another Malop shares it (see planBatches).
	const shared =
		item.malopId !== action.batch.malopId
			? `Isolation is a state of the machine: it was sent once in this run, under Malop ${action.batch.malopId}, and this item shares its result.`
			: undefined;
	const json = itemJson(options, {
		item,
		machineGuid: item.machineGuid,
		machineName: item.machineName ?? sensors?.machineName ?? action.machineName ?? null,
		result: outcome?.result ?? PENDING_RESULT,
		remediationId: outcome?.remediationId,
		initiatingUser: outcome?.initiatingUser,
		comment: told?.posted,
		warnings: told?.warning ? [told.warning] : undefined,
		pylumIds: action.via === 'sensorCommand' ? (sensors?.pylumIds ?? []) : undefined,
		note: [shared, outcome?.note ?? sensors?.note].filter(Boolean).join(' '),
		request: outcome?.request,
	});
	return { json: [json] };
}

export function buildOutput({ options }: Run, run: RunRecord) {
	const outcomes: ItemOutcome[] = [];
	for (let itemIndex = 0; itemIndex < run.count; itemIndex++) {
		const refusal = run.refused.get(itemIndex);
		const skip = run.skipped.protected.get(itemIndex);
		const noMachine = run.skipped.noMachine.get(itemIndex);
		if (refusal) outcomes.push(refusal);
		else if (skip) outcomes.push({ json: [protectedItem(options, skip)] });
		else if (noMachine) outcomes.push({ json: [noMachineItem(options, noMachine)] });
		else outcomes.push(actionItem(options, run, itemIndex));
	}
	return pairedOutput(outcomes);
}

/** Warnings about the run as a whole, shown above the output (the replay guard's doings). */
export function showHints({ ctx }: Run, hints: readonly string[]) {
	if (hints.length === 0) return;
	ctx.addExecutionHints(
		...hints.map((message) => ({
			message,
			type: 'warning' as const,
			location: 'outputPane' as const,
		})),
	);
}
