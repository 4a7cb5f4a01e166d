import { normaliseCrimesMalop } from '../../../../nodes/shared/malops/crimes';
import { normaliseInboxMalop } from '../../../../nodes/shared/malops/inbox';
import {
	toEventItems,
	toMachineItem,
	toMachineItems,
	toMalopItems,
} from '../../../../nodes/shared/malops/items';
import { normaliseMmngMalop } from '../../../../nodes/shared/malops/mmng';
import type { MalopRecord } from '../../../../nodes/shared/malops/record';
import { BASE, element } from './fixtures';

/** A Malop's fields after malopId (and machineName), in the order items give them. */
const SUMMARY = [
	'displayName',
	'status',
	'severity',
	'malopType',
	'detectionType',
	'rootCauseElementType',
];
const TIMES = ['creationTime', 'lastUpdateTime', 'malopUrl'];

describe('items', () => {
	function inboxRecord(machines: number): MalopRecord {
		return normaliseInboxMalop(
			{
				guid: 'AAAA0ws7O-MUgDmB',
				displayName: 'evil.exe',
				rootCauseElementType: 'File',
				malopDetectionType: 'KNOWN_MALWARE',
				creationTime: 1701662699005,
				lastUpdateTime: 1701662699008,
				status: 'Active',
				severity: 'High',
				edr: true,
				machines: Array.from({ length: machines }, (_, i) => ({
					guid: `m${i}`,
					displayName: `host-${i}`,
					osType: 'WINDOWS',
					connected: i % 2 === 0,
					isolated: false,
				})),
			},
			BASE,
		);
	}

	it('gives one item per Malop and machine with exactly the documented fields', () => {
		const crimes = normaliseCrimesMalop(
			'11.-1',
			element('11.-1', {
				machines: [
					['m.1', 'a'],
					['m.2', 'b'],
				],
			}),
			'MalopProcess',
			BASE,
		);
		const items = toMachineItems([crimes, inboxRecord(3)]);
		expect(items).toHaveLength(5);
		// The table view's order: what a user reads first, then identifiers and times, the heavy lists last.
		expect(Object.keys(items[0])).toEqual([
			'malopId',
			'machineName',
			...SUMMARY.filter((f) => f !== 'severity'),
			'machineGuid',
			...TIMES,
			'suspects',
		]);
		expect(Object.keys(items[2])).toEqual([
			'malopId',
			'machineName',
			...SUMMARY,
			'machineGuid',
			'machineConnected',
			'machineIsolated',
			'osType',
			...TIMES,
		]);
		expect(items[3]).toMatchObject({
			machineGuid: 'm1',
			machineName: 'host-1',
			machineConnected: false,
			osType: 'WINDOWS',
		});
		// Items of one Malop share its suspects (no per-item copies)
		expect(items[0].suspects).toBe(items[1].suspects);
	});

	it('Malops management items add triage fields and, per machine, the sensor id and last contact', () => {
		const record = normaliseMmngMalop(
			{
				guid: 'AAAA0w7GERjl3oae',
				displayName: 'evil.exe',
				creationTime: 1686720403740,
				lastUpdateTime: 1686720403743,
				isEdr: false,
				status: 'Active',
				severity: 'Medium',
				investigationStatus: 'UnderInvestigation',
				priority: 'HIGH',
				labels: [{ id: 1, labelText: 'VIP' }],
				mitreTactics: ['TA0002'],
				mitreTechniques: ['T1059'],
				rootCauseElementHashes: ['a541fb35b0b750501717df708f1ccade7c176e1d'],
				machines: [
					{
						guid: 'm0',
						displayName: 'host-0',
						connected: true,
						isolated: false,
						osType: 'WINDOWS',
						lastConnected: 1698818040437,
						pylumId: 'PYLUM0',
					},
				],
			},
			BASE,
		);
		const [item] = toMachineItems([record]);
		// The inbox item's fields, with the triage fields after the severity, the sensor's ids after its state,
		// and the lists after the link.
		const inbox = Object.keys(toMachineItems([inboxRecord(1)])[0]);
		const at = (key: string) => inbox.indexOf(key) + 1;
		expect(Object.keys(item)).toEqual([
			...inbox.slice(0, at('severity')),
			'investigationStatus',
			'priority',
			...inbox.slice(at('severity'), at('osType')),
			'pylumId',
			'lastConnected',
			...inbox.slice(at('osType'), at('malopUrl')),
			'labels',
			'mitreTactics',
			'mitreTechniques',
			'rootCauseElementHashes',
			...inbox.slice(at('malopUrl')),
		]);
		expect(item).toMatchObject({
			malopType: 'EPP',
			investigationStatus: 'UnderInvestigation',
			priority: 'HIGH',
			labels: ['VIP'],
			mitreTactics: ['TA0002'],
			mitreTechniques: ['T1059'],
			pylumId: 'PYLUM0',
			lastConnected: '2023-11-01T05:54:00.437Z',
		});
		const [empty] = toMachineItems([{ ...record, machines: [] }]);
		expect(empty).toMatchObject({ machineGuid: null, pylumId: null, lastConnected: null });
		expect(toMalopItems([record])[0].machines).toEqual([
			{
				machineGuid: 'm0',
				machineName: 'host-0',
				machineConnected: true,
				machineIsolated: false,
				osType: 'WINDOWS',
				pylumId: 'PYLUM0',
				lastConnected: '2023-11-01T05:54:00.437Z',
			},
		]);
	});

	it('a Malop without machines still gives one item, with empty machine fields', () => {
		const [item] = toMachineItems([inboxRecord(0)]);
		expect(item).toMatchObject({
			machineGuid: null,
			machineName: null,
			machineConnected: null,
			machineIsolated: null,
			osType: null,
		});
	});

	it('adds warnings, remediation targets and the raw element only when there is something to say or it was asked for', () => {
		const record = inboxRecord(2);
		record.machines[0].remediationTargets = [
			{ actionType: 'KILL_PROCESS', targetId: 'p1', targetName: 'evil.exe' },
		];
		record.warnings.push('cut');
		const items = toMachineItems([record], {
			includeRaw: true,
			includeRemediationTargets: true,
			warnings: ['partial'],
		});
		expect(items[0].remediationTargets).toEqual([
			{ actionType: 'KILL_PROCESS', targetId: 'p1', targetName: 'evil.exe' },
		]);
		expect(items[1].remediationTargets).toEqual([]);
		expect(items[0].warnings).toEqual(['partial', 'cut']);
		expect(items[0].raw).toBe(record.raw);
		expect(Object.keys(items[0]).slice(-3)).toEqual(['warnings', 'remediationTargets', 'raw']);
		const crimes = normaliseCrimesMalop('11.-1', element('11.-1', {}), 'MalopProcess', BASE);
		expect(Object.keys(toMachineItems([crimes], { includeRaw: true })[0]).slice(-2)).toEqual([
			'suspects',
			'raw',
		]);
		const plain = toMachineItems([inboxRecord(1)]);
		expect(plain[0]).not.toHaveProperty('warnings');
		expect(plain[0]).not.toHaveProperty('raw');
		expect(plain[0]).not.toHaveProperty('remediationTargets');
	});

	it('builds the item of a single pair the same way (for callers that emit only new machines)', () => {
		const record = inboxRecord(3);
		expect(toMachineItem(record, record.machines[2], { warnings: ['w'] })).toEqual(
			toMachineItems([record], { warnings: ['w'] })[2],
		);
		expect(toMachineItem(record, undefined)).toMatchObject({
			machineGuid: null,
			machineConnected: null,
		});
	});

	it('per-Malop mode gives one item per Malop with its machines as an array', () => {
		const items = toMalopItems([inboxRecord(3), inboxRecord(0)], {
			includeRemediationTargets: true,
		});
		expect(items).toHaveLength(2);
		expect(items[0].machines).toEqual([
			{
				machineGuid: 'm0',
				machineName: 'host-0',
				machineConnected: true,
				machineIsolated: false,
				osType: 'WINDOWS',
				remediationTargets: [],
			},
			{
				machineGuid: 'm1',
				machineName: 'host-1',
				machineConnected: false,
				machineIsolated: false,
				osType: 'WINDOWS',
				remediationTargets: [],
			},
			{
				machineGuid: 'm2',
				machineName: 'host-2',
				machineConnected: true,
				machineIsolated: false,
				osType: 'WINDOWS',
				remediationTargets: [],
			},
		]);
		expect(items[0]).toMatchObject({
			malopId: 'AAAA0ws7O-MUgDmB',
			machineCount: 3,
			severity: 'High',
		});
		expect(items[1].machines).toEqual([]);
		expect(items[0]).not.toHaveProperty('machineGuid');
		expect(Object.keys(items[0])).toEqual([
			'malopId',
			...SUMMARY,
			'machineCount',
			...TIMES,
			'machines',
		]);
	});

	it('gives the items of chosen pairs in their order, each with its event id', () => {
		const record = inboxRecord(3);
		const items = toEventItems(
			[record],
			[
				{ malopId: record.malopId, machineGuid: 'm2', eventId: 'e2' },
				{ malopId: record.malopId, machineGuid: 'm0', eventId: 'e0' },
				{ malopId: 'unknown', machineGuid: 'm0', eventId: 'x' },
			],
			{ warnings: ['w'] },
		);
		expect(items).toEqual([
			{ ...toMachineItem(record, record.machines[2], { warnings: ['w'] }), eventId: 'e2' },
			{ ...toMachineItem(record, record.machines[0], { warnings: ['w'] }), eventId: 'e0' },
		]);
		// The event id sits with the identifiers, before the heavy fields.
		expect(Object.keys(items[0]).slice(-3)).toEqual(['malopUrl', 'eventId', 'warnings']);
		expect(
			toEventItems([inboxRecord(0)], [{ malopId: record.malopId, machineGuid: '', eventId: 'e' }]),
		).toEqual([{ ...toMachineItem(inboxRecord(0), undefined), eventId: 'e' }]);
	});
});
