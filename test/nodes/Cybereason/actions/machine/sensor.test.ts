import {
	isConnected,
	lastSeenMs,
	lookupFilter,
	machineItem,
	newestFirst,
	parseLookupBy,
} from '../../../../../nodes/Cybereason/actions/machine/sensor';
import type { Sensor } from '../../../../../nodes/shared/types';

const sensor = (fields: Record<string, unknown>) => fields as unknown as Sensor;

describe('sensor records', () => {
	it('reads connected from the status, else from the disconnected flag, else not at all', () => {
		expect(isConnected(sensor({ status: 'Online', disconnected: true }))).toBe(true);
		expect(isConnected(sensor({ status: 'Stale' }))).toBe(false);
		expect(isConnected(sensor({ disconnected: 'false' }))).toBe(true);
		expect(isConnected(sensor({}))).toBeNull();
	});

	it('takes the latest sign of life as last seen, ignoring zeros', () => {
		expect(
			lastSeenMs(
				sensor({
					lastPylumUpdateTimestampMs: 5,
					lastPylumInfoMsgUpdateTime: '9',
					disconnectionTime: 0,
				}),
			),
		).toBe(9);
		expect(lastSeenMs(sensor({ disconnectionTime: 0 }))).toBeNull();
		const [a, b, c] = [1, 3, 2].map((t, i) =>
			sensor({ pylumId: `P${i}`, lastPylumUpdateTimestampMs: t }),
		);
		expect(newestFirst([a, b, c])).toEqual([b, c, a]);
	});

	it('gives customTags as a list, whatever the console sends', () => {
		const tags = (value: unknown) => machineItem(sensor({ customTags: value })).customTags;
		expect(tags(null)).toEqual([]);
		expect(tags(undefined)).toEqual([]);
		expect(tags('pci, crown-jewel,')).toEqual(['pci', 'crown-jewel']);
		expect(tags(['vip', 'None', 3])).toEqual(['vip']);
	});

	it('spells the flags as booleans and adds the record under raw only when asked', () => {
		const record = sensor({ isolated: 'true', guid: 'G', status: 'Offline' });
		expect(machineItem(record)).toEqual(
			expect.objectContaining({ isolated: true, connected: false }),
		);
		expect(machineItem(record)).not.toHaveProperty('raw');
		expect(machineItem(record, true).raw).toBe(record);
	});

	it('looks machines up by the console field of each kind, Equals any of the values', () => {
		expect(parseLookupBy('name')).toBe('name');
		expect(parseLookupBy('bogus')).toBe('guid');
		expect(lookupFilter('name', ['a', 'b'])).toEqual({
			fieldName: 'machineName',
			operator: 'Equals',
			values: ['a', 'b'],
		});
		expect(lookupFilter('pylumId', ['P']).fieldName).toBe('pylumId');
		expect(lookupFilter('guid', ['G']).fieldName).toBe('guid');
	});
});
