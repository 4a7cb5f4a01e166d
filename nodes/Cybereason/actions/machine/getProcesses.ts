// API: POST /rest/visualsearch/query/simple
// The processes running or recently run on one machine (Machine → processes → Process), one item per process.
import { updateDisplayOptions } from 'n8n-workflow';

import type { MachineRef } from '../../../shared/api/visualSearch';
import { huntOperation, limitProperties, onlyWithSuspicionsProperty } from '../hunt';
import { huntProcesses } from '../process/search';
import { machineLookup } from './get';
import type { LookupBy } from './sensor';

export const description = updateDisplayOptions(
	{ show: { resource: ['machine'], operation: ['getProcesses'] } },
	[onlyWithSuspicionsProperty, ...limitProperties],
);

const REFS: Record<LookupBy, (value: string) => MachineRef> = {
	guid: (guid) => ({ guid }),
	name: (name) => ({ name }),
	pylumId: (pylumId) => ({ pylumId }),
};

export const execute = huntOperation('machine processes', async (...args) => {
	const [ctx, , itemIndex] = args;
	const lookup = machineLookup(ctx, itemIndex);
	return await huntProcesses(
		args,
		{ machine: REFS[lookup.by](lookup.value) },
		`list the processes of machine ${lookup.value}`,
	);
});
