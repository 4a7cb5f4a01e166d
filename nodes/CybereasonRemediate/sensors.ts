// API: POST /rest/sensors/query
// Stage 4, for Isolation Method "Sensor Command": each machine's sensors (pylumIds), looked up before anything is
// sent, by GUID, else by the item's machine name; archived sensors never count.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cybereasonApiQuerySensors, NOT_ARCHIVED, type SensorFilter } from '../shared/api/sensors';
import type { CybereasonApiError } from '../shared/errors';
import { failedInput } from '../shared/items';
import type { CybereasonApiClient } from '../shared/transport';
import type { Sensor } from '../shared/types';
import {
	failedOutcome,
	firstItem,
	itemList,
	unique,
	type Action,
	type Outcome,
	type Outcomes,
	type Run,
} from './model';

/** The sensors found for a machine to isolate. */
interface SensorMatch {
	pylumIds: string[];
	machineName?: string;
	/** How they were found, when it is worth saying (by name, several of them). */
	note?: string;
	/** One of them reports the machine isolated already. */
	isolated: boolean;
}

export type SensorMatches = ReadonlyMap<Action, SensorMatch>;

/** The console spells the flag as a boolean or, in some captures, as the string "true". */
export function isIsolated(sensor: Sensor): boolean {
	return sensor.isolated === true || String(sensor.isolated).toLowerCase() === 'true';
}

/** What the lookup stage hands on: the sensors found, and the actions that cannot be sent. */
export interface Prepared {
	sensors: SensorMatches;
	failed: Outcomes;
}

function grouped(sensors: Sensor[], key: (sensor: Sensor) => string): Map<string, Sensor[]> {
	const map = new Map<string, Sensor[]>();
	for (const sensor of sensors) map.set(key(sensor), [...(map.get(key(sensor)) ?? []), sensor]);
	return map;
}

async function querySensors(
	client: CybereasonApiClient,
	actions: Action[],
	field: 'guid' | 'machineName',
	values: string[],
	operation: string,
): Promise<Sensor[]> {
	const filter: SensorFilter = { fieldName: field, operator: 'Equals', values };
	return await cybereasonApiQuerySensors(client, [filter, NOT_ARCHIVED], {
		operation,
		itemIndex: firstItem(actions[0]),
	});
}

async function lookUp(client: CybereasonApiClient, actions: Action[]) {
	const byGuid = grouped(
		await querySensors(
			client,
			actions,
			'guid',
			unique(actions.map((a) => a.planned.machineGuid)),
			'look up the sensors of the machines to isolate',
		),
		(s) => s.guid,
	);
	const names = unique(
		actions
			.filter((a) => !byGuid.has(a.planned.machineGuid) && a.machineName)
			.map((a) => a.machineName as string),
	);
	const byName =
		names.length === 0
			? new Map<string, Sensor[]>()
			: grouped(
					await querySensors(
						client,
						actions,
						'machineName',
						names,
						'look up the sensors of the machines to isolate by name',
					),
					(s) => String(s.machineName).toLowerCase(),
				);
	return { byGuid, byName };
}

function noSensor(ctx: IExecuteFunctions, action: Action): NodeOperationError {
	const { machineGuid, itemIndexes } = action.planned;
	return new NodeOperationError(
		ctx.getNode(),
		`No active sensor found for machine ${action.machineName ?? machineGuid} (${itemList(
			itemIndexes,
		)}): it cannot be isolated by sensor command`,
		{
			itemIndex: itemIndexes[0],
			description: `The console has no sensor that is not archived with GUID ${machineGuid}${
				action.machineName ? ` or name ${action.machineName}` : ''
			}. Check the sensor in the console, or use the Remediate isolation method.`,
		},
	);
}

export async function findSensors(
	{ ctx, client }: Run,
	actions: Action[],
): Promise<{ sensors: Map<Action, SensorMatch>; failed: Map<Action, Outcome> }> {
	const sensors = new Map<Action, SensorMatch>();
	const failed = new Map<Action, Outcome>();
	if (actions.length === 0) return { sensors, failed };
	let found: Awaited<ReturnType<typeof lookUp>>;
	try {
		found = await lookUp(client, actions);
	} catch (error) {
		const cause = error as CybereasonApiError;
		const wrapped = new NodeOperationError(
			ctx.getNode(),
			`Could not look up the sensors of the machines to isolate: ${cause.message}. Nothing was sent.`,
			{ itemIndex: firstItem(actions[0]), description: cause.description ?? undefined },
		);
		const outcome = failedOutcome(failedInput(ctx, wrapped));
		return { sensors, failed: new Map(actions.map((a) => [a, outcome])) };
	}
	for (const action of actions) {
		const viaGuid = found.byGuid.get(action.planned.machineGuid);
		const list =
			viaGuid ??
			(action.machineName ? found.byName.get(action.machineName.toLowerCase()) : undefined) ??
			[];
		if (list.length === 0) {
			failed.set(action, failedOutcome(failedInput(ctx, noSensor(ctx, action))));
			continue;
		}
		const pylumIds = unique(list.map((s) => s.pylumId));
		const machineName = action.machineName ?? list[0].machineName;
		const notes = [
			...(viaGuid ? [] : [`Sensor found by machine name ${machineName}, not by GUID.`]),
			...(pylumIds.length > 1
				? [
						`${pylumIds.length} sensors match this machine; all of them were sent the isolate command.`,
					]
				: []),
		];
		sensors.set(action, {
			pylumIds,
			machineName,
			isolated: list.some(isIsolated),
			...(notes.length > 0 ? { note: notes.join(' ') } : {}),
		});
	}
	return { sensors, failed };
}
