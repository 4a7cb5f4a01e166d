import type { CrimesUnifiedResponse, MalopElement } from '../../nodes/shared/types';
import { generateDataset, isLegacyGuid, type Simulator } from '../../simulator';

import { call, ManualClock, started } from './helpers';

const BASE = 1_717_000_000_000;

function query(
	type: string,
	extra: Record<string, unknown> = {},
	step: Record<string, unknown> = {},
) {
	return {
		totalResultLimit: 10000,
		perGroupLimit: 10000,
		perFeatureLimit: 100,
		templateContext: 'OVERVIEW',
		queryPath: [{ requestedType: type, filters: null, result: true, ...step }],
		...extra,
	};
}

describe('POST /rest/crimes/unified', () => {
	const clock = new ManualClock(BASE);
	const dataset = generateDataset({
		malops: 60,
		eppMalops: 5,
		machinesPerMalop: 3,
		logonSessionShare: 0.3,
		emptyElementValuesShare: 0.1,
		guidStyle: 'mixed',
		seed: 42,
		baseTime: BASE,
	});
	let sim: Simulator;
	let cookie: string;
	const unified = async (body: unknown) => {
		const answer = await call(sim, 'POST', '/rest/crimes/unified', { cookie, body });
		expect(answer.status).toBe(200);
		return answer.json as CrimesUnifiedResponse & {
			data: NonNullable<CrimesUnifiedResponse['data']>;
		};
	};
	const ofKind = (kind: string) => dataset.malops.filter((m) => m.kind === kind);

	beforeAll(async () => {
		({ sim, cookie } = await started({ clock, dataset }));
	});
	afterAll(() => sim.close());

	it.each(['MalopProcess', 'MalopLogonSession'])(
		'returns only %s Malops, newest update first',
		async (type) => {
			const res = await unified(query(type));
			const guids = Object.keys(res.data.resultIdToElementDataMap);
			const expected = ofKind(type)
				.slice()
				.sort((a, b) => b.lastUpdateTime - a.lastUpdateTime)
				.map((m) => m.guid);
			expect(expected.length).toBeGreaterThan(0);
			expect(guids).toEqual(expected);
			expect(res.data.totalPossibleResults).toBe(expected.length);
			expect(res.data.queryTerminated).toBe(false);
			expect(res.status).toBe('SUCCESS');
			expect(res.hidePartialSuccess).toBe(false);
			expect(res.data.paginationToken).toBeNull();
			expect(res.data.queryLimits?.groupingFeature).toEqual({
				elementInstanceType: type,
				featureName: 'self',
			});
			for (const [guid, el] of Object.entries(res.data.resultIdToElementDataMap))
				expect(el.guidString).toBe(guid);
		},
	);

	it('never returns EPP Malops', async () => {
		const epp = new Set(ofKind('EPP').map((m) => m.guid));
		for (const type of ['MalopProcess', 'MalopLogonSession']) {
			const res = await unified(query(type, {}, { guidList: [...epp] }));
			expect(res.data.totalPossibleResults).toBe(0);
			expect(res.data.resultIdToElementDataMap).toEqual({});
		}
	});

	it('honours guidList', async () => {
		const wanted = ofKind('MalopProcess')
			.slice(0, 3)
			.map((m) => m.guid);
		const res = await unified(
			query('MalopProcess', {}, { guidList: [...wanted, 'AAAA0doesnotexist'] }),
		);
		expect(Object.keys(res.data.resultIdToElementDataMap).sort()).toEqual(wanted.sort());
	});

	it('filters by malopLastUpdateTime and creationTime (numbers or numeric strings)', async () => {
		const procs = ofKind('MalopProcess');
		const cut = procs.map((m) => m.lastUpdateTime).sort((a, b) => a - b)[
			Math.floor(procs.length / 2)
		];
		const byUpdate = await unified(
			query(
				'MalopProcess',
				{},
				{
					filters: [{ facetName: 'malopLastUpdateTime', values: [cut], filterType: 'GreaterThan' }],
				},
			),
		);
		expect(Object.keys(byUpdate.data.resultIdToElementDataMap).sort()).toEqual(
			procs
				.filter((m) => m.lastUpdateTime > cut)
				.map((m) => m.guid)
				.sort(),
		);
		const created = procs.map((m) => m.creationTime).sort((a, b) => a - b)[3];
		const byCreation = await unified(
			query(
				'MalopProcess',
				{},
				{
					filters: [
						{ facetName: 'creationTime', values: [String(created)], filterType: 'GreaterThan' },
					],
				},
			),
		);
		expect(byCreation.data.totalPossibleResults).toBe(
			procs.filter((m) => m.creationTime > created).length,
		);
	});

	it('filters by managementStatus with Equals (any of the values)', async () => {
		const res = await unified(
			query(
				'MalopProcess',
				{},
				{
					filters: [
						{ facetName: 'managementStatus', values: ['UNREAD', 'TODO'], filterType: 'Equals' },
					],
				},
			),
		);
		const expected = ofKind('MalopProcess').filter(
			(m) => m.managementStatus === 'UNREAD' || m.managementStatus === 'TODO',
		);
		expect(res.data.totalPossibleResults).toBe(expected.length);
		for (const el of Object.values(res.data.resultIdToElementDataMap)) {
			expect(['UNREAD', 'TODO']).toContain(el.simpleValues.managementStatus.values[0]);
		}
	});

	it('caps at totalResultLimit, reports the true total and queryTerminated', async () => {
		const total = ofKind('MalopProcess').length;
		const res = await unified(query('MalopProcess', { totalResultLimit: 5 }));
		expect(Object.keys(res.data.resultIdToElementDataMap)).toHaveLength(5);
		expect(res.data.totalPossibleResults).toBe(total);
		expect(res.data.queryTerminated).toBe(true);
		expect(res.data.queryLimits?.totalResultLimit).toBe(5);
	});

	it('clamps totalResultLimit to the console maximum', async () => {
		const small = await started({ clock, dataset, maxTotalResultLimit: 7 });
		try {
			const answer = await call(small.sim, 'POST', '/rest/crimes/unified', {
				cookie: small.cookie,
				body: query('MalopProcess'),
			});
			const res = answer.json as CrimesUnifiedResponse;
			expect(Object.keys(res.data?.resultIdToElementDataMap ?? {})).toHaveLength(7);
			expect(res.data?.queryTerminated).toBe(true);
			expect(res.data?.queryLimits?.totalResultLimit).toBe(7);
		} finally {
			await small.sim.close();
		}
	});

	it('truncates element features to perFeatureLimit and keeps the true totalValues', async () => {
		const full = await unified(query('MalopProcess'));
		const cut = await unified(query('MalopProcess', { perFeatureLimit: 1 }));
		let truncated = 0;
		for (const [guid, el] of Object.entries(full.data.resultIdToElementDataMap)) {
			const small = cut.data.resultIdToElementDataMap[guid];
			for (const [name, feature] of Object.entries(el.elementValues)) {
				const f = small.elementValues[name];
				expect(f.totalValues).toBe(feature.totalValues);
				expect(f.elementValues).toEqual(feature.elementValues.slice(0, 1));
				if (feature.elementValues.length > 1) truncated++;
			}
		}
		expect(truncated).toBeGreaterThan(0);
	});

	it('renders the Malop element from the model', async () => {
		const malop = ofKind('MalopProcess').find((m) => !m.emptyElementValues);
		if (!malop) throw new Error('fixture has no suitable Malop');
		const res = await unified(query('MalopProcess', {}, { guidList: [malop.guid] }));
		const el = res.data.resultIdToElementDataMap[malop.guid];
		expect(el.simpleValues.creationTime).toEqual({
			totalValues: 1,
			values: [String(malop.creationTime)],
		});
		expect(el.simpleValues.malopLastUpdateTime.values).toEqual([String(malop.lastUpdateTime)]);
		expect(el.simpleValues.managementStatus.values).toEqual([malop.managementStatus]);
		expect(el.simpleValues.detectionType.values).toEqual([malop.detectionType]);
		expect(el.simpleValues.elementDisplayName.values).toEqual([malop.displayName]);
		expect(el.simpleValues.decisionFeature.values[0]).toMatch(/^\w+\.\w+\(Malop decision\)$/);
		const machines = el.elementValues.affectedMachines;
		expect(machines.elementValues.map((m) => [m.elementType, m.guid, m.name])).toEqual(
			malop.machines.map((m) => ['Machine', m.guid, m.name]),
		);
		expect(el.elementValues.suspects.elementValues.map((s) => s.guid)).toEqual(
			malop.targets.filter((t) => t.kind === 'process').map((t) => t.guid),
		);
		expect(
			el.elementValues.filesToRemediate.elementValues.every((f) => f.elementType === 'File'),
		).toBe(true);
		expect(
			el.elementValues.affectedUsers.elementValues.every((u) => u.elementType === 'User'),
		).toBe(true);
		if (isLegacyGuid(malop.guid)) {
			expect(machines.elementValues[0]).not.toHaveProperty('simpleValues');
		} else {
			expect(machines.elementValues[0].simpleValues?.elementDisplayName.values).toEqual([
				malop.machines[0].name,
			]);
		}
	});

	it('sends every simpleValue as a string (comments are objects; unset closeTime/closerName are null)', async () => {
		const responses = [
			await unified(query('MalopProcess')),
			await unified(query('MalopLogonSession')),
		];
		const check = (values: Record<string, { values: unknown[] }>, where: string) => {
			for (const [name, sv] of Object.entries(values)) {
				for (const v of sv.values) {
					if (name === 'comments') expect(typeof v).toBe('object');
					else if (v === null) expect(['closeTime', 'closerName']).toContain(name);
					else if (typeof v !== 'string') throw new Error(`${where}.${name} is ${typeof v}`);
				}
			}
		};
		for (const res of responses) {
			for (const [guid, el] of Object.entries(res.data.resultIdToElementDataMap)) {
				check(el.simpleValues, guid);
				for (const feature of Object.values(el.elementValues)) {
					for (const ref of feature.elementValues)
						if (ref.simpleValues) check(ref.simpleValues, `${guid}/${ref.guid}`);
				}
			}
		}
	});

	it('answers elementValues {} for the Malops flagged empty', async () => {
		const empty = dataset.malops.filter((m) => m.emptyElementValues && m.kind === 'MalopProcess');
		expect(empty.length).toBeGreaterThan(0);
		const res = await unified(query('MalopProcess', {}, { guidList: empty.map((m) => m.guid) }));
		for (const el of Object.values(res.data.resultIdToElementDataMap))
			expect(el.elementValues).toEqual({});
	});

	it('narrows the element to customFields', async () => {
		const res = await unified(
			query('MalopProcess', { customFields: ['managementStatus', 'affectedMachines'] }),
		);
		const el = Object.values(res.data.resultIdToElementDataMap)[0] as MalopElement;
		expect(Object.keys(el.simpleValues)).toEqual(['managementStatus']);
		expect(Object.keys(el.elementValues).length).toBeLessThanOrEqual(1);
	});

	it('shows state changes made through the mutators (cache invalidation)', async () => {
		const malop = ofKind('MalopProcess')[0];
		const before = await unified(query('MalopProcess', {}, { guidList: [malop.guid] }));
		expect(
			before.data.resultIdToElementDataMap[malop.guid].simpleValues.managementStatus.values,
		).toEqual([sim.state.malops.get(malop.guid)?.managementStatus]);
		clock.advance(1000);
		sim.state.updateMalop(malop.guid, { managementStatus: 'OPEN' });
		const machine = sim.state.addMachineToMalop(malop.guid, { name: 'srv-late01' });
		const after = await unified(query('MalopProcess', {}, { guidList: [malop.guid] }));
		const el = after.data.resultIdToElementDataMap[malop.guid];
		expect(el.simpleValues.managementStatus.values).toEqual(['OPEN']);
		expect(el.simpleValues.malopLastUpdateTime.values).toEqual([String(clock.now())]);
		if (!malop.emptyElementValues) {
			expect(el.elementValues.affectedMachines.elementValues.map((m) => m.guid)).toContain(
				machine.guid,
			);
		}
		const newest = await unified(query('MalopProcess', { totalResultLimit: 1 }));
		expect(Object.keys(newest.data.resultIdToElementDataMap)).toEqual([malop.guid]);
	});

	it('rejects a body that is not JSON or has no queryPath with 400', async () => {
		expect(
			(await call(sim, 'POST', '/rest/crimes/unified', { cookie, raw: '{not json' })).status,
		).toBe(400);
		expect(
			(await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: { totalResultLimit: 10 } }))
				.status,
		).toBe(400);
		expect(
			(await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: query('Process') })).status,
		).toBe(400);
		const badFilter = query(
			'MalopProcess',
			{},
			{ filters: [{ facetName: 'creationTime', values: ['soon'], filterType: 'GreaterThan' }] },
		);
		expect(
			(await call(sim, 'POST', '/rest/crimes/unified', { cookie, body: badFilter })).status,
		).toBe(400);
	});
});

describe('pythonQuirks', () => {
	it('spells top-level booleans and nulls the way the XSOAR fixtures do', async () => {
		const dataset = generateDataset({ malops: 5, seed: 3, guidStyle: 'legacy', baseTime: BASE });
		const { sim, cookie } = await started({
			dataset,
			pythonQuirks: true,
			clock: new ManualClock(BASE),
		});
		try {
			const answer = await call(sim, 'POST', '/rest/crimes/unified', {
				cookie,
				body: query('MalopProcess', { totalResultLimit: 1 }),
			});
			const res = answer.json as CrimesUnifiedResponse;
			expect(res.hidePartialSuccess).toBe('False');
			expect(res.data?.paginationToken).toBe('None');
			expect(['True', 'False']).toContain(res.data?.queryTerminated);
			const el = Object.values(res.data?.resultIdToElementDataMap ?? {})[0];
			expect(el.isMalicious).toBe('False');
			expect(el.simpleValues.isBlocked.values[0]).toMatch(/^(True|False)$/);
			const ref = Object.values(el.elementValues)[0]?.elementValues[0];
			if (ref) expect(ref.hasSuspicions).toMatch(/^(True|False)$/);
		} finally {
			await sim.close();
		}
	});
});

describe('scale', () => {
	// How fast is for bench/, not for a test: this checks the rendered-element cache gives the same answer.
	it('answers a 5,000-Malop query, twice', async () => {
		const dataset = generateDataset({
			malops: 5000,
			machinesPerMalop: 4,
			logonSessionShare: 0,
			seed: 9,
			baseTime: BASE,
		});
		const { sim, cookie } = await started({ dataset, clock: new ManualClock(BASE) });
		try {
			const answers: string[] = [];
			for (let i = 0; i < 2; i++) {
				const answer = await call(sim, 'POST', '/rest/crimes/unified', {
					cookie,
					body: query('MalopProcess'),
				});
				const res = answer.json as CrimesUnifiedResponse;
				expect(Object.keys(res.data?.resultIdToElementDataMap ?? {})).toHaveLength(5000);
				answers.push(JSON.stringify(res.data?.resultIdToElementDataMap));
			}
			expect(answers[1]).toBe(answers[0]);
		} finally {
			await sim.close();
		}
	});
});
