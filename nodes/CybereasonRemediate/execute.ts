// API: POST /rest/remediate, GET /rest/remediate/progress/{user}/{malopId}/{remediationId},
//      GET /rest/remediate/status/{malopId}, POST /rest/remediate/abort/{malopId}/{remediationId},
//      POST /rest/sensors/query, POST /rest/monitor/global/commands/isolate
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	cybereasonApiAbortRemediation,
	cybereasonApiRemediate,
	cybereasonApiRemediationHistory,
	cybereasonApiRemediationProgress,
	REMEDIATE_ENDPOINT,
} from '../shared/api/remediation';
import {
	cybereasonApiIsolate,
	cybereasonApiQuerySensors,
	ISOLATE_ENDPOINT,
	NOT_ARCHIVED,
	type SensorFilter,
} from '../shared/api/sensors';
import { CybereasonApiError } from '../shared/errors';
import { errorItem, mapWithConcurrency } from '../shared/items';
import type {
	ActionResult,
	MalopBatch,
	PlannedAction,
	RemediationItem,
} from '../shared/remediation';
import {
	actionResult,
	countActions,
	findRecentlySent,
	findSentRemediation,
	isInputProblem,
	isolationResult,
	isTerminal,
	latestEntry,
	nameCheckNeeded,
	parseProtectedMachines,
	planBatches,
	protectedEntry,
	remediateRequest,
	resultOf,
	validateItem,
} from '../shared/remediation';
import { CybereasonApiClient } from '../shared/transport';
import type { IsolationResponse, RemediationResponse, Sensor } from '../shared/types';
import { DEFAULT_POLL_INTERVAL_S, DEFAULT_REPLAY_GUARD_S, DEFAULT_TIMEOUT_S } from './description';

/** Malops handled at once (history read, POST, progress reads, abort). A run sends one POST per Malop. */
export const MALOP_CONCURRENCY = 5;
/** Allowed difference between the console's clock and ours when finding a remediation whose answer was lost. */
export const CLOCK_SKEW_MS = 120_000;

type NodeError = NodeApiError | NodeOperationError;

interface Options {
	waitForCompletion: boolean;
	timeoutMs: number;
	pollMs: number;
	abortOnTimeout: boolean;
	isolationMethod: 'remediate' | 'sensorCommand';
	dryRun: boolean;
	protectedMachines: string[];
	maxTargetsPerRun: number;
	replayGuardMs: number;
}

interface ActionState {
	planned: PlannedAction;
	batch: MalopBatch;
	via: 'remediate' | 'sensorCommand';
	machineName?: string;
	remediationId: string | null;
	initiatingUser: string | null;
	result: ActionResult;
	/** How the node arrived at the result when it is not a plain answer (lost answer, replay guard). */
	note?: string;
	request?: IDataObject;
	pylumIds?: string[];
	error?: NodeError;
}

interface Tracker {
	malopId: string;
	remediationId: string;
	initiatingUser: string;
	actions: ActionState[];
	/** Progress could not be read and retrying cannot help (a 4xx): the last known status stays. */
	stoppedBy?: string;
}

type Slot =
	| { kind: 'error'; error: NodeError; context: IDataObject }
	| { kind: 'protected'; item: RemediationItem; entry: string; at: number }
	| { kind: 'action'; item: RemediationItem; action: ActionState };

function readOptions(ctx: IExecuteFunctions): Options {
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
	};
}

function unique<T>(values: Iterable<T>): T[] {
	return [...new Set(values)];
}

function itemList(indexes: readonly number[]): string {
	return indexes.length === 1 ? `item ${indexes[0]}` : `items ${indexes.join(', ')}`;
}

function describeAction(action: PlannedAction): string {
	return action.actionType === 'ISOLATE_MACHINE'
		? `machine ${action.machineGuid}`
		: `target ${action.targetId} on machine ${action.machineGuid}`;
}

function isInvalidArgument(action: ActionState): boolean {
	return action.result.status === 'FAILURE' && action.result.errorType === 'INVALID_ARGUMENT';
}

/** `={{ $json.field }}`: the defaults of Malop ID, Machine GUID and Target ID, and the usual Action mapping. */
const FIELD_EXPRESSION = /^=\{\{\s*\$json\.([A-Za-z_$][\w$]*)\s*\}\}$/;

/**
 * One parameter of one item. n8n evaluates every expression in a fresh sandbox, about a third of a millisecond
 * each: for 1,000 items × 4 parameters that is longer than all the console calls of the run. A plain
 * `{{ $json.field }}` whose field holds a string evaluates to that very string, so it is read from the item
 * directly; any other expression or value goes through n8n as usual.
 */
function itemParameter(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	name: string,
	itemIndex: number,
	fallback?: unknown,
): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
	const field = typeof raw === 'string' ? FIELD_EXPRESSION.exec(raw)?.[1] : undefined;
	if (field !== undefined) {
		const value = items[itemIndex].json[field];
		if (typeof value === 'string') return value;
	}
	return ctx.getNodeParameter(name, itemIndex, fallback);
}

export async function executeRemediate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const runStart = Date.now();
	const node = this.getNode();
	const items = this.getInputData();
	const client = new CybereasonApiClient(this);
	const options = readOptions(this);
	const continueOnFail = this.continueOnFail();
	const slots: Slot[] = new Array<Slot>(items.length);
	// Initiator when the parameter is empty, and the user isolation commands run as (the session's user).
	const credentialUser = await client.username();

	/** With continue-on-fail the item becomes an error item; without, the run stops here, before anything is sent. */
	const refuse = (itemIndex: number, error: NodeError, context: IDataObject = {}) => {
		if (!continueOnFail) throw error;
		slots[itemIndex] = { kind: 'error', error, context };
	};

	// 1. Read and validate every item before anything is sent.
	const valid: RemediationItem[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let checked: ReturnType<typeof validateItem>;
		try {
			const actionType = itemParameter(this, items, 'actionType', itemIndex);
			const isolate = String(actionType).trim().toUpperCase() === 'ISOLATE_MACHINE';
			const initiator = String(
				this.getNodeParameter('initiatorUserName', itemIndex, '') ?? '',
			).trim();
			checked = validateItem(itemIndex, {
				actionType,
				malopId: itemParameter(this, items, 'malopId', itemIndex, ''),
				machineGuid: itemParameter(this, items, 'machineGuid', itemIndex, ''),
				// Hidden (and not needed) for ISOLATE_MACHINE: the action targets the machine itself.
				targetId: isolate ? undefined : itemParameter(this, items, 'targetId', itemIndex, ''),
				machineName: items[itemIndex].json.machineName,
				initiatorUserName: initiator || credentialUser,
			});
		} catch (error) {
			const cause = error as Error;
			refuse(
				itemIndex,
				new NodeOperationError(
					node,
					`Could not read the parameters of item ${itemIndex}: ${cause.message}`,
					{
						itemIndex,
						description:
							'Check the expressions of Action, Malop ID, Machine GUID and Target ID for this item.',
					},
				),
			);
			continue;
		}
		if (isInputProblem(checked)) {
			refuse(
				itemIndex,
				new NodeOperationError(node, checked.message, {
					itemIndex,
					description: checked.description,
				}),
			);
			continue;
		}
		valid.push(checked);
	}
	const contextOf = (item: RemediationItem): IDataObject => ({
		malopId: item.malopId,
		machineGuid: item.machineGuid,
		actionType: item.actionType,
		targetId: item.targetId ?? null,
	});

	// 2. Protected machines. A name-based entry needs the machine's name: from the item, or the console's sensors.
	let eligible = valid;
	if (options.protectedMachines.length > 0) {
		const entries = options.protectedMachines;
		const unnamed = valid.filter(
			(item) => !item.machineName && nameCheckNeeded(entries, item.machineGuid),
		);
		const namesByGuid = new Map<string, string[]>();
		let lookupError: Error | undefined;
		if (unnamed.length > 0) {
			try {
				const sensors = await querySensors(
					client,
					[
						{
							fieldName: 'guid',
							operator: 'Equals',
							values: unique(unnamed.map((item) => item.machineGuid)),
						},
					],
					'look up machine names to check them against Protected Machines',
					unnamed[0].itemIndex,
				);
				for (const sensor of sensors) {
					const names = namesByGuid.get(sensor.guid) ?? [];
					for (const name of [sensor.machineName, sensor.fqdn])
						if (typeof name === 'string' && name) names.push(name);
					namesByGuid.set(sensor.guid, names);
				}
			} catch (error) {
				lookupError = error as Error;
			}
		}
		eligible = [];
		for (const item of valid) {
			let names = item.machineName ? [item.machineName] : (namesByGuid.get(item.machineGuid) ?? []);
			if (!item.machineName && names.length > 0) item.machineName = names[0];
			if (names.length === 0 && nameCheckNeeded(entries, item.machineGuid)) {
				refuse(
					item.itemIndex,
					new NodeOperationError(
						node,
						`Cannot check item ${item.itemIndex} against Protected Machines: the name of machine ${item.machineGuid} is unknown`,
						{
							itemIndex: item.itemIndex,
							description: `${
								lookupError
									? `Looking it up failed: ${lookupError.message}.`
									: 'The item has no machineName and the console has no sensor with this GUID.'
							} The item was not sent, so that no protected machine is touched unchecked. Add machineName to the item, or list the machine's GUID instead of its name.`,
						},
					),
					contextOf(item),
				);
				continue;
			}
			names = unique(names);
			const entry = protectedEntry(entries, item.machineGuid, names);
			if (entry !== undefined) {
				slots[item.itemIndex] = { kind: 'protected', item, entry, at: Date.now() };
				continue;
			}
			eligible.push(item);
		}
	}

	// 3. Plan: one request per Malop, duplicates merged. Then the cap, over everything the run would send.
	const batches = planBatches(eligible);
	const total = countActions(batches);
	if (options.maxTargetsPerRun > 0 && total > options.maxTargetsPerRun) {
		const refusal = new NodeOperationError(
			node,
			`Refused: this run would act on ${total} targets, more than Max Targets Per Run (${options.maxTargetsPerRun}). Nothing was sent.`,
			{
				description:
					'Each distinct machine + action + target counts once (duplicates and protected machines are not counted). Filter the input items, split the run, or raise the cap.',
			},
		);
		if (!continueOnFail) throw refusal;
		// n8n would pass the input through unchanged; say instead, on every item that would have been sent, why not.
		for (const item of eligible)
			slots[item.itemIndex] = { kind: 'error', error: refusal, context: contextOf(item) };
		return [buildOutput(slots, items.length)];
	}
	const itemsByIndex = new Map(eligible.map((item) => [item.itemIndex, item]));
	const states: ActionState[] = [];
	const statesByBatch = new Map<MalopBatch, ActionState[]>();
	for (const batch of batches) {
		const list: ActionState[] = [];
		for (const planned of batch.actions) {
			const state: ActionState = {
				planned,
				batch,
				via:
					planned.actionType === 'ISOLATE_MACHINE' && options.isolationMethod === 'sensorCommand'
						? 'sensorCommand'
						: 'remediate',
				machineName: planned.itemIndexes
					.map((i) => itemsByIndex.get(i)?.machineName)
					.find((n) => n !== undefined),
				remediationId: null,
				initiatingUser: null,
				result: { status: 'PENDING', message: null, errorType: null, timestamp: null },
			};
			list.push(state);
			states.push(state);
			for (const itemIndex of planned.itemIndexes) {
				slots[itemIndex] = { kind: 'action', item: itemsByIndex.get(itemIndex)!, action: state };
			}
		}
		statesByBatch.set(batch, list);
	}

	// 4. Isolation by sensor command needs each machine's sensors (pylumIds): looked up before anything is sent.
	const isolations = states.filter((s) => s.via === 'sensorCommand');
	if (isolations.length > 0) {
		await findSensors(client, isolations, node, continueOnFail);
	}

	// 5. Dry run: the exact requests, nothing sent.
	if (options.dryRun) {
		const at = Date.now();
		for (const batch of batches) {
			const list = statesByBatch.get(batch)!.filter((s) => !s.error);
			const remediate = list.filter((s) => s.via === 'remediate');
			const isolate = list.filter((s) => s.via === 'sensorCommand');
			const remediateBody = remediateRequest(
				batch,
				remediate.map((s) => s.planned),
			);
			const isolateBody = {
				pylumIds: unique(isolate.flatMap((s) => s.pylumIds ?? [])),
				malopId: batch.malopId,
			};
			for (const s of list) {
				s.initiatingUser = s.via === 'remediate' ? batch.initiatorUserName : credentialUser;
				s.request =
					s.via === 'remediate'
						? {
								...REMEDIATE_ENDPOINT,
								body: remediateBody as unknown as IDataObject,
							}
						: { ...ISOLATE_ENDPOINT, body: isolateBody };
				s.result = {
					status: 'DRY_RUN',
					message: `Dry run: nothing was sent. 'request' is what would have been sent for Malop ${batch.malopId}.`,
					errorType: null,
					timestamp: at,
				};
			}
		}
		return [buildOutput(slots, items.length)];
	}

	// 6. Send: per Malop, the replay guard's history read, then one POST (and one isolate command if asked).
	const trackers = new Map<string, Tracker>();
	const hints: string[] = [];
	let halted: { error: NodeError; batch: MalopBatch } | undefined;

	const track = (answer: RemediationResponse, batch: MalopBatch, actions: ActionState[]) => {
		let tracker = trackers.get(answer.remediationId);
		if (!tracker) {
			tracker = {
				malopId: batch.malopId,
				remediationId: answer.remediationId,
				initiatingUser:
					typeof answer.initiatingUser === 'string' && answer.initiatingUser
						? answer.initiatingUser
						: batch.initiatorUserName,
				actions: [],
			};
			trackers.set(answer.remediationId, tracker);
		}
		tracker.actions.push(...actions);
	};

	const adopt = (
		answer: RemediationResponse,
		batch: MalopBatch,
		actions: ActionState[],
		note?: string,
	) => {
		const siblings = actions.map((a) => a.planned);
		for (const action of actions) {
			action.remediationId = answer.remediationId;
			action.initiatingUser = answer.initiatingUser ?? batch.initiatorUserName;
			action.result = actionResult(answer, action.planned, siblings);
			if (note) action.note = note;
		}
		track(answer, batch, actions);
	};

	const fail = (batch: MalopBatch, actions: ActionState[], error: NodeError) => {
		for (const action of actions) action.error = error;
		if (!continueOnFail) halted ??= { error, batch };
	};

	const recover = async (
		batch: MalopBatch,
		actions: ActionState[],
		lost: { message: string; httpCode?: string | null },
		sentAt: number,
	) => {
		let history: RemediationResponse[] | undefined;
		let readError: Error | undefined;
		try {
			history = await cybereasonApiRemediationHistory(client, batch.malopId, {
				itemIndex: actions[0].planned.itemIndexes[0],
			});
		} catch (error) {
			readError = error as Error;
		}
		const found = history
			? findSentRemediation(history, {
					initiatorUserName: batch.initiatorUserName,
					sentAt,
					skewMs: CLOCK_SKEW_MS,
					actions: actions.map((a) => a.planned),
				})
			: undefined;
		if (found) {
			adopt(
				found,
				batch,
				actions,
				`The console's answer was lost (${lost.message}). Remediation ${found.remediationId} was found in the Malop's history; nothing was sent again.`,
			);
			return;
		}
		for (const action of actions) {
			action.initiatingUser = batch.initiatorUserName;
			action.result = {
				status: 'UNKNOWN',
				message: `The console's answer was lost (${lost.message}) and ${
					readError
						? `its remediation history could not be read (${readError.message})`
						: "no matching remediation appears in the Malop's history"
				}. The request was NOT sent again, so that no action runs twice: check the Malop's remediations in the Cybereason console before retrying.`,
				errorType: lost.httpCode ?? null,
				timestamp: Date.now(),
			};
		}
	};

	const replayGuard = async (batch: MalopBatch, actions: ActionState[]): Promise<ActionState[]> => {
		if (options.replayGuardMs <= 0 || actions.length === 0) return actions;
		let history: RemediationResponse[];
		try {
			history = await cybereasonApiRemediationHistory(client, batch.malopId, {
				itemIndex: actions[0].planned.itemIndexes[0],
			});
		} catch (error) {
			hints.push(
				`Replay guard: could not read the remediation history of Malop ${batch.malopId} (${(error as Error).message}); its actions were sent without that check.`,
			);
			return actions;
		}
		const since = runStart - options.replayGuardMs;
		const toSend: ActionState[] = [];
		const adopted = new Map<
			string,
			{ remediation: RemediationResponse; actions: ActionState[]; unconfirmed: boolean }
		>();
		for (const action of actions) {
			const found = findRecentlySent(history, action.planned, {
				initiatorUserName: batch.initiatorUserName,
				since,
				now: Date.now(),
			});
			if (!found) {
				toSend.push(action);
				continue;
			}
			const group = adopted.get(found.remediation.remediationId) ?? {
				remediation: found.remediation,
				actions: [],
				unconfirmed: found.unconfirmed === true,
			};
			group.actions.push(action);
			adopted.set(found.remediation.remediationId, group);
		}
		for (const { remediation, actions: same, unconfirmed } of adopted.values()) {
			const at = new Date(Number(remediation.start)).toISOString();
			adopt(
				remediation,
				batch,
				same,
				unconfirmed
					? `Remediation ${remediation.remediationId}, started by the same user at ${at}, has not listed its actions yet and may hold this one; not sent again, so that it cannot run twice. Check it in the console, or run again in a few minutes.`
					: `Already sent by remediation ${remediation.remediationId} at ${at}, within the replay guard window; not sent again.`,
			);
		}
		if (adopted.size > 0) {
			const count = actions.length - toSend.length;
			hints.push(
				`Replay guard: ${count} action(s) of Malop ${batch.malopId} were already started by ${batch.initiatorUserName} within the last ${Math.round(
					options.replayGuardMs / 1000,
				)} s and were not sent again.`,
			);
		}
		return toSend;
	};

	const sendRemediation = async (batch: MalopBatch, actions: ActionState[]) => {
		const body = remediateRequest(
			batch,
			actions.map((a) => a.planned),
		);
		const sentAt = Date.now();
		let answer: RemediationResponse | undefined;
		try {
			answer = await cybereasonApiRemediate(client, body, {
				itemIndex: actions[0].planned.itemIndexes[0],
			});
		} catch (error) {
			if (error instanceof CybereasonApiError && error.outcomeUnknown) {
				await recover(batch, actions, error, sentAt);
				return;
			}
			fail(batch, actions, error as NodeError);
			return;
		}
		if (!answer || typeof answer.remediationId !== 'string') {
			await recover(
				batch,
				actions,
				{ message: 'the answer carried no remediationId', httpCode: '200' },
				sentAt,
			);
			return;
		}
		adopt(answer, batch, actions);
	};

	const sendIsolation = async (batch: MalopBatch, actions: ActionState[]) => {
		const pylumIds = unique(actions.flatMap((a) => a.pylumIds ?? []));
		const itemIndexes = actions.flatMap((a) => a.planned.itemIndexes);
		for (const action of actions) action.initiatingUser = credentialUser;
		let answer: IsolationResponse;
		try {
			answer = await cybereasonApiIsolate(
				client,
				{ pylumIds, malopId: batch.malopId },
				{ operation: `isolate the machines of Malop ${batch.malopId}`, itemIndex: itemIndexes[0] },
			);
		} catch (error) {
			const apiError = error as CybereasonApiError;
			if (apiError instanceof CybereasonApiError && apiError.outcomeUnknown) {
				await recoverIsolation(client, actions, apiError);
				return;
			}
			if (apiError.cybereasonStatus === 'NO_MATCHING_SENSORS') {
				const machines = unique(actions.map((a) => a.machineName ?? a.planned.machineGuid)).join(
					', ',
				);
				fail(
					batch,
					actions,
					new CybereasonApiError(node, {
						message: `Cannot isolate ${machines} (${itemList(itemIndexes)}): the console knows none of their sensors (NO_MATCHING_SENSORS)`,
						description: `Sensors ${pylumIds.join(', ')} were not found. The sensor may have been removed or reinstalled; check it in the console, or use the Remediate isolation method.`,
						httpCode: '400',
						itemIndex: itemIndexes[0],
						cybereasonStatus: 'NO_MATCHING_SENSORS',
					}),
				);
				return;
			}
			fail(batch, actions, error as NodeError);
			return;
		}
		const at = Date.now();
		for (const action of actions)
			action.result = isolationResult(answer, action.pylumIds ?? [], at);
	};

	await mapWithConcurrency(batches, MALOP_CONCURRENCY, async (batch) => {
		if (halted) return;
		const list = statesByBatch.get(batch)!.filter((s) => !s.error);
		const remediate = await replayGuard(
			batch,
			list.filter((s) => s.via === 'remediate'),
		);
		if (halted) return;
		if (remediate.length > 0) await sendRemediation(batch, remediate);
		const isolate = list.filter((s) => s.via === 'sensorCommand');
		if (isolate.length > 0 && !halted) await sendIsolation(batch, isolate);
	});

	const started = () =>
		[...trackers.values()].map((t) => `${t.remediationId} (Malop ${t.malopId})`).join(', ') ||
		'none';

	if (halted) {
		const { error } = halted;
		error.description = `${error.description ? `${error.description} ` : ''}Remediations started in this run before it stopped: ${started()}.`;
		throw error;
	}
	const invalidError = (action: ActionState, itemIndex: number) => {
		const tracker = action.remediationId ? trackers.get(action.remediationId) : undefined;
		const others = (tracker?.actions ?? []).filter((a) => a !== action && !isInvalidArgument(a));
		const what = describeAction(action.planned);
		return new CybereasonApiError(node, {
			message: `Cybereason refused ${action.planned.actionType} on ${what} (item ${itemIndex}): it is not part of Malop ${action.batch.malopId}. ${
				others.length > 0
					? `The other ${others.length} action(s) of remediation ${action.remediationId} were sent.`
					: `Nothing else was sent in remediation ${action.remediationId}.`
			}`,
			description: `The console answered INVALID_ARGUMENT${
				action.result.message ? `: "${action.result.message}"` : ''
			}. The machine must be one of the Malop's affected machines, and the target one of that machine's elements that supports ${
				action.planned.actionType
			}. Remediations started in this run: ${started()}.`,
			itemIndex,
			cybereasonStatus: 'INVALID_ARGUMENT',
		});
	};
	const throwIfInvalid = () => {
		if (continueOnFail) return;
		const invalid = states.find((s) => !s.error && isInvalidArgument(s));
		if (invalid) throw invalidError(invalid, invalid.planned.itemIndexes[0]);
	};
	throwIfInvalid();

	// 7. Wait: poll every unfinished remediation once per interval, under one deadline for the whole run.
	if (options.waitForCompletion) {
		await waitForResults(this, client, [...trackers.values()], isolations, options, runStart);
	}
	throwIfInvalid();
	for (const state of states) {
		if (!state.error && isInvalidArgument(state))
			state.error = invalidError(state, state.planned.itemIndexes[0]);
	}
	if (hints.length > 0) {
		this.addExecutionHints(
			...hints.map((message) => ({
				message,
				type: 'warning' as const,
				location: 'outputPane' as const,
			})),
		);
	}
	return [buildOutput(slots, items.length)];
}

async function querySensors(
	client: CybereasonApiClient,
	filters: SensorFilter[],
	operation: string,
	itemIndex: number,
): Promise<Sensor[]> {
	return await cybereasonApiQuerySensors(client, filters, { operation, itemIndex });
}

/** pylumIds per machine: by GUID, else by the item's machine name; archived sensors never count. */
async function findSensors(
	client: CybereasonApiClient,
	actions: ActionState[],
	node: ReturnType<IExecuteFunctions['getNode']>,
	continueOnFail: boolean,
) {
	const byGuid = new Map<string, Sensor[]>();
	const byName = new Map<string, Sensor[]>();
	const firstItem = actions[0].planned.itemIndexes[0];
	try {
		const guids = unique(actions.map((a) => a.planned.machineGuid));
		for (const sensor of await querySensors(
			client,
			[{ fieldName: 'guid', operator: 'Equals', values: guids }, NOT_ARCHIVED],
			'look up the sensors of the machines to isolate',
			firstItem,
		)) {
			byGuid.set(sensor.guid, [...(byGuid.get(sensor.guid) ?? []), sensor]);
		}
		const names = unique(
			actions
				.filter((a) => !byGuid.has(a.planned.machineGuid) && a.machineName)
				.map((a) => a.machineName as string),
		);
		if (names.length > 0) {
			for (const sensor of await querySensors(
				client,
				[{ fieldName: 'machineName', operator: 'Equals', values: names }, NOT_ARCHIVED],
				'look up the sensors of the machines to isolate by name',
				firstItem,
			)) {
				const key = String(sensor.machineName).toLowerCase();
				byName.set(key, [...(byName.get(key) ?? []), sensor]);
			}
		}
	} catch (error) {
		const cause = error as CybereasonApiError;
		const wrapped = new NodeOperationError(
			node,
			`Could not look up the sensors of the machines to isolate: ${cause.message}. Nothing was sent.`,
			{ itemIndex: firstItem, description: cause.description ?? undefined },
		);
		if (!continueOnFail) throw wrapped;
		for (const action of actions) action.error = wrapped;
		return;
	}
	for (const action of actions) {
		const viaGuid = byGuid.get(action.planned.machineGuid);
		const sensors =
			viaGuid ??
			(action.machineName ? byName.get(action.machineName.toLowerCase()) : undefined) ??
			[];
		if (sensors.length === 0) {
			const error = new NodeOperationError(
				node,
				`No active sensor found for machine ${action.machineName ?? action.planned.machineGuid} (${itemList(
					action.planned.itemIndexes,
				)}): it cannot be isolated by sensor command`,
				{
					itemIndex: action.planned.itemIndexes[0],
					description: `The console has no sensor that is not archived with GUID ${action.planned.machineGuid}${
						action.machineName ? ` or name ${action.machineName}` : ''
					}. Check the sensor in the console, or use the Remediate isolation method.`,
				},
			);
			if (!continueOnFail) throw error;
			action.error = error;
			continue;
		}
		action.pylumIds = unique(sensors.map((s) => s.pylumId));
		action.machineName ??= sensors[0].machineName;
		if (!viaGuid) action.note = `Sensor found by machine name ${action.machineName}, not by GUID.`;
		if (action.pylumIds.length > 1) {
			action.note = `${action.note ? `${action.note} ` : ''}${action.pylumIds.length} sensors match this machine; all of them were sent the isolate command.`;
		}
	}
}

function isIsolated(sensor: Sensor): boolean {
	return sensor.isolated === true || String(sensor.isolated).toLowerCase() === 'true';
}

/** An isolate answer was lost: the sensors' own `isolated` flag says whether it happened. Never sent again. */
/** The sensors behind these isolation actions, to read whether they report the machine isolated. */
async function readIsolationState(
	client: CybereasonApiClient,
	actions: ActionState[],
): Promise<Sensor[]> {
	return await querySensors(
		client,
		[
			{
				fieldName: 'pylumId',
				operator: 'Equals',
				values: unique(actions.flatMap((a) => a.pylumIds ?? [])),
			},
		],
		'read the isolation state of the sensors',
		actions[0].planned.itemIndexes[0],
	);
}

async function recoverIsolation(
	client: CybereasonApiClient,
	actions: ActionState[],
	lost: CybereasonApiError,
) {
	let sensors: Sensor[] | undefined;
	let readError: Error | undefined;
	try {
		sensors = await readIsolationState(client, actions);
	} catch (error) {
		readError = error as Error;
	}
	const at = Date.now();
	for (const action of actions) {
		const isolated = sensors?.some((s) => action.pylumIds?.includes(s.pylumId) && isIsolated(s));
		action.result = isolated
			? {
					status: 'SUCCESS',
					message: `The console's answer was lost (${lost.message}); the sensor reports the machine isolated. Nothing was sent again.`,
					errorType: null,
					timestamp: at,
				}
			: {
					status: 'UNKNOWN',
					message: `The console's answer was lost (${lost.message}) and ${
						readError
							? `the sensor state could not be read (${readError.message})`
							: 'the sensor does not report the machine isolated (yet)'
					}. The command was NOT sent again: check the machine in the Cybereason console before retrying.`,
					errorType: lost.httpCode ?? null,
					timestamp: at,
				};
	}
}

async function waitForResults(
	ctx: IExecuteFunctions,
	client: CybereasonApiClient,
	trackers: Tracker[],
	isolations: ActionState[],
	options: Options,
	runStart: number,
) {
	const deadline = runStart + options.timeoutMs;
	const cancel = ctx.getExecutionCancelSignal?.();
	const unfinished = (t: Tracker) =>
		t.actions.filter((a) => !a.error && !isTerminal(a.result.status));
	const queued = () =>
		isolations.filter((a) => !a.error && a.result.status === 'PENDING' && a.pylumIds?.length);

	const poll = async (tracker: Tracker) => {
		try {
			const answer = await cybereasonApiRemediationProgress(client, tracker, {
				itemIndex: tracker.actions[0].planned.itemIndexes[0],
			});
			const siblings = tracker.actions.map((a) => a.planned);
			for (const action of tracker.actions) {
				if (isTerminal(action.result.status)) continue;
				// An action the console has not mentioned yet keeps its last known status.
				const entry = latestEntry(answer?.statusLog, action.planned, siblings);
				if (entry) action.result = resultOf(entry, null);
			}
		} catch (error) {
			const e = error as CybereasonApiError;
			// Reads were already retried by the transport; a 4xx will not get better by asking again.
			if (/^4\d\d$/.test(String(e.httpCode ?? '')) && e.httpCode !== '429')
				tracker.stoppedBy = e.message;
		}
	};

	const pollIsolation = async (actions: ActionState[]) => {
		let sensors: Sensor[];
		try {
			sensors = await readIsolationState(client, actions);
		} catch {
			return;
		}
		for (const action of actions) {
			if (sensors.some((s) => action.pylumIds?.includes(s.pylumId) && isIsolated(s))) {
				action.result = {
					status: 'SUCCESS',
					message: 'The sensor reconnected and reports the machine isolated',
					errorType: null,
					timestamp: Date.now(),
				};
			}
		}
	};

	for (;;) {
		const open = trackers.filter((t) => !t.stoppedBy && unfinished(t).length > 0);
		const waiting = queued();
		if (open.length === 0 && waiting.length === 0) break;
		const remaining = deadline - Date.now();
		if (remaining <= 0 || cancel?.aborted) break;
		await sleep(Math.min(options.pollMs, remaining));
		if (cancel?.aborted) break;
		await mapWithConcurrency(open, MALOP_CONCURRENCY, poll);
		if (waiting.length > 0) await pollIsolation(waiting);
	}

	const seconds = Math.round(options.timeoutMs / 100) / 10;
	const now = Date.now();
	const timedOut = (action: ActionState, detail: string): ActionResult => ({
		status: 'TIMEOUT',
		message: `Still ${action.result.status} when the timeout of ${seconds} s passed. ${detail}`,
		errorType: null,
		timestamp: now,
	});

	await mapWithConcurrency(trackers, MALOP_CONCURRENCY, async (tracker) => {
		const open = unfinished(tracker);
		if (open.length === 0) return;
		if (tracker.stoppedBy) {
			for (const action of open) {
				action.result = {
					...action.result,
					message: `Could not follow the progress of remediation ${tracker.remediationId}: ${tracker.stoppedBy}`,
				};
			}
			return;
		}
		if (cancel?.aborted) return;
		if (!options.abortOnTimeout) {
			for (const action of open) {
				action.result = timedOut(
					action,
					'The action is still queued or running in the console; abort it there if it is no longer wanted, or turn on Abort On Timeout.',
				);
			}
			return;
		}
		let answer: RemediationResponse | undefined;
		try {
			answer = await cybereasonApiAbortRemediation(client, tracker, {
				itemIndex: open[0].planned.itemIndexes[0],
			});
		} catch (error) {
			for (const action of open) {
				action.result = timedOut(
					action,
					`Aborting remediation ${tracker.remediationId} failed (${(error as Error).message}); check it in the console.`,
				);
			}
			return;
		}
		const siblings = tracker.actions.map((a) => a.planned);
		for (const action of open) {
			const entry = latestEntry(answer?.statusLog, action.planned, siblings);
			// The abort answer is the console's word: ABORTED, or the real status of an action that finished first.
			if (entry && isTerminal(String(entry.status))) {
				action.result = resultOf(entry, null);
			} else {
				action.result = timedOut(
					action,
					`Abort of remediation ${tracker.remediationId} was requested, but the console did not confirm it for this action; check it in the console.`,
				);
			}
		}
	});

	if (cancel?.aborted) return;
	for (const action of queued()) {
		action.result = timedOut(
			action,
			'The sensor is offline: the isolation stays queued (Primed) and applies when it reconnects. A sensor command cannot be aborted; un-isolate the machine in the console if it is no longer wanted.',
		);
	}
}

function buildOutput(slots: Slot[], count: number): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const slot = slots[itemIndex];
		if (slot.kind === 'error') {
			output.push(errorItem(slot.error, itemIndex, slot.context));
			continue;
		}
		const { item } = slot;
		const base: IDataObject = {
			malopId: item.malopId,
			machineGuid: item.machineGuid,
			machineName: item.machineName ?? null,
			actionType: item.actionType,
			targetId: item.targetId ?? null,
		};
		if (slot.kind === 'protected') {
			output.push({
				json: {
					...base,
					remediationId: null,
					initiatingUser: null,
					results: {
						status: 'SKIPPED_PROTECTED',
						message: `Machine ${item.machineName ?? item.machineGuid} matches the Protected Machines entry "${slot.entry}"; nothing was sent`,
						errorType: null,
						timestamp: slot.at,
					},
				},
				pairedItem: { item: itemIndex },
			});
			continue;
		}
		const { action } = slot;
		if (action.error) {
			output.push(
				errorItem(action.error, itemIndex, { ...base, remediationId: action.remediationId }),
			);
			continue;
		}
		const json: IDataObject = {
			...base,
			machineName: item.machineName ?? action.machineName ?? null,
			remediationId: action.remediationId,
			initiatingUser: action.initiatingUser,
			results: { ...action.result },
		};
		if (action.via === 'sensorCommand') json.pylumIds = action.pylumIds ?? [];
		if (action.note) json.note = action.note;
		if (action.request) json.request = action.request;
		output.push({ json, pairedItem: { item: itemIndex } });
	}
	return output;
}
