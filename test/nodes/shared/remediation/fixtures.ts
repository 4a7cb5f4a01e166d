// Values and builders the remediation unit tests share: ids in the console's two GUID forms, an input item, a
// statusLog entry and a remediation.
import type {
	RemediationResponse,
	RemediationStatusLogEntry,
} from '../../../../nodes/shared/types';
import {
	isInputProblem,
	isMachineUnknown,
	validateItem,
	type InputProblem,
	type RawItem,
	type RemediationItem,
} from '../../../../nodes/shared/remediation';

export const MALOP_A = '11.-4319097116418812958';
export const MALOP_B = 'AAAA0ws7O-MUgDmB';
export const M1 = '-1826875736.1198775089551518743';
export const M2 = 'kxwWqBCi55eyTiwX';
export const P1 = '-1845090846.-1424333057657783286';
export const F1 = 'S-2-PC_TYvnPWzr9';

export const raw = (overrides: Partial<RawItem> = {}): RawItem => ({
	actionType: 'KILL_PROCESS',
	malopId: MALOP_A,
	machineGuid: M1,
	targetId: P1,
	initiatorUserName: 'soc@acme.com',
	...overrides,
});

export function valid(itemIndex: number, overrides: Partial<RawItem> = {}): RemediationItem {
	const result = validateItem(itemIndex, raw(overrides));
	if (isInputProblem(result)) throw new Error(result.message);
	if (isMachineUnknown(result)) throw new Error(result.noMachine);
	return result;
}

export function problem(overrides: Partial<RawItem>, itemIndex = 3): InputProblem {
	const result = validateItem(itemIndex, raw(overrides));
	if (!isInputProblem(result)) throw new Error('expected a problem');
	return result;
}

export function entry(partial: Partial<RemediationStatusLogEntry>): RemediationStatusLogEntry {
	return {
		machineId: M1,
		targetId: P1,
		actionType: 'KILL_PROCESS',
		status: 'PENDING',
		timestamp: 1,
		...partial,
	};
}

export function remediation(partial: Partial<RemediationResponse>): RemediationResponse {
	return {
		malopId: MALOP_A,
		remediationId: 'r-1',
		start: 1_000_000,
		initiatingUser: 'soc@acme.com',
		statusLog: [],
		...partial,
	};
}
