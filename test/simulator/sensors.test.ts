import type { Sensor, SensorsQueryResponse } from '../../nodes/shared/types';
import { generateDataset, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';

const BASE = 1_717_000_000_000;

describe('sensors and isolation', () => {
	const dataset = generateDataset({
		malops: 8,
		machinesPerMalop: 2,
		sharedMachines: 9,
		seed: 8,
		baseTime: BASE,
		organization: 'Integration',
	});
	dataset.machines.forEach((m, i) => (m.connected = i % 3 !== 2));
	let sim: Simulator;
	let cookie: string;
	const query = (body: unknown) => call(sim, 'POST', '/rest/sensors/query', { cookie, body });
	const sensors = async (body: unknown) => (await query(body)).json as SensorsQueryResponse;

	beforeAll(async () => {
		({ sim, cookie } = await started({ dataset, clock: new ManualClock(BASE) }));
	});
	afterAll(() => sim.close());

	it('has one sensor per machine, with the three IDs of the machine', async () => {
		const res = await sensors({ limit: 1000, offset: 0 });
		expect(res.totalResults).toBe(dataset.machines.length);
		expect(res.hasMoreResults).toBe(false);
		for (const s of res.sensors) {
			const machine = dataset.machines.find((m) => m.guid === s.guid);
			expect(s.machineName).toBe(machine?.name);
			expect(s.pylumId).toMatch(/^PYLUMCLIENT_INTEGRATION_[A-Z0-9-]+_[0-9A-F]{12}$/);
			expect(s.pylumId).toBe(machine?.pylumId);
			expect(s.sensorId).toBe(`${dataset.serverId}:${s.pylumId}`);
			expect(s.status).toBe(machine?.connected ? 'Online' : 'Offline');
			expect(s.isolated).toBe(false);
		}
		expect(res.sensorsStatus).toMatchObject({
			onlineCount: dataset.machines.filter((m) => m.connected).length,
			offlineCount: dataset.machines.filter((m) => !m.connected).length,
		});
	});

	it('filters by machineName with each operator', async () => {
		const name = dataset.machines[1].name;
		const eq = await sensors({
			limit: 10,
			offset: 0,
			filters: [{ fieldName: 'machineName', operator: 'Equals', values: [name] }],
		});
		expect(eq.sensors.map((s) => s.machineName)).toEqual([name]);
		const ic = await sensors({
			limit: 10,
			offset: 0,
			filters: [
				{ fieldName: 'machineName', operator: 'EqualsIgnoreCase', values: [name.toUpperCase()] },
			],
		});
		expect(ic.totalResults).toBe(1);
		const contains = await sensors({
			limit: 100,
			offset: 0,
			filters: [{ fieldName: 'machineName', operator: 'ContainsIgnoreCase', values: ['DC0'] }],
		});
		expect(contains.sensors.map((s) => s.machineName)).toContain('dc01');
		const not = await sensors({
			limit: 100,
			offset: 0,
			filters: [{ fieldName: 'status', operator: 'NotEquals', values: ['Archived', 'Offline'] }],
		});
		expect(not.sensors.every((s) => s.status === 'Online')).toBe(true);
		const byGuid = await sensors({
			limit: 100,
			offset: 0,
			filters: [{ fieldName: 'guid', operator: 'Equals', values: [dataset.machines[2].guid] }],
		});
		expect(byGuid.sensors.map((s) => s.guid)).toEqual([dataset.machines[2].guid]);
		const bad = await query({
			limit: 1,
			offset: 0,
			filters: [{ fieldName: 'machineName', operator: 'Like', values: ['x'] }],
		});
		expect(bad.status).toBe(400);
	});

	it('pages with offset as a page index', async () => {
		const all = (await sensors({ limit: 1000, offset: 0 })).sensors.map((s) => s.guid);
		const p0 = await sensors({ limit: 4, offset: 0 });
		const p1 = await sensors({ limit: 4, offset: 1 });
		const p2 = await sensors({ limit: 4, offset: 2 });
		expect(p0.hasMoreResults).toBe(true);
		expect(p1.hasMoreResults).toBe(true);
		expect(p2.hasMoreResults).toBe(false);
		expect([...p0.sensors, ...p1.sensors, ...p2.sensors].map((s) => s.guid)).toEqual(all);
	});

	it('returns a stale duplicate alongside the live sensor', async () => {
		const name = dataset.machines[3].name;
		const stale = sim.state.addSensor({ machineName: name });
		const res = await sensors({
			limit: 10,
			offset: 0,
			filters: [{ fieldName: 'machineName', operator: 'Equals', values: [name] }],
		});
		expect(res.sensors.map((s: Sensor) => s.status).sort()).toEqual(
			[dataset.machines[3].connected ? 'Online' : 'Offline', 'Stale'].sort(),
		);
		expect(new Set(res.sensors.map((s) => s.pylumId)).size).toBe(2);
		const live = await sensors({
			limit: 10,
			offset: 0,
			filters: [
				{ fieldName: 'machineName', operator: 'Equals', values: [name] },
				{ fieldName: 'status', operator: 'NotEquals', values: ['Stale', 'Archived'] },
			],
		});
		expect(live.sensors.map((s) => s.pylumId)).toEqual([dataset.machines[3].pylumId]);
		expect(stale.pylumId).not.toBe(dataset.machines[3].pylumId);
	});

	it('isolates by pylumId: Succeeded online, Primed offline, UnknownProbe unknown', async () => {
		const online = dataset.machines.find((m) => m.connected);
		const offline = dataset.machines.find((m) => !m.connected);
		if (!online || !offline) throw new Error('fixture needs both');
		const answer = await call(sim, 'POST', '/rest/monitor/global/commands/isolate', {
			cookie,
			body: {
				pylumIds: [online.pylumId, offline.pylumId, 'PYLUMCLIENT_NOPE_X_000000000000'],
				malopId: null,
			},
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			[online.pylumId]: 'Succeeded',
			[offline.pylumId]: 'Primed',
			PYLUMCLIENT_NOPE_X_000000000000: 'UnknownProbe',
		});
		expect(sim.state.machines.get(online.guid)?.isolated).toBe(true);
		expect(sim.state.machines.get(offline.guid)?.isolated).toBe(false);
		const seen = await sensors({
			limit: 1,
			offset: 0,
			filters: [{ fieldName: 'pylumId', operator: 'Equals', values: [online.pylumId] }],
		});
		expect(seen.sensors[0].isolated).toBe(true);

		// A primed isolation lands when the sensor comes back.
		sim.state.setMachineConnected(offline.guid, true);
		expect(sim.state.machines.get(offline.guid)?.isolated).toBe(true);

		const un = await call(sim, 'POST', '/rest/monitor/global/commands/un-isolate', {
			cookie,
			body: { pylumIds: [online.pylumId] },
		});
		expect(un.json).toEqual({ [online.pylumId]: 'Succeeded' });
		expect(sim.state.machines.get(online.guid)?.isolated).toBe(false);
	});

	it('answers 400 NO_MATCHING_SENSORS when no pylumId is known', async () => {
		const answer = await call(sim, 'POST', '/rest/monitor/global/commands/isolate', {
			cookie,
			body: { pylumIds: ['PYLUMCLIENT_NOPE'] },
		});
		expect(answer.status).toBe(400);
		expect(answer.text).toContain('NO_MATCHING_SENSORS');
		const empty = await call(sim, 'POST', '/rest/monitor/global/commands/un-isolate', {
			cookie,
			body: { pylumIds: [] },
		});
		expect(empty.status).toBe(400);
		expect(empty.text).toContain('NO_MATCHING_SENSORS');
		const malformed = await call(sim, 'POST', '/rest/monitor/global/commands/isolate', {
			cookie,
			body: { pylumIds: 'x' },
		});
		expect(malformed.status).toBe(400);
	});

	it('finds a pylumId through Visual Search, as XSOAR does', async () => {
		const machine = dataset.machines[4];
		const answer = await call(sim, 'POST', '/rest/visualsearch/query/simple', {
			cookie,
			body: {
				queryPath: [
					{
						requestedType: 'Machine',
						filters: [
							{ facetName: 'elementDisplayName', values: [machine.name], filterType: 'Equals' },
						],
						isResult: true,
					},
				],
				totalResultLimit: 1000,
				perGroupLimit: 100,
				perFeatureLimit: 100,
				templateContext: 'SPECIFIC',
				customFields: ['pylumId', 'isActiveProbeConnected'],
			},
		});
		expect(answer.status).toBe(200);
		const map = asRecord(asRecord(asRecord(answer.json).data).resultIdToElementDataMap);
		expect(Object.keys(map)).toEqual([machine.guid]);
		const sv = asRecord(asRecord(map[machine.guid]).simpleValues);
		expect(sv.pylumId).toEqual({ totalValues: 1, values: [machine.pylumId] });
		expect(sv.isActiveProbeConnected).toEqual({
			totalValues: 1,
			values: [String(sim.state.machines.get(machine.guid)?.connected)],
		});
	});
});
