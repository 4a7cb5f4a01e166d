// The replay guard under faults: a history that cannot be read, a console clock that is off, isolation by sensor
// command. What the user sees, and what the console processed (its remediations and isolate commands).
import type { IDataObject } from 'n8n-workflow';

import * as fx from './fixtures';

const start = fx.simulatorPerTest();

const ISOLATE = '/rest/monitor/global/commands/isolate';
const SENSOR_COMMAND = { isolationMethod: 'sensorCommand' };
const MINUTE = 60_000;
const processed = (s: fx.Simulator) => s.state.remediations.size;

describe('fails closed when the history cannot be read', () => {
	it.each([
		['403', { status: 403, times: 1 }, '403'],
		['500 after the read retries', { status: 500, times: Infinity }, '500'],
	])(
		'%s: nothing is sent for that Malop, its items say why and how to proceed',
		async (_, f, code) => {
			const sim = await start();
			const a = fx.addMalop(sim, [{ name: 'desktop-f1' }]);
			const b = fx.addMalop(sim, [{ name: 'desktop-f2' }]);
			sim.state.addFault({ method: 'GET', path: `/rest/remediate/status/${a.malop.guid}`, ...f });
			const input = [
				fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
				fx.item(b.malop, b.machines[0], 'KILL_PROCESS', b.targets[0].process),
			];
			const lenient = await fx.runRemediate(fx.engineFor(sim), input, {
				parameters: fx.ACTION_FROM_ITEM,
				continueOnFail: true,
			});
			const out = fx.json(lenient.output('Remediate'));
			expect(out[0]).toMatchObject({
				error: `Nothing was sent for Malop ${a.malop.guid}: the replay guard could not read its remediation history (HTTP ${code})`,
				httpCode: code,
				malopId: a.malop.guid,
				machineGuid: a.machines[0].guid,
				remediationId: null,
			});
			expect(out[0].description).toMatch(
				/so none was sent\. To proceed, give the Cybereason user permission to read remediation status .*, or set the option Replay Guard Window to 0 to send without the check\./,
			);
			// The other Malop goes through; the console processed exactly one remediation, not for Malop A.
			expect((out[1].results as IDataObject).status).toBe('PENDING');
			expect(fx.posts(sim).map((r) => (r.body as IDataObject).malopId)).toEqual([b.malop.guid]);
			expect([...sim.state.remediations.values()].map((r) => r.malopId)).toEqual([b.malop.guid]);
		},
	);

	it('without continue-on-fail the run fails before anything is sent; Replay Guard Window 0 sends anyway', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-f4' }]);
		const input = [fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)];
		const refuse = () =>
			sim.state.addFault({
				method: 'GET',
				path: `/rest/remediate/status/${a.malop.guid}`,
				status: 403,
			});
		refuse();
		const strict = await fx.runRemediate(fx.engineFor(sim), input, {
			parameters: fx.ACTION_FROM_ITEM,
		});
		expect(strict.error?.message).toBe(
			`Nothing was sent for Malop ${a.malop.guid}: the replay guard could not read its remediation history (HTTP 403)`,
		);
		expect(processed(sim)).toBe(0);
		refuse();
		const unguarded = await fx.runRemediate(fx.engineFor(sim), input, {
			parameters: fx.ACTION_FROM_ITEM,
			options: { replayGuardWindow: 0 },
		});
		expect(unguarded.error).toBeUndefined();
		expect(processed(sim)).toBe(1);
	});

	it('sends no isolate command either when the guard cannot read the history', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-f3' }]);
		sim.state.addFault({
			method: 'GET',
			path: `/rest/remediate/status/${a.malop.guid}`,
			status: 403,
		});
		const result = await fx.runRemediate(
			fx.engineFor(sim),
			[fx.item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: fx.ACTION_FROM_ITEM,
				options: SENSOR_COMMAND,
				continueOnFail: true,
			},
		);
		expect(fx.json(result.output('Remediate'))[0].error).toMatch(/^Nothing was sent for Malop/);
		expect(fx.posts(sim, ISOLATE)).toHaveLength(0);
		expect(a.machines[0].isolated).toBe(false);
	});
});

describe("the window is measured on the console's clock", () => {
	it('a console 15 minutes behind: a re-run still finds what the first run sent', async () => {
		const sim = await start({ clockOffsetMs: -15 * MINUTE });
		const a = fx.addMalop(sim, [{ name: 'desktop-c1' }]);
		const input = [fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)];
		const engine = fx.engineFor(sim);
		const first = fx.json(
			(await fx.runRemediate(engine, input, { parameters: fx.ACTION_FROM_ITEM })).output(
				'Remediate',
			),
		);
		const second = fx.json(
			(await fx.runRemediate(engine, input, { parameters: fx.ACTION_FROM_ITEM })).output(
				'Remediate',
			),
		);
		expect(processed(sim)).toBe(1);
		expect(fx.posts(sim)).toHaveLength(1);
		expect(second[0].remediationId).toBe(first[0].remediationId);
		expect(second[0].note).toMatch(/within the replay guard window; not sent again\.$/);
	});

	it('a console whose clock moved 11 minutes ahead: what it started 11 minutes ago is outside the window', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-c2' }]);
		const input = [fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)];
		const engine = fx.engineFor(sim);
		await fx.runRemediate(engine, input, { parameters: fx.ACTION_FROM_ITEM });
		// For the console the first remediation is now 11 minutes old; for n8n's clock a moment.
		sim.state.shiftClock(11 * MINUTE);
		const again = await fx.runRemediate(engine, input, { parameters: fx.ACTION_FROM_ITEM });
		expect(again.error).toBeUndefined();
		expect(processed(sim)).toBe(2);
		expect(fx.json(again.output('Remediate'))[0].note).toBeUndefined();
	});
});

describe('isolation by sensor command is inside the guard', () => {
	it('Retry On Fail does not send the isolate command again: the sensor reports the machine isolated', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-s1' }]);
		const other = fx.addMalop(sim, [{ name: 'desktop-elsewhere' }]);
		const input = [
			fx.item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
			// Not part of this Malop: INVALID_ARGUMENT fails the run, and n8n tries it again.
			fx.item(a.malop, other.machines[0], 'KILL_PROCESS', other.targets[0].process),
		];
		const result = await fx.runRemediate(fx.engineFor(sim), input, {
			parameters: fx.ACTION_FROM_ITEM,
			options: SENSOR_COMMAND,
			node: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
		});
		expect(result.error?.message).toMatch(/^Cybereason refused Kill Process/);
		expect(fx.posts(sim, ISOLATE)).toHaveLength(1);
		expect(a.machines[0].isolated).toBe(true);
	});

	it('skips a machine its sensor reports isolated, with a note, and sends the others', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-s2' }, { name: 'desktop-s3' }]);
		a.machines[0].isolated = true;
		const result = await fx.runRemediate(
			fx.engineFor(sim),
			a.machines.map((m) => fx.item(a.malop, m, 'ISOLATE_MACHINE')),
			{ parameters: fx.ACTION_FROM_ITEM, options: SENSOR_COMMAND },
		);
		const out = fx.json(result.output('Remediate'));
		expect(out[0]).toMatchObject({
			remediationId: null,
			initiatingUser: null,
			results: {
				status: 'SUCCESS',
				message:
					'The sensor already reports the machine isolated; the isolate command was not sent',
			},
		});
		expect((out[1].results as IDataObject).status).toBe('SUCCESS');
		expect(fx.posts(sim, ISOLATE).map((r) => (r.body as IDataObject).pylumIds)).toEqual([
			[a.machines[1].pylumId],
		]);
	});

	it('does not isolate by sensor command a machine the history shows being isolated', async () => {
		// Sensor offline: the first run's ISOLATE_MACHINE (through /rest/remediate) stays PENDING.
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'laptop-s4', connected: false }]);
		const input = [fx.item(a.malop, a.machines[0], 'ISOLATE_MACHINE')];
		const engine = fx.engineFor(sim);
		const first = fx.json(
			(await fx.runRemediate(engine, input, { parameters: fx.ACTION_FROM_ITEM })).output(
				'Remediate',
			),
		);
		const second = await fx.runRemediate(engine, input, {
			parameters: fx.ACTION_FROM_ITEM,
			options: SENSOR_COMMAND,
		});
		const [out] = fx.json(second.output('Remediate'));
		expect(fx.posts(sim, ISOLATE)).toHaveLength(0);
		expect(processed(sim)).toBe(1);
		expect(out.remediationId).toBe(first[0].remediationId);
		expect((out.results as IDataObject).status).toBe('PENDING');
		expect(out.note).toMatch(/within the replay guard window; not sent again\.$/);
		expect(fx.reads(sim, `/rest/remediate/status/${a.malop.guid}`)).toHaveLength(2);
	});

	it('with Replay Guard Window 0, sends the isolate command without looking', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-s5' }]);
		a.machines[0].isolated = true;
		const result = await fx.runRemediate(
			fx.engineFor(sim),
			[fx.item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: fx.ACTION_FROM_ITEM,
				options: { ...SENSOR_COMMAND, replayGuardWindow: 0 },
			},
		);
		expect(fx.results(result.output('Remediate'))[0].status).toBe('SUCCESS');
		expect(fx.posts(sim, ISOLATE)).toHaveLength(1);
		expect(fx.reads(sim, '/rest/remediate/status/')).toHaveLength(0);
	});
});
