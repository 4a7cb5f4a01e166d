import {
	createMalopFilter,
	isClosedStatus,
	malopUrl,
	mergeMalops,
	normaliseCrimesMalop,
	normaliseCrimesResponse,
	normaliseInboxMalop,
	normaliseInboxResponse,
	parseBoolean,
	parseEpochMs,
	parseText,
	sortByLastUpdate,
	toMachineItem,
	toMachineItems,
	toMalopItems,
	type MalopRecord,
} from '../../../nodes/shared/malops';
import type {
	CrimesUnifiedResponse,
	InboxMalop,
	InboxResponse,
	MalopElement,
} from '../../../nodes/shared/types';
import { describeWithSamples, sample } from '../CybereasonGetMalops/samples';

const BASE = 'https://acme.cybereason.net';

/** A crimes/unified element in the shape of the public captures, with only what a test needs. */
function element(
	guid: string,
	options: Partial<{
		status: string;
		lastUpdate: number;
		machines: Array<[string, string]>;
		machineTotal: number;
		suspects: number;
		suspectTotal: number;
		empty: boolean;
	}> = {},
): MalopElement {
	const machines = options.machines ?? [['-1826875736.1198775089551518743', 'desktop-j60ivd0']];
	const suspects = Array.from({ length: options.suspects ?? 1 }, (_, i) => ({
		elementType: 'Process',
		guid: `S-2-PC_TYvnPWzr${i}`,
		name: 'bdata.bin',
		hasSuspicions: true,
		hasMalops: true,
	}));
	const sv = (value: string | null) => ({ totalValues: 1, values: [value] });
	return {
		simpleValues: {
			managementStatus: sv(options.status ?? 'UNREAD'),
			detectionType: sv('BLACKLIST'),
			creationTime: sv('1671393898844'),
			malopLastUpdateTime: sv(String(options.lastUpdate ?? 1671393898845)),
			rootCauseElementTypes: sv('File'),
			rootCauseElementNames: sv('bdata.bin'),
			closeTime: sv(null),
		},
		elementValues: options.empty
			? {}
			: {
					affectedMachines: {
						totalValues: options.machineTotal ?? machines.length,
						elementValues: machines.map(([guid, name]) => ({
							elementType: 'Machine',
							guid,
							name,
							hasSuspicions: false,
							hasMalops: false,
						})),
					},
					suspects: {
						totalValues: options.suspectTotal ?? suspects.length,
						elementValues: suspects,
					},
				},
		guidString: guid,
	};
}

function crimesAnswer(
	elements: Record<string, MalopElement>,
	extra: Partial<CrimesUnifiedResponse['data'] & object> = {},
) {
	return {
		data: {
			resultIdToElementDataMap: elements,
			totalPossibleResults: Object.keys(elements).length,
			queryTerminated: false,
			...extra,
		},
		status: 'SUCCESS',
		message: '',
	} as CrimesUnifiedResponse;
}

describe('Cybereason value spelling', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['True', true],
		['false', false],
		['False', false],
		['None', null],
		[null, null],
		[undefined, null],
		['', null],
	])('parseBoolean(%p) is %p', (input, expected) => {
		expect(parseBoolean(input)).toBe(expected);
	});

	it('reads epoch milliseconds from numbers and numeric strings, and "None" as unknown', () => {
		expect(parseEpochMs('1659517940167')).toBe(1659517940167);
		expect(parseEpochMs(1701662699005)).toBe(1701662699005);
		expect(parseEpochMs('None')).toBeNull();
		expect(parseEpochMs(null)).toBeNull();
		expect(parseEpochMs('')).toBeNull();
	});

	it('reads "None" and empty strings as unknown text', () => {
		expect(parseText('None')).toBeNull();
		expect(parseText('')).toBeNull();
		expect(parseText('TODO')).toBe('TODO');
	});

	it('builds the deep links of both Malop screens for both GUID styles', () => {
		expect(malopUrl(BASE, '11.-4319097116418812958', true)).toBe(
			`${BASE}/#/malop/11.-4319097116418812958`,
		);
		expect(malopUrl(BASE, 'AAAA0yUlnvXGQODT', false)).toBe(
			`${BASE}/#/detection-malop/AAAA0yUlnvXGQODT`,
		);
	});
});

describeWithSamples('the public captures normalise', () => {
	it('crimes/unified raw response (Python-converted "False"/"None", legacy GUIDs)', () => {
		const page = normaliseCrimesResponse(
			sample<CrimesUnifiedResponse>('xsoar-query_malop_raw_response.json'),
			'MalopProcess',
			BASE,
		);
		expect(page).toMatchObject({
			returned: 1,
			totalPossibleResults: 1,
			queryTerminated: false,
			perFeatureLimit: 100,
		});
		expect(page.warning).toBeUndefined();
		const [malop] = page.malops;
		expect(malop).toMatchObject({
			source: 'crimesUnified',
			malopId: '11.-4319097116418812958',
			malopType: 'MalopProcess',
			edr: true,
			displayName: 'userinit.pdf.exe',
			rootCauseElementType: 'File',
			detectionType: 'BLACKLIST',
			status: 'TODO',
			creationTime: new Date(1659517940167).toISOString(),
			lastUpdateTime: new Date(1659518441475).toISOString(),
			closed: false,
			malopUrl: `${BASE}/#/malop/11.-4319097116418812958`,
			machines: [
				{ machineGuid: '-1826875736.1198775089551518743', machineName: 'desktop-j60ivd0' },
			],
			machineCount: 1,
			suspectCount: 8,
			elementValuesMissing: false,
		});
		expect(malop.severity).toBeUndefined();
		expect(malop.suspects).toHaveLength(8);
		expect(malop.suspects?.[0]).toEqual({
			guid: '-1826875736.-3068369950345623259',
			name: 'userinit.pdf.exe',
			elementType: 'Process',
		});
	});

	it('crimes/unified element with real JSON types and 16-character GUIDs (malop_to_incident)', () => {
		const raw = sample<MalopElement>('xsoar-malop_to_incident.json');
		const malop = normaliseCrimesMalop('AAAA096WBtByORIM', raw, 'MalopProcess', BASE);
		expect(malop).toMatchObject({
			malopId: 'AAAA096WBtByORIM',
			displayName: 'bdata.bin',
			status: 'UNREAD',
			detectionType: 'BLACKLIST',
			creationTime: new Date(1671393898844).toISOString(),
			machines: [
				{
					machineGuid: 'S-2-PBCi55eyTiwX',
					machineName: 'microsoftwindowsserver2019datacenterfe80f85cdf802cbfe3de5',
				},
			],
			suspects: [{ guid: 'S-2-PC_TYvnPWzr9', name: 'bdata.bin', elementType: 'Process' }],
		});
		expect(malop.raw).toBe(raw);
	});

	it('inbox answer with an Endpoint Protection Malop (edr false) closed by an analyst', () => {
		const [malop] = normaliseInboxResponse(
			sample<InboxResponse>('xsoar-malop_detection_data.json'),
			BASE,
		);
		expect(malop).toMatchObject({
			source: 'detectionInbox',
			malopId: 'AAAA0yUlnvXGQODT',
			malopType: 'EPP',
			edr: false,
			displayName: 'abs.exe',
			rootCauseElementType: 'File',
			detectionType: 'BLACKLIST',
			status: 'Active',
			severity: 'High',
			creationTime: new Date(1662563233889).toISOString(),
			lastUpdateTime: new Date(1672679951701).toISOString(),
			// status says Active, but the entry's own `closed` flag (and its close time) say the analyst closed it
			closed: true,
			malopUrl: `${BASE}/#/detection-malop/AAAA0yUlnvXGQODT`,
			machines: [
				{
					machineGuid: '123',
					machineName: 'desktop-1',
					machineConnected: false,
					machineIsolated: false,
					osType: 'WINDOWS',
				},
				{
					machineGuid: '456',
					machineName: 'win-123',
					machineConnected: true,
					machineIsolated: false,
					osType: 'WINDOWS',
				},
			],
		});
	});

	it('inbox entries given as a bare list (query_inbox_raw_response, an EDR Malop)', () => {
		const [malop] = normaliseInboxResponse(
			sample<InboxMalop[]>('xsoar-query_inbox_raw_response.json'),
			BASE,
		);
		expect(malop).toMatchObject({
			malopId: 'AAAA0ws7O-MUgDmB',
			malopType: 'EDR',
			displayName: 'xkpkmvkd2380319126246621955.exe',
			detectionType: 'KNOWN_MALWARE',
			status: 'Active',
			severity: 'High',
			closed: false,
			malopUrl: `${BASE}/#/malop/AAAA0ws7O-MUgDmB`,
			machines: [
				{
					machineGuid: 'KSSdyRCi55eyTiwX',
					machineName: 'mgmt01',
					machineConnected: false,
					machineIsolated: false,
					osType: 'WINDOWS',
				},
			],
		});
	});
});

describe('crimes/unified answers', () => {
	it('keeps a Malop whose elementValues came back as {} and flags it', () => {
		const page = normaliseCrimesResponse(
			crimesAnswer({ 'AAAA0ws7O-MUgDmB': element('AAAA0ws7O-MUgDmB', { empty: true }) }),
			'MalopLogonSession',
			BASE,
		);
		const [malop] = page.malops;
		expect(malop).toMatchObject({
			malopType: 'MalopLogonSession',
			machines: [],
			machineCount: 0,
			suspects: [],
			elementValuesMissing: true,
		});
		const items = toMachineItems(page.malops);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			malopId: 'AAAA0ws7O-MUgDmB',
			machineGuid: null,
			machineName: null,
		});
	});

	it('keeps the true counts when the per-feature limit cut the lists', () => {
		const malop = normaliseCrimesMalop(
			'11.1',
			element('11.1', { machineTotal: 7, suspects: 2, suspectTotal: 9 }),
			'MalopProcess',
			BASE,
		);
		expect(malop.machines).toHaveLength(1);
		expect(malop.machineCount).toBe(7);
		expect(malop.suspectCount).toBe(9);
	});

	it('reads truncation and PARTIAL_SUCCESS from the envelope', () => {
		const body = crimesAnswer(
			{ '11.1': element('11.1') },
			{
				totalPossibleResults: 40,
				queryTerminated: 'True',
				queryLimits: { totalResultLimit: 1, perGroupLimit: 1, perFeatureLimit: 100 },
			},
		);
		body.status = 'PARTIAL_SUCCESS';
		body.failures = 2;
		const page = normaliseCrimesResponse(body, undefined, BASE);
		expect(page).toMatchObject({
			returned: 1,
			totalPossibleResults: 40,
			queryTerminated: true,
			totalResultLimit: 1,
		});
		expect(page.warning).toMatch(/PARTIAL_SUCCESS \(2 server\(s\) failed\)/);
	});

	it('takes the element type from the answer when the caller does not know it', () => {
		const body = crimesAnswer(
			{ '11.1': element('11.1') },
			{
				queryLimits: {
					totalResultLimit: 10,
					perGroupLimit: 10,
					perFeatureLimit: 10,
					groupingFeature: { elementInstanceType: 'MalopLogonSession', featureName: 'self' },
				},
			},
		);
		expect(normaliseCrimesResponse(body, undefined, BASE).malops[0].malopType).toBe(
			'MalopLogonSession',
		);
	});

	it('lists each machine once even if the console repeats it', () => {
		const malop = normaliseCrimesMalop(
			'11.1',
			element('11.1', {
				machines: [
					['m.1', 'a'],
					['m.1', 'a'],
					['m.2', 'b'],
				],
			}),
			'MalopProcess',
			BASE,
		);
		expect(malop.machines.map((m) => m.machineGuid)).toEqual(['m.1', 'm.2']);
	});
});

describe('closed, statuses and time filters', () => {
	const crimes = (guid: string, status: string, lastUpdate = 1000) =>
		normaliseCrimesMalop(guid, element(guid, { status, lastUpdate }), 'MalopProcess', BASE);
	const inbox = (guid: string, status: string, closed = false) =>
		normaliseInboxMalop(
			{
				guid,
				displayName: 'x',
				creationTime: 1,
				lastUpdateTime: 1000,
				edr: true,
				machines: [],
				status,
				closed,
			},
			BASE,
		);

	it('knows what closed means for each source', () => {
		expect(
			['UNREAD', 'TODO', 'OPEN', 'REOPEN', 'CLOSED', 'FP'].filter((s) =>
				isClosedStatus('crimesUnified', s),
			),
		).toEqual(['CLOSED', 'FP']);
		expect(
			['Active', 'Remediated', 'Closed', 'Excluded'].filter((s) =>
				isClosedStatus('detectionInbox', s),
			),
		).toEqual(['Closed', 'Excluded']);
	});

	it('leaves closed Malops out unless asked for', () => {
		const records = [
			crimes('a', 'OPEN'),
			crimes('b', 'CLOSED'),
			crimes('c', 'FP'),
			inbox('d', 'Excluded'),
			inbox('e', 'Active', true),
		];
		expect(records.filter(createMalopFilter({})).map((r) => r.malopId)).toEqual(['a']);
		expect(
			records.filter(createMalopFilter({ includeClosed: true })).map((r) => r.malopId),
		).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('returns closed Malops when their status is picked explicitly, case-insensitively', () => {
		const records = [crimes('a', 'OPEN'), crimes('b', 'CLOSED'), inbox('e', 'Active', true)];
		expect(
			records.filter(createMalopFilter({ statuses: ['closed'] })).map((r) => r.malopId),
		).toEqual(['b']);
		// Active but closed by the analyst: picking Active does not bring back closed investigations
		expect(
			records.filter(createMalopFilter({ statuses: ['Active'] })).map((r) => r.malopId),
		).toEqual([]);
	});

	it('applies updated after / before as exclusive bounds', () => {
		const records = [crimes('a', 'OPEN', 100), crimes('b', 'OPEN', 200), crimes('c', 'OPEN', 300)];
		expect(
			records
				.filter(createMalopFilter({ updatedAfter: 100, updatedBefore: 300 }))
				.map((r) => r.malopId),
		).toEqual(['b']);
	});
});

describe('merging and ordering', () => {
	const record = (
		guid: string,
		lastUpdate: number,
		type: 'MalopProcess' | 'MalopLogonSession' = 'MalopProcess',
	) => normaliseCrimesMalop(guid, element(guid, { lastUpdate }), type, BASE);

	it('never lists a Malop twice: the newer copy wins, on a tie the first list', () => {
		const merged = mergeMalops([
			[record('x', 5), record('y', 9)],
			[
				record('x', 7, 'MalopLogonSession'),
				record('y', 9, 'MalopLogonSession'),
				record('z', 1, 'MalopLogonSession'),
			],
		]);
		expect(merged.map((r) => [r.malopId, r.malopType])).toEqual([
			['x', 'MalopLogonSession'],
			['y', 'MalopProcess'],
			['z', 'MalopLogonSession'],
		]);
	});

	it('sorts newest activity first, unknown times last', () => {
		const unknown = record('u', 1);
		unknown.lastUpdateTimeMs = null;
		const sorted = sortByLastUpdate([record('a', 1), unknown, record('b', 3), record('c', 2)]);
		expect(sorted.map((r) => r.malopId)).toEqual(['b', 'c', 'a', 'u']);
	});
});

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
		expect(Object.keys(items[0])).toEqual([
			'malopId',
			'malopType',
			'displayName',
			'rootCauseElementType',
			'detectionType',
			'status',
			'creationTime',
			'lastUpdateTime',
			'malopUrl',
			'machineGuid',
			'machineName',
			'suspects',
		]);
		expect(Object.keys(items[2])).toEqual([
			'malopId',
			'malopType',
			'displayName',
			'rootCauseElementType',
			'detectionType',
			'status',
			'severity',
			'creationTime',
			'lastUpdateTime',
			'malopUrl',
			'machineGuid',
			'machineName',
			'machineConnected',
			'machineIsolated',
			'osType',
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
	});
});
