// API: POST /rest/sensors/query
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { includeRawOption, options, optionsCollection, perItem, requiredId } from '../operation';
import { lookupSensors, type Lookup } from './lookup';
import { lookupLabel, machineItem, newestFirst, parseLookupBy } from './sensor';

const properties = [
	optionsCollection([
		{
			displayName: 'Include Archived',
			name: 'includeArchived',
			type: 'boolean',
			default: false,
			description:
				'Whether to return archived sensors too (a reinstalled machine keeps its old, archived sensor)',
		},
		includeRawOption('the whole sensor record'),
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['machine'], operation: ['get'] } },
	properties,
);

const MACHINE_HINT =
	"Map 'Machine' to the machine's GUID (Get Malops outputs it as machineGuid), or change Look Up By.";

/** The machine an item names, read and checked: an empty value is an input mistake naming the item. */
export function machineLookup(ctx: IExecuteFunctions, itemIndex: number): Lookup {
	const by = parseLookupBy(ctx.getNodeParameter('lookupBy', itemIndex, 'guid'));
	const value = requiredId(ctx, 'machine', itemIndex, lookupLabel(by), MACHINE_HINT);
	return { itemIndex, by, value };
}

export function machineNotFound(ctx: IExecuteFunctions, lookup: Lookup, archived: boolean) {
	return new NodeOperationError(
		ctx.getNode(),
		`No sensor found for ${lookupLabel(lookup.by)} ${lookup.value} (item ${lookup.itemIndex})`,
		{
			itemIndex: lookup.itemIndex,
			description: `The console has no ${archived ? '' : 'active (not archived) '}sensor with this ${lookupLabel(lookup.by)}. Check the machine in the console${
				lookup.by === 'guid' ? ', or look it up by name' : ''
			}.`,
		},
	);
}

/** Every sensor of the machine, newest first (usually one; a reinstalled machine may have a stale one too). */
export const execute = perItem(async (ctx, client, itemIndex) => {
	const lookup = machineLookup(ctx, itemIndex);
	const { includeArchived, includeRaw } = options(ctx, itemIndex);
	const found = await lookupSensors(client, [lookup], {
		includeArchived: includeArchived === true,
		operation: `look up ${lookupLabel(lookup.by)} ${lookup.value} (item ${itemIndex})`,
	});
	const sensors = newestFirst(found.get(itemIndex) ?? []);
	if (sensors.length === 0) throw machineNotFound(ctx, lookup, includeArchived === true);
	return sensors.map((sensor) => machineItem(sensor, includeRaw === true));
});
