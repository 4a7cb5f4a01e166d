// API: POST /rest/sensors/query
// Finding the sensors of machines named by GUID, name or pylumId: one query per kind of lookup (and per hundred
// values), archived sensors left out unless asked for.
import type { INodeProperties } from 'n8n-workflow';

import { cybereasonApiQuerySensors, NOT_ARCHIVED } from '../../../shared/api/sensors';
import type { CybereasonApiClient } from '../../../shared/transport';
import type { Sensor } from '../../../shared/types';
import { lookupFilter, lookupKey, sensorLookupKey, type LookupBy } from './sensor';

/** Values per sensors/query, so that a long input list does not become one huge filter. */
const VALUES_PER_QUERY = 100;

export interface Lookup {
	itemIndex: number;
	by: LookupBy;
	value: string;
}

/** The sensors each lookup found (item index -> sensors; none: an empty list). */
export async function lookupSensors(
	client: CybereasonApiClient,
	lookups: readonly Lookup[],
	options: { includeArchived?: boolean; operation: string },
): Promise<Map<number, Sensor[]>> {
	const found = new Map<number, Sensor[]>(lookups.map((l) => [l.itemIndex, []]));
	for (const by of ['guid', 'name', 'pylumId'] as const) {
		const wanted = lookups.filter((l) => l.by === by);
		const values = [...new Set(wanted.map((l) => l.value))];
		for (let i = 0; i < values.length; i += VALUES_PER_QUERY) {
			const filters = [lookupFilter(by, values.slice(i, i + VALUES_PER_QUERY))];
			if (!options.includeArchived) filters.push(NOT_ARCHIVED);
			const sensors = await cybereasonApiQuerySensors(client, filters, {
				itemIndex: wanted[0].itemIndex,
				operation: options.operation,
			});
			for (const lookup of wanted) {
				const key = lookupKey(lookup.value);
				const matches = sensors.filter((s) => sensorLookupKey(by, s) === key);
				found.get(lookup.itemIndex)!.push(...matches);
			}
		}
	}
	return found;
}

/** Look Up By and Machine, for the operations that act on one machine per item. */
export const machineLookupProperties: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookupBy',
		type: 'options',
		options: [
			{ name: 'Machine GUID', value: 'guid' },
			{ name: 'Machine Name', value: 'name' },
			{ name: 'pylumId', value: 'pylumId' },
		],
		default: 'guid',
		description: 'How the machine is named in Machine',
	},
	{
		displayName: 'Machine',
		name: 'machine',
		type: 'string',
		required: true,
		default: '={{ $json.machineGuid }}',
		description:
			'GUID of the machine (not its pylumId or sensorId); Get Malops outputs it as machineGuid',
		displayOptions: { show: { lookupBy: ['guid'] } },
	},
	{
		displayName: 'Machine',
		name: 'machine',
		type: 'string',
		required: true,
		default: '={{ $json.machineName }}',
		description:
			'Name of the machine exactly as its sensor reports it (the console compares it as it is)',
		displayOptions: { show: { lookupBy: ['name'] } },
	},
	{
		displayName: 'Machine',
		name: 'machine',
		type: 'string',
		required: true,
		default: '={{ $json.pylumId }}',
		description: "The pylumId of the machine's sensor; Get and Search output it as pylumId",
		displayOptions: { show: { lookupBy: ['pylumId'] } },
	},
];
