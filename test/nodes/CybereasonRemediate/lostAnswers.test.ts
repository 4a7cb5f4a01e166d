// Answers to an action that are lost in other ways than a dropped connection: a 200 that cannot be read, a 200 without
// what it should say, a POST processed after the client gave up. Never sent again; resolved through the history or
// the sensor state; what the console processed is counted in its own records.
import type { IDataObject } from 'n8n-workflow';

import * as fx from './fixtures';

const start = fx.simulatorPerTest();

const ISOLATE = '/rest/monitor/global/commands/isolate';
const processed = (s: fx.Simulator) => [...s.state.remediations.values()];

describe('POST /rest/remediate', () => {
	it.each([
		['a 200 that is not JSON', 'OK', /the console answered with something that is not JSON/],
		['a 200 without remediationId', { status: 'SUCCESS' }, /the answer carried no remediationId/],
		['an empty 200', '', /the answer carried no remediationId/],
	])('%s after processing: found in the history, not sent again', async (_, body, why) => {
		// Slow steps: the remediation is still PENDING when the history is read.
		const sim = await start({ remediationStepMs: 10_000 });
		const a = fx.addMalop(sim, [{ name: 'desktop-l1' }]);
		sim.state.addFault({
			method: 'POST',
			path: '/rest/remediate',
			status: 200,
			body,
			processFirst: true,
		});
		const result = await fx.runRemediate(
			fx.engineFor(sim),
			[fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{ parameters: fx.ACTION_FROM_ITEM },
		);
		expect(result.error).toBeUndefined();
		const [record] = processed(sim);
		expect(processed(sim)).toHaveLength(1);
		expect(fx.posts(sim)).toHaveLength(1);
		const [out] = fx.json(result.output('Remediate'));
		expect(out.remediationId).toBe(record.remediationId);
		expect((out.results as IDataObject).status).toBe('PENDING');
		expect(out.note).toMatch(why);
		expect(out.note).toMatch(/was found in the Malop's history; nothing was sent again\.$/);
	});

	it('a POST the console processes after the client gave up is found before the run ends, and a re-run sends nothing', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-l2' }]);
		const input = [fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)];
		// The client gives up after 1 s; the console acts 2.5 s after the POST arrived.
		fx.transportLimits.timeoutCapMs = 1000;
		sim.state.addFault({ method: 'POST', path: '/rest/remediate', latencyMs: 2500 });
		const engine = fx.engineFor(sim);
		const result = await fx.runRemediate(engine, input, {
			parameters: fx.ACTION_FROM_ITEM,
			options: { timeout: 5, pollInterval: 0.2 },
		});
		expect(result.error).toBeUndefined();
		expect(processed(sim)).toHaveLength(1);
		const [out] = fx.json(result.output('Remediate'));
		expect(out.remediationId).toBe(processed(sim)[0].remediationId);
		expect(out.note).toMatch(
			/^The console's answer was lost \(.*timed out.*\)\. Remediation .* was found/,
		);
		// One read for the guard, then reads until the remediation shows.
		expect(fx.reads(sim, `/rest/remediate/status/${a.malop.guid}`).length).toBeGreaterThan(2);

		const again = await fx.runRemediate(engine, input, { parameters: fx.ACTION_FROM_ITEM });
		expect(fx.json(again.output('Remediate'))[0].remediationId).toBe(out.remediationId);
		expect(fx.posts(sim)).toHaveLength(1);
		expect(processed(sim)).toHaveLength(1);
	});

	it('reports UNKNOWN at the deadline when the history never shows it, saying how often it looked', async () => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-l3' }]);
		sim.state.addFault({ method: 'POST', path: '/rest/remediate', drop: 'beforeProcessing' });
		const started = Date.now();
		const result = await fx.runRemediate(
			fx.engineFor(sim),
			[fx.item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{ parameters: fx.ACTION_FROM_ITEM, options: { timeout: 0.6, pollInterval: 0.1 } },
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(600);
		const [out] = fx.json(result.output('Remediate'));
		expect(out.results).toMatchObject({ status: 'UNKNOWN', errorType: 'ECONNRESET' });
		const looked = fx.reads(sim, `/rest/remediate/status/${a.malop.guid}`).length - 1;
		expect((out.results as IDataObject).message).toContain(
			`no matching remediation appears in the Malop's history (read ${looked} times until the timeout of 0.6 s)`,
		);
		expect(looked).toBeGreaterThan(2);
		expect(processed(sim)).toHaveLength(0);
	});
});

describe('the isolate command', () => {
	it.each([
		['a 200 that is not JSON', 'Isolated.'],
		['a 200 that names none of the sensors', {}],
	])('%s after processing: read from the sensor, not sent again', async (_, body) => {
		const sim = await start();
		const a = fx.addMalop(sim, [{ name: 'desktop-l4' }]);
		sim.state.addFault({ method: 'POST', path: ISOLATE, status: 200, body, processFirst: true });
		const result = await fx.runRemediate(
			fx.engineFor(sim),
			[fx.item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: fx.ACTION_FROM_ITEM,
				options: { isolationMethod: 'sensorCommand' },
			},
		);
		expect(result.error).toBeUndefined();
		expect(fx.posts(sim, ISOLATE)).toHaveLength(1);
		expect(a.machines[0].isolated).toBe(true);
		const [out] = fx.json(result.output('Remediate'));
		expect(out.results).toMatchObject({ status: 'SUCCESS', errorType: null });
		expect((out.results as IDataObject).message).toMatch(
			/^The console's answer was lost \(.*\); the sensor reports the machine isolated\. Nothing was sent again\.$/,
		);
	});
});
