import { remediationsFromStatus } from '../../../../nodes/shared/api/remediation';
import {
	findRecentlySent,
	findSentRemediation,
	UNREPORTED_GRACE_MS,
} from '../../../../nodes/shared/remediation';
import { entry, F1, M1, M2, P1, remediation } from './fixtures';

describe('remediation history', () => {
	it('accepts an array, an object keyed by remediationId, or either wrapped in data', () => {
		const a = remediation({ remediationId: 'a' });
		const b = remediation({ remediationId: 'b' });
		expect(remediationsFromStatus([a, b, { junk: 1 }]).map((r) => r.remediationId)).toEqual([
			'a',
			'b',
		]);
		expect(remediationsFromStatus({ a, b }).map((r) => r.remediationId)).toEqual(['a', 'b']);
		expect(remediationsFromStatus({ data: [a] })).toEqual([a]);
		expect(remediationsFromStatus(a)).toEqual([a]);
		expect(remediationsFromStatus('<html>')).toEqual([]);
	});

	const kill = { machineGuid: M1, actionType: 'KILL_PROCESS', targetId: P1 };
	const isolate = { machineGuid: M2, actionType: 'ISOLATE_MACHINE' };
	const sent = {
		initiatorUserName: 'SOC@acme.com',
		sentAt: 1_000_000,
		skewMs: 120_000,
		actions: [kill, isolate],
	};

	it('finds the remediation whose answer was lost: same initiator, recent, same actions', () => {
		const ours = remediation({
			remediationId: 'ours',
			start: 999_000,
			statusLog: [
				entry({ status: 'PENDING' }),
				entry({ machineId: M2, targetId: M2, actionType: 'ISOLATE_MACHINE' }),
			],
		});
		const otherUser = remediation({
			remediationId: 'x',
			initiatingUser: 'bob@acme.com',
			statusLog: ours.statusLog,
		});
		const older = remediation({ remediationId: 'old', start: 800_000, statusLog: ours.statusLog });
		const otherTarget = remediation({
			remediationId: 'y',
			start: 1_000_500,
			statusLog: [entry({ targetId: F1 })],
		});
		expect(findSentRemediation([otherUser, older, otherTarget, ours], sent)?.remediationId).toBe(
			'ours',
		);
		expect(findSentRemediation([otherUser, older, otherTarget], sent)).toBeUndefined();
	});

	it('prefers a full match over one whose log is still empty, and the newest among equals', () => {
		const empty = remediation({ remediationId: 'empty', start: 1_000_100 });
		const partial = remediation({
			remediationId: 'partial',
			start: 1_000_050,
			statusLog: [entry({})],
		});
		expect(findSentRemediation([empty, partial], sent)?.remediationId).toBe('partial');
		expect(findSentRemediation([empty], sent)?.remediationId).toBe('empty');
		const newer = remediation({ remediationId: 'newer', start: 1_000_900, statusLog: [entry({})] });
		expect(findSentRemediation([partial, newer], sent)?.remediationId).toBe('newer');
	});

	it('replay guard: an action of ours that is pending, running or done counts as sent; a failed one does not', () => {
		const options = { initiatorUserName: 'soc@acme.com', since: 900_000, now: 1_000_500 };
		const running = remediation({
			remediationId: 'run',
			statusLog: [entry({ status: 'IN_PROGRESS' })],
		});
		expect(findRecentlySent([running], kill, options)?.remediation.remediationId).toBe('run');
		const failed = remediation({ remediationId: 'f', statusLog: [entry({ status: 'FAILURE' })] });
		const aborted = remediation({ remediationId: 'a', statusLog: [entry({ status: 'ABORTED' })] });
		expect(findRecentlySent([failed, aborted], kill, options)).toBeUndefined();
		const tooOld = remediation({ start: 100, statusLog: [entry({ status: 'SUCCESS' })] });
		expect(findRecentlySent([tooOld], kill, options)).toBeUndefined();
		expect(
			findRecentlySent([running], kill, { ...options, initiatorUserName: 'bob@acme.com' }),
		).toBeUndefined();
	});

	it('replay guard: a remediation of ours that has not listed its actions yet counts only while it is new', () => {
		const options = { initiatorUserName: 'soc@acme.com', since: 900_000, now: 1_000_500 };
		const fresh = remediation({ remediationId: 'fresh', statusLog: [] });
		expect(findRecentlySent([fresh], kill, options)).toEqual({
			remediation: fresh,
			unconfirmed: true,
		});
		const later = { ...options, now: 1_000_000 + UNREPORTED_GRACE_MS + 1 };
		expect(findRecentlySent([fresh], kill, later)).toBeUndefined();
	});
});
