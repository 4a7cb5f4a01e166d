// API: POST /rest/sensors/query
// Sensors by filters, page by page (`offset` is a page index), one item per sensor.
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	cybereasonApiSensorsPage,
	NOT_ARCHIVED,
	SENSOR_QUERY_LIMIT,
	type SensorFilter,
} from '../../../shared/api/sensors';
import { returnAllProperties } from '../../../shared/descriptions/limits';
import { parseList } from '../../../shared/malopQuery/parameters';
import { parseBoolean } from '../../../shared/malops/values';
import type { CybereasonApiClient } from '../../../shared/transport';
import type { Sensor } from '../../../shared/types';
import { includeRawOption, options, optionsCollection, perItem } from '../operation';
import { machineItem } from './sensor';

/** Pages one search reads at most (a million sensors with return all); a console that pages forever stops here. */
const MAX_PAGES = 1000;

const properties: INodeProperties[] = [
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Group Name',
				name: 'groupName',
				type: 'string',
				default: '',
				description: 'Only sensors in this sensor group (exact name)',
			},
			{
				displayName: 'Isolated',
				name: 'isolated',
				type: 'boolean',
				default: true,
				description:
					'Whether to return only isolated machines (on) or only machines that are not isolated (off)',
			},
			{
				displayName: 'Name Contains',
				name: 'machineName',
				type: 'string',
				default: '',
				description: 'Only machines whose name contains this text (case-insensitive)',
			},
			{
				displayName: 'OS Types',
				name: 'osTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Linux', value: 'LINUX' },
					{ name: 'macOS', value: 'OSX' },
					{ name: 'Windows', value: 'WINDOWS' },
				],
				default: [],
				description: 'Only these operating systems',
			},
			{
				displayName: 'Policy Name',
				name: 'policyName',
				type: 'string',
				default: '',
				description: 'Only sensors with this policy (exact name)',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{ name: 'Archived', value: 'Archived' },
					{ name: 'Offline', value: 'Offline' },
					{ name: 'Online', value: 'Online' },
					{ name: 'Stale', value: 'Stale' },
				],
				default: [],
				description:
					'Only sensors with these statuses. Archived sensors are left out unless picked here.',
			},
		],
	},
	optionsCollection([includeRawOption('the whole sensor record')]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['machine'], operation: ['search'] } },
	properties,
);

/** The Filters collection -> sensors/query filters (all must match; the values of one filter are alternatives). */
export function searchFilters(filters: IDataObject): SensorFilter[] {
	const out: SensorFilter[] = [];
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	if (text(filters.machineName))
		out.push({
			fieldName: 'machineName',
			operator: 'ContainsIgnoreCase',
			values: [text(filters.machineName)],
		});
	const statuses = parseList(filters.statuses);
	out.push(
		statuses.length > 0
			? { fieldName: 'status', operator: 'Equals', values: statuses }
			: NOT_ARCHIVED,
	);
	if (typeof filters.isolated === 'boolean')
		out.push({ fieldName: 'isolated', operator: 'Equals', values: [String(filters.isolated)] });
	const osTypes = parseList(filters.osTypes);
	if (osTypes.length > 0) out.push({ fieldName: 'osType', operator: 'Equals', values: osTypes });
	for (const field of ['groupName', 'policyName']) {
		if (text(filters[field]))
			out.push({ fieldName: field, operator: 'Equals', values: [text(filters[field])] });
	}
	return out;
}

/** Pages in machine-name order until the console has no more or `limit` is reached; each sensor once. */
export async function searchSensors(
	client: CybereasonApiClient,
	filters: SensorFilter[],
	limit: number | undefined,
	itemIndex: number,
): Promise<Sensor[]> {
	const pageSize = Math.min(limit ?? SENSOR_QUERY_LIMIT, SENSOR_QUERY_LIMIT);
	const seen = new Set<string>();
	const sensors: Sensor[] = [];
	for (let offset = 0; offset < MAX_PAGES; offset++) {
		const page = await cybereasonApiSensorsPage(
			client,
			{ filters, limit: pageSize, offset, sortingFieldName: 'machineName', sortDirection: 'ASC' },
			{ itemIndex, operation: `search the sensors (page ${offset + 1}, item ${itemIndex})` },
		);
		let fresh = 0;
		for (const sensor of page.sensors) {
			const key = String(sensor.sensorId ?? sensor.pylumId);
			if (seen.has(key)) continue;
			seen.add(key);
			fresh++;
			sensors.push(sensor);
		}
		if (limit !== undefined && sensors.length >= limit) return sensors.slice(0, limit);
		const more = parseBoolean(page.hasMoreResults) ?? page.sensors.length === pageSize;
		if (!more || fresh === 0) break;
	}
	return sensors;
}

export const execute = perItem(async (ctx, client, itemIndex) => {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) === true;
	const limit = returnAll ? undefined : Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Limit must be a whole number of at least 1 (item ${itemIndex})`,
			{
				itemIndex,
			},
		);
	}
	const filters = searchFilters(ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	const sensors = await searchSensors(client, filters, limit, itemIndex);
	const includeRaw = options(ctx, itemIndex).includeRaw === true;
	return sensors.map((sensor) => machineItem(sensor, includeRaw));
});
