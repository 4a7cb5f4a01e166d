// API: POST /rest/sensors/query
// A run from the editor (manual mode) that waited until the timeout held the editor with no sign of life; the
// output pane then says what was still unfinished and why: mostly a sensor that is offline, which runs nothing
// until its machine reconnects.
import { cybereasonApiQuerySensors, NOT_ARCHIVED } from '../shared/api/sensors';
import { actionName } from '../shared/descriptions/remediationActions';
import { firstItem, unique, type Action, type Outcomes, type Run } from './model';

/** Unfinished actions named in the hint; the rest are counted. */
const LISTED = 10;

/** Each machine's sensor status ("Online", "Offline", ...), or why it could not be read. */
async function sensorStatus(run: Run, actions: Action[]): Promise<Map<string, string> | Error> {
	try {
		const sensors = await cybereasonApiQuerySensors(
			run.client,
			[
				{
					fieldName: 'guid',
					operator: 'Equals',
					values: unique(actions.map((a) => a.planned.machineGuid)),
				},
				NOT_ARCHIVED,
			],
			{
				operation: 'read the sensor state of the machines still unfinished',
				itemIndex: firstItem(actions[0]),
			},
		);
		const status = new Map<string, string>();
		// A reinstalled machine has several sensors: the one online tells.
		for (const sensor of sensors) {
			if (!status.has(sensor.guid) || sensor.status === 'Online')
				status.set(sensor.guid, String(sensor.status));
		}
		return status;
	} catch (error) {
		return error as Error;
	}
}

function why(status: string | undefined): string {
	if (status === undefined) return 'no active sensor found for the machine';
	if (status === 'Offline')
		return 'its sensor is offline: the action runs when the machine reconnects';
	if (status === 'Online') return 'its sensor is online: the action is still running';
	return `its sensor is ${status}`;
}

/** The hint for a run from the editor whose Wait For Completion ran into the timeout; none otherwise. */
export async function manualRunHints(
	run: Run,
	actions: readonly Action[],
	outcomes: Outcomes,
): Promise<string[]> {
	const { ctx, options } = run;
	if (ctx.getMode() !== 'manual' || !options.waitForCompletion) return [];
	const open = actions.filter((a) => {
		const outcome = outcomes.get(a);
		return outcome && !outcome.error && outcome.result.status === 'TIMEOUT';
	});
	if (open.length === 0) return [];
	const status = await sensorStatus(run, open);
	const listed = open.slice(0, LISTED).map((a) => {
		const machine = a.machineName ?? a.planned.machineGuid;
		const reason =
			status instanceof Error
				? `its sensor state could not be read: ${status.message}`
				: why(status.get(a.planned.machineGuid));
		return `${actionName(a.planned.actionType)} on ${machine} (${reason})`;
	});
	const more = open.length > LISTED ? `, and ${open.length - LISTED} more` : '';
	// Items that asked for the same action (an isolation under several Malops) share it.
	const items = open.reduce((sum, a) => sum + a.planned.itemIndexes.length, 0);
	const forItems = items !== open.length ? `, for ${items} items,` : '';
	return [
		`This run from the editor waited the whole Timeout (${Math.round(options.timeoutMs / 1000)} s) and ${open.length} action(s)${forItems} were still unfinished: ${listed.join(', ')}${more}. They stay queued in the Cybereason console. The editor shows nothing while a run waits: for runs from the editor set Timeout to 30 s or less (scheduled and triggered runs can wait longer).`,
	];
}
