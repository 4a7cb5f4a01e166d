import { MAX_COMMENT_ACTIONS, remediationComment } from '../../../nodes/shared/malopComment';

describe('remediationComment', () => {
	it('says what was sent, on which machines, under which remediation, with which statuses', () => {
		expect(
			remediationComment({
				origin: 'n8n workflow "Contain" (execution 42)',
				final: true,
				actions: [
					{
						actionType: 'ISOLATE_MACHINE',
						machine: 'desktop-1',
						remediationId: 'r-1',
						status: 'SUCCESS',
					},
					{
						actionType: 'KILL_PROCESS',
						machine: 'desktop-1',
						targetName: 'evil.exe',
						targetId: 'PROC0001',
						remediationId: 'r-1',
						status: 'FAILURE',
					},
					{ actionType: 'ISOLATE_MACHINE', machine: 'laptop-2', status: 'SKIPPED_PROTECTED' },
				],
			}),
		).toBe(
			[
				'n8n workflow "Contain" (execution 42) sent 3 remediation actions on 2 machines:',
				'- ISOLATE_MACHINE on desktop-1: SUCCESS (remediation r-1)',
				'- KILL_PROCESS on desktop-1, target evil.exe PROC0001: FAILURE (remediation r-1)',
				'- ISOLATE_MACHINE on laptop-2: SKIPPED_PROTECTED',
				'Statuses are final, as the sensors reported them.',
			].join('\n'),
		);
	});

	it('says when statuses are only the first answer, and counts what it does not list', () => {
		const actions = Array.from({ length: MAX_COMMENT_ACTIONS + 2 }, (_, i) => ({
			actionType: 'ISOLATE_MACHINE',
			machine: `m${i}`,
			status: 'PENDING',
		}));
		const lines = remediationComment({ actions, final: false }).split('\n');
		expect(lines[0]).toBe(
			`n8n sent ${MAX_COMMENT_ACTIONS + 2} remediation actions on ${MAX_COMMENT_ACTIONS + 2} machines:`,
		);
		expect(lines).toHaveLength(MAX_COMMENT_ACTIONS + 3);
		expect(lines.at(-2)).toBe('- … and 2 more actions');
		expect(lines.at(-1)).toBe(
			'Statuses are the console’s first answer; the actions may still be running.',
		);
		expect(
			remediationComment({ actions: [{ actionType: 'KILL_PROCESS', machine: 'm' }], final: false }),
		).toMatch(/^n8n sent 1 remediation action on 1 machine:\n- KILL_PROCESS on m: not sent\n/);
	});
});
