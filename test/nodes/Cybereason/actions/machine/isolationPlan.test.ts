import {
	decide,
	groupMachines,
	planCommands,
	type Machine,
} from '../../../../../nodes/Cybereason/actions/machine/isolationPlan';
import type { Sensor } from '../../../../../nodes/shared/types';

function sensor(fields: Partial<Sensor> & { pylumId: string }): Sensor {
	return {
		sensorId: `s-${fields.pylumId}`,
		guid: 'AAAAmachine00001',
		machineName: 'desktop-1',
		status: 'Online',
		isolated: false,
		lastPylumUpdateTimestampMs: 1000,
		...fields,
	} as Sensor;
}

describe('groupMachines', () => {
	it('makes one machine of the items that name it, keyed by its newest sensor, with the first Malop ID', () => {
		const live = sensor({ pylumId: 'P1', lastPylumUpdateTimestampMs: 2000 });
		const stale = sensor({ pylumId: 'P0', status: 'Stale' });
		const other = sensor({ pylumId: 'P2', guid: 'AAAAmachine00002', machineName: 'desktop-2' });
		const machines = groupMachines([
			{ itemIndex: 0, sensors: [stale, live] },
			{ itemIndex: 1, malopId: 'M1', sensors: [other] },
			{ itemIndex: 2, malopId: 'M2', sensors: [live, stale] },
		]);
		expect(machines).toEqual([
			{
				machineGuid: 'AAAAmachine00001',
				machineName: 'desktop-1',
				sensors: [live, stale],
				malopId: 'M2',
				itemIndexes: [0, 2],
			},
			{
				machineGuid: 'AAAAmachine00002',
				machineName: 'desktop-2',
				sensors: [other],
				malopId: 'M1',
				itemIndexes: [1],
			},
		]);
	});
});

describe('decide', () => {
	const machine = (sensors: Sensor[], name = 'desktop-1'): Machine => ({
		machineGuid: String(sensors[0].guid),
		machineName: name,
		sensors,
		itemIndexes: [0],
	});

	it('protects by name, FQDN host name or GUID, for isolation only', () => {
		const dc = machine([sensor({ pylumId: 'P', machineName: 'DC01', fqdn: 'dc01.corp.local' })]);
		expect(decide(dc, true, ['dc01.corp.local'])).toEqual({
			kind: 'protected',
			entry: 'dc01.corp.local',
		});
		expect(decide(dc, true, ['AAAAmachine00001'])).toEqual({
			kind: 'protected',
			entry: 'AAAAmachine00001',
		});
		const isolatedDc = machine([sensor({ pylumId: 'P', machineName: 'DC01', isolated: true })]);
		expect(decide(isolatedDc, false, ['dc01'])).toEqual({ kind: 'send', pylumIds: ['P'] });
	});

	it('fails closed when a name-based entry cannot be checked', () => {
		const nameless = machine([sensor({ pylumId: 'P', machineName: '', fqdn: undefined })]);
		expect(decide(nameless, true, ['dc01'])).toEqual({ kind: 'nameUnknown' });
		expect(decide(nameless, true, ['-1.2'])).toEqual({ kind: 'send', pylumIds: ['P'] });
	});

	it('sends nothing when the newest sensor is already as wanted, else every sensor not yet so', () => {
		const live = sensor({ pylumId: 'P1', isolated: 'true', lastPylumUpdateTimestampMs: 2000 });
		const stale = sensor({ pylumId: 'P0', isolated: false });
		expect(decide(machine([live, stale]), true, [])).toEqual({ kind: 'inState', sensor: live });
		expect(decide(machine([live, stale]), false, [])).toEqual({ kind: 'send', pylumIds: ['P1'] });
		const fresh = sensor({ pylumId: 'P3' });
		expect(decide(machine([fresh, live]), true, [])).toEqual({ kind: 'send', pylumIds: ['P3'] });
	});
});

describe('planCommands', () => {
	it('one command per Malop ID (none is its own group), each pylumId once', () => {
		const m = (guid: string, malopId?: string): Machine => ({
			machineGuid: guid,
			machineName: guid,
			sensors: [],
			itemIndexes: [],
			...(malopId ? { malopId } : {}),
		});
		const [a, b, c] = [m('a', 'M1'), m('b'), m('c', 'M1')];
		const commands = planCommands([
			{ machine: a, pylumIds: ['Pa'] },
			{ machine: b, pylumIds: ['Pb'] },
			{ machine: c, pylumIds: ['Pc', 'Pa'] },
		]);
		expect(commands.map((p) => p.command)).toEqual([
			{ pylumIds: ['Pa', 'Pc'], malopId: 'M1' },
			{ pylumIds: ['Pb'] },
		]);
		expect(commands[0].machines.map((x) => x.machine)).toEqual([a, c]);
	});
});
