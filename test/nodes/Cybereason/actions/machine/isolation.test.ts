// Machine Isolate and Un-isolate: one command per Malop ID for all machines of the run, per-machine results, and
// the guardrails: dry run, protected machines, the cap, machines already as wanted, lost answers never resent.
import type { IDataObject } from 'n8n-workflow';

import { addMalop, engineFor, expectPairedInOrder } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const ISOLATE_PATH = '/rest/monitor/global/commands/isolate';
const UNISOLATE_PATH = '/rest/monitor/global/commands/un-isolate';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISOLATE = { resource: 'machine', operation: 'isolate' };
const UNISOLATE = { resource: 'machine', operation: 'unisolate' };
const results = (items: IDataObject[]) => items.map((i) => i.results as IDataObject);

describe('machine isolate and unisolate', () => {
	it('isolates every machine of the run in one command per Malop and reports each machine', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-i1' }, { name: 'laptop-i2', connected: false }]);
		const b = addMalop(sim, [{ name: 'desktop-i3' }]);
		const [m1, m2] = a.machines;
		const [m3] = b.machines;
		const input = [
			{ malopId: a.malop.guid, machineGuid: m1.guid },
			{ malopId: a.malop.guid, machineGuid: m2.guid },
			{ malopId: b.malop.guid, machineGuid: m3.guid },
			{ malopId: a.malop.guid, machineGuid: m1.guid },
		];
		const result = await runNode(engineFor(sim), input, ISOLATE);
		expect(result.error).toBeUndefined();
		expect(received(sim, ISOLATE_PATH).map((r) => r.body)).toEqual([
			{ pylumIds: [m1.pylumId, m2.pylumId], malopId: a.malop.guid },
			{ pylumIds: [m3.pylumId], malopId: b.malop.guid },
		]);
		const items = out(result);
		expectPairedInOrder(result.output(NODE), 4);
		expect(items[0]).toEqual({
			machineName: 'desktop-i1',
			machineGuid: m1.guid,
			malopId: a.malop.guid,
			results: {
				status: 'SUCCESS',
				consoleStatus: 'Succeeded',
				message: null,
				timestamp: expect.stringMatching(ISO),
			},
			pylumIds: [m1.pylumId],
		});
		expect(items[1].results).toEqual({
			status: 'PENDING',
			consoleStatus: 'Primed',
			message: 'The sensor is offline: isolation is queued (Primed) and applies when it reconnects',
			timestamp: expect.stringMatching(ISO),
		});
		expect(results(items).map((r) => r.status)).toEqual([
			'SUCCESS',
			'PENDING',
			'SUCCESS',
			'SUCCESS',
		]);
		expect([m1.isolated, m2.pendingIsolation, m3.isolated]).toEqual([true, true, true]);
	});

	it('sends one un-isolate command for all machines when no Malop ID is given, and the sensors show it', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-u1' }, { name: 'laptop-u2' }]);
		const b = addMalop(sim, [{ name: 'desktop-u3' }]);
		const machines = [...a.machines, ...b.machines];
		for (const m of machines) m.isolated = true;
		sim.state.setMachineConnected(a.machines[1].guid, false);
		const result = await runNode(
			engineFor(sim),
			machines.map((m) => ({ machineGuid: m.guid })),
			{ ...UNISOLATE, malopId: '' },
		);
		expect(received(sim, UNISOLATE_PATH).map((r) => r.body)).toEqual([
			{ pylumIds: machines.map((m) => m.pylumId) },
		]);
		const items = out(result);
		expect(results(items).map((r) => [r.status, r.consoleStatus])).toEqual([
			['SUCCESS', 'Succeeded'],
			['PENDING', 'Primed'],
			['SUCCESS', 'Succeeded'],
		]);
		expect(items[1].results).toEqual(
			expect.objectContaining({
				message:
					'The sensor is offline: the un-isolation is queued (Primed) and applies when it reconnects',
			}),
		);
		expect(items[0].malopId).toBeNull();
		expect(machines.map((m) => m.isolated)).toEqual([false, true, false]);
	});

	it('skips machines already in the wanted state, so a re-run sends nothing again', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-i4' }, { name: 'desktop-i5' }]);
		a.machines[1].isolated = true;
		const input = a.machines.map((m) => ({ malopId: a.malop.guid, machineGuid: m.guid }));
		const first = await runNode(engineFor(sim), input, ISOLATE);
		expect(received(sim, ISOLATE_PATH).map((r) => r.body)).toEqual([
			{ pylumIds: [a.machines[0].pylumId], malopId: a.malop.guid },
		]);
		expect(out(first)[1].results).toEqual({
			status: 'SUCCESS',
			consoleStatus: null,
			message: `Already isolated: the sensor ${a.machines[1].pylumId} reports it, so nothing was sent`,
			timestamp: expect.stringMatching(ISO),
		});
		const again = await runNode(engineFor(sim), input, ISOLATE);
		expect(received(sim, ISOLATE_PATH)).toHaveLength(1);
		expect(results(out(again)).map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS']);
	});

	it('dry run shows the exact command and sends nothing', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-d1' }, { name: 'desktop-d2' }]);
		const result = await runNode(
			engineFor(sim),
			a.machines.map((m) => ({ malopId: a.malop.guid, machineGuid: m.guid })),
			{ ...ISOLATE, options: { dryRun: true } },
		);
		expect(received(sim, ISOLATE_PATH)).toHaveLength(0);
		const [item] = out(result);
		expect(item.request).toEqual({
			method: 'POST',
			path: ISOLATE_PATH,
			body: { pylumIds: a.machines.map((m) => m.pylumId), malopId: a.malop.guid },
		});
		expect(results(out(result)).map((r) => r.status)).toEqual(['DRY_RUN', 'DRY_RUN']);
		expect(a.machines.map((m) => m.isolated)).toEqual([false, false]);
	});

	it('never isolates a protected machine (by name, FQDN host name or GUID)', async () => {
		const sim = await start();
		const a = addMalop(sim, [
			{ name: 'DC01.corp.local' },
			{ name: 'srv-db' },
			{ name: 'desktop-p3' },
		]);
		const [dc, db, desktop] = a.machines;
		const result = await runNode(
			engineFor(sim),
			a.machines.map((m) => ({ malopId: a.malop.guid, machineGuid: m.guid })),
			{ ...ISOLATE, options: { protectedMachines: `dc01\n${db.guid}` } },
		);
		expect(received(sim, ISOLATE_PATH).map((r) => r.body)).toEqual([
			{ pylumIds: [desktop.pylumId], malopId: a.malop.guid },
		]);
		const items = out(result);
		expect(items[0].results).toEqual({
			status: 'SKIPPED_PROTECTED',
			consoleStatus: null,
			message:
				'Machine DC01.corp.local matches the Protected Machines entry "dc01"; nothing was sent',
			timestamp: expect.stringMatching(ISO),
		});
		expect((items[1].results as IDataObject).status).toBe('SKIPPED_PROTECTED');
		expect([dc.isolated, db.isolated, desktop.isolated]).toEqual([false, false, true]);
	});

	it('refuses the whole run above Max Machines Per Run, before sending anything', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'dc01' }, { name: 'desktop-c1' }, { name: 'desktop-c2' }]);
		const input = a.machines.map((m) => ({ malopId: a.malop.guid, machineGuid: m.guid }));
		const options = { maxMachinesPerRun: 1, protectedMachines: 'dc01' };
		const strict = await runNode(engineFor(sim), input, { ...ISOLATE, options });
		expect(strict.error?.message).toBe(
			'Refused: this run would isolate 2 machines, more than Max Machines Per Run (1). Nothing was sent.',
		);
		const lenient = await runNode(
			engineFor(sim),
			input,
			{ ...ISOLATE, options },
			{ continueOnFail: true },
		);
		const items = out(lenient);
		expect((items[0].results as IDataObject).status).toBe('SKIPPED_PROTECTED');
		expect(items[1].error).toBe(strict.error?.message);
		expect(items[2].error).toBe(strict.error?.message);
		expect(received(sim, ISOLATE_PATH)).toHaveLength(0);
		// Protected machines do not count: two machines fit a cap of 2.
		const fits = await runNode(engineFor(sim), input, {
			...ISOLATE,
			options: { ...options, maxMachinesPerRun: 2 },
		});
		expect(results(out(fits)).map((r) => r.status)).toEqual([
			'SKIPPED_PROTECTED',
			'SUCCESS',
			'SUCCESS',
		]);
	});

	it('names the item of an unknown machine before sending anything; continue-on-fail isolates the others', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-n1' }]);
		const input = [{ machineName: 'ghost-host' }, { machineName: 'desktop-n1' }];
		const parameters = { ...ISOLATE, lookupBy: 'name', machine: '={{ $json.machineName }}' };
		const strict = await runNode(engineFor(sim), input, parameters);
		expect(strict.error?.message).toBe('No sensor found for machine name ghost-host (item 0)');
		expect(received(sim, ISOLATE_PATH)).toHaveLength(0);
		const lenient = await runNode(engineFor(sim), input, parameters, { continueOnFail: true });
		const [ghost, found] = out(lenient);
		expect(ghost).toEqual({
			machine: 'ghost-host',
			error: 'No sensor found for machine name ghost-host (item 0)',
			description: expect.stringContaining('The console has no active (not archived) sensor'),
		});
		expect((found.results as IDataObject).status).toBe('SUCCESS');
		expect(a.machines[0].isolated).toBe(true);
	});

	it('settles a lost answer by reading the sensors, never by sending again', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-l1' }]);
		const input = [{ malopId: a.malop.guid, machineGuid: a.machines[0].guid }];
		sim.state.addFault({ path: ISOLATE_PATH, drop: 'afterProcessing' });
		const result = await runNode(engineFor(sim), input, ISOLATE);
		expect(result.error).toBeUndefined();
		expect(received(sim, ISOLATE_PATH)).toHaveLength(1);
		const [item] = out(result);
		expect(item.results).toEqual({
			status: 'SUCCESS',
			consoleStatus: null,
			message: 'The sensor reports the machine isolated.',
			timestamp: expect.stringMatching(ISO),
		});
		expect(item.note).toMatch(/^The console's answer was lost \(.*\); nothing was sent again\.$/);
	});

	it.each([
		['a 5xx', { status: 502 }],
		['an unreadable 200', { status: 200, body: 'OK, maybe' }],
		['a 200 naming no sensor', { status: 200, body: {} }],
	])(
		'reports UNKNOWN after %s the sensor state does not settle, and sends nothing again',
		async (_, fault) => {
			const sim = await start();
			const a = addMalop(sim, [{ name: 'desktop-l2' }]);
			sim.state.addFault({ path: UNISOLATE_PATH, ...fault });
			a.machines[0].isolated = true;
			const result = await runNode(
				engineFor(sim),
				[{ machineGuid: a.machines[0].guid }],
				UNISOLATE,
			);
			expect(result.error).toBeUndefined();
			expect(received(sim, UNISOLATE_PATH)).toHaveLength(1);
			const [r] = results(out(result));
			expect(r.status).toBe('UNKNOWN');
			expect(r.message).toMatch(
				/^The sensor still reports the machine isolated \(.*\)\. The command was NOT sent again: check the machine in the Cybereason console before running again\.$/,
			);
		},
	);

	it('decides on the newest sensor of a reinstalled machine and commands every sensor not yet isolated', async () => {
		const sim = await start();
		const [m] = addMalop(sim, [{ name: 'desktop-r1' }]).machines;
		const stale = sim.state.addSensor({ machineName: m.name, guid: m.guid });
		const result = await runNode(engineFor(sim), [{ machineGuid: m.guid }], ISOLATE);
		expect(received(sim, ISOLATE_PATH).map((r) => r.body)).toEqual([
			{ pylumIds: [m.pylumId, stale.pylumId] },
		]);
		const [item] = out(result);
		expect(item.pylumIds).toEqual([m.pylumId, stale.pylumId]);
		expect(item.results).toEqual(
			expect.objectContaining({ status: 'SUCCESS', consoleStatus: 'Succeeded, Primed' }),
		);
		// The live sensor is isolated now: nothing to send on the next run, although the stale one is only queued.
		await runNode(engineFor(sim), [{ machineGuid: m.guid }], ISOLATE);
		expect(received(sim, ISOLATE_PATH)).toHaveLength(1);
	});
});
