// The output's field order is what n8n's table view shows from left to right: the fields a user reads first
// (malopId, machineName, actionType, results), then identifiers, the heavy `request` last.
import type { IDataObject } from 'n8n-workflow';

import { addMalop, engineFor, guid, item, json, runRemediate, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();
const FIRST = ['malopId', 'machineName', 'actionType', 'results'];
const IDS = ['machineGuid', 'targetId', 'remediationId', 'initiatingUser'];

describe('output field order', () => {
	it('puts what a user reads first, for sent, protected, sensor-command and dry-run items', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-o1' }, { name: 'dc01' }]);
		const input = [
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			item(a.malop, a.machines[1], 'ISOLATE_MACHINE'),
		];
		const engine = engineFor(sim);
		const actionFromItem = { actionType: '={{ $json.actionType }}' };
		const sent = await runRemediate(engine, input, {
			parameters: actionFromItem,
			options: { protectedMachines: 'dc01' },
		});
		const [killed, skipped] = json(sent.output('Remediate'));
		expect(Object.keys(killed)).toEqual([...FIRST, ...IDS]);
		expect(Object.keys(skipped)).toEqual([...FIRST, ...IDS]);
		expect(Object.keys(killed.results as IDataObject)).toEqual([
			'status',
			'message',
			'errorType',
			'timestamp',
			'timestampMs',
		]);

		const isolated = await runRemediate(
			engine,
			[input[0], item(a.malop, a.machines[0], 'ISOLATE_MACHINE')],
			{
				parameters: actionFromItem,
				options: { isolationMethod: 'sensorCommand', dryRun: true },
			},
		);
		const [dryKill, dryIsolate] = json(isolated.output('Remediate'));
		expect(Object.keys(dryKill)).toEqual([...FIRST, ...IDS, 'request']);
		expect(Object.keys(dryIsolate)).toEqual([...FIRST, ...IDS, 'pylumIds', 'request']);
	});

	it('gives a failed item its context in the same order, then the error', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-o2' }]);
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, { ...a.machines[0], guid: guid('GONE') }, 'ISOLATE_MACHINE')],
			{ parameters: { actionType: 'ISOLATE_MACHINE' }, continueOnFail: true },
		);
		const [failed] = json(result.output('Remediate'));
		expect(Object.keys(failed)).toEqual([
			'malopId',
			'machineName',
			'actionType',
			'machineGuid',
			'targetId',
			'remediationId',
			'error',
			'description',
			'httpCode',
		]);
	});
});
