// The simulator's answers against the public captures in ../shared/cybereason-samples (read, never
// copied): same keys, same value types. Skipped where that folder is absent.
import { generateDataset, isLegacyGuid, type SimMalop, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';
import {
	describeWithSamples,
	expectShape,
	firstValue,
	mergeCaptures,
	sample,
	shapeDiff,
	withEmptyResults,
} from './samples';

const BASE = 1_717_000_000_000;

describeWithSamples.each([false, true])(
	'conformance with the public captures (pythonQuirks %s)',
	(pythonQuirks) => {
		const dataset = generateDataset({
			malops: 40,
			eppMalops: 4,
			machinesPerMalop: 2,
			logonSessionShare: 0,
			guidStyle: 'mixed',
			seed: 31,
			baseTime: BASE,
		});
		let sim: Simulator;
		let cookie: string;
		const find = (pred: (m: SimMalop) => boolean) => {
			const m = dataset.malops.find(
				(x) => x.kind === 'MalopProcess' && !x.emptyElementValues && pred(x),
			);
			if (!m) throw new Error('fixture lacks a suitable Malop');
			return m;
		};
		const crimes = async (guid: string) =>
			(
				await call(sim, 'POST', '/rest/crimes/unified', {
					cookie,
					body: {
						totalResultLimit: 10000,
						perGroupLimit: 10000,
						perFeatureLimit: 100,
						templateContext: 'MALOP',
						queryPath: [{ requestedType: 'MalopProcess', guidList: [guid], result: true }],
					},
				})
			).json;

		beforeAll(async () => {
			({ sim, cookie } = await started({ dataset, pythonQuirks, clock: new ManualClock(BASE) }));
		});
		afterAll(() => sim.close());

		it('crimes/unified: envelope and legacy-GUID Malop element match xsoar-query_malop_raw_response', async () => {
			const capture = sample('xsoar-query_malop_raw_response.json');
			const malop = find((m) => isLegacyGuid(m.guid) && m.comments.length > 0);
			const answer = await crimes(malop.guid);
			expectShape(withEmptyResults(capture), withEmptyResults(answer), 'envelope');
			const captured = firstValue(asRecord(asRecord(capture).data).resultIdToElementDataMap);
			const element = firstValue(asRecord(asRecord(answer).data).resultIdToElementDataMap);
			// `empty` on comments comes from malop_to_incident; elementDisplayName from the reference's feature list.
			expectShape(captured, element, 'element', { extra: ['elementDisplayName', 'empty'] });
		});

		it('crimes/unified: 16-character-GUID Malop element matches xsoar-malop_to_incident', async () => {
			const capture = sample('xsoar-malop_to_incident.json');
			const malop = find((m) => !isLegacyGuid(m.guid) && m.comments.length > 0);
			const element = firstValue(
				asRecord(asRecord(await crimes(malop.guid)).data).resultIdToElementDataMap,
			);
			// Features present in query_malop_raw_response (or the reference) but not in this capture.
			expectShape(capture, element, 'element', {
				extra: ['elementDisplayName', 'rootCauseElementCompanyProduct', 'malopActivityTypes'],
			});
		});

		it('inbox: Malop and machine entries match both inbox captures', async () => {
			const answer = asRecord(
				(
					await call(sim, 'POST', '/rest/detection/inbox', {
						cookie,
						body: { startTime: 0, endTime: BASE },
					})
				).json,
			);
			const detection = asRecord(sample('xsoar-malop_detection_data.json'));
			const listed = sample('xsoar-query_inbox_raw_response.json') as unknown[];
			expect(Object.keys(answer)).toEqual(Object.keys(detection));
			expectShape(detection.machineCounterModel, answer.machineCounterModel, 'machineCounterModel');
			const malops = answer.malops as unknown[];
			// Together the two captures show every field (users and lastConnectedDate are only in query_inbox)
			// and both an open and a closed Malop (null closerName/malopCloseTime/priority in one of them).
			const union = mergeCaptures((detection.malops as unknown[])[0], listed[0]);
			expect(
				malops.some((m) => asRecord(m).edr === true) &&
					malops.some((m) => asRecord(m).edr === false),
			).toBe(true);
			malops.forEach((m, i) => expectShape(union, m, `malops[${i}]`));
		});

		it('custom-remediation: envelope and entries match xsoar-available_remediation_actions_raw_response', async () => {
			const malop = find(() => true);
			const answer = (
				await call(sim, 'POST', '/rest/detection/custom-remediation', {
					cookie,
					body: { detectionEventMalopGuids: [], processMalopGuids: [malop.guid] },
				})
			).json;
			expectShape(
				sample('xsoar-available_remediation_actions_raw_response.json'),
				answer,
				'custom-remediation',
			);
			const capture = asRecord(sample('xsoar-available_remediation_actions_raw_response.json'));
			const types = new Set(
				(asRecord(answer).data as Array<Record<string, unknown>>).map((e) => e.remediationType),
			);
			for (const e of capture.data as Array<Record<string, unknown>>)
				expect(types).toContain(e.remediationType);
		});

		it('remediate: the immediate answer matches rapid7-remediate_items, a finished one xsoar-get_remediation_action', async () => {
			const malop = find(() => true);
			const machine = malop.machines[0];
			const target = malop.targets.find(
				(t) => t.kind === 'process' && t.machineGuid === machine.guid,
			);
			const started1 = (
				await call(sim, 'POST', '/rest/remediate', {
					cookie,
					body: {
						malopId: malop.guid,
						initiatorUserName: 'analyst@demo.local',
						actionsByMachine: {
							[machine.guid]: [{ targetId: target?.guid, actionType: 'KILL_PROCESS' }],
						},
					},
				})
			).json;
			expectShape(sample('rapid7-remediate_items.json'), started1, 'remediate');
			expect(asRecord(started1).statusLog).toEqual([]);

			const failed = (
				await call(sim, 'POST', '/rest/remediate', {
					cookie,
					body: {
						malopId: malop.guid,
						actionsByMachine: {
							[machine.guid]: [{ targetId: 'no-such-process', actionType: 'KILL_PROCESS' }],
						},
					},
				})
			).json;
			const capture = sample('xsoar-get_remediation_action.json');
			expectShape(capture, failed, 'remediate (failed)');
			const r = asRecord(failed);
			const progress = (
				await call(
					sim,
					'GET',
					`/rest/remediate/progress/${encodeURIComponent(String(r.initiatingUser))}/${malop.guid}/${String(r.remediationId)}`,
					{ cookie },
				)
			).json;
			expectShape(capture, progress, 'progress');
			const entry = (asRecord(capture).statusLog as unknown[])[0];
			const all = (await call(sim, 'GET', `/rest/remediate/status/${malop.guid}`, { cookie }))
				.json as unknown[];
			const log = asRecord(all[0]).statusLog as unknown[];
			expect(log.length).toBeGreaterThan(0);
			for (const e of log) expectShape(entry, e, 'statusLog entry', { missing: ['error'] });
		});

		it('sensors/query: envelope and sensor match xsoar-get_sensor_id_raw_response', async () => {
			const machine = dataset.machines.find((m) => !m.connected) ?? dataset.machines[0];
			const answer = (
				await call(sim, 'POST', '/rest/sensors/query', {
					cookie,
					body: {
						limit: 10,
						offset: 0,
						filters: [{ fieldName: 'machineName', operator: 'Equals', values: [machine.name] }],
					},
				})
			).json;
			expectShape(sample('xsoar-get_sensor_id_raw_response.json'), answer, 'sensors');
		});

		it('isolate: the answer is a pylumId → status map like xsoar-isolate_machine_raw_response', async () => {
			const capture = asRecord(sample('xsoar-isolate_machine_raw_response.json'));
			const machine = dataset.machines.find((m) => m.connected) ?? dataset.machines[0];
			const answer = asRecord(
				(
					await call(sim, 'POST', '/rest/monitor/global/commands/isolate', {
						cookie,
						body: { pylumIds: [machine.pylumId] },
					})
				).json,
			);
			const pylumShape = /^PYLUMCLIENT_[A-Z0-9]+_[A-Z0-9-]+_[0-9A-F]{12}$/;
			for (const key of Object.keys(capture)) expect(key).toMatch(pylumShape);
			expect(Object.keys(answer)).toEqual([machine.pylumId]);
			expect(machine.pylumId).toMatch(pylumShape);
			expect(answer[machine.pylumId]).toBe(Object.values(capture)[0]);
		});

		it('visualsearch Machine query matches xsoar-get_pylum_id_raw_response', async () => {
			const capture = sample('xsoar-get_pylum_id_raw_response.json');
			const machine = dataset.machines[0];
			const answer = (
				await call(sim, 'POST', '/rest/visualsearch/query/simple', {
					cookie,
					body: {
						queryPath: [
							{
								requestedType: 'Machine',
								filters: [
									{ facetName: 'elementDisplayName', values: [machine.name], filterType: 'Equals' },
								],
								isResult: true,
							},
						],
						totalResultLimit: 10000,
						perGroupLimit: 100,
						perFeatureLimit: 100,
						templateContext: 'SPECIFIC',
						customFields: ['pylumId'],
					},
				})
			).json;
			expectShape(withEmptyResults(capture), withEmptyResults(answer), 'envelope');
			expectShape(
				firstValue(asRecord(asRecord(capture).data).resultIdToElementDataMap),
				firstValue(asRecord(asRecord(answer).data).resultIdToElementDataMap),
				'machine element',
			);
		});
	},
);

describeWithSamples('serving a capture verbatim', () => {
	it('answers a canned 200 fault with the capture, byte for byte as JSON', async () => {
		const { sim, cookie } = await started();
		try {
			const capture = sample('xsoar-query_malop_raw_response.json');
			sim.state.addFault({ path: '/rest/crimes/unified', status: 200, body: capture });
			const answer = await call(sim, 'POST', '/rest/crimes/unified', {
				cookie,
				body: { queryPath: [] },
			});
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual(capture);
		} finally {
			await sim.close();
		}
	});
});

describe('shape comparison', () => {
	it('reports missing keys, extra keys and type changes', () => {
		expect(
			shapeDiff(
				{ a: 1, b: 'x', c: [{ d: true }] },
				{ a: '1', c: [{ d: 'False' }, { d: 3 }], e: 0 },
				'$',
			),
		).toEqual([
			'$.a: capture has number 1, simulator string "1"',
			'$.b: missing in the simulator',
			'$.c[1].d: capture has boolean true, simulator number 3',
			'$.e: not in the capture',
		]);
	});
});
