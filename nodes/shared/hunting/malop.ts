// Pure: a Malop's details from two Visual Search answers (its suspects → Process, its affectedMachines → Machine):
// one item per process, with the sensor state of the process's machine.
import type { IDataObject } from 'n8n-workflow';

import type { QueryAnswerFacts } from '../malops/elements';
import type { MalopElement } from '../types';
import type { MachineFacts } from './processes';
import { processItem, processItems } from './processes';

const NO_ELEMENT = {} as MalopElement;

function withMachine(
	malopId: string,
	process: IDataObject,
	machine: MachineFacts | undefined,
): IDataObject {
	const item: IDataObject = { malopId, ...process };
	if (machine && item.machineName === null) item.machineName = machine.machineName;
	item.pylumId = machine?.pylumId ?? null;
	item.machineConnected = machine?.connected ?? null;
	item.machineIsolated = machine?.isolated ?? null;
	return item;
}

/**
 * One item per suspect process. A Malop whose suspects are no processes (a logon-session Malop, an EPP detection)
 * still shows: one item per affected machine with null process fields, or a single one when it lists no machine.
 */
export function malopDetailItems(
	malopId: string,
	processes: QueryAnswerFacts,
	machines: Map<string, MachineFacts>,
): IDataObject[] {
	const items = processItems(processes).map((process) =>
		withMachine(malopId, process, machines.get(String(process.machineGuid))),
	);
	if (items.length > 0) return items;
	const empty = { ...processItem('', NO_ELEMENT), processGuid: null };
	if (machines.size === 0) return [withMachine(malopId, empty, undefined)];
	return [...machines.values()].map((machine) =>
		withMachine(
			malopId,
			{ ...empty, machineName: machine.machineName, machineGuid: machine.machineGuid },
			machine,
		),
	);
}
