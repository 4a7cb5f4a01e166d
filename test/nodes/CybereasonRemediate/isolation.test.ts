// Isolation Method "Sensor Command": pylumId lookup, one isolate command per Malop, per-sensor answers.
import type { IDataObject } from 'n8n-workflow';

import {
	ACTION_FROM_ITEM,
	addMalop,
	DEMO_USER,
	engineFor,
	expectPairedInOrder,
	guid,
	item,
	json,
	logs,
	posts,
	RESULT_TIME,
	results,
	runRemediate,
	simulator,
	type Simulator,
} from './fixtures';

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	logs.length = 0;
});

const ISOLATE = '/rest/monitor/global/commands/isolate';
const SENSOR_COMMAND = { isolationMethod: 'sensorCommand' };
const lookups = (s: Simulator) =>
	posts(s, '/rest/sensors/query').filter((r) => (r.body as IDataObject).filters !== undefined);

describe('isolation by sensor command', () => {
	it('looks up the sensors, sends one isolate command per Malop and maps Succeeded and Primed', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-i1' }, { name: 'laptop-i2', connected: false }]);
		const b = addMalop(sim, [{ name: 'desktop-i3' }]);
		const [m1, m2] = a.machines;
		const [m3] = b.machines;
		// A stale second sensor with the same machine GUID (a reinstall): both get the command.
		const stale = sim.state.addSensor({ machineName: m1.name, guid: m1.guid, status: 'Stale' });
		const input = [
			item(a.malop, m1, 'ISOLATE_MACHINE'),
			item(a.malop, m2, 'ISOLATE_MACHINE'),
			item(b.malop, m3, 'ISOLATE_MACHINE'),
			item(a.malop, m1, 'KILL_PROCESS', a.targets[0].process),
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: SENSOR_COMMAND,
		});
		expect(result.error).toBeUndefined();

		expect(lookups(sim).map((r) => (r.body as IDataObject).filters)).toEqual([
			[
				{ fieldName: 'guid', operator: 'Equals', values: [m1.guid, m2.guid, m3.guid] },
				{ fieldName: 'status', operator: 'NotEquals', values: ['Archived'] },
			],
		]);
		// Malops run concurrently: compare regardless of arrival order.
		const commands = new Map(
			posts(sim, ISOLATE).map((r) => [(r.body as IDataObject).malopId, r.body]),
		);
		expect(commands.size).toBe(2);
		expect(commands.get(a.malop.guid)).toEqual({
			pylumIds: [m1.pylumId, stale.pylumId, m2.pylumId],
			malopId: a.malop.guid,
		});
		expect(commands.get(b.malop.guid)).toEqual({ pylumIds: [m3.pylumId], malopId: b.malop.guid });
		// ISOLATE_MACHINE does not go through /rest/remediate; the Malop's other action does.
		expect(posts(sim).map((r) => r.body)).toEqual([
			{
				malopId: a.malop.guid,
				initiatorUserName: DEMO_USER.username,
				actionsByMachine: {
					[m1.guid]: [{ targetId: a.targets[0].process.guid, actionType: 'KILL_PROCESS' }],
				},
			},
		]);

		const out = json(result.output('Remediate'));
		expectPairedInOrder(result.output('Remediate'), 4);
		expect(out[0]).toEqual({
			malopId: a.malop.guid,
			machineGuid: m1.guid,
			machineName: m1.name,
			actionType: 'ISOLATE_MACHINE',
			targetId: null,
			remediationId: null,
			initiatingUser: DEMO_USER.username,
			results: {
				status: 'SUCCESS',
				message: `2 sensors match this machine (${m1.pylumId}: Succeeded; ${stale.pylumId}: Primed)`,
				errorType: null,
				...RESULT_TIME,
			},
			pylumIds: [m1.pylumId, stale.pylumId],
			note: '2 sensors match this machine; all of them were sent the isolate command.',
		});
		expect(out[1].results).toEqual({
			status: 'PENDING',
			message: 'The sensor is offline: isolation is queued (Primed) and applies when it reconnects',
			errorType: null,
			...RESULT_TIME,
		});
		expect((out[2].results as IDataObject).status).toBe('SUCCESS');
		expect((out[3].results as IDataObject).status).toBe('PENDING');
		expect(m1.isolated).toBe(true);
		expect(m2.pendingIsolation).toBe(true);
	});

	it('waits for a queued (Primed) isolation and reports TIMEOUT while the sensor stays offline', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'laptop-i4', connected: false }]);
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: ACTION_FROM_ITEM,
				options: {
					...SENSOR_COMMAND,
					waitForCompletion: true,
					pollInterval: 0.05,
					timeout: 0.3,
					abortOnTimeout: true,
				},
			},
		);
		const [r] = results(result.output('Remediate'));
		expect(r.status).toBe('TIMEOUT');
		expect(r.message).toMatch(
			/^Still PENDING when the timeout of 0.3 s passed\. The sensor is offline: the isolation stays queued \(Primed\)/,
		);
		// The sensors' isolated flag was read while waiting; nothing was aborted or sent twice.
		expect(posts(sim, ISOLATE)).toHaveLength(1);
		expect(sim.requests.filter((x) => x.path.startsWith('/rest/remediate/abort'))).toHaveLength(0);
		expect(lookups(sim).length).toBeGreaterThan(1);
	});

	it('says the sensor state could not be read when the reads keep failing while waiting', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'laptop-i9', connected: false }]);
		// The login's probe and the pylumId lookup get through; every later sensor read fails.
		sim.state.addFault({ method: 'POST', path: '/rest/sensors/query', times: 2 });
		sim.state.addFault({
			method: 'POST',
			path: '/rest/sensors/query',
			status: 503,
			times: Infinity,
		});
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: ACTION_FROM_ITEM,
				options: { ...SENSOR_COMMAND, waitForCompletion: true, pollInterval: 0.05, timeout: 0.3 },
			},
		);
		const [r] = results(result.output('Remediate'));
		expect(r).toMatchObject({ status: 'TIMEOUT', errorType: '503' });
		expect(r.message).toMatch(
			/^Still PENDING when the timeout of 0.3 s passed\. The sensor state could not be read: the last 1 read\(s\) failed \(.*HTTP 503.*\), so its real state is unknown/,
		);
		expect(posts(sim, ISOLATE)).toHaveLength(1);
	});

	it('finds the sensor by machine name when the GUID has none, and refuses a machine with no sensor at all', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-i5' }]);
		const byName = {
			malopId: a.malop.guid,
			machineGuid: guid('RENM'),
			machineName: 'desktop-i5',
			actionType: 'ISOLATE_MACHINE',
		};
		const nowhere = {
			malopId: a.malop.guid,
			machineGuid: guid('GONE'),
			machineName: 'ghost-host',
			actionType: 'ISOLATE_MACHINE',
		};

		const strict = await runRemediate(engineFor(sim), [byName, nowhere], {
			parameters: ACTION_FROM_ITEM,
			options: SENSOR_COMMAND,
		});
		expect(strict.error?.message).toBe(
			'No active sensor found for machine ghost-host (item 1): it cannot be isolated by sensor command',
		);
		expect(posts(sim, ISOLATE)).toHaveLength(0);

		const lenient = await runRemediate(engineFor(sim), [byName, nowhere], {
			parameters: ACTION_FROM_ITEM,
			options: SENSOR_COMMAND,
			continueOnFail: true,
		});
		const out = json(lenient.output('Remediate'));
		expect((out[0].results as IDataObject).status).toBe('SUCCESS');
		expect(out[0].note).toBe('Sensor found by machine name desktop-i5, not by GUID.');
		expect(out[0].pylumIds).toEqual([a.machines[0].pylumId]);
		expect(out[1].error).toBe(
			'No active sensor found for machine ghost-host (item 1): it cannot be isolated by sensor command',
		);
		expect(posts(sim, ISOLATE).map((r) => r.body)).toEqual([
			{ pylumIds: [a.machines[0].pylumId], malopId: a.malop.guid },
		]);
	});

	it('names the items when the console answers NO_MATCHING_SENSORS', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-i6' }]);
		sim.state.addFault({
			method: 'POST',
			path: ISOLATE,
			status: 400,
			body: { status: 'NO_MATCHING_SENSORS', message: 'NO_MATCHING_SENSORS' },
		});
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: ACTION_FROM_ITEM,
				options: SENSOR_COMMAND,
			},
		);
		expect(result.error?.message).toBe(
			'Cannot isolate desktop-i6 (item 0): the console knows none of their sensors (NO_MATCHING_SENSORS)',
		);
		expect(posts(sim, ISOLATE)).toHaveLength(1);
	});

	it('never resends a lost isolate command and reads the sensor state instead', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-i7' }]);
		sim.state.addFault({ method: 'POST', path: ISOLATE, drop: 'afterProcessing' });
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: ACTION_FROM_ITEM,
				options: SENSOR_COMMAND,
			},
		);
		expect(posts(sim, ISOLATE)).toHaveLength(1);
		const [r] = results(result.output('Remediate'));
		expect(r.status).toBe('SUCCESS');
		expect(r.message).toMatch(
			/^The console's answer was lost \(.*\); the sensor reports the machine isolated\. Nothing was sent again\.$/,
		);
	});

	it('dry run shows the isolate command with the looked-up pylumIds and sends no command', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-i8' }]);
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: ACTION_FROM_ITEM,
				options: { ...SENSOR_COMMAND, dryRun: true },
			},
		);
		expect(posts(sim, ISOLATE)).toHaveLength(0);
		const [out] = json(result.output('Remediate'));
		expect(out.request).toEqual({
			method: 'POST',
			path: ISOLATE,
			body: { pylumIds: [a.machines[0].pylumId], malopId: a.malop.guid },
		});
		expect((out.results as IDataObject).status).toBe('DRY_RUN');
	});
});
