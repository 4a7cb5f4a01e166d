import { normaliseInboxMalop } from '../../../../nodes/shared/malops/inbox';
import { assignRemediationTargets } from '../../../../nodes/shared/malopQuery/remediationTargets';
import { BASE } from '../malops/fixtures';

const malop = (guid: string, machines: string[]) =>
	normaliseInboxMalop(
		{
			guid,
			displayName: guid,
			creationTime: 1,
			lastUpdateTime: 2,
			edr: true,
			machines: machines.map((m) => ({ guid: m, displayName: m })),
		},
		BASE,
	);

const entry = (
	malopId: string | undefined,
	machineId: string,
	targetId: string,
	type = 'KILL_PROCESS',
) => ({
	malopId,
	machineId,
	targetId,
	targetName: `${targetId}.exe`,
	remediationType: type,
});

describe('remediation targets as a pure assignment', () => {
	it('gives each machine the entries of its Malop, once each, and every other machine an empty list', () => {
		const records = [malop('A', ['a1', 'a2']), malop('B', ['b1'])];
		const [a, b] = assignRemediationTargets(records, [
			{
				malopIds: ['A', 'B'],
				entries: [
					entry('A', 'a1', 'p1'),
					entry('A', 'a1', 'p1'),
					entry('A', 'a1', 'p1', 'BLOCK_FILE'),
					entry('B', 'b1', 'p2'),
					// A machine of another Malop, an entry without its Malop in a batch of two, garbage.
					entry('A', 'b1', 'p3'),
					entry(undefined, 'a2', 'p4'),
					null,
					{ machineId: 'a2' },
				],
			},
		]);
		expect(a.machines.map((m) => m.remediationTargets)).toEqual([
			[
				{ actionType: 'KILL_PROCESS', targetId: 'p1', targetName: 'p1.exe' },
				{ actionType: 'BLOCK_FILE', targetId: 'p1', targetName: 'p1.exe' },
			],
			[],
		]);
		expect(b.machines[0].remediationTargets).toEqual([
			{ actionType: 'KILL_PROCESS', targetId: 'p2', targetName: 'p2.exe' },
		]);
		// The records it was given are left as they were.
		expect(records[0].machines[0].remediationTargets).toBeUndefined();
	});

	it('lets a one-Malop answer leave out the Malop ID', () => {
		const [a] = assignRemediationTargets(
			[malop('A', ['a1'])],
			[{ malopIds: ['A'], entries: [entry(undefined, 'a1', 'p1')] }],
		);
		expect(a.machines[0].remediationTargets).toHaveLength(1);
	});
});
