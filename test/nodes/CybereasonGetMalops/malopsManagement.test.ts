import type { IDataObject } from 'n8n-workflow';

import type { MmngRequest } from '../../../nodes/shared/types';
import type { SimMalop, Simulator } from '../../../simulator';
import { investigationStatusOf } from '../../../simulator/status';
import { MMNG_SAMPLE_MACHINE } from '../shared/malops/fixtures';
import { bodiesOf, consoles, ids, NODE, run, warnLogs } from './harness';
import { describeWithSamples, sample } from './samples';

const MMNG = '/rest/mmng/v2/malops';
const INBOX = '/rest/detection/inbox';

const simulator = consoles();
/** A console that serves at most 100 Malops per page (it asks for 1000): a few hundred Malops make several pages. */
const SERVES_100 = { mmngMaxPageSize: 100 };

const mmngBodies = (s: Simulator) => bodiesOf(s, MMNG) as unknown as MmngRequest[];
const pairs = (items: IDataObject[]) =>
	items.map((i) => `${String(i.malopId)}:${String(i.machineGuid)}`);
const isClosed = (m: SimMalop) =>
	m.status === 'Closed' || m.status === 'Excluded' || investigationStatusOf(m) === 'Closed';
const allPairs = (malops: Iterable<SimMalop>) =>
	[...malops].flatMap((m) => m.machines.map((x) => `${m.guid}:${x.guid}`)).sort();

/** Runs `change` on the simulator's state right before its n-th mmng/v2 request (1 = the first page). */
function beforePage(s: Simulator, changes: Record<number, (state: Simulator['state']) => void>) {
	let page = 0;
	s.state.addFault({
		path: MMNG,
		times: Infinity,
		act: (state) => changes[++page]?.(state),
	});
}

describe('Malops management source: paging', () => {
	it('reads every Malop once across pages while Malops are added and updated between them', async () => {
		const s = await simulator({ malops: 230, eppMalops: 40, machinesPerMalop: 2 }, SERVES_100);
		const oldest = [...s.state.malops.values()].sort((a, b) => a.lastUpdateTime - b.lastUpdateTime);
		const added: SimMalop[] = [];
		beforePage(s, {
			// Page 1 read the 100 oldest: one of them is updated (it moves to the newest end, and an item-offset
			// pager oldest first would now skip a Malop), a Malop not read yet too, and a new one appears.
			2: (state) => {
				state.updateMalop(oldest[10].guid, { severity: 'Low' });
				state.updateMalop(oldest[150].guid, { severity: 'Low' });
				added.push(state.addMalop({ kind: 'EPP', machines: 3 }));
			},
			3: (state) => {
				added.push(state.addMalop({ kind: 'MalopLogonSession', machines: 1 }));
				state.addMachineToMalop(oldest[20].guid);
			},
		});
		const { items, error } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			filters: { includeClosed: true },
		});
		expect(error).toBeUndefined();

		// Every (Malop, machine) pair the console holds now, each once: nothing lost, nothing repeated.
		expect([...pairs(items)].sort()).toEqual(allPairs(s.state.malops.values()));
		expect(new Set(pairs(items)).size).toBe(items.length);
		expect(ids(items)).toEqual(expect.arrayContaining(added.map((m) => m.guid)));
		// The updated Malops come in their new version; items are newest first.
		const updated = items.find((i) => i.malopId === oldest[10].guid)!;
		expect(updated.severity).toBe('Low');
		expect(updated.lastUpdateTime).toBe(
			new Date(s.state.malops.get(oldest[10].guid)!.lastUpdateTime).toISOString(),
		);
		const times = items.map((i) => Date.parse(i.lastUpdateTime as string));
		expect(times).toEqual([...times].sort((a, b) => b - a));

		// Oldest first, each page from the last update time the previous one reached, offset 0.
		const bodies = mmngBodies(s);
		expect(bodies.length).toBeGreaterThanOrEqual(3);
		expect(bodies[0]).toEqual({
			search: {},
			range: { from: 0, to: 9_999_999_999_999 },
			pagination: { pageSize: 1000, offset: 0 },
			federation: { groups: [] },
			sort: [{ field: 'LastUpdateTime', order: 'asc' }],
			filter: {},
		});
		for (const [i, body] of bodies.entries()) {
			expect(body.pagination).toEqual({ pageSize: 1000, offset: 0 });
			if (i > 0) expect(body.range.from).toBeGreaterThan(bodies[i - 1].range.from);
		}
	});

	it('with a limit, reads newest first and stops once it has enough, new Malops between pages repeating nothing', async () => {
		const s = await simulator({ malops: 300, machinesPerMalop: 1 }, SERVES_100);
		const newest = [...s.state.malops.values()].sort((a, b) => b.lastUpdateTime - a.lastUpdateTime);
		beforePage(s, { 2: (state) => state.addMalop({ machines: 1 }) });
		const { items } = await run(s, {
			source: 'malopsManagement',
			limit: 150,
			filters: { includeClosed: true },
		});
		expect(ids(items)).toEqual(newest.slice(0, 150).map((m) => m.guid));
		expect(items).toHaveLength(150);
		const bodies = mmngBodies(s);
		expect(bodies).toHaveLength(2);
		expect(bodies.map((b) => b.sort[0].order)).toEqual(['desc', 'desc']);
		expect(bodies[1].range.to).toBe(newest[99].lastUpdateTime);
	});

	it('steps the offset when more Malops share one update time than a page holds', async () => {
		const s = await simulator({ malops: 260, machinesPerMalop: 1 }, SERVES_100);
		const at = Date.now() - 3_600_000;
		for (const m of s.state.malops.values()) s.state.updateMalop(m.guid, { lastUpdateTime: at });
		const { items } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			filters: { includeClosed: true },
		});
		expect([...ids(items)].sort()).toEqual([...s.state.malops.keys()].sort());
		expect(mmngBodies(s).map((b) => [b.range.from, b.pagination.offset])).toEqual([
			[0, 0],
			[at, 0],
			[at, 100],
			[at, 200],
		]);
	});

	it.each([
		['a page index offset', { mmngOffset: 'page' as const, mmngMaxPageSize: 100 }],
		['a page-size cap of 30', { mmngMaxPageSize: 30 }],
		['a result window', { mmngMaxResultWindow: 50 }],
		[
			'a page-size cap that refuses larger pages',
			{ mmngMaxPageSize: 500, mmngOverPageSize: 'reject' as const },
		],
	])('loses nothing on a console with %s', async (_, management) => {
		const s = await simulator({ malops: 200, eppMalops: 20, machinesPerMalop: 1 }, management);
		const { items, hints } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			filters: { includeClosed: true },
		});
		expect([...ids(items)].sort()).toEqual([...s.state.malops.keys()].sort());
		expect(items.some((i) => 'warnings' in i)).toBe(false);
		expect(hints(NODE)).toEqual([]);
	});

	it('asks again with pages of 100 once when the console refuses 1000, and reports a 400 that stays', async () => {
		const s = await simulator(
			{ malops: 250, machinesPerMalop: 1 },
			{ mmngMaxPageSize: 500, mmngOverPageSize: 'reject' },
		);
		const { items } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			filters: { includeClosed: true },
		});
		expect(ids(items)).toHaveLength(250);
		const sizes = mmngBodies(s).map((b) => b.pagination.pageSize);
		expect(sizes).toEqual([1000, 100, 100, 100]);
		expect(s.requests.filter((r) => r.path === MMNG).map((r) => r.status)).toEqual([
			400, 200, 200, 200,
		]);

		s.requests.length = 0;
		s.state.addFault({ path: MMNG, status: 400, times: 2 });
		const { error } = await run(s, { source: 'malopsManagement', returnAll: true });
		expect(error?.message).toBe(
			'Could not list Malops from Malops management (mmng/v2): Cybereason rejected the request (HTTP 400): Bad Request',
		);
		expect(mmngBodies(s).map((b) => b.pagination.pageSize)).toEqual([1000, 100]);
	});

	it('warns on every item, in the hints and in the log when totalHits counts more Malops than were served', async () => {
		const s = await simulator({ malops: 120, machinesPerMalop: 1 });
		s.state.management.mmngTotalHitsSurplus = 3;
		const { items, hints } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			filters: { includeClosed: true },
		});
		expect(ids(items)).toHaveLength(120);
		const message = expect.stringMatching(
			/^Cybereason counted 3 Malops more than it served \(totalHits \d+ at the last page, 120 Malops read\), so some Malops are missing/,
		) as string;
		for (const item of items) expect(item.warnings).toEqual([message]);
		expect(hints(NODE)).toEqual([{ message, location: 'outputPane' }]);
		expect(warnLogs()).toEqual([expect.stringContaining('Cybereason counted 3 Malops more')]);
	});
});

describe('Malops management source: filters and items', () => {
	it('sends the time range and the filters to Cybereason and returns what they keep', async () => {
		const s = await simulator({ malops: 60, eppMalops: 20 });
		const after = Date.now() - 5 * 86_400_000;
		const before = Date.now() - 3_600_000;
		const { items } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			outputMode: 'perMalop',
			filters: {
				updatedAfter: new Date(after).toISOString(),
				updatedBefore: new Date(before).toISOString(),
				statuses: ['Active', 'Remediated'],
				investigationStatuses: ['Pending', 'UnderInvestigation'],
				severities: ['High', 'Medium'],
			},
		});
		expect(mmngBodies(s)[0]).toMatchObject({
			range: { from: after + 1, to: before - 1 },
			filter: {
				malop: {
					status: ['Active', 'Remediated'],
					investigationStatus: ['Pending', 'UnderInvestigation'],
					severity: ['High', 'Medium'],
				},
			},
		});
		const expected = [...s.state.malops.values()].filter(
			(m) =>
				['Active', 'Remediated'].includes(m.status) &&
				['Pending', 'UnderInvestigation'].includes(investigationStatusOf(m)) &&
				['High', 'Medium'].includes(m.severity) &&
				m.lastUpdateTime > after &&
				m.lastUpdateTime < before,
		);
		expect(expected.length).toBeGreaterThan(0);
		expect([...ids(items)].sort()).toEqual(expected.map((m) => m.guid).sort());
	});

	it('leaves closed Malops out by default, its investigation closed included', async () => {
		const s = await simulator({ malops: 40, eppMalops: 10 });
		const malop = [...s.state.malops.values()].find((m) => !isClosed(m))!;
		s.state.updateMalop(malop.guid, { investigationStatus: 'Closed', status: 'Active' });
		const { items } = await run(s, { source: 'malopsManagement', returnAll: true });
		const open = [...s.state.malops.values()].filter((m) => !isClosed(m));
		expect(open.length).toBeLessThan(s.state.malops.size);
		expect([...ids(items)].sort()).toEqual(open.map((m) => m.guid).sort());
		expect(mmngBodies(s)[0].filter).toEqual({});
	});

	it('gives EDR and EPP items the fields of the other sources plus triage and sensor fields', async () => {
		const s = await simulator({ malops: 3, eppMalops: 2, machinesPerMalop: 2 });
		const labelled = [...s.state.malops.values()][0];
		s.state.updateMalop(labelled.guid, {
			labels: ['VIP', 'IT-Closed'],
			priority: 'HIGH',
			mitreTactics: ['TA0002'],
			mitreTechniques: ['T1059.001'],
			investigationStatus: 'ReOpened',
		});
		const { items } = await run(s, {
			source: 'malopsManagement',
			returnAll: true,
			filters: { includeClosed: true },
		});
		expect(items).toHaveLength(10);
		for (const item of items) {
			const m = s.state.malops.get(item.malopId as string)!;
			const machine = m.machines.find((x) => x.guid === item.machineGuid)!;
			expect(item).toEqual({
				malopId: m.guid,
				malopType: m.kind === 'EPP' ? 'EPP' : 'EDR',
				displayName: m.displayName,
				rootCauseElementType: m.rootCauseElementType,
				detectionType: m.detectionType,
				status: m.status,
				severity: m.severity,
				investigationStatus: investigationStatusOf(m),
				priority: m.priority,
				creationTime: new Date(m.creationTime).toISOString(),
				lastUpdateTime: new Date(m.lastUpdateTime).toISOString(),
				malopUrl: `${s.url}/#/${m.kind === 'EPP' ? 'detection-malop' : 'malop'}/${m.guid}`,
				labels: m.labels,
				mitreTactics: m.mitreTactics ?? [],
				mitreTechniques: m.mitreTechniques ?? [],
				rootCauseElementHashes: m.rootCauseElementType === 'File' ? [m.rootCauseHash] : [],
				machineGuid: machine.guid,
				machineName: machine.name,
				machineConnected: machine.connected,
				machineIsolated: machine.isolated,
				osType: machine.osType,
				pylumId: machine.pylumId,
				lastConnected: new Date(machine.lastConnected).toISOString(),
			});
		}
		expect(items.find((i) => i.malopId === labelled.guid)).toMatchObject({
			labels: ['VIP', 'IT-Closed'],
			priority: 'HIGH',
			investigationStatus: 'ReOpened',
			mitreTechniques: ['T1059.001'],
		});
		expect(new Set(items.map((i) => i.malopType))).toEqual(new Set(['EDR', 'EPP']));
	});
});

describe('Malops management source: errors', () => {
	it('fails with the console message when the envelope says FAILURE', async () => {
		const s = await simulator();
		s.state.addFault({ path: MMNG, envelopeStatus: 'FAILURE', times: Infinity });
		const { error, items } = await run(s, { source: 'malopsManagement' });
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'Could not list Malops from Malops management (mmng/v2): Cybereason reported FAILURE: Simulated failure: the query failed on the server',
		);
	});

	it('an answer without SUCCESS (no status, or PARTIAL_SUCCESS) is an error, not a list', async () => {
		const s = await simulator();
		const page = { pageSize: 100, offset: 0, totalHits: 0, data: [] };
		for (const body of [{ data: page }, { status: 'PARTIAL_SUCCESS', data: page }]) {
			s.state.addFault({ path: MMNG, status: 200, body });
			const { error } = await run(s, { source: 'malopsManagement' });
			expect(error?.message).toMatch(
				/^Could not list Malops from Malops management \(mmng\/v2\): the console answered \/rest\/mmng\/v2\/malops with HTTP 200 and .* instead of a Malop list \(status SUCCESS, data.data, data.totalHits\)$/,
			);
		}
	});

	it('an unknown filter value from an expression is an input error naming the item', async () => {
		const s = await simulator();
		const { error } = await run(s, {
			source: 'malopsManagement',
			filters: { severities: '={{ ["Critical"] }}' },
		});
		expect(error?.message).toBe('Unknown severity "Critical": use High, Medium, Low');
		expect(mmngBodies(s)).toEqual([]);
	});
});

describe('the deprecated detection inbox', () => {
	it.each([
		['notFound', /the console has no \/rest\/detection\/inbox endpoint \(HTTP 404\)/],
		[
			'errorEnvelope',
			/Cybereason reported FAILURE: The detection inbox API is deprecated on this console/,
		],
	] as const)(
		'answering as a console where it is gone (%s) tells the user to switch Source to Malops Management',
		async (mode, what) => {
			const s = await simulator({}, { deprecatedInbox: mode });
			const { error } = await run(s, { source: 'detectionInbox' });
			expect(error?.message).toMatch(what);
			expect(error?.message).toMatch(
				/\. This console no longer serves the detection inbox: switch Source to "Malops Management"$/,
			);
			expect(error?.description).toMatch(/^Cybereason deprecated POST \/rest\/detection\/inbox/);
			expect(bodiesOf(s, INBOX)).toHaveLength(1);

			const { items, error: none } = await run(s, {
				source: 'malopsManagement',
				returnAll: true,
				filters: { includeClosed: true },
			});
			expect(none).toBeUndefined();
			expect(ids(items)).toHaveLength(s.state.malops.size);
		},
	);
});

describeWithSamples('Malops management conformance: public capture', () => {
	it('xsoar-query_malop_management_raw_response inside the console answer gives the documented item', async () => {
		const s = await simulator();
		s.state.addFault({
			path: MMNG,
			status: 200,
			body: sample('xsoar-query_malop_management_raw_response.json'),
		});
		const { items } = await run(s, { source: 'malopsManagement' });
		expect(items).toEqual([
			{
				malopId: 'AAAA0w7GERjl3oae',
				malopType: 'EDR',
				displayName: 'aasiapp.pdf.exe',
				rootCauseElementType: 'File',
				detectionType: 'EXTENSION_MANIPULATION',
				status: 'Active',
				severity: 'High',
				investigationStatus: 'Pending',
				priority: 'MEDIUM',
				creationTime: '2023-06-14T05:26:43.740Z',
				lastUpdateTime: '2023-06-14T05:26:43.743Z',
				malopUrl: `${s.url}/#/malop/AAAA0w7GERjl3oae`,
				labels: ['IT-Closed'],
				mitreTactics: [],
				mitreTechniques: [],
				rootCauseElementHashes: ['a541fb35b0b750501717df708f1ccade7c176e1d'],
				...MMNG_SAMPLE_MACHINE,
			},
		]);
	});
});
