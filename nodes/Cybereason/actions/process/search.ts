// API: POST /rest/visualsearch/query/simple
// Processes by name, on one machine (Machine → processes → Process, XSOAR's query_processes) or everywhere, one
// item per process instance with its machine, user, command line, parent and image hashes.
import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import type { MachineRef } from '../../../shared/api/visualSearch';
import { processItems } from '../../../shared/hunting/processes';
import { runHunt, startMissing } from '../../../shared/hunting/search';
import {
	huntOperation,
	limitProperties,
	onlyWithSuspicionsProperty,
	readLimit,
	reported,
	unknownMachine,
	type HuntRun,
} from '../hunt';
import { textParameter } from '../operation';

const properties: INodeProperties[] = [
	{
		displayName: 'Process Name',
		name: 'processName',
		type: 'string',
		default: '',
		placeholder: 'e.g. powershell.exe',
		description:
			'File name of the process image, exactly as Cybereason shows it, e.g. powershell.exe or svchost.exe (a name, not a path). Empty: any process.',
	},
	{
		displayName: 'Machine Name',
		name: 'machineName',
		type: 'string',
		default: '',
		placeholder: 'e.g. desktop-p0m5vad',
		description:
			'Only processes on this machine: its host name exactly as its sensor reports it, e.g. desktop-p0m5vad (Get Malops outputs it as machineName). Empty: every machine.',
	},
	onlyWithSuspicionsProperty,
	...limitProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['process'], operation: ['search'] } },
	properties,
);

/** One process hunt for an item: its Only With Suspicions and Limit; a machine it names must exist. */
export async function huntProcesses(
	[ctx, client, itemIndex, report]: Parameters<HuntRun>,
	hunt: { processName?: string; machine?: MachineRef },
	operation: string,
): Promise<IDataObject[]> {
	const result = await runHunt(
		client,
		{
			hunt: {
				find: 'processes',
				...hunt,
				onlyWithSuspicions: ctx.getNodeParameter('onlyWithSuspicions', itemIndex, false) === true,
			},
			limit: readLimit(ctx, itemIndex),
			noun: 'process',
		},
		{ itemIndex, operation: `${operation} (item ${itemIndex})` },
	);
	if (hunt.machine && startMissing(result)) throw unknownMachine(ctx, hunt.machine, itemIndex);
	return reported(processItems(result.facts), result, report);
}

export const execute = huntOperation('process search', async (...args) => {
	const [ctx, , itemIndex] = args;
	const processName = textParameter(ctx, 'processName', itemIndex) || undefined;
	const machineName = textParameter(ctx, 'machineName', itemIndex);
	return await huntProcesses(
		args,
		{ processName, machine: machineName ? { name: machineName } : undefined },
		'search for processes',
	);
});
