// The Malop management answers against the batch-2 captures: the mmng/v2 list (XSOAR), inbox items and a
// crimes/unified element with comments (SEKOIA). Same keys, same value types; skipped without the samples.
import { asRecord, call } from './helpers';
import { describeWithSamples, expectShape, mergeCaptures, sample } from './samples';
import { ALL_TIME, BASE, type MmngAnswer, useSimulator } from './views';

function withoutItems(answer: unknown): unknown {
	const copy = JSON.parse(JSON.stringify(answer)) as { data: { data: unknown[] } };
	copy.data.data = [];
	return copy;
}

describeWithSamples('conformance of the Malop management answers with the batch-2 captures', () => {
	const t = useSimulator({
		malops: 30,
		eppMalops: 6,
		machinesPerMalop: 2,
		logonSessionShare: 0,
		seed: 57,
	});
	const post = async (path: string, body: unknown) => {
		const answer = await call(t.sim, 'POST', path, { cookie: t.cookie, body });
		expect(answer.status).toBe(200);
		return answer.json;
	};

	beforeAll(async () => {
		// Labels, comments and closed Malops, so every field of the captures has a value to compare.
		const [a, b] = t.dataset.malops.filter((m) => m.kind === 'MalopProcess');
		const label = asRecord(await post('/rest/detection/add-label', { labelText: 'IT-Closed-n8n' }));
		await post('/rest/detection/update-labels', {
			malopGuids: [a.guid, b.guid],
			addedLabels: [label.id],
			removedLabels: [],
		});
		await post('/rest/crimes/status', { [a.guid]: 'CLOSED' });
	});

	it('mmng/v2: XSOAR’s one-Malop query answers the envelope of xsoar-query_malop_management_raw_response', async () => {
		const capture = asRecord(sample('xsoar-query_malop_management_raw_response.json'));
		const guid = t.dataset.malops[3].guid;
		const answer = await post('/rest/mmng/v2/malops', {
			search: { malop: { guid } },
			pagination: { offset: 0 },
			range: ALL_TIME,
		});
		expectShape(withoutItems(capture), withoutItems(answer), 'envelope');
		const { data } = answer as MmngAnswer;
		const { data: captured } = capture as unknown as MmngAnswer;
		expect([data.pageSize, data.pages, data.offset, data.totalHits, data.token]).toEqual([
			captured.pageSize,
			captured.pages,
			captured.offset,
			captured.totalHits,
			captured.token,
		]);
	});

	it('mmng/v2: every item, EDR and EPP, has the keys and types of the captured item', async () => {
		const capture = sample('xsoar-query_malop_management_raw_response.json') as MmngAnswer;
		// An open Malop has no closer, an unset priority is null: the inbox captures show both as null.
		const item = mergeCaptures(capture.data.data[0], { closerName: null, priority: null });
		const answer = (await post('/rest/mmng/v2/malops', {
			search: {},
			range: ALL_TIME,
			pagination: { pageSize: 100, offset: 0 },
			federation: { groups: [] },
			sort: [{ field: 'LastUpdateTime', order: 'desc' }],
			filter: {},
		})) as MmngAnswer;
		const items = answer.data.data;
		expect(items).toHaveLength(36);
		expect(new Set(items.map((m) => m.isEdr))).toEqual(new Set([true, false]));
		expect(items.some((m) => m.labels.length > 0 && typeof m.closerName === 'string')).toBe(true);
		items.forEach((m, i) => expectShape(item, m, `data.data[${i}]`));
	});

	it('inbox: every item has the keys and types of the SEKOIA inbox models (EPP and EDR)', async () => {
		// An unset priority is null, as in xsoar-malop_detection_data.
		const union = mergeCaptures(
			mergeCaptures(sample('sekoia-epp_malop.json'), sample('sekoia-edr_malop.json')),
			{ priority: null },
		);
		const answer = asRecord(await post('/rest/detection/inbox', { startTime: 0, endTime: BASE }));
		const malops = answer.malops as Array<Record<string, unknown>>;
		expect(new Set(malops.map((m) => m.edr))).toEqual(new Set([true, false]));
		expect(malops.some((m) => (m.labels as string[]).includes('IT-Closed-n8n'))).toBe(true);
		// lastConnectedDate is in xsoar-query_inbox_raw_response, not in SEKOIA's items.
		malops.forEach((m, i) =>
			expectShape(union, m, `malops[${i}]`, { extra: ['lastConnectedDate'] }),
		);
	});

	it('crimes/unified: a Malop with comments matches sekoia-edr_malop_suspicions_result; get-comments lists the same objects', async () => {
		const capture = asRecord(sample('sekoia-edr_malop_suspicions_result.json'));
		const captured = asRecord(
			Object.values(asRecord(asRecord(capture.data).resultIdToElementDataMap))[0],
		);
		// SEKOIA's element came with `elementValues: {}`, the Rapid7 quirk the model has a flag for.
		const m = t.sim.state.addMalop({
			kind: 'MalopProcess',
			emptyElementValues: true,
			comments: [],
		});
		await call(t.sim, 'POST', `/rest/crimes/comment/${m.guid}`, {
			cookie: t.cookie,
			raw: 'My message',
		});
		await call(t.sim, 'POST', `/rest/crimes/comment/${m.guid}`, {
			cookie: t.cookie,
			raw: 'My comment',
		});
		await post('/rest/crimes/status', { [m.guid]: 'OPEN' });
		await post('/rest/crimes/status', { [m.guid]: 'CLOSED' });
		const answer = asRecord(
			await post('/rest/crimes/unified', {
				totalResultLimit: 100,
				perGroupLimit: 100,
				perFeatureLimit: 100,
				templateContext: 'MALOP',
				queryPath: [{ requestedType: 'MalopProcess', guidList: [m.guid], result: true }],
			}),
		);
		const element = asRecord(asRecord(asRecord(answer.data).resultIdToElementDataMap)[m.guid]);
		// Left out: `suspicions` (the simulator has none) and closeTime, a number in this capture alone
		// (strings in the XSOAR captures, which conformance.test.ts checks).
		const strip = (el: Record<string, unknown>) => {
			const copy = JSON.parse(JSON.stringify(el)) as Record<string, Record<string, unknown>>;
			delete copy.suspicions;
			delete copy.simpleValues.closeTime;
			return copy;
		};
		expectShape(strip(captured), strip(element), 'element', {
			extra: ['decisionFeatureSet', 'rootCauseElementCompanyProduct'],
			missing: ['iconBase64'],
		});
		const comment = (asRecord(asRecord(captured.simpleValues).comments).values as unknown[])[0];
		const listed = (
			await call(t.sim, 'POST', '/rest/crimes/get-comments', { cookie: t.cookie, raw: m.guid })
		).json as unknown[];
		expect(listed).toHaveLength(2);
		listed.forEach((c, i) => expectShape(comment, c, `get-comments[${i}]`));
	});
});
