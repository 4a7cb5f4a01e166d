// API: POST /rest/sensors/query, POST /rest/monitor/global/commands/isolate
// Isolation Method "Sensor Command": one isolate command per Malop for the sensors sensors.ts found; a lost answer
// is resolved by the sensors' own `isolated` flag, never by sending again.
import type { IExecuteFunctions } from 'n8n-workflow';

import { cybereasonApiIsolate, cybereasonApiQuerySensors } from '../shared/api/sensors';
import { CybereasonApiError } from '../shared/errors';
import { isolationResult, type ActionResult, type MalopBatch } from '../shared/remediation';
import type { CybereasonApiClient } from '../shared/transport';
import type { IsolationResponse, Sensor } from '../shared/types';
import {
	firstItem,
	itemList,
	PENDING_RESULT,
	unique,
	type Action,
	type NodeError,
	type Outcome,
	type Run,
} from './model';
import type { LostAnswer } from './lostAnswers';
import { isIsolated, type SensorMatches } from './sensors';

/** The sensors behind these isolation actions, to read whether they report the machine isolated. */
export async function readIsolationState(
	client: CybereasonApiClient,
	actions: Action[],
	sensors: SensorMatches,
): Promise<Sensor[]> {
	return await cybereasonApiQuerySensors(
		client,
		[
			{
				fieldName: 'pylumId',
				operator: 'Equals',
				values: unique(actions.flatMap((a) => sensors.get(a)?.pylumIds ?? [])),
			},
		],
		{ operation: 'read the isolation state of the sensors', itemIndex: firstItem(actions[0]) },
	);
}

/** Whether any of the action's sensors reports its machine isolated. */
export function reportsIsolated(
	action: Action,
	sensors: SensorMatches,
	state: readonly Sensor[],
): boolean {
	const pylumIds = sensors.get(action)?.pylumIds ?? [];
	return state.some((s) => pylumIds.includes(s.pylumId) && isIsolated(s));
}

/** An isolate answer was lost: the sensors' own `isolated` flag says whether it happened. Never sent again. */
async function recoverIsolation(
	client: CybereasonApiClient,
	actions: Action[],
	sensors: SensorMatches,
	lost: LostAnswer,
): Promise<Map<Action, ActionResult>> {
	let state: Sensor[] | undefined;
	let readError: Error | undefined;
	try {
		state = await readIsolationState(client, actions, sensors);
	} catch (error) {
		readError = error as Error;
	}
	const timestamp = Date.now();
	const results = new Map<Action, ActionResult>();
	for (const action of actions) {
		results.set(
			action,
			state && reportsIsolated(action, sensors, state)
				? {
						status: 'SUCCESS',
						message: `The console's answer was lost (${lost.message}); the sensor reports the machine isolated. Nothing was sent again.`,
						errorType: null,
						timestamp,
					}
				: {
						status: 'UNKNOWN',
						message: `The console's answer was lost (${lost.message}) and ${
							readError
								? `the sensor state could not be read (${readError.message})`
								: 'the sensor does not report the machine isolated (yet)'
						}. The command was NOT sent again: check the machine in the Cybereason console before retrying.`,
						errorType: lost.httpCode ?? null,
						timestamp,
					},
		);
	}
	return results;
}

function noMatchingSensors(
	ctx: IExecuteFunctions,
	actions: Action[],
	pylumIds: string[],
): CybereasonApiError {
	const itemIndexes = actions.flatMap((a) => a.planned.itemIndexes);
	const machines = unique(actions.map((a) => a.machineName ?? a.planned.machineGuid)).join(', ');
	return new CybereasonApiError(ctx.getNode(), {
		message: `Cannot isolate ${machines} (${itemList(itemIndexes)}): the console knows none of their sensors (NO_MATCHING_SENSORS)`,
		description: `Sensors ${pylumIds.join(', ')} were not found. The sensor may have been removed or reinstalled; check it in the console, or use the Remediate isolation method.`,
		httpCode: '400',
		itemIndex: itemIndexes[0],
		cybereasonStatus: 'NO_MATCHING_SENSORS',
	});
}

/** One isolate command for the Malop's machines; never sent twice. */
export async function sendIsolation(
	{ ctx, client, credentialUser }: Run,
	batch: MalopBatch,
	actions: Action[],
	sensors: SensorMatches,
): Promise<Map<Action, Outcome>> {
	const pylumIds = unique(actions.flatMap((a) => sensors.get(a)?.pylumIds ?? []));
	const outcome = (result: ActionResult, error?: unknown): Outcome => ({
		remediationId: null,
		initiatingUser: credentialUser,
		result,
		...(error ? { error: error as NodeError } : {}),
	});
	let answer: IsolationResponse | undefined;
	try {
		answer = await cybereasonApiIsolate(
			client,
			{ pylumIds, malopId: batch.malopId },
			{
				operation: `isolate the machines of Malop ${batch.malopId}`,
				itemIndex: firstItem(actions[0]),
			},
		);
	} catch (error) {
		if (error instanceof CybereasonApiError && error.outcomeUnknown) {
			const results = await recoverIsolation(client, actions, sensors, error);
			return new Map(actions.map((a) => [a, outcome(results.get(a)!)]));
		}
		const failure =
			(error as CybereasonApiError).cybereasonStatus === 'NO_MATCHING_SENSORS'
				? noMatchingSensors(ctx, actions, pylumIds)
				: error;
		return new Map(actions.map((a) => [a, outcome(PENDING_RESULT, failure)]));
	}
	// An answer that names none of the sensors cannot be read: as good as lost.
	if (!namesAny(answer, pylumIds)) {
		const lost = { message: 'the answer named none of the sensors', httpCode: '200' };
		const results = await recoverIsolation(client, actions, sensors, lost);
		return new Map(actions.map((a) => [a, outcome(results.get(a)!)]));
	}
	const at = Date.now();
	return new Map(
		actions.map((a) => [a, outcome(isolationResult(answer, sensors.get(a)?.pylumIds ?? [], at))]),
	);
}

/** The isolate answer maps pylumIds to statuses; anything else (no body, a list, other keys) says nothing. */
function namesAny(answer: unknown, pylumIds: readonly string[]): answer is IsolationResponse {
	if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return false;
	return pylumIds.some((id) => typeof (answer as Record<string, unknown>)[id] === 'string');
}
