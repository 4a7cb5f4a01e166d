/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test fixtures are read from the shared samples folder */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { remediationsFromStatus } from '../../../nodes/shared/api/remediation';
import type { RemediationResponse, RemediationStatusLogEntry } from '../../../nodes/shared/types';
import {
	actionResult,
	countActions,
	findRecentlySent,
	UNREPORTED_GRACE_MS,
	findSentRemediation,
	isInputProblem,
	isolationResult,
	isTerminal,
	latestEntry,
	nameCheckNeeded,
	parseProtectedMachines,
	planBatches,
	protectedEntry,
	remediateRequest,
	validateItem,
	type InputProblem,
	type RawItem,
	type RemediationItem,
} from '../../../nodes/shared/remediation';

// Public captures beside the checkout (jest runs from the repo root); never copied into the project.
const SAMPLES = resolve('..', 'shared', 'cybereason-samples');
const withSamples = existsSync(SAMPLES) ? describe : describe.skip;
const sample = <T>(name: string): T => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as T;

const MALOP_A = '11.-4319097116418812958';
const MALOP_B = 'AAAA0ws7O-MUgDmB';
const M1 = '-1826875736.1198775089551518743';
const M2 = 'kxwWqBCi55eyTiwX';
const P1 = '-1845090846.-1424333057657783286';
const F1 = 'S-2-PC_TYvnPWzr9';

const raw = (overrides: Partial<RawItem> = {}): RawItem => ({
	actionType: 'KILL_PROCESS',
	malopId: MALOP_A,
	machineGuid: M1,
	targetId: P1,
	initiatorUserName: 'soc@acme.com',
	...overrides,
});

function valid(itemIndex: number, overrides: Partial<RawItem> = {}): RemediationItem {
	const result = validateItem(itemIndex, raw(overrides));
	if (isInputProblem(result)) throw new Error(result.message);
	return result;
}

function problem(overrides: Partial<RawItem>, itemIndex = 3): InputProblem {
	const result = validateItem(itemIndex, raw(overrides));
	if (!isInputProblem(result)) throw new Error('expected a problem');
	return result;
}

describe('validateItem', () => {
	it('accepts a complete item and trims the ids', () => {
		expect(valid(0, { malopId: ` ${MALOP_A} `, machineName: 'desktop-1' })).toEqual({
			itemIndex: 0,
			actionType: 'KILL_PROCESS',
			malopId: MALOP_A,
			machineGuid: M1,
			targetId: P1,
			machineName: 'desktop-1',
			initiatorUserName: 'soc@acme.com',
		});
	});

	it('takes the action type case-insensitively (expressions from other nodes)', () => {
		expect(valid(0, { actionType: ' quarantine_file ' }).actionType).toBe('QUARANTINE_FILE');
	});

	it('names the item and lists the valid types for an unknown action', () => {
		const p = problem({ actionType: 'NUKE_FROM_ORBIT' });
		expect(p.message).toBe('Unknown action type "NUKE_FROM_ORBIT" in item 3');
		expect(p.description).toContain('ISOLATE_MACHINE, KILL_PROCESS');
	});

	it('names the item and the field when the Malop ID or machine GUID is missing', () => {
		expect(problem({ malopId: '' }).message).toBe('No Malop ID in item 3');
		expect(problem({ machineGuid: undefined }).message).toBe('No Machine GUID in item 3');
		expect(problem({ machineGuid: '  ' }).description).toContain('Get Malops');
	});

	it('says which target an action needs when it is missing', () => {
		const p = problem({ actionType: 'UNQUARANTINE_FILE', targetId: '' });
		expect(p.message).toBe(
			'No Target ID in item 3: UNQUARANTINE_FILE needs the GUID of the QuarantineFile element (not the original file GUID)',
		);
	});

	it('refuses a list of targets and says to split it', () => {
		const p = problem({ targetId: [{ targetId: P1 }] });
		expect(p.message).toBe('The Target ID of item 3 is not a single ID');
		expect(p.description).toContain('Split Out');
	});

	it('needs no target for ISOLATE_MACHINE and drops one given by mistake', () => {
		const item = valid(1, { actionType: 'ISOLATE_MACHINE', targetId: P1 });
		expect(item.targetId).toBeUndefined();
		expect(valid(1, { actionType: 'ISOLATE_MACHINE', targetId: undefined }).actionType).toBe(
			'ISOLATE_MACHINE',
		);
	});
});

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

describe('protected machines', () => {
	const entries = parseProtectedMachines(
		' DC01 ,dc02.corp.local\n\n-1826875736.1198775089551518743;  ',
	);

	it('parses names and GUIDs separated by commas, semicolons and new lines', () => {
		expect(entries).toEqual(['DC01', 'dc02.corp.local', '-1826875736.1198775089551518743']);
		expect(parseProtectedMachines(undefined)).toEqual([]);
	});

	it('matches names case-insensitively, host name against FQDN, and GUIDs exactly', () => {
		expect(protectedEntry(entries, M2, ['dc01'])).toBe('DC01');
		expect(protectedEntry(entries, M2, ['DC01.corp.local'])).toBe('DC01');
		expect(protectedEntry(entries, M2, ['DC02'])).toBe('dc02.corp.local');
		expect(protectedEntry(entries, M1, [])).toBe('-1826875736.1198775089551518743');
		expect(protectedEntry(entries, M2, ['dc03', 'web01'])).toBeUndefined();
	});

	it('needs the name unless every entry is a legacy GUID or the GUID already matched', () => {
		expect(nameCheckNeeded(entries, M2)).toBe(true);
		expect(nameCheckNeeded(entries, M1)).toBe(false);
		expect(nameCheckNeeded(['-1.2', '3.-4'], M2)).toBe(false);
		// The 16-character GUID form could as well be a host name: check names too.
		expect(nameCheckNeeded(['DESKTOP-VG9KE2UX'], M2)).toBe(true);
	});
});

function entry(partial: Partial<RemediationStatusLogEntry>): RemediationStatusLogEntry {
	return {
		machineId: M1,
		targetId: P1,
		actionType: 'KILL_PROCESS',
		status: 'PENDING',
		timestamp: 1,
		...partial,
	};
}

describe('reading statusLog', () => {
	it('takes the last entry per machine, target and action', () => {
		const log = [
			entry({ status: 'PENDING', timestamp: 10 }),
			entry({ status: 'IN_PROGRESS', timestamp: 20 }),
			entry({ targetId: F1, actionType: 'BLOCK_FILE', status: 'SUCCESS', timestamp: 25 }),
			entry({ status: 'SUCCESS', timestamp: 30 }),
		];
		expect(
			latestEntry(log, { machineGuid: M1, actionType: 'KILL_PROCESS', targetId: P1 })?.status,
		).toBe('SUCCESS');
		expect(
			latestEntry(log, { machineGuid: M2, actionType: 'KILL_PROCESS', targetId: P1 }),
		).toBeUndefined();
	});

	it('matches ISOLATE_MACHINE by machine and action, whatever the console echoes as targetId', () => {
		const action = { machineGuid: M1, actionType: 'ISOLATE_MACHINE' };
		expect(
			latestEntry(
				[entry({ actionType: 'ISOLATE_MACHINE', targetId: M1, status: 'SUCCESS' })],
				action,
			)?.status,
		).toBe('SUCCESS');
		expect(
			latestEntry(
				[entry({ actionType: 'ISOLATE_MACHINE', targetId: null, status: 'FAILURE' })],
				action,
			)?.status,
		).toBe('FAILURE');
		expect(
			latestEntry([entry({ actionType: 'ISOLATE_MACHINE', machineId: M2 })], action),
		).toBeUndefined();
	});

	it('accepts an entry without targetId only when it cannot belong to another action', () => {
		const log = [entry({ targetId: null, status: 'FAILURE' })];
		const a = { machineGuid: M1, actionType: 'KILL_PROCESS', targetId: P1 };
		const b = { machineGuid: M1, actionType: 'KILL_PROCESS', targetId: F1 };
		expect(latestEntry(log, a, [a])?.status).toBe('FAILURE');
		expect(latestEntry(log, a, [a, b])).toBeUndefined();
		expect(latestEntry(log, a)).toBeUndefined();
	});

	it('treats only PENDING and IN_PROGRESS as unfinished', () => {
		expect(isTerminal('PENDING')).toBe(false);
		expect(isTerminal('IN_PROGRESS')).toBe(false);
		for (const status of ['SUCCESS', 'FAILURE', 'ABORTED', 'SOMETHING_NEW'])
			expect(isTerminal(status)).toBe(true);
	});

	withSamples('public captures', () => {
		it('reads an empty first answer (Rapid7) as PENDING: accepted, not reported yet', () => {
			const answer = sample<RemediationResponse>('rapid7-remediate_items.json');
			expect(
				actionResult(answer, { machineGuid: M1, actionType: 'QUARANTINE_FILE', targetId: F1 }),
			).toEqual({
				status: 'PENDING',
				message: 'Accepted by the console; the sensor has not reported yet',
				errorType: null,
				timestamp: answer.start,
			});
		});

		it('reads the XSOAR INVALID_ARGUMENT failure with its message', () => {
			const answer = sample<RemediationResponse>('xsoar-get_remediation_action.json');
			const [logged] = answer.statusLog;
			const result = actionResult(answer, {
				machineGuid: logged.machineId,
				actionType: 'KILL_PROCESS',
				targetId: logged.targetId as string,
			});
			expect(result.status).toBe('FAILURE');
			expect(result.errorType).toBe('INVALID_ARGUMENT');
			expect(result.message).toMatch(/^Failed to get ProbeRemediationRequest/);
			expect(result.timestamp).toBe(logged.timestamp);
		});

		it('reads the XSOAR isolate answer as SUCCESS', () => {
			const answer = sample<Record<string, string>>('xsoar-isolate_machine_raw_response.json');
			const [pylumId] = Object.keys(answer);
			expect(isolationResult(answer, [pylumId], 5).status).toBe('SUCCESS');
		});
	});
});

function remediation(partial: Partial<RemediationResponse>): RemediationResponse {
	return {
		malopId: MALOP_A,
		remediationId: 'r-1',
		start: 1_000_000,
		initiatingUser: 'soc@acme.com',
		statusLog: [],
		...partial,
	};
}

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

describe('isolationResult', () => {
	it('maps Succeeded, Primed and other values, and says when several sensors matched', () => {
		expect(isolationResult({ A: 'Succeeded' }, ['A'], 7)).toEqual({
			status: 'SUCCESS',
			message: null,
			errorType: null,
			timestamp: 7,
		});
		expect(isolationResult({ A: 'Primed' }, ['A'], 7).status).toBe('PENDING');
		expect(isolationResult({ A: 'FailedSending' }, ['A'], 7)).toEqual({
			status: 'FAILURE',
			message: 'FailedSending',
			errorType: 'FailedSending',
			timestamp: 7,
		});
		const several = isolationResult({ A: 'Primed', B: 'Succeeded' }, ['A', 'B'], 7);
		expect(several.status).toBe('SUCCESS');
		expect(several.message).toBe('2 sensors match this machine (A: Primed; B: Succeeded)');
		expect(isolationResult({}, ['A'], 7).message).toBe('The console did not answer for sensor A');
	});
});
