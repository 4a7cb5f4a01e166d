/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test fixtures are read from the shared samples folder */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { RemediationResponse } from '../../../../nodes/shared/types';
import {
	actionResult,
	isolationResult,
	isTerminal,
	latestEntry,
} from '../../../../nodes/shared/remediation';
import { entry, F1, M1, M2, P1 } from './fixtures';

// Public captures beside the checkout (jest runs from the repo root); never copied into the project.
const SAMPLES = resolve('..', 'shared', 'cybereason-samples');
const withSamples = existsSync(SAMPLES) ? describe : describe.skip;
const sample = <T>(name: string): T => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as T;

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
