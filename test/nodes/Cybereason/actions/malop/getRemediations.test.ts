// Get Remediations: the Malop's history, one item per remediation × target with the target's latest status.
import type { RemediationResponse } from '../../../../../nodes/shared/types';
import { remediationItems } from '../../../../../nodes/Cybereason/actions/malop/getRemediations';
import {
	ACTION_FROM_ITEM,
	addMalop,
	DEMO_USER,
	engineFor,
	item,
	runRemediate,
} from '../../../CybereasonRemediate/fixtures';
import { NODE, out, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('malop getRemediations', () => {
	it('lists what Remediate started, one item per action and target, with its final status', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-r1' }, { name: 'desktop-r2' }]);
		const [m1, m2] = a.machines;
		const remediated = await runRemediate(
			engineFor(sim),
			[
				item(a.malop, m1, 'ISOLATE_MACHINE'),
				item(a.malop, m2, 'KILL_PROCESS', a.targets[1].process),
			],
			{ parameters: ACTION_FROM_ITEM, options: { waitForCompletion: true, pollInterval: 0.05 } },
		);
		const remediationId = remediated.output('Remediate')[0].json.remediationId;

		const result = await runNode(engineFor(sim), [{ malopId: a.malop.guid }], {
			resource: 'malop',
			operation: 'getRemediations',
		});
		expect(result.error).toBeUndefined();
		const common = {
			malopId: a.malop.guid,
			remediationId,
			initiatingUser: DEMO_USER.username,
			start: expect.stringMatching(ISO),
			end: expect.stringMatching(ISO),
			status: 'SUCCESS',
			errorType: null,
			message: null,
			timestamp: expect.stringMatching(ISO),
		};
		expect(out(result)).toEqual([
			{ ...common, actionType: 'ISOLATE_MACHINE', machineGuid: m1.guid, targetId: m1.guid },
			{
				...common,
				actionType: 'KILL_PROCESS',
				machineGuid: m2.guid,
				targetId: a.targets[1].process.guid,
			},
		]);
		result.output(NODE).forEach((i) => expect(i.pairedItem).toEqual({ item: 0 }));
	});

	it('names the item of an unknown Malop', async () => {
		const sim = await start();
		const result = await runNode(engineFor(sim), [{ malopId: 'AAAAnoSuchMalop5' }], {
			resource: 'malop',
			operation: 'getRemediations',
		});
		expect(result.error?.message).toBe(
			'Could not read the remediation history of Malop AAAAnoSuchMalop5 (item 0): Cybereason rejected the request (HTTP 400): Malop ID is not valid: AAAAnoSuchMalop5',
		);
	});
});

describe('remediationItems', () => {
	const history: RemediationResponse[] = [
		{
			malopId: 'M',
			remediationId: 'r2',
			start: 2000,
			initiatingUser: 'u',
			statusLog: [],
		},
		{
			malopId: 'M',
			remediationId: 'r1',
			start: 1000,
			end: 1500,
			initiatingUser: 'u',
			statusLog: [
				{
					machineId: 'm',
					targetId: 't',
					actionType: 'KILL_PROCESS',
					status: 'PENDING',
					timestamp: 1000,
				},
				{
					machineId: 'm',
					targetId: 't',
					actionType: 'KILL_PROCESS',
					status: 'IN_PROGRESS',
					timestamp: 1100,
				},
				{
					machineId: 'm',
					targetId: 't',
					actionType: 'KILL_PROCESS',
					status: 'FAILURE',
					error: { errorType: 'INVALID_ARGUMENT', message: 'not here' },
					timestamp: 1200,
				},
			],
		},
	];

	it('keeps the latest entry per target, oldest remediation first, and one item for an empty log', () => {
		expect(remediationItems('M', history)).toEqual([
			{
				malopId: 'M',
				remediationId: 'r1',
				initiatingUser: 'u',
				start: '1970-01-01T00:00:01.000Z',
				end: '1970-01-01T00:00:01.500Z',
				actionType: 'KILL_PROCESS',
				machineGuid: 'm',
				targetId: 't',
				status: 'FAILURE',
				errorType: 'INVALID_ARGUMENT',
				message: 'not here',
				timestamp: '1970-01-01T00:00:01.200Z',
			},
			{
				malopId: 'M',
				remediationId: 'r2',
				initiatingUser: 'u',
				start: '1970-01-01T00:00:02.000Z',
				end: null,
				actionType: null,
				machineGuid: null,
				targetId: null,
				status: null,
				errorType: null,
				message: null,
				timestamp: null,
			},
		]);
	});
});
