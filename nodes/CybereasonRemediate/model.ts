// What the stages of a Remediate run hand each other.
import type {
	IDataObject,
	IExecuteFunctions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type {
	ActionResult,
	MalopBatch,
	PlannedAction,
	RemediationItem,
} from '../shared/remediation';
import type { CybereasonApiClient } from '../shared/transport';

export type NodeError = NodeApiError | NodeOperationError;

/** Malops handled at once (history read, POST, progress reads, abort). A run sends one POST per Malop. */
export const MALOP_CONCURRENCY = 5;

export interface Options {
	waitForCompletion: boolean;
	timeoutMs: number;
	pollMs: number;
	abortOnTimeout: boolean;
	isolationMethod: 'remediate' | 'sensorCommand';
	dryRun: boolean;
	protectedMachines: string[];
	maxTargetsPerRun: number;
	replayGuardMs: number;
	commentOnMalop: boolean;
	/** results.timestamp in ISO 8601 (v2), or the console's epoch ms as v1 gave it. */
	isoTimestamps: boolean;
}

/** What every stage of one execution shares, read once at its start. */
export interface Run {
	ctx: IExecuteFunctions;
	client: CybereasonApiClient;
	options: Options;
	/** The replay guard's window and the wait's deadline count from here. */
	startedAt: number;
	/** The credential's user: the initiator when the parameter is empty, and the user isolation commands run as. */
	credentialUser: string;
}

/** An input item that will not be sent, and what to show with its error. */
export interface Refusal {
	error: unknown;
	context?: IDataObject;
}

export type Refusals = ReadonlyMap<number, Refusal>;

/** One action the run sends (or would send), as planned; never changed afterwards. */
export interface Action {
	planned: PlannedAction;
	batch: MalopBatch;
	via: 'remediate' | 'sensorCommand';
	machineName?: string;
}

/** What became of an action. */
export interface Outcome {
	remediationId: string | null;
	initiatingUser: string | null;
	result: ActionResult;
	/** How the node arrived at the result when it is not a plain answer (lost answer, replay guard). */
	note?: string;
	request?: IDataObject;
	error?: NodeError;
}

export type Outcomes = ReadonlyMap<Action, Outcome>;

/** A remediation started (or found already running) in this run, and the actions of ours it carries. */
export interface Tracker {
	malopId: string;
	remediationId: string;
	initiatingUser: string;
	actions: Action[];
}

export const PENDING_RESULT: ActionResult = {
	status: 'PENDING',
	message: null,
	errorType: null,
	timestamp: null,
};

/** An action that failed (or will not be sent) with this error. */
export function failedOutcome(error: unknown): Outcome {
	return {
		remediationId: null,
		initiatingUser: null,
		result: PENDING_RESULT,
		error: error as NodeError,
	};
}

export function unique<T>(values: Iterable<T>): T[] {
	return [...new Set(values)];
}

export function itemList(indexes: readonly number[]): string {
	return indexes.length === 1 ? `item ${indexes[0]}` : `items ${indexes.join(', ')}`;
}

/** The first input item of an action, where n8n shows an error about it. */
export function firstItem(action: Action): number {
	return action.planned.itemIndexes[0];
}

/** What an item asked for, shown beside its error. */
export function itemContext(item: RemediationItem): IDataObject {
	return {
		malopId: item.malopId,
		machineGuid: item.machineGuid,
		actionType: item.actionType,
		targetId: item.targetId ?? null,
	};
}
