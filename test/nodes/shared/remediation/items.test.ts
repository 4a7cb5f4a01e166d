import { isMachineUnknown, knownFields, validateItem } from '../../../../nodes/shared/remediation';
import { M1, MALOP_A, P1, problem, raw, valid } from './fixtures';

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
		expect(p.message).toBe('Unknown action "NUKE_FROM_ORBIT" in item 3');
		// As the Action dropdown names them, with the value an expression must give.
		expect(p.description).toBe(
			'Pick one in the Action dropdown, or have the expression give its value: Block File (BLOCK_FILE), Delete Registry Key (DELETE_REGISTRY_KEY), Isolate Machine (ISOLATE_MACHINE), Kill Prevent Unsuspend (KILL_PREVENT_UNSUSPEND), Kill Process (KILL_PROCESS), Quarantine File (QUARANTINE_FILE), Unquarantine File (UNQUARANTINE_FILE), Unsuspend Process (UNSUSPEND_PROCESS).',
		);
	});

	it('names the item and the field when the Malop ID or machine GUID is missing', () => {
		expect(problem({ malopId: '' }).message).toBe('No Malop ID in item 3');
		expect(problem({ machineGuid: undefined }).message).toBe('No Machine GUID in item 3');
		expect(problem({ machineGuid: '  ' }).description).toContain('Get Malops');
	});

	it('says which target an action needs when it is missing', () => {
		const p = problem({ actionType: 'UNQUARANTINE_FILE', targetId: '' });
		expect(p.message).toBe(
			'No Target ID in item 3: Unquarantine File needs the GUID of the QuarantineFile element (not the original file GUID)',
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

describe('validateItem: initiator, machine unknown, known fields', () => {
	it('takes the default initiator when the parameter is empty, and refuses an object or a list', () => {
		expect(
			valid(0, { initiatorUserName: '  ', defaultInitiator: 'cred@acme.com' }).initiatorUserName,
		).toBe('cred@acme.com');
		expect(problem({ initiatorUserName: { name: 'x' } }).message).toBe(
			'The Initiator User Name of item 3 is not a user name',
		);
		expect(problem({ initiatorUserName: ['a', 'b'] }).description).toContain('got a list');
	});

	it('skips an item that says it has no machine, and only when it has a Malop ID', () => {
		const skipped = validateItem(2, raw({ machineGuid: undefined, noMachine: true }));
		expect(isMachineUnknown(skipped) && skipped).toMatchObject({
			itemIndex: 2,
			malopId: MALOP_A,
			actionType: 'KILL_PROCESS',
			targetId: P1,
		});
		expect(problem({ machineGuid: undefined, noMachine: true, malopId: '' }).message).toBe(
			'No Malop ID in item 3',
		);
		expect(problem({ machineGuid: undefined }).message).toBe('No Machine GUID in item 3');
	});

	it('names what the item asked for as far as it is known', () => {
		expect(knownFields(raw({ malopId: '', targetId: [P1] }))).toEqual({
			machineGuid: M1,
			actionType: 'KILL_PROCESS',
		});
		expect(knownFields({ actionType: ' isolate_machine ', malopId: MALOP_A })).toEqual({
			malopId: MALOP_A,
			actionType: 'ISOLATE_MACHINE',
			targetId: null,
		});
	});
});
