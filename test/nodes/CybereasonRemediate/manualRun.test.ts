// A run from the editor that waits for completion holds the editor until the timeout: afterwards the output pane
// says what was still unfinished and why.
import type { IDataObject } from 'n8n-workflow';

import {
	addMalop,
	engineFor,
	item,
	isolateOne,
	posts,
	REMEDIATE_TYPE,
	results,
	simulatorPerTest,
	type Simulator,
} from './fixtures';

const start = simulatorPerTest();
// The offline machine waits the whole timeout; the online one finishes in a few simulator steps well before it.
const WAIT = { waitForCompletion: true, pollInterval: 0.05, timeout: 2 };
const FAST_STEPS = { remediationStepMs: 10 };
// Sensor queries with filters (the login's own probe of the session has none).
const sensorReads = (sim: Simulator) =>
	posts(sim, '/rest/sensors/query').filter((r) => (r.body as IDataObject).filters !== undefined);

/** One machine offline (its isolation runs into the timeout), one online (its kill succeeds). */
async function oneOffline(sim: Simulator, mode: 'manual' | 'trigger' = 'manual') {
	const a = addMalop(sim, [{ name: 'laptop-off', connected: false }, { name: 'desktop-on' }]);
	const input = [
		item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
		item(a.malop, a.machines[1], 'KILL_PROCESS', a.targets[1].process),
	];
	const result = await engineFor(sim).run({
		mode,
		nodes: [
			{ name: 'Start', type: 'test.start', parameters: { items: JSON.stringify(input) } },
			{
				name: 'Remediate',
				type: REMEDIATE_TYPE,
				parameters: { actionType: '={{ $json.actionType }}', options: WAIT },
			},
		],
		connections: [['Start', 'Remediate']],
	});
	expect(result.error).toBeUndefined();
	expect(results(result.output('Remediate')).map((r) => r.status)).toEqual(['TIMEOUT', 'SUCCESS']);
	return { result, offline: a.machines[0] };
}

describe('a run from the editor that waited until the timeout', () => {
	it('says which actions were still unfinished and that the sensor is offline', async () => {
		const sim = await start(FAST_STEPS);
		const { result, offline } = await oneOffline(sim);
		expect(result.hints('Remediate')).toEqual([
			{
				message:
					'This run from the editor waited the whole Timeout (2 s) and 1 action(s) were still unfinished: Isolate Machine on laptop-off (its sensor is offline: the action runs when the machine reconnects). They stay queued in the Cybereason console. The editor shows nothing while a run waits: for runs from the editor set Timeout to 30 s or less (scheduled and triggered runs can wait longer).',
				type: 'warning',
				location: 'outputPane',
			},
		]);
		// One read-only lookup, for the unfinished machine only.
		expect(sensorReads(sim).map((r) => (r.body as IDataObject).filters)).toEqual([
			[
				{ fieldName: 'guid', operator: 'Equals', values: [offline.guid] },
				{ fieldName: 'status', operator: 'NotEquals', values: ['Archived'] },
			],
		]);
	});

	it('says so when the sensor state cannot be read, and the items are unchanged', async () => {
		const sim = await start(FAST_STEPS);
		sim.state.addFault({ method: 'POST', path: '/rest/sensors/query', status: 403, times: 5 });
		const { result } = await oneOffline(sim);
		const [hint] = result.hints('Remediate');
		expect(hint.message).toMatch(
			/^This run from the editor waited the whole Timeout \(2 s\) and 1 action\(s\) were still unfinished: Isolate Machine on laptop-off \(its sensor state could not be read: .*403.*\)\./,
		);
	});

	it('shows nothing, and reads nothing more, in a scheduled or triggered run', async () => {
		const sim = await start(FAST_STEPS);
		const { result } = await oneOffline(sim, 'trigger');
		expect(result.hints('Remediate')).toEqual([]);
		expect(sensorReads(sim)).toHaveLength(0);
	});

	it('shows nothing when everything finished in time', async () => {
		const sim = await start(FAST_STEPS);
		const { result } = await isolateOne(sim, 'desktop-fast', { options: { ...WAIT, timeout: 10 } });
		expect(results(result.output('Remediate')).map((r) => r.status)).toEqual(['SUCCESS']);
		expect(result.hints('Remediate')).toEqual([]);
	});
});
