import type { SimMalop } from '../../simulator';

import { asRecord, call } from './helpers';
import { ALL_TIME, type MmngAnswer, useSimulator } from './views';

/** SEKOIA's body (connector_pull_events_new.py) with the given overrides. */
function sekoia(extra: Record<string, unknown> = {}) {
	return {
		search: {},
		range: ALL_TIME,
		pagination: { pageSize: 100, offset: 0 },
		federation: { groups: [] },
		sort: [{ field: 'LastUpdateTime', order: 'asc' }],
		...extra,
	};
}

const byUpdate = (dir: 1 | -1) => (a: SimMalop, b: SimMalop) =>
	dir * (a.lastUpdateTime - b.lastUpdateTime) || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0);

describe('POST /rest/mmng/v2/malops', () => {
	const t = useSimulator({
		malops: 40,
		eppMalops: 8,
		machinesPerMalop: 2,
		sharedMachines: 15,
		logonSessionShare: 0.25,
		seed: 77,
	});
	const list = async (body: unknown) => {
		const answer = await call(t.sim, 'POST', '/rest/mmng/v2/malops', { cookie: t.cookie, body });
		expect(answer.status).toBe(200);
		return answer.json as MmngAnswer;
	};
	const guids = (res: MmngAnswer) => res.data.data.map((m) => m.guid);
	/** Pages like forensic-security: offset += the pageSize the answer says, until it passes totalHits. */
	const pageAll = async (body: Record<string, unknown>, pageSize: number) => {
		const seen: string[] = [];
		let offset = 0;
		let requests = 0;
		for (;;) {
			const res = await list({ ...body, pagination: { pageSize, offset } });
			requests++;
			seen.push(...guids(res));
			offset = res.data.offset + res.data.pageSize;
			if (offset >= res.data.totalHits) return { seen, requests };
		}
	};

	it('lists EDR and EPP Malops in the sample’s envelope, oldest first when sorted asc', async () => {
		const res = await list(sekoia());
		expect(Object.keys(res)).toEqual(['data', 'status']);
		expect(res.status).toBe('SUCCESS');
		expect(res.data).toMatchObject({ pageSize: 100, offset: 0, totalHits: 48, token: '' });
		expect(guids(res)).toEqual(
			t.dataset.malops
				.slice()
				.sort(byUpdate(1))
				.map((m) => m.guid),
		);
		const edr = res.data.data.filter((m) => m.isEdr);
		expect(edr).toHaveLength(40);
		for (const item of res.data.data) {
			const model = t.dataset.malops.find((m) => m.guid === item.guid) as SimMalop;
			expect(item.isEdr).toBe(model.kind !== 'EPP');
			expect(item).not.toHaveProperty('edr');
			expect(item).not.toHaveProperty('@class');
			expect(item.machines.map((x) => x.guid)).toEqual(model.machines.map((x) => x.guid));
			for (const x of item.machines) {
				expect(x.pylumId).toBe(t.sim.state.machines.get(x.guid)?.pylumId);
				expect(typeof x.connected).toBe('boolean');
			}
			expect(item.rootCauseElementHashes).toEqual(
				model.rootCauseElementType === 'File' ? [model.rootCauseHash] : [],
			);
		}
	});

	it('sorts newest first by default and when asked desc', async () => {
		const desc = t.dataset.malops
			.slice()
			.sort(byUpdate(-1))
			.map((m) => m.guid);
		expect(
			guids(await list(sekoia({ sort: [{ field: 'LastUpdateTime', order: 'desc' }] }))),
		).toEqual(desc);
		expect(guids(await list(sekoia({ sort: undefined })))).toEqual(desc);
		expect(
			guids(await list(sekoia({ sort: [{ field: 'LastUpdateTime', order: 'DESC' }] }))),
		).toEqual(desc);
	});

	it('answers XSOAR’s one-Malop query (no pageSize) like the public sample: pageSize 100, pages 0, totalHits 1', async () => {
		const m = t.dataset.malops[5];
		const res = await list({
			search: { malop: { guid: m.guid } },
			pagination: { offset: 0 },
			range: ALL_TIME,
		});
		expect(res.data).toMatchObject({ pageSize: 100, pages: 0, offset: 0, totalHits: 1 });
		expect(guids(res)).toEqual([m.guid]);
		expect(guids(await list(sekoia({ search: { malop: { guid: 'no-such-malop' } } })))).toEqual([]);
	});

	it('pages by item offset until offset + pageSize reaches totalHits, losing and repeating nothing', async () => {
		const { seen, requests } = await pageAll(sekoia(), 7);
		expect(requests).toBe(7);
		expect(seen).toHaveLength(48);
		expect(new Set(seen).size).toBe(48);
	});

	it('reads offset as a page index with mmngOffset "page"', async () => {
		t.sim.state.management.mmngOffset = 'page';
		try {
			const all = guids(await list(sekoia()));
			const second = await list(sekoia({ pagination: { pageSize: 10, offset: 1 } }));
			expect(guids(second)).toEqual(all.slice(10, 20));
			expect(second.data.offset).toBe(1);
		} finally {
			t.sim.state.management.mmngOffset = 'item';
		}
	});

	it('caps the page size and says so in the answer; a client that follows data.pageSize loses nothing', async () => {
		t.sim.state.management.mmngMaxPageSize = 10;
		try {
			const res = await list(sekoia({ pagination: { pageSize: 500, offset: 0 } }));
			expect(res.data.pageSize).toBe(10);
			expect(res.data.data).toHaveLength(10);
			expect(res.data.totalHits).toBe(48);
			const { seen } = await pageAll(sekoia(), 500);
			expect(new Set(seen).size).toBe(48);
			t.sim.state.management.mmngOverPageSize = 'reject';
			const refused = await call(t.sim, 'POST', '/rest/mmng/v2/malops', {
				cookie: t.cookie,
				body: sekoia({ pagination: { pageSize: 11, offset: 0 } }),
			});
			expect(refused.status).toBe(400);
			expect(asRecord(refused.json).message).toContain('10');
		} finally {
			Object.assign(t.sim.state.management, { mmngMaxPageSize: 1000, mmngOverPageSize: 'clamp' });
		}
	});

	it('keeps to the range on lastUpdateTime, both ends inclusive', async () => {
		const sorted = t.dataset.malops.slice().sort(byUpdate(1));
		const from = sorted[10].lastUpdateTime;
		const to = sorted[20].lastUpdateTime;
		const res = await list(sekoia({ range: { from, to } }));
		const expected = sorted.filter((m) => m.lastUpdateTime >= from && m.lastUpdateTime <= to);
		expect(guids(res)).toEqual(expected.map((m) => m.guid));
		expect(res.data.totalHits).toBe(expected.length);
		expect(guids(await list(sekoia({ range: { from: String(from), to: String(to) } })))).toEqual(
			guids(res),
		);
	});

	it.each([
		[
			'status',
			['Active', 'Remediated'],
			(m: SimMalop) => ['Active', 'Remediated'].includes(m.status),
		],
		['severity', 'High', (m: SimMalop) => m.severity === 'High'],
		['priority', ['LOW'], (m: SimMalop) => m.priority === 'LOW'],
		[
			'investigationStatus',
			['Closed'],
			(m: SimMalop) => ['CLOSED', 'FP'].includes(m.managementStatus),
		],
	])('filters on filter.malop.%s', async (key, values, keep) => {
		const res = await list(sekoia({ filter: { malop: { [key]: values } } }));
		const expected = t.dataset.malops.filter(keep);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(48);
		expect(guids(res).sort()).toEqual(expected.map((m) => m.guid).sort());
	});

	it('takes both spellings of ReOpened in the investigationStatus filter; an empty list filters nothing', async () => {
		const reopened = t.dataset.malops
			.filter((m) => m.managementStatus === 'REOPEN')
			.map((m) => m.guid);
		expect(reopened.length).toBeGreaterThan(0);
		for (const spelling of ['Reopened', 'ReOpened']) {
			const res = await list(sekoia({ filter: { malop: { investigationStatus: [spelling] } } }));
			expect(guids(res).sort()).toEqual(reopened.sort());
			expect(res.data.data.every((m) => m.investigationStatus === 'Reopened')).toBe(true);
		}
		// The Splunk add-on sends "status": [] when the user picked none.
		expect((await list(sekoia({ filter: { malop: { status: [] } } }))).data.totalHits).toBe(48);
		expect((await list(sekoia({ filter: {} }))).data.totalHits).toBe(48);
	});

	it('answers the console’s group and nothing for another group', async () => {
		const group = (await list(sekoia())).data.data[0].groups as string[];
		expect(group).toHaveLength(1);
		expect((await list(sekoia({ federation: { groups: group } }))).data.totalHits).toBe(48);
		expect((await list(sekoia({ federation: { groups: ['another-group'] } }))).data.totalHits).toBe(
			0,
		);
		const sensors = (
			await call(t.sim, 'POST', '/rest/sensors/query', { cookie: t.cookie, body: { limit: 1 } })
		).json as { sensors: Array<{ groupId: string }> };
		expect(group[0]).toBe(sensors.sensors[0].groupId);
	});

	it('counts Malops it never serves: mmngTotalHitsSurplus and mmngMaxResultWindow', async () => {
		Object.assign(t.sim.state.management, { mmngTotalHitsSurplus: 5 });
		try {
			const res = await list(sekoia());
			expect(res.data.totalHits).toBe(53);
			expect(res.data.data).toHaveLength(48);
		} finally {
			t.sim.state.management.mmngTotalHitsSurplus = 0;
		}
		Object.assign(t.sim.state.management, { mmngMaxResultWindow: 20 });
		try {
			const edge = await list(sekoia({ pagination: { pageSize: 15, offset: 15 } }));
			expect(edge.data.data).toHaveLength(5);
			expect(edge.data.totalHits).toBe(48);
			const beyond = await list(sekoia({ pagination: { pageSize: 15, offset: 30 } }));
			expect(beyond.data.data).toEqual([]);
			expect(beyond.data.totalHits).toBe(48);
		} finally {
			t.sim.state.management.mmngMaxResultWindow = null;
		}
	});

	it('turns into a FAILURE envelope through the fault mechanism', async () => {
		t.sim.state.addFault({ path: '/rest/mmng/v2/malops', envelopeStatus: 'FAILURE' });
		const answer = await call(t.sim, 'POST', '/rest/mmng/v2/malops', {
			cookie: t.cookie,
			body: sekoia(),
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({
			status: 'FAILURE',
			data: null,
			message: expect.any(String),
		});
	});

	it.each([
		['a text body', 'search'],
		['a negative offset', sekoia({ pagination: { pageSize: 10, offset: -1 } })],
		['pageSize 0', sekoia({ pagination: { pageSize: 0, offset: 0 } })],
		['a range that ends before it starts', sekoia({ range: { from: 10, to: 5 } })],
		['a date string in the range', sekoia({ range: { from: '2024-01-01', to: 5 } })],
		['another sort field', sekoia({ sort: [{ field: 'CreationTime', order: 'asc' }] })],
		['an unknown sort order', sekoia({ sort: [{ field: 'LastUpdateTime', order: 'up' }] })],
		['an unknown filter', sekoia({ filter: { malop: { color: ['red'] } } })],
		['an unknown status value', sekoia({ filter: { malop: { status: ['ACTIVE'] } } })],
		['a filter outside filter.malop', sekoia({ filter: { status: ['Active'] } })],
		['an unknown search', sekoia({ search: { text: 'x' } })],
		['groups that are not strings', sekoia({ federation: { groups: [1] } })],
		['a range that is not an object', sekoia({ range: 5 })],
		['a pagination that is a list', sekoia({ pagination: [100, 0] })],
	])('answers 400 FAILURE to %s', async (_name, body) => {
		const answer = await call(t.sim, 'POST', '/rest/mmng/v2/malops', { cookie: t.cookie, body });
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'FAILURE', message: expect.any(String) });
	});

	it('records each page request', async () => {
		t.sim.requests.length = 0;
		await pageAll(sekoia(), 20);
		expect(
			t.sim.requests.map((r) => (r.body as { pagination: { offset: number } }).pagination.offset),
		).toEqual([0, 20, 40]);
		expect(t.sim.requests.every((r) => r.status === 200)).toBe(true);
	});

	// Last: it adds a Malop.
	it('shows a Malop added between two pages: desc repeats an item on the next page, asc appends it', async () => {
		const first = await list(
			sekoia({
				sort: [{ field: 'LastUpdateTime', order: 'desc' }],
				pagination: { pageSize: 10, offset: 0 },
			}),
		);
		t.clock.advance(60_000);
		const added = t.sim.state.addMalop({ kind: 'MalopProcess' });
		const second = await list(
			sekoia({
				sort: [{ field: 'LastUpdateTime', order: 'desc' }],
				pagination: { pageSize: 10, offset: 10 },
			}),
		);
		expect(second.data.totalHits).toBe(49);
		expect(guids(second)[0]).toBe(guids(first).at(-1));
		const asc = guids(await list(sekoia({ pagination: { pageSize: 100, offset: 0 } })));
		expect(asc.at(-1)).toBe(added.guid);
	});
});
