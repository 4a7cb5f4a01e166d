import type { CrimesUnifiedResponse, RemediationResponse } from '../../nodes/shared/types';
import { generateDataset, type Simulator } from '../../simulator';

import { asRecord, call, login, ManualClock, started } from './helpers';

const BASE = 1_717_000_000_000;
const INBOX = { startTime: 0, endTime: BASE };
const CRIMES = {
	totalResultLimit: 100,
	perGroupLimit: 100,
	perFeatureLimit: 100,
	templateContext: 'OVERVIEW',
	queryPath: [{ requestedType: 'MalopProcess', result: true }],
};

describe('fault injection', () => {
	const dataset = generateDataset({
		malops: 6,
		machinesPerMalop: 2,
		logonSessionShare: 0,
		seed: 13,
		baseTime: BASE,
	});
	for (const m of dataset.machines) m.connected = true;
	let sim: Simulator;
	let cookie: string;
	const inbox = () => call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX });

	beforeEach(async () => {
		({ sim, cookie } = await started({ dataset, clock: new ManualClock(BASE) }));
	});
	afterEach(() => sim.close());

	it('answers 429 with and without Retry-After, once per use', async () => {
		sim.state.addFault({ path: '/rest/detection/inbox', status: 429, retryAfter: 2 });
		sim.state.addFault({ path: '/rest/detection/inbox', status: 429 });
		const first = await inbox();
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('2');
		const second = await inbox();
		expect(second.status).toBe(429);
		expect(second.headers.get('retry-after')).toBeNull();
		expect((await inbox()).status).toBe(200);
	});

	it.each([500, 503, 403])('answers %i', async (status) => {
		sim.state.addFault({ path: '/rest/*', status, times: 2 });
		expect((await inbox()).status).toBe(status);
		expect((await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: CRIMES })).status).toBe(
			status,
		);
		expect((await inbox()).status).toBe(200);
	});

	it('matches method, exact path, prefix and RegExp, in insertion order', async () => {
		sim.state.addFault({ method: 'GET', path: '/rest/detection/inbox', status: 500 });
		sim.state.addFault({ path: /crimes\/unified$/, status: 502 });
		sim.state.addFault({ path: '/rest/detection/*', status: 503 });
		sim.state.addFault({ path: '/rest/detection/*', status: 504 });
		expect((await inbox()).status).toBe(503);
		expect((await inbox()).status).toBe(504);
		expect((await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: CRIMES })).status).toBe(
			502,
		);
		expect((await inbox()).status).toBe(200);
		expect(sim.state.pendingFaults()).toBe(1);
	});

	it('applies a fault every time with times: Infinity', async () => {
		sim.state.addFault({ path: '/rest/detection/inbox', status: 500, times: Infinity });
		for (let i = 0; i < 3; i++) expect((await inbox()).status).toBe(500);
		sim.state.clearFaults();
		expect((await inbox()).status).toBe(200);
	});

	it('serves a canned 200 payload with extra headers', async () => {
		const canned = { malops: [], machineCounterModel: { totalMachines: 1 } };
		sim.state.addFault({
			path: '/rest/detection/inbox',
			status: 200,
			body: canned,
			headers: { 'X-Sim': 'canned' },
		});
		const answer = await inbox();
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(canned);
		expect(answer.headers.get('x-sim')).toBe('canned');
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
	});

	it('answers without any data: an empty 200, JSON null, and a 204 with no body', async () => {
		sim.state.addFault({ path: '/rest/detection/inbox', status: 200, body: '' });
		sim.state.addFault({ path: '/rest/detection/inbox', status: 200, body: null });
		sim.state.addFault({ path: '/rest/detection/inbox', status: 204, body: { malops: [] } });
		const empty = await inbox();
		expect([empty.status, empty.text]).toEqual([200, '']);
		const nothing = await inbox();
		expect([nothing.status, nothing.text]).toEqual([200, 'null']);
		const noContent = await inbox();
		expect([noContent.status, noContent.text]).toEqual([204, '']);
		expect(noContent.headers.get('content-type')).toBeNull();
	});

	it('wraps a real answer in a FAILURE or PARTIAL_SUCCESS envelope with HTTP 200', async () => {
		sim.state.addFault({ path: '/rest/crimes/unified', envelopeStatus: 'FAILURE' });
		sim.state.addFault({ path: '/rest/crimes/unified', envelopeStatus: 'PARTIAL_SUCCESS' });
		const failed = await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: CRIMES });
		expect(failed.status).toBe(200);
		const f = failed.json as CrimesUnifiedResponse;
		expect(f.status).toBe('FAILURE');
		expect(f.message).not.toBe('');
		expect(f.data).toBeNull();
		const partial = (await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: CRIMES }))
			.json as CrimesUnifiedResponse;
		expect(partial.status).toBe('PARTIAL_SUCCESS');
		expect(partial.message).not.toBe('');
		expect(Object.keys(partial.data?.resultIdToElementDataMap ?? {}).length).toBeGreaterThan(0);
	});

	it('delays an answer by latencyMs', async () => {
		sim.state.addFault({ path: '/rest/detection/inbox', latencyMs: 300 });
		const t0 = Date.now();
		expect((await inbox()).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
	});

	it('adds the global latency to every /rest answer only', async () => {
		const slow = await started({ dataset, latencyMs: 1500 });
		try {
			let t0 = Date.now();
			await call(slow.sim, 'GET', '/login.html');
			expect(Date.now() - t0).toBeLessThan(1000);
			t0 = Date.now();
			await call(slow.sim, 'POST', '/rest/detection/inbox', { cookie: slow.cookie, body: INBOX });
			expect(Date.now() - t0).toBeGreaterThanOrEqual(1450);
		} finally {
			await slow.sim.close();
		}
	});

	it('drops the connection before processing', async () => {
		const malop = dataset.malops[0];
		sim.state.addFault({ path: '/rest/remediate', drop: 'beforeProcessing' });
		await expect(
			call(sim, 'POST', '/rest/remediate', {
				cookie,
				body: {
					malopId: malop.guid,
					actionsByMachine: { [malop.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
				},
			}),
		).rejects.toThrow();
		expect(sim.state.remediations.size).toBe(0);
		expect(sim.requests.at(-1)).toMatchObject({ path: '/rest/remediate', status: 'dropped' });
	});

	it('drops the connection after processing: the remediation exists though the client never heard of it', async () => {
		const malop = dataset.malops[0];
		sim.state.addFault({ path: '/rest/remediate', drop: 'afterProcessing' });
		await expect(
			call(sim, 'POST', '/rest/remediate', {
				cookie,
				body: {
					malopId: malop.guid,
					actionsByMachine: { [malop.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
				},
			}),
		).rejects.toThrow();
		expect(sim.state.remediations.size).toBe(1);
		expect(sim.requests.at(-1)?.status).toBe('dropped');
		const status = await call(sim, 'GET', `/rest/remediate/status/${malop.guid}`, { cookie });
		expect((status.json as RemediationResponse[]).map((r) => r.malopId)).toEqual([malop.guid]);
	});

	it('records every request in order with what the server answered', async () => {
		sim.requests.length = 0;
		await call(sim, 'GET', '/login.html?error');
		await inbox();
		sim.state.addFault({ path: '/rest/detection/inbox', status: 503 });
		await inbox();
		await call(sim, 'GET', '/__sim/state');
		expect(sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['GET', '/login.html', 200],
			['POST', '/rest/detection/inbox', 200],
			['POST', '/rest/detection/inbox', 503],
		]);
		expect(sim.requests[0].query).toEqual({ error: '' });
		expect(sim.requests[1]).toMatchObject({ cookie, body: INBOX, time: BASE });
	});
});

describe('control endpoints', () => {
	const dataset = generateDataset({ malops: 4, machinesPerMalop: 2, seed: 17, baseTime: BASE });
	let sim: Simulator;
	let cookie: string;
	const control = (method: string, path: string, body?: unknown) =>
		call(sim, method, `/__sim/${path}`, { body });

	beforeAll(async () => {
		({ sim, cookie } = await started({ dataset, clock: new ManualClock(BASE) }));
	});
	afterAll(() => sim.close());

	it('reports state counts without a session and without being recorded', async () => {
		await call(sim, 'POST', '/login.html', { form: { username: 'x', password: 'y' } });
		await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX });
		const before = sim.requests.length;
		const state = asRecord((await control('GET', 'state')).json);
		expect(state).toMatchObject({
			logins: 1,
			failedLogins: 1,
			malops: dataset.malops.length,
			remediations: 0,
			pendingFaults: 0,
		});
		expect(asRecord(state.requestsByRoute)['POST /rest/detection/inbox']).toBe(1);
		expect(sim.requests.length).toBe(before);
		const requests = (await control('GET', 'requests')).json as unknown[];
		expect(requests).toHaveLength(before);
	});

	it('adds faults (path as string, times "Infinity") and clears them', async () => {
		expect(
			(
				await control('POST', 'faults', {
					path: '/rest/detection/*',
					status: 429,
					retryAfter: '1',
					times: 'Infinity',
				})
			).status,
		).toBe(200);
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			429,
		);
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			429,
		);
		await control('POST', 'faults/clear');
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			200,
		);
		expect((await control('POST', 'faults', { status: 500 })).status).toBe(400);
	});

	it('expires sessions', async () => {
		const answer = asRecord((await control('POST', 'expire-sessions')).json);
		expect(answer.expired).toBeGreaterThanOrEqual(1);
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			302,
		);
		cookie = await login(sim);
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			200,
		);
	});

	it('adds Malops and machines, updates them and switches connectivity', async () => {
		const added = asRecord(
			(
				await control('POST', 'malops', {
					action: 'add',
					count: 2,
					malop: { kind: 'MalopLogonSession', machines: 1 },
				})
			).json,
		);
		const malops = added.malops as Array<Record<string, unknown>>;
		expect(malops).toHaveLength(2);
		expect(malops[0].kind).toBe('MalopLogonSession');
		const guid = String(malops[0].guid);
		expect(sim.state.malops.get(guid)?.creationTime).toBe(BASE);

		const withMachine = asRecord(
			(
				await control('POST', 'malops', {
					action: 'addMachine',
					guid,
					machine: { name: 'srv-new01', connected: false },
				})
			).json,
		);
		const machine = asRecord(withMachine.machine);
		expect(machine.name).toBe('srv-new01');
		expect(sim.state.malops.get(guid)?.machines.map((m) => m.name)).toContain('srv-new01');

		await control('POST', 'malops', {
			action: 'update',
			guid,
			patch: { managementStatus: 'CLOSED', status: 'Closed' },
		});
		expect(sim.state.malops.get(guid)?.status).toBe('Closed');

		await control('POST', 'malops', {
			action: 'setConnected',
			machineGuid: machine.guid,
			connected: true,
		});
		expect(sim.state.machines.get(String(machine.guid))?.connected).toBe(true);

		expect(
			(await control('POST', 'malops', { action: 'update', guid: 'nope', patch: {} })).status,
		).toBe(400);
		const list = asRecord((await control('GET', 'malops')).json).malops as unknown[];
		expect(list).toHaveLength(dataset.malops.length + 2);
	});

	it('sets remediation outcomes and adds duplicate sensors', async () => {
		const malop = dataset.malops[0];
		expect(
			(
				await control('POST', 'outcomes', {
					key: malop.machines[0].guid,
					outcome: { status: 'FAILURE', errorType: 'X' },
				})
			).status,
		).toBe(200);
		expect(sim.state.outcomeFor(malop.machines[0].guid, 'any')).toEqual({
			status: 'FAILURE',
			errorType: 'X',
		});
		await control('POST', 'outcomes/clear');
		expect(sim.state.outcomes.size).toBe(0);
		const sensor = asRecord(
			asRecord((await control('POST', 'sensors', { machineName: malop.machines[0].name })).json)
				.sensor,
		);
		expect(sensor.name).toBe(malop.machines[0].name);
	});

	it('resets the request log', async () => {
		await control('POST', 'reset-requests');
		expect(sim.requests).toHaveLength(0);
		expect(asRecord((await control('GET', 'state')).json).requests).toBe(0);
	});
});
