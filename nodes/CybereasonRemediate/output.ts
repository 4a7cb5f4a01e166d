// The last stage: one output item per input item, in input order, paired to it.
import type { IDataObject } from 'n8n-workflow';

import { pairedOutput, type ItemOutcome } from '../shared/items';
import type { MachineUnknown, RemediationItem } from '../shared/remediation';
import type { ProtectedSkip } from './guardrails';
import type { SensorMatches } from './sensors';
import { PENDING_RESULT, type Outcomes, type Refusals, type Run } from './model';
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
}

function asked(item: RemediationItem): IDataObject {
	return {
		malopId: item.malopId,
		machineGuid: item.machineGuid,
		machineName: item.machineName ?? null,
		actionType: item.actionType,
		targetId: item.targetId ?? null,
	};
}

function protectedItem({ item, entry, at }: ProtectedSkip): IDataObject {
	return {
		...asked(item),
		remediationId: null,
		initiatingUser: null,
		results: {
			status: 'SKIPPED_PROTECTED',
			message: `Machine ${item.machineName ?? item.machineGuid} matches the Protected Machines entry "${entry}"; nothing was sent`,
			errorType: null,
			timestamp: at,
		},
	};
}

function noMachineItem(skip: MachineUnknown): IDataObject {
	return {
		malopId: skip.malopId,
		machineGuid: null,
		machineName: null,
		actionType: skip.actionType,
		targetId: skip.targetId ?? null,
		remediationId: null,
		initiatingUser: null,
		results: {
			status: 'SKIPPED_NO_MACHINE',
			message: skip.noMachine,
			errorType: null,
			timestamp: Date.now(),
		},
	};
}

function actionItem(run: RunRecord, itemIndex: number): ItemOutcome {
	const plan = run.plan!;
	const item = plan.items.get(itemIndex)!;
	const action = plan.actionOf.get(itemIndex)!;
	const outcome = run.outcomes?.get(action);
	const base = asked(item);
	if (outcome?.error) {
		return { error: outcome.error, context: { ...base, remediationId: outcome.remediationId } };
	}
	const sensors = run.sensors?.get(action);
	const json: IDataObject = {
		...base,
		machineName: item.machineName ?? sensors?.machineName ?? action.machineName ?? null,
		remediationId: outcome?.remediationId ?? null,
		initiatingUser: outcome?.initiatingUser ?? null,
		results: { ...(outcome?.result ?? PENDING_RESULT) },
	};
	if (action.via === 'sensorCommand') json.pylumIds = sensors?.pylumIds ?? [];
	// Isolation is sent once per machine and run: an item of another Malop shares it (see planBatches).
	const shared =
		item.malopId !== action.batch.malopId
			? `Isolation is a state of the machine: it was sent once in this run, under Malop ${action.batch.malopId}, and this item shares its result.`
			: undefined;
	const note = [shared, outcome?.note ?? sensors?.note].filter(Boolean).join(' ');
	if (note) json.note = note;
	if (outcome?.request) json.request = outcome.request;
	return { json: [json] };
}

export function buildOutput(run: RunRecord) {
	const outcomes: ItemOutcome[] = [];
	for (let itemIndex = 0; itemIndex < run.count; itemIndex++) {
		const refusal = run.refused.get(itemIndex);
		const skip = run.skipped.protected.get(itemIndex);
		const noMachine = run.skipped.noMachine.get(itemIndex);
		if (refusal) outcomes.push(refusal);
		else if (skip) outcomes.push({ json: [protectedItem(skip)] });
		else if (noMachine) outcomes.push({ json: [noMachineItem(noMachine)] });
		else outcomes.push(actionItem(run, itemIndex));
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
