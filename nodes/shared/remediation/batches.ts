// Where remediation is batched: input items -> one POST /rest/remediate per Malop (and initiator), duplicates
// merged and mapped back to the items that asked for them.
import type { RemediateRequest, RemediationActionType } from '../types';
import type { RemediationItem } from './items';

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
	/**
	 * An isolation shared by items of other Malops: their IDs. The isolation may have been sent under any of them
	 * before (the order of Malops changes between runs), so the replay guard reads their histories too.
	 */
	sharedWith?: string[];
}

export interface MalopBatch {
	malopId: string;
	initiatorUserName: string;
	actions: PlannedAction[];
	/** Every item its actions serve (an item of another Malop that shares one of its isolations too). */
	itemIndexes: number[];
}

function actionKey(action: ActionRef): string {
	return JSON.stringify([
		action.machineGuid,
		action.actionType,
		action.actionType === 'ISOLATE_MACHINE' ? null : (action.targetId ?? null),
	]);
}

type Building = MalopBatch & { byKey: Map<string, PlannedAction> };

/**
 * Groups items by Malop (and initiator, which is part of the request body), keeping first-seen order; duplicates
 * share one action. Isolation is a state of the machine, not of a Malop: a machine asked to be isolated under
 * several Malops is isolated once, under the first, and the other items share that action (and its result).
 */
export function planBatches(items: readonly RemediationItem[]): MalopBatch[] {
	const batches = new Map<string, Building>();
	const isolations = new Map<string, { action: PlannedAction; batch: Building }>();
	for (const item of items) {
		const isolation =
			item.actionType === 'ISOLATE_MACHINE' ? isolations.get(item.machineGuid) : undefined;
		if (isolation) {
			const { action, batch } = isolation;
			batch.itemIndexes.push(item.itemIndex);
			action.itemIndexes.push(item.itemIndex);
			if (item.malopId !== batch.malopId && !action.sharedWith?.includes(item.malopId)) {
				action.sharedWith = [...(action.sharedWith ?? []), item.malopId];
			}
			continue;
		}
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
			if (item.actionType === 'ISOLATE_MACHINE')
				isolations.set(item.machineGuid, { action, batch });
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

/** The actions the run would send, each once: what maxTargetsPerRun counts. */
export function countActions(batches: readonly MalopBatch[]): number {
	return batches.reduce((sum, batch) => sum + batch.actions.length, 0);
}
