// Pure: the input items of Isolate / Un-isolate -> machines (each once), what to do with each (protected,
// already in the wanted state, send), and the commands (one per Malop ID: the command carries one malopId).
import type { SensorCommand } from '../../../shared/api/sensors';
import { nameCheckNeeded, protectedEntry } from '../../../shared/remediation';
import type { Sensor } from '../../../shared/types';
import { isIsolated, newestFirst } from './sensor';

export interface MachineRequest {
	itemIndex: number;
	malopId?: string;
	/** The machine's sensors that are not archived, as the lookup found them. */
	sensors: Sensor[];
}

export interface Machine {
	machineGuid: string;
	machineName: string | null;
	/** Newest first. */
	sensors: Sensor[];
	malopId?: string;
	itemIndexes: number[];
}

/** Items naming the same machine (by its newest sensor's GUID) become one machine, sent once. */
export function groupMachines(requests: readonly MachineRequest[]): Machine[] {
	const machines = new Map<string, Machine>();
	for (const request of requests) {
		const sensors = newestFirst(request.sensors);
		const key = String(sensors[0].guid ?? sensors[0].pylumId);
		let machine = machines.get(key);
		if (!machine) {
			machine = {
				machineGuid: key,
				machineName: typeof sensors[0].machineName === 'string' ? sensors[0].machineName : null,
				sensors,
				itemIndexes: [],
			};
			machines.set(key, machine);
		}
		machine.malopId ??= request.malopId;
		machine.itemIndexes.push(request.itemIndex);
	}
	return [...machines.values()];
}

export type Decision =
	| { kind: 'protected'; entry: string }
	| { kind: 'nameUnknown' }
	| { kind: 'inState'; sensor: Sensor }
	| { kind: 'send'; pylumIds: string[] };

/**
 * Protected machines first (isolate only: never touched), then the machine's state: its newest sensor already
 * isolated (or not) as wanted means nothing to send; otherwise every sensor not yet in that state gets the command.
 */
export function decide(
	machine: Machine,
	isolate: boolean,
	protectedEntries: readonly string[],
): Decision {
	if (isolate && protectedEntries.length > 0) {
		const names = machine.sensors
			.flatMap((s) => [s.machineName, s.fqdn])
			.filter((n): n is string => typeof n === 'string' && n.trim() !== '');
		if (names.length === 0 && nameCheckNeeded(protectedEntries, machine.machineGuid))
			return { kind: 'nameUnknown' };
		const entry = protectedEntry(protectedEntries, machine.machineGuid, names);
		if (entry !== undefined) return { kind: 'protected', entry };
	}
	const [newest] = machine.sensors;
	if (isIsolated(newest) === isolate) return { kind: 'inState', sensor: newest };
	return {
		kind: 'send',
		pylumIds: [
			...new Set(machine.sensors.filter((s) => isIsolated(s) !== isolate).map((s) => s.pylumId)),
		],
	};
}

export interface PlannedCommand {
	command: SensorCommand;
	machines: Array<{ machine: Machine; pylumIds: string[] }>;
}

/** One command per Malop ID (none is a group of its own), machines in first-seen order. */
export function planCommands(
	sends: ReadonlyArray<{ machine: Machine; pylumIds: string[] }>,
): PlannedCommand[] {
	const commands = new Map<string, PlannedCommand>();
	for (const send of sends) {
		const key = send.machine.malopId ?? '';
		let planned = commands.get(key);
		if (!planned) {
			planned = {
				command: {
					pylumIds: [],
					...(send.machine.malopId ? { malopId: send.machine.malopId } : {}),
				},
				machines: [],
			};
			commands.set(key, planned);
		}
		for (const id of send.pylumIds)
			if (!planned.command.pylumIds.includes(id)) planned.command.pylumIds.push(id);
		planned.machines.push(send);
	}
	return [...commands.values()];
}
