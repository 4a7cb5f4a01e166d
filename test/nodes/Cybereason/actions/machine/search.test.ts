// Machine Search: the filters sent to the console, archived sensors left out unless picked, paging by page index.
import type { IDataObject } from 'n8n-workflow';

import type { SensorsPageRequest } from '../../../../../nodes/shared/api/sensors';
import {
	searchFilters,
	searchSensors,
} from '../../../../../nodes/Cybereason/actions/machine/search';
import type { CybereasonApiClient } from '../../../../../nodes/shared/transport';
import type { Sensor } from '../../../../../nodes/shared/types';
import { addMalop, engineFor, type Simulator } from '../../../CybereasonRemediate/fixtures';
import { out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const SEARCH = { resource: 'machine', operation: 'search' };
const QUERY = '/rest/sensors/query';
const searches = (s: Simulator) =>
	received(s, QUERY).filter((r) => (r.body as IDataObject).filters);

describe('machine search', () => {
	it('filters on the console, in machine-name order, up to the limit', async () => {
		const sim = await start();
		addMalop(
			sim,
			Array.from({ length: 7 }, (_, i) => ({ name: `kiosk-${i}`, connected: i % 2 === 0 })),
		);
		const result = await runNode(engineFor(sim), [{}], {
			...SEARCH,
			returnAll: true,
			filters: { machineName: 'KIOSK', statuses: ['Online'], osTypes: ['WINDOWS', 'LINUX', 'OSX'] },
		});
		expect(result.error).toBeUndefined();
		expect(out(result).map((i) => i.machineName)).toEqual([
			'kiosk-0',
			'kiosk-2',
			'kiosk-4',
			'kiosk-6',
		]);
		expect(out(result)[0]).toEqual(
			expect.objectContaining({ status: 'Online', connected: true, isolated: false }),
		);
		expect(searches(sim).map((r) => r.body)).toEqual([
			{
				limit: 1000,
				offset: 0,
				sortingFieldName: 'machineName',
				sortDirection: 'ASC',
				filters: [
					{ fieldName: 'machineName', operator: 'ContainsIgnoreCase', values: ['KIOSK'] },
					{ fieldName: 'status', operator: 'Equals', values: ['Online'] },
					{ fieldName: 'osType', operator: 'Equals', values: ['WINDOWS', 'LINUX', 'OSX'] },
				],
			},
		]);

		sim.requests.length = 0;
		const limited = await runNode(engineFor(sim), [{}], {
			...SEARCH,
			limit: 3,
			filters: { machineName: 'kiosk-' },
		});
		expect(out(limited).map((i) => i.machineName)).toEqual(['kiosk-0', 'kiosk-1', 'kiosk-2']);
		expect(searches(sim).map((r) => (r.body as IDataObject).limit)).toEqual([3]);
	});

	it('turns the filters into sensors/query filters, archived left out unless picked', () => {
		expect(searchFilters({})).toEqual([
			{ fieldName: 'status', operator: 'NotEquals', values: ['Archived'] },
		]);
		expect(
			searchFilters({
				statuses: ['Archived', 'Stale'],
				isolated: false,
				groupName: ' Perimeter 1 ',
				policyName: 'Default policy',
				machineName: '  ',
			}),
		).toEqual([
			{ fieldName: 'status', operator: 'Equals', values: ['Archived', 'Stale'] },
			{ fieldName: 'isolated', operator: 'Equals', values: ['false'] },
			{ fieldName: 'groupName', operator: 'Equals', values: ['Perimeter 1'] },
			{ fieldName: 'policyName', operator: 'Equals', values: ['Default policy'] },
		]);
	});
});

describe('searchSensors paging', () => {
	const sensor = (n: number) => ({ sensorId: `s${n}`, pylumId: `p${n}` }) as Sensor;

	/**
	 * A console holding `total` sensors that reads `offset` as a page index, or (`item`) as an item offset and always
	 * says there is more.
	 */
	function fakeClient(total: number, offsetIs: 'page' | 'item' = 'page') {
		const asked: SensorsPageRequest[] = [];
		const client = {
			request: async ({ body }: { body: SensorsPageRequest }) => {
				asked.push(body);
				const start = offsetIs === 'page' ? body.offset * body.limit : body.offset;
				const sensors = Array.from(
					{ length: Math.max(0, Math.min(body.limit, total - start)) },
					(_, i) => sensor(start + i),
				);
				const hasMoreResults = offsetIs === 'item' || start + body.limit < total;
				return { totalResults: total, hasMoreResults, sensors };
			},
		} as unknown as CybereasonApiClient;
		return { client, asked };
	}

	it('reads pages 0, 1, 2 of 1000 until the console has no more', async () => {
		const { client, asked } = fakeClient(2500);
		const sensors = await searchSensors(client, [], undefined, 0);
		expect(sensors).toHaveLength(2500);
		expect(new Set(sensors.map((s) => s.sensorId)).size).toBe(2500);
		expect(asked.map((b) => [b.offset, b.limit])).toEqual([
			[0, 1000],
			[1, 1000],
			[2, 1000],
		]);
	});

	it('stops at the limit, and when a page brings nothing new', async () => {
		const limited = fakeClient(5000);
		expect(await searchSensors(limited.client, [], 1200, 0)).toHaveLength(1200);
		expect(limited.asked.map((b) => b.offset)).toEqual([0, 1]);
		// A console that reads offset as an item offset repeats itself: each sensor once, and no endless loop.
		const item = fakeClient(3, 'item');
		const sensors = await searchSensors(item.client, [], undefined, 0);
		expect(sensors.map((s) => s.sensorId)).toEqual(['s0', 's1', 's2']);
		expect(item.asked.map((b) => b.offset)).toEqual([0, 1]);
	});
});
