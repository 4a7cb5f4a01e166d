// Visual Search faults: servers that fail or are offline (PARTIAL_SUCCESS / FAILURE with
// failedServersInfo), terminated queries, and the control endpoints that queue them.
import { generateDataset, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';
import { dataOf, elementsOf, query, refs, search } from './visual-search';

const BASE = 1_717_000_000_000;
const dataset = generateDataset({
	malops: 10,
	machinesPerMalop: 2,
	sharedMachines: 12,
	seed: 11,
	baseTime: BASE,
});
const PROCESSES = query([{ requestedType: 'Process', isResult: true }], {
	perGroupLimit: 10000,
	customFields: ['elementDisplayName', 'ownerMachine'],
});
const MACHINES = query([{ requestedType: 'Machine', isResult: true }]);

let sim: Simulator;
let cookie: string;
const vs = (body: unknown) => search(sim, cookie, body);
const control = (path: string, body?: unknown) =>
	call(sim, body === undefined ? 'GET' : 'POST', path, { body });

beforeAll(async () => {
	({ sim, cookie } = await started({
		dataset,
		clock: new ManualClock(BASE),
		hunting: { servers: 3 },
	}));
});
afterAll(() => sim.close());
afterEach(() => sim.state.hunting.faults.clear());

it('answers SUCCESS with every server and says how many it asked', async () => {
	const answer = asRecord((await vs(MACHINES)).json);
	expect(answer).toMatchObject({ status: 'SUCCESS', message: '', expectedResults: 3, failures: 0 });
	expect(answer.failedServersInfo).toEqual({
		onlineFailedServers: [],
		offlineServers: [],
		onlineFailedServersPercentage: 0,
		totalFailedServersPercentage: 0,
	});
	expect(Object.keys(elementsOf(await vs(MACHINES)))).toHaveLength(12);
});

it('a failed server leaves its machines out: PARTIAL_SUCCESS with failedServersInfo, once', async () => {
	const full = elementsOf(await vs(PROCESSES));
	sim.state.hunting.faults.add({ failedServers: 1 });
	const partial = await vs(PROCESSES);
	const body = asRecord(partial.json);
	expect(body).toMatchObject({ status: 'PARTIAL_SUCCESS', expectedResults: 3, failures: 1 });
	expect(String(body.message)).toContain('1 of 3 servers');
	const info = asRecord(body.failedServersInfo);
	expect(info.onlineFailedServers).toEqual(['detection-server-1']);
	expect(info.onlineFailedServersPercentage).toBeCloseTo(33.33, 1);
	const lost = [...sim.state.machines.values()].filter(
		(m) => sim.state.hunting.serverOf(m) === 'detection-server-1',
	);
	expect(lost.length).toBeGreaterThan(0);
	const kept = elementsOf(partial);
	const expected = Object.entries(full).filter(
		([, el]) => !lost.some((m) => m.guid === refs(el, 'ownerMachine')[0]),
	);
	expect(Object.keys(kept).sort()).toEqual(expected.map(([g]) => g).sort());
	expect(dataOf(partial).totalPossibleResults).toBe(expected.length);
	expect(asRecord((await vs(PROCESSES)).json).status).toBe('SUCCESS');
});

it('offline servers are listed apart; when no server answers the status is FAILURE with no data', async () => {
	sim.state.hunting.faults.add({
		offlineServers: ['detection-server-2'],
		failedServers: ['detection-server-3'],
	});
	const info = asRecord(asRecord((await vs(MACHINES)).json).failedServersInfo);
	expect(info).toMatchObject({
		onlineFailedServers: ['detection-server-3'],
		offlineServers: ['detection-server-2'],
	});
	expect(info.totalFailedServersPercentage).toBeCloseTo(66.67, 1);
	sim.state.hunting.faults.add({ failedServers: 3 });
	const failed = asRecord((await vs(MACHINES)).json);
	expect(failed).toMatchObject({ status: 'FAILURE', data: null, failures: 3 });
});

it('terminateAfter stops the query: queryTerminated with more possible results than returned', async () => {
	sim.state.hunting.faults.add({ terminateAfter: 5, times: 2 });
	for (let i = 0; i < 2; i++) {
		const answer = await vs(PROCESSES);
		expect(Object.keys(elementsOf(answer))).toHaveLength(5);
		expect(dataOf(answer).queryTerminated).toBe(true);
		expect(Number(dataOf(answer).totalPossibleResults)).toBeGreaterThan(5);
	}
	expect(dataOf(await vs(PROCESSES)).queryTerminated).toBe(false);
});

it('a fault for one requestedType waits for a query of that type', async () => {
	sim.state.hunting.faults.add({ requestedType: 'File', failedServers: 1 });
	expect(asRecord((await vs(PROCESSES)).json).status).toBe('SUCCESS');
	expect(sim.state.hunting.faults.size).toBe(1);
	const file = query([{ requestedType: 'File', isResult: true }]);
	expect(asRecord((await vs(file)).json).status).toBe('PARTIAL_SUCCESS');
	expect(sim.state.hunting.faults.size).toBe(0);
});

it('control endpoints queue faults (times "Infinity"), clear them and reject bad ones', async () => {
	const queued = await control('/__sim/hunting/faults', [
		{ failedServers: 1, times: 'Infinity' },
		{ terminateAfter: 1 },
	]);
	expect(queued.json).toEqual({
		pendingFaults: 2,
		servers: ['detection-server-1', 'detection-server-2', 'detection-server-3'],
	});
	for (let i = 0; i < 3; i++)
		expect(asRecord((await vs(MACHINES)).json).status).toBe('PARTIAL_SUCCESS');
	expect((await control('/__sim/hunting/faults/clear', {})).json).toEqual({ pendingFaults: 0 });
	expect(asRecord((await vs(MACHINES)).json).status).toBe('SUCCESS');
	for (const bad of [
		{ failedServers: 'all' },
		{ terminateAfter: -1 },
		{ times: 0 },
		{ failed: 1 },
		'x',
	]) {
		expect((await control('/__sim/hunting/faults', bad)).status).toBe(400);
	}
	expect((await control('/__sim/hunting/nope')).status).toBe(404);
});

it('the generic fault mechanism still rewrites a visual search envelope (envelopeStatus)', async () => {
	sim.state.addFault({
		path: '/rest/visualsearch/query/simple',
		envelopeStatus: 'PARTIAL_SUCCESS',
	});
	const answer = asRecord((await vs(MACHINES)).json);
	expect(answer.status).toBe('PARTIAL_SUCCESS');
	expect(Object.keys(asRecord(asRecord(answer.data).resultIdToElementDataMap))).toHaveLength(12);
});
