import { countActions, planBatches, remediateRequest } from '../../../../nodes/shared/remediation';
import { F1, M1, M2, MALOP_A, MALOP_B, P1, valid } from './fixtures';

describe('planBatches and remediateRequest', () => {
	it('sends one request per Malop with every machine and target, merging duplicates, in input order', () => {
		const items = [
			valid(0, { malopId: MALOP_A, machineGuid: M1, targetId: P1 }),
			valid(1, { malopId: MALOP_B, machineGuid: M2, actionType: 'QUARANTINE_FILE', targetId: F1 }),
			valid(2, { malopId: MALOP_A, machineGuid: M2, actionType: 'ISOLATE_MACHINE' }),
			valid(3, { malopId: MALOP_A, machineGuid: M1, targetId: P1 }),
			valid(4, { malopId: MALOP_A, machineGuid: M1, actionType: 'BLOCK_FILE', targetId: F1 }),
		];
		const batches = planBatches(items);
		expect(batches.map((b) => b.malopId)).toEqual([MALOP_A, MALOP_B]);
		expect(batches[0].itemIndexes).toEqual([0, 2, 3, 4]);
		expect(batches[0].actions.map((a) => a.itemIndexes)).toEqual([[0, 3], [2], [4]]);
		expect(remediateRequest(batches[0], batches[0].actions)).toEqual({
			malopId: MALOP_A,
			initiatorUserName: 'soc@acme.com',
			actionsByMachine: {
				[M1]: [
					{ targetId: P1, actionType: 'KILL_PROCESS' },
					{ targetId: F1, actionType: 'BLOCK_FILE' },
				],
				[M2]: [{ actionType: 'ISOLATE_MACHINE' }],
			},
		});
		expect(countActions(batches)).toBe(4);
	});

	it('merges two ISOLATE_MACHINE items for the same machine', () => {
		const batches = planBatches([
			valid(0, { actionType: 'ISOLATE_MACHINE' }),
			valid(1, { actionType: 'ISOLATE_MACHINE' }),
		]);
		expect(batches[0].actions).toHaveLength(1);
		expect(batches[0].actions[0].itemIndexes).toEqual([0, 1]);
	});

	it('keeps the same target under different action types apart', () => {
		const batches = planBatches([
			valid(0, { actionType: 'QUARANTINE_FILE', targetId: F1 }),
			valid(1, { actionType: 'BLOCK_FILE', targetId: F1 }),
		]);
		expect(batches[0].actions).toHaveLength(2);
	});

	it('splits a Malop by initiator, which is part of the request body', () => {
		const batches = planBatches([
			valid(0),
			valid(1, { initiatorUserName: 'other@acme.com', targetId: F1 }),
		]);
		expect(batches.map((b) => b.initiatorUserName)).toEqual(['soc@acme.com', 'other@acme.com']);
	});
});

describe('isolation across Malops', () => {
	it('isolates a machine once per run, under the first Malop, and counts it once', () => {
		const batches = planBatches([
			valid(0, { malopId: MALOP_A, machineGuid: M1, actionType: 'ISOLATE_MACHINE' }),
			valid(1, { malopId: MALOP_B, machineGuid: M1, actionType: 'ISOLATE_MACHINE' }),
			valid(2, { malopId: MALOP_B, machineGuid: M2, actionType: 'ISOLATE_MACHINE' }),
			// Not an isolation: each Malop sends its own.
			valid(3, { malopId: MALOP_B, machineGuid: M1, targetId: P1 }),
			valid(4, { malopId: MALOP_A, machineGuid: M1, targetId: P1 }),
		]);
		expect(batches.map((b) => b.malopId)).toEqual([MALOP_A, MALOP_B]);
		expect(batches[0].actions.map((a) => [a.actionType, a.machineGuid, a.itemIndexes])).toEqual([
			['ISOLATE_MACHINE', M1, [0, 1]],
			['KILL_PROCESS', M1, [4]],
		]);
		expect(batches[1].actions.map((a) => [a.actionType, a.machineGuid, a.itemIndexes])).toEqual([
			['ISOLATE_MACHINE', M2, [2]],
			['KILL_PROCESS', M1, [3]],
		]);
		expect(countActions(batches)).toBe(4);
	});

	it('makes no request for a Malop whose only action is an isolation already planned', () => {
		const batches = planBatches([
			valid(0, { malopId: MALOP_A, machineGuid: M1, actionType: 'ISOLATE_MACHINE' }),
			valid(1, { malopId: MALOP_B, machineGuid: M1, actionType: 'ISOLATE_MACHINE' }),
		]);
		expect(batches.map((b) => b.malopId)).toEqual([MALOP_A]);
		expect(batches[0].itemIndexes).toEqual([0, 1]);
	});
});
