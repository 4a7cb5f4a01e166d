// Stage 3: the plan. One request per Malop with duplicates merged (see shared/remediation/batches.ts), each action
// marked with how it is sent.
import { planBatches, type MalopBatch, type RemediationItem } from '../shared/remediation';
import type { Action, Options } from './model';

export interface Plan {
	batches: MalopBatch[];
	/** In batch order, then action order: the order errors are reported in. */
	actions: Action[];
	/** The action each eligible item asked for (several items may share one). */
	actionOf: Map<number, Action>;
	items: Map<number, RemediationItem>;
}

export function planActions(
	eligible: readonly RemediationItem[],
	isolationMethod: Options['isolationMethod'],
): Plan {
	const items = new Map(eligible.map((item) => [item.itemIndex, item]));
	const batches = planBatches(eligible);
	const actions: Action[] = [];
	const actionOf = new Map<number, Action>();
	for (const batch of batches) {
		for (const planned of batch.actions) {
			const action: Action = {
				planned,
				batch,
				via:
					planned.actionType === 'ISOLATE_MACHINE' && isolationMethod === 'sensorCommand'
						? 'sensorCommand'
						: 'remediate',
				machineName: planned.itemIndexes
					.map((i) => items.get(i)?.machineName)
					.find((n) => n !== undefined),
			};
			actions.push(action);
			for (const itemIndex of planned.itemIndexes) actionOf.set(itemIndex, action);
		}
	}
	return { batches, actions, actionOf, items };
}

/** The actions of one Malop batch that go the given way, but for those that failed already. */
export function openActions(
	plan: Pick<Plan, 'actions'>,
	batch: MalopBatch,
	via: Action['via'],
	failed: ReadonlyMap<Action, unknown>,
): Action[] {
	return plan.actions.filter((a) => a.batch === batch && a.via === via && !failed.has(a));
}
