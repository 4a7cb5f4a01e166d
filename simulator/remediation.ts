// API: POST /rest/remediate, GET /rest/remediate/progress/{user}/{malopId}/{remediationId},
//      GET /rest/remediate/status/{malopId}, POST /rest/remediate/abort/{malopId}/{remediationId}
// Remediation runs asynchronously on the sensor: the console answers at once and the statusLog grows
// as the sensor reports back. Here each step takes `remediationStepMs` and is computed lazily from the
// clock when read, so a manual clock makes the whole lifecycle deterministic (no timers).
import { randomUUID } from 'node:crypto';

import type {
	RemediationActionType,
	RemediationResponse,
	RemediationStatusLogEntry,
} from '../nodes/shared/types';

import {
	ACTION_TYPES,
	actionsForTarget,
	type Outcome,
	type SimMachine,
	type SimMalop,
	type SimTarget,
} from './model';
import { isRecord } from './respond';

type ActionStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILURE' | 'ABORTED';

interface ActionState {
	machineId: string;
	targetId: string;
	actionType: RemediationActionType;
	status: ActionStatus;
	/** Time of the last transition; the next one is due one step later. */
	anchor: number;
	/** The sensor was offline when the next step fell due. */
	blocked: boolean;
	terminal: boolean;
}

export interface RemediationRecord {
	malopId: string | null;
	remediationId: string;
	start: number;
	end: number | null;
	initiatingUser: string;
	actions: ActionState[];
	/** Append-only history: one entry per transition per target. */
	statusLog: RemediationStatusLogEntry[];
}

interface RemediationLookup {
	malop(guid: string): SimMalop | undefined;
	machine(guid: string): SimMachine | undefined;
	target(guid: string): SimTarget | undefined;
	outcome(action: { machineId: string; targetId: string }): Outcome;
	onSuccess(action: { machineId: string; actionType: string }): void;
}

const VALID_TYPES = new Set<string>(ACTION_TYPES);
let objectHash = 0x4ab4a9e2;

/** The console's own words for an action it cannot map to a sensor request (xsoar-get_remediation_action). */
function invalidArgument(): { message: string; errorType: string } {
	objectHash = (Math.imul(objectHash, 2654435761) + 0x9e3779b9) >>> 0;
	return {
		message: `Failed to get ProbeRemediationRequest for action: com.cybereason.commads.remediation.RemediationAction@${objectHash.toString(16)}. Ignoring remediation action.`,
		errorType: 'INVALID_ARGUMENT',
	};
}

function isValidAction(
	lookup: RemediationLookup,
	malop: SimMalop | undefined,
	machineId: string,
	targetId: string | undefined,
	actionType: RemediationActionType,
): boolean {
	const machine = malop
		? malop.machines.find((m) => m.guid === machineId)
		: lookup.machine(machineId);
	if (!machine) return false;
	if (actionType === 'ISOLATE_MACHINE') return targetId === undefined || targetId === machineId;
	if (targetId === undefined) return false;
	const target = malop ? malop.targets.find((t) => t.guid === targetId) : lookup.target(targetId);
	return (
		!!target && target.machineGuid === machineId && actionsForTarget(target).includes(actionType)
	);
}

export class RemediationEngine {
	readonly records = new Map<string, RemediationRecord>();

	constructor(
		private readonly lookup: RemediationLookup,
		private readonly stepMs: number,
	) {}

	/** Validates and starts a remediation; a string is the message of the console's 400 for a malformed body. */
	create(body: unknown, sessionUser: string, now: number): RemediationRecord | string {
		if (!isRecord(body)) return 'Request body must be a JSON object';
		const { malopId, initiatorUserName, actionsByMachine } = body;
		if (malopId !== undefined && malopId !== null && typeof malopId !== 'string') {
			return 'malopId must be a string';
		}
		const malop =
			typeof malopId === 'string' && malopId !== '' ? this.lookup.malop(malopId) : undefined;
		if (typeof malopId === 'string' && malopId !== '' && !malop) {
			return `Malop ID is not valid: ${malopId}`;
		}
		if (!isRecord(actionsByMachine))
			return 'actionsByMachine must be an object keyed by machine GUID';
		const requested: Array<{
			machineId: string;
			targetId: string | undefined;
			actionType: RemediationActionType;
		}> = [];
		for (const [machineId, list] of Object.entries(actionsByMachine)) {
			if (!Array.isArray(list)) return `actionsByMachine.${machineId} must be a list`;
			for (const item of list) {
				if (!isRecord(item) || typeof item.actionType !== 'string') {
					return 'Each action needs an actionType';
				}
				if (!VALID_TYPES.has(item.actionType)) {
					return `Unknown actionType: ${item.actionType}`;
				}
				if (
					item.targetId !== undefined &&
					item.targetId !== null &&
					typeof item.targetId !== 'string'
				) {
					return 'targetId must be a string';
				}
				requested.push({
					machineId,
					targetId: typeof item.targetId === 'string' ? item.targetId : undefined,
					actionType: item.actionType as RemediationActionType,
				});
			}
		}
		if (requested.length === 0) return 'No remediation actions requested';

		const record: RemediationRecord = {
			malopId: malop ? malop.guid : null,
			remediationId: randomUUID(),
			start: now,
			end: null,
			initiatingUser:
				typeof initiatorUserName === 'string' && initiatorUserName !== ''
					? initiatorUserName
					: sessionUser,
			actions: [],
			statusLog: [],
		};
		for (const r of requested) {
			const valid = isValidAction(this.lookup, malop, r.machineId, r.targetId, r.actionType);
			// ISOLATE_MACHINE has no element to name: the machine GUID stands in as targetId.
			const targetId =
				r.actionType === 'ISOLATE_MACHINE' ? (r.targetId ?? r.machineId) : (r.targetId ?? '');
			record.statusLog.push({
				machineId: r.machineId,
				targetId: r.actionType === 'ISOLATE_MACHINE' || r.targetId !== undefined ? targetId : null,
				status: valid ? 'PENDING' : 'FAILURE',
				actionType: r.actionType,
				...(valid ? {} : { error: invalidArgument() }),
				timestamp: now,
			});
			if (valid) {
				record.actions.push({
					machineId: r.machineId,
					targetId,
					actionType: r.actionType,
					status: 'PENDING',
					anchor: now,
					blocked: false,
					terminal: false,
				});
			}
		}
		if (record.actions.length === 0) record.end = now;
		this.records.set(record.remediationId, record);
		this.advance(record, now);
		return record;
	}

	/** Materialises every transition due by `now`, resolving outcomes as they happen. */
	advance(record: RemediationRecord, now: number): void {
		const batch: RemediationStatusLogEntry[] = [];
		for (const a of record.actions) {
			while (!a.terminal) {
				const due = a.anchor + this.stepMs;
				if (now < due) break;
				const outcome = this.lookup.outcome(a);
				if (outcome.status === 'OFFLINE') {
					// A sensor that is not connected never picks the action up: it stays where it is.
					a.blocked = true;
					break;
				}
				a.anchor = due;
				if (a.status === 'PENDING') {
					a.status = 'IN_PROGRESS';
					batch.push(this.entry(a, due));
					continue;
				}
				a.terminal = true;
				a.status = outcome.status;
				if (outcome.status === 'FAILURE') {
					batch.push(
						this.entry(a, due, {
							message: outcome.message ?? `Remediation action ${a.actionType} failed on the sensor`,
							errorType: outcome.errorType ?? 'INTERNAL_ERROR',
						}),
					);
				} else {
					this.lookup.onSuccess(a);
					batch.push(this.entry(a, due));
				}
			}
		}
		batch.sort((x, y) => x.timestamp - y.timestamp);
		record.statusLog.push(...batch);
		this.finish(record);
	}

	advanceAll(now: number): void {
		for (const record of this.records.values()) if (record.end === null) this.advance(record, now);
	}

	/**
	 * Call after an outcome or a machine's connectivity changed (advanceAll first, under the old rules):
	 * blocked actions restart their step from `now`, the moment the sensor could pick them up.
	 */
	unblock(now: number): void {
		for (const record of this.records.values()) {
			for (const a of record.actions) {
				if (a.blocked && !a.terminal) {
					a.blocked = false;
					a.anchor = now;
				}
			}
		}
	}

	/**
	 * The real abort answer is not public: here every action that is not terminal gets a terminal
	 * ABORTED entry and the answer is the remediation object, like progress.
	 */
	abort(record: RemediationRecord, now: number): void {
		this.advance(record, now);
		for (const a of record.actions) {
			if (a.terminal) continue;
			a.terminal = true;
			a.status = 'ABORTED';
			record.statusLog.push(this.entry(a, now));
		}
		this.finish(record);
	}

	private finish(record: RemediationRecord): void {
		if (record.end === null && record.actions.every((a) => a.terminal)) {
			record.end = record.statusLog.reduce((max, e) => Math.max(max, e.timestamp), record.start);
		}
	}

	private entry(
		a: ActionState,
		timestamp: number,
		error?: { message: string; errorType: string },
	): RemediationStatusLogEntry {
		const { machineId, targetId, status, actionType } = a;
		return error
			? { machineId, targetId, status, actionType, error, timestamp }
			: { machineId, targetId, status, actionType, timestamp };
	}

	/**
	 * Wire shape (rapid7-remediate_items, xsoar-get_remediation_action): `end` only once finished.
	 * With `pendingInLog` false the PENDING entries are left out, as in the immediate answer that
	 * Rapid7 captured (`statusLog: []`); terminal failures found at validation are always included.
	 */
	render(record: RemediationRecord, pendingInLog = true): RemediationResponse {
		const statusLog = record.statusLog
			.filter((e) => pendingInLog || e.status !== 'PENDING')
			.map((e) => (e.error ? { ...e, error: { ...e.error } } : { ...e }));
		const head = {
			malopId: record.malopId as string,
			remediationId: record.remediationId,
			start: record.start,
		};
		const tail = { initiatingUser: record.initiatingUser, statusLog };
		return record.end === null ? { ...head, ...tail } : { ...head, end: record.end, ...tail };
	}
}
