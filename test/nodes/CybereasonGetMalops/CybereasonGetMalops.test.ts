import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_INBOX_WINDOW_MS } from '../../../nodes/shared/malopQuery/inbox';
import type { CrimesUnifiedRequest, MalopElement } from '../../../nodes/shared/types';
import { actionsForTarget, type SimMalop, type Simulator } from '../../../simulator';
import { bodiesOf, consoles, engineFor, ids, NODE, run, warnLogs } from './harness';
import { describeWithSamples, sample } from './samples';

const CRIMES = '/rest/crimes/unified';
const INBOX = '/rest/detection/inbox';
const REMEDIATION = '/rest/detection/custom-remediation';

const simulator = consoles();

const crimesBodies = (simulator: Simulator) =>
	bodiesOf(simulator, CRIMES) as unknown as CrimesUnifiedRequest[];
const closed = (m: SimMalop) => m.managementStatus === 'CLOSED' || m.managementStatus === 'FP';
const edrMalops = (simulator: Simulator, includeClosed = false) =>
	[...simulator.state.malops.values()].filter(
		(m) => m.kind !== 'EPP' && (includeClosed || !closed(m)),
	);
const newestFirst = (list: SimMalop[]) =>
	[...list].sort((a, b) => b.lastUpdateTime - a.lastUpdateTime);

/** A crimes/unified answer around given elements, as the console wraps them. */
function crimesEnvelope(elements: Record<string, MalopElement>): IDataObject {
	return {
		data: {
			resultIdToElementDataMap: elements,
			totalPossibleResults: Object.keys(elements).length,
			queryTerminated: false,
		},
		status: 'SUCCESS',
		message: '',
	} as unknown as IDataObject;
}

describe('crimes/unified source', () => {
	it('asks for both Malop types in parallel and merges them: one item per Malop and machine', async () => {
		const s = await simulator({ malops: 16, logonSessionShare: 0.4, machinesPerMalop: 3 });
		const { items, raw, error } = await run(s, { returnAll: true });
		expect(error).toBeUndefined();

		const bodies = crimesBodies(s);
		expect(bodies.map((b) => b.queryPath[0].requestedType).sort()).toEqual([
			'MalopLogonSession',
			'MalopProcess',
		]);
		expect(bodies.every((b) => b.totalResultLimit === 10_000 && b.perFeatureLimit === 100)).toBe(
			true,
		);

		const expected = edrMalops(s);
		expect(expected.some((m) => m.kind === 'MalopLogonSession')).toBe(true);
		expect(ids(items).sort()).toEqual(expected.map((m) => m.guid).sort());
		expect(items).toHaveLength(
			expected.reduce((sum, m) => sum + Math.max(1, m.machines.length), 0),
		);
		for (const m of expected) {
			const mine = items.filter((i) => i.malopId === m.guid);
			expect(mine.map((i) => i.machineGuid).sort()).toEqual(m.machines.map((x) => x.guid).sort());
			expect(mine[0]).toMatchObject({
				malopType: m.kind,
				displayName: m.displayName,
				detectionType: m.detectionType,
				status: m.managementStatus,
				rootCauseElementType: m.rootCauseElementType,
				creationTime: new Date(m.creationTime).toISOString(),
				lastUpdateTime: new Date(m.lastUpdateTime).toISOString(),
				malopUrl: `${s.url}/#/malop/${m.guid}`,
			});
			expect(mine[0].machineName).toBe(
				m.machines.find((x) => x.guid === mine[0].machineGuid)?.name,
			);
		}
		// Newest activity first, and every item paired to the one input item
		const times = items.map((i) => Date.parse(i.lastUpdateTime as string));
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		expect(raw.every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(
			true,
		);
		expect(items.some((i) => 'warnings' in i)).toBe(false);
	});

	it('never emits a Malop twice when both Malop types return it', async () => {
		const s = await simulator();
		const [malop] = edrMalops(s);
		const element = JSON.parse(
			JSON.stringify(s.state.cache.element(malop, s.state.revision(malop.guid))),
		) as MalopElement;
		// Both requests (MalopProcess and MalopLogonSession) answer with the same Malop.
		s.state.addFault({
			path: CRIMES,
			times: 2,
			status: 200,
			body: crimesEnvelope({ [malop.guid]: element }),
		});
		const { items } = await run(s, { outputMode: 'perMalop' });
		expect(crimesBodies(s)).toHaveLength(2);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ malopId: malop.guid, malopType: 'MalopProcess' });
	});

	it('per-Malop mode gives one item per Malop with its machines as a list', async () => {
		const s = await simulator({ malops: 10, machinesPerMalop: 4 });
		const { items } = await run(s, {
			returnAll: true,
			outputMode: 'perMalop',
			filters: { includeClosed: true },
		});
		const expected = edrMalops(s, true);
		expect(items).toHaveLength(expected.length);
		for (const item of items) {
			const m = s.state.malops.get(item.malopId as string)!;
			expect(item.machines).toEqual(
				m.machines.map((x) => ({ machineGuid: x.guid, machineName: x.name })),
			);
			expect(item.machineCount).toBe(4);
			expect(item).not.toHaveProperty('machineGuid');
		}
	});

	it('limit counts the newest Malops across both types; return all fetches every one', async () => {
		const s = await simulator({ malops: 30, logonSessionShare: 0.5 });
		const limited = await run(s, { limit: 5, filters: { includeClosed: true } });
		const newest = newestFirst(edrMalops(s, true)).slice(0, 5);
		expect(ids(limited.items)).toEqual(newest.map((m) => m.guid));
		expect(crimesBodies(s).map((b) => b.totalResultLimit)).toEqual([5, 5]);

		s.requests.length = 0;
		const all = await run(s, { returnAll: true, filters: { includeClosed: true } });
		expect(ids(all.items)).toHaveLength(30);
		expect(crimesBodies(s).map((b) => b.totalResultLimit)).toEqual([10_000, 10_000]);
	});

	it('asks for more when client-side filters leave fewer Malops than the limit', async () => {
		const s = await simulator({ malops: 60, logonSessionShare: 0 });
		const open = newestFirst(edrMalops(s)).slice(0, 20);
		const { items, hints } = await run(s, { limit: 20 });
		expect(ids(items)).toEqual(open.map((m) => m.guid));
		const process = crimesBodies(s).filter((b) => b.queryPath[0].requestedType === 'MalopProcess');
		expect(process.map((b) => b.totalResultLimit)).toEqual([20, 80]);
		expect(hints(NODE)).toEqual([]);
	});

	it('sends Updated After to Cybereason and applies Updated Before and statuses to the answer', async () => {
		const s = await simulator({ malops: 40 });
		const all = newestFirst(edrMalops(s, true));
		const after = all[30].lastUpdateTime;
		const before = all[5].lastUpdateTime;
		const { items } = await run(s, {
			returnAll: true,
			filters: {
				updatedAfter: new Date(after).toISOString(),
				updatedBefore: new Date(before).toISOString(),
				statuses: ['UNREAD', 'OPEN', 'CLOSED'],
			},
		});
		for (const body of crimesBodies(s)) {
			expect(body.queryPath[0].filters).toEqual([
				{ facetName: 'malopLastUpdateTime', values: [after], filterType: 'GreaterThan' },
			]);
		}
		const expected = all.filter(
			(m) =>
				m.lastUpdateTime > after &&
				m.lastUpdateTime < before &&
				['UNREAD', 'OPEN', 'CLOSED'].includes(m.managementStatus),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(items).sort()).toEqual(expected.map((m) => m.guid).sort());
	});

	it('handles both GUID styles and the pythonQuirks spelling ("False", "None")', async () => {
		const s = await simulator({ malops: 20, guidStyle: 'mixed' }, { pythonQuirks: true });
		const { items, error } = await run(s, { returnAll: true, filters: { includeClosed: true } });
		expect(error).toBeUndefined();
		const malopIds = ids(items);
		expect(malopIds.some((g) => /^11\.-?\d+$/.test(g))).toBe(true);
		expect(malopIds.some((g) => /^[A-Za-z0-9_-]{16}$/.test(g))).toBe(true);
		expect(items.some((i) => /^-?\d+\.-?\d+$/.test(i.machineGuid as string))).toBe(true);
		expect(items.some((i) => /^[A-Za-z0-9_-]{16}$/.test(i.machineGuid as string))).toBe(true);
		for (const item of items) expect(item.malopUrl).toBe(`${s.url}/#/malop/${item.malopId}`);
		expect(items.every((i) => i.lastUpdateTime !== null && !('warnings' in i))).toBe(true);
	});

	it('asks again for Malops whose elementValues came back as {} and says when they stay empty', async () => {
		const s = await simulator({ malops: 4, emptyElementValuesShare: 1 });
		const { items, hints } = await run(s, { returnAll: true, filters: { includeClosed: true } });
		expect(items).toHaveLength(4);
		for (const item of items) {
			expect(item).toMatchObject({ machineGuid: null, machineName: null });
			expect(item.warnings).toEqual([
				expect.stringMatching(/without its details .*affected machines and suspects are unknown/),
			]);
		}
		const retries = crimesBodies(s).filter((b) => b.queryPath[0].guidList);
		expect(retries.flatMap((b) => b.queryPath[0].guidList).sort()).toEqual(ids(items).sort());
		expect(hints(NODE).map((h) => h.message)).toEqual([
			expect.stringMatching(/4 Malops without details/),
		]);
	});
});

describe('truncation is never silent', () => {
	it('warns on the items, in the hints and in the log when the console returns fewer Malops than the limit asks for', async () => {
		const s = await simulator({ malops: 20, logonSessionShare: 0 }, { maxTotalResultLimit: 4 });
		const { items, hints } = await run(s, { limit: 10, filters: { includeClosed: true } });
		expect(ids(items)).toHaveLength(4);
		const message =
			'Cybereason returned 4 of 20 MalopProcess Malops and reported the query as terminated (its result limit is 4), so fewer Malops than the limit may match here; turn on Return All to fetch the rest';
		expect(items.every((i) => JSON.stringify(i.warnings) === JSON.stringify([message]))).toBe(true);
		expect(hints(NODE)).toEqual([{ message, location: 'outputPane' }]);
		expect(warnLogs()).toContain(`Cybereason Get Malops: ${message}`);
	});

	it('return all narrows the time range until every Malop past the console cap is fetched', async () => {
		const s = await simulator({ malops: 23, logonSessionShare: 0 }, { maxTotalResultLimit: 4 });
		const { items, hints } = await run(s, {
			returnAll: true,
			malopTypes: ['MalopProcess'],
			filters: { includeClosed: true },
		});
		expect(ids(items).sort()).toEqual(
			edrMalops(s, true)
				.map((m) => m.guid)
				.sort(),
		);
		expect(items.some((i) => 'warnings' in i)).toBe(false);
		expect(hints(NODE)).toEqual([]);
		const windows = crimesBodies(s).slice(1);
		expect(windows.length).toBeGreaterThan(5);
		expect(
			windows.every((b) =>
				b.queryPath[0].filters?.some((f) => f.facetName === 'malopLastUpdateTime'),
			),
		).toBe(true);
	});

	it('says which Malops list fewer machines than they have, and return all asks for them in full', async () => {
		const s = await simulator({ malops: 3, machinesPerMalop: 5, logonSessionShare: 0 });
		const cut = await run(s, {
			limit: 10,
			options: { perFeatureLimit: 2 },
			filters: { includeClosed: true },
		});
		expect(cut.items).toHaveLength(6);
		for (const item of cut.items) {
			expect(item.warnings).toEqual([
				expect.stringMatching(
					/^Cybereason listed only 2 of its 5 affected machines .*raise Options > Per-Feature Limit/,
				),
			]);
		}
		expect(cut.hints(NODE)[0].message).toMatch(/^3 Malops list fewer affected machines/);

		s.requests.length = 0;
		const full = await run(s, {
			returnAll: true,
			options: { perFeatureLimit: 2 },
			filters: { includeClosed: true },
		});
		expect(full.items).toHaveLength(15);
		expect(full.items.some((i) => 'warnings' in i)).toBe(false);
		const again = crimesBodies(s).find((b) => b.queryPath[0].guidList);
		// Large enough for the longest cut list: 5 machines, or more suspects (1-2 processes per machine).
		const longest = Math.max(
			...edrMalops(s, true).map((m) =>
				Math.max(m.machines.length, m.targets.filter((t) => t.kind === 'process').length),
			),
		);
		expect(again).toMatchObject({ perFeatureLimit: longest, totalResultLimit: 3 });
		expect(again?.queryPath[0].guidList?.sort()).toEqual(
			edrMalops(s, true)
				.map((m) => m.guid)
				.sort(),
		);
	});
});

describe('detection inbox source', () => {
	it('lists EDR and Endpoint Protection Malops from the last 30 days by default', async () => {
		const s = await simulator({ malops: 6, eppMalops: 3, machinesPerMalop: 2 });
		const before = Date.now();
		const { items } = await run(s, {
			source: 'detectionInbox',
			returnAll: true,
			filters: { includeClosed: true },
		});
		const [body] = bodiesOf(s, INBOX);
		expect(body.endTime as number).toBeGreaterThanOrEqual(before);
		expect((body.endTime as number) - (body.startTime as number)).toBe(DEFAULT_INBOX_WINDOW_MS);
		expect(crimesBodies(s)).toHaveLength(0);

		expect(ids(items)).toHaveLength(9);
		const epp = items.filter((i) => i.malopType === 'EPP');
		expect(ids(epp)).toHaveLength(3);
		for (const item of items) {
			const m = s.state.malops.get(item.malopId as string)!;
			const machine = m.machines.find((x) => x.guid === item.machineGuid)!;
			expect(item).toMatchObject({
				malopType: m.kind === 'EPP' ? 'EPP' : 'EDR',
				status: m.status,
				severity: m.severity,
				detectionType: m.detectionType,
				machineName: machine.name,
				machineConnected: machine.connected,
				machineIsolated: machine.isolated,
				osType: machine.osType,
				malopUrl: `${s.url}/#/${m.kind === 'EPP' ? 'detection-malop' : 'malop'}/${m.guid}`,
			});
		}
	});

	it('sends the filter window as startTime/endTime and applies statuses, closed and the limit newest first', async () => {
		const s = await simulator({ malops: 20, eppMalops: 10 });
		const after = Date.now() - 5 * 86_400_000;
		const before = Date.now() - 3_600_000;
		const { items } = await run(s, {
			source: 'detectionInbox',
			limit: 4,
			outputMode: 'perMalop',
			filters: {
				updatedAfter: new Date(after).toISOString(),
				updatedBefore: new Date(before).toISOString(),
				statuses: ['Active', 'Remediated'],
			},
		});
		expect(bodiesOf(s, INBOX)).toEqual([{ startTime: after, endTime: before }]);
		const expected = newestFirst(
			[...s.state.malops.values()].filter(
				(m) =>
					['Active', 'Remediated'].includes(m.status) &&
					m.lastUpdateTime > after &&
					m.lastUpdateTime < before,
			),
		).slice(0, 4);
		expect(ids(items)).toEqual(expected.map((m) => m.guid));
	});
});

describe('remediation targets', () => {
	it('attaches to each machine the actions the console offers for that machine, in one batched request', async () => {
		const s = await simulator({ malops: 8, machinesPerMalop: 3 });
		const { items } = await run(s, {
			returnAll: true,
			options: { includeRemediationTargets: true },
			filters: { includeClosed: true },
		});
		const requests = bodiesOf(s, REMEDIATION);
		expect(requests).toHaveLength(1);
		expect((requests[0].processMalopGuids as string[]).sort()).toEqual(ids(items).sort());
		expect(requests[0].detectionEventMalopGuids).toEqual([]);
		for (const item of items) {
			const m = s.state.malops.get(item.malopId as string)!;
			const expected = m.targets
				.filter((t) => t.machineGuid === item.machineGuid)
				.flatMap((t) =>
					actionsForTarget(t).map((actionType) => ({ actionType, targetId: t.guid })),
				);
			const got = (item.remediationTargets as IDataObject[]).map((t) => ({
				actionType: t.actionType,
				targetId: t.targetId,
			}));
			expect(got).toEqual(expect.arrayContaining(expected));
			expect(got).toHaveLength(expected.length);
			expect(
				(item.remediationTargets as IDataObject[]).every(
					(t) => typeof t.targetName === 'string' && t.targetName !== '',
				),
			).toBe(true);
		}
	});

	it('sends EPP Malops from the inbox as detectionEventMalopGuids', async () => {
		const s = await simulator({ malops: 2, eppMalops: 2 });
		const { items } = await run(s, {
			source: 'detectionInbox',
			returnAll: true,
			options: { includeRemediationTargets: true },
			filters: { includeClosed: true },
		});
		const [body] = bodiesOf(s, REMEDIATION);
		const epp = ids(items.filter((i) => i.malopType === 'EPP'));
		expect((body.detectionEventMalopGuids as string[]).sort()).toEqual(epp.sort());
		expect((body.processMalopGuids as string[]).length).toBe(2);
		expect(
			items
				.filter((i) => i.malopType === 'EPP')
				.every((i) => JSON.stringify(i.remediationTargets) === '[]'),
		).toBe(true);
	});
});

describe('errors and envelopes', () => {
	it('fails with the console message when the envelope says FAILURE', async () => {
		const s = await simulator();
		s.state.addFault({ path: CRIMES, envelopeStatus: 'FAILURE', times: 2 });
		const { error, items } = await run(s, {});
		expect(error?.message).toMatch(
			/^Could not query Malop(Process|LogonSession) Malops: Cybereason reported FAILURE: Simulated failure: the query failed on the server$/,
		);
		expect(items).toEqual([]);
	});

	it('keeps the data of a PARTIAL_SUCCESS answer and warns about it', async () => {
		const s = await simulator({ malops: 6, logonSessionShare: 0 });
		s.state.addFault({ path: CRIMES, envelopeStatus: 'PARTIAL_SUCCESS', times: 2 });
		const { items, hints } = await run(s, {
			malopTypes: ['MalopProcess'],
			filters: { includeClosed: true },
		});
		expect(ids(items)).toHaveLength(6);
		const message =
			'MalopProcess: Cybereason answered PARTIAL_SUCCESS (1 server(s) failed): some console servers did not answer, so results may be incomplete: Simulated partial success: some servers did not answer';
		expect(items.every((i) => JSON.stringify(i.warnings) === JSON.stringify([message]))).toBe(true);
		expect(hints(NODE)).toEqual([{ message, location: 'outputPane' }]);
		expect(warnLogs()).toContain(`Cybereason Get Malops: ${message}`);
	});

	it('logs in once again when the session expired between runs, even with two queries in flight', async () => {
		const s = await simulator();
		const engine = engineFor(s);
		await run(s, {}, { engine });
		expect(s.state.logins).toBe(1);
		s.state.expireSession();
		const { items, error } = await run(s, {}, { engine });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(s.state.logins).toBe(2);
	});

	it('logs in once again when the session expires in the middle of a query', async () => {
		const s = await simulator({ malops: 5 });
		const engine = engineFor(s);
		await run(s, {}, { engine });
		// The crimes queries went through; the console then drops the session before custom-remediation.
		s.state.addFault({
			path: REMEDIATION,
			status: 302,
			headers: { Location: '/login.html' },
			body: '',
		});
		const { items, error } = await run(
			s,
			{ options: { includeRemediationTargets: true } },
			{ engine },
		);
		expect(error).toBeUndefined();
		expect(s.state.logins).toBe(2);
		expect(bodiesOf(s, REMEDIATION)).toHaveLength(2);
		expect(items.every((i) => Array.isArray(i.remediationTargets))).toBe(true);
		expect(items.some((i) => (i.remediationTargets as unknown[]).length > 0)).toBe(true);
	});

	it('with continue-on-fail, a failed input gives one error item paired to it and the others still run', async () => {
		const s = await simulator({ malops: 6, logonSessionShare: 0 });
		const { raw, error } = await run(
			s,
			{
				limit: '={{ $json.limit }}',
				malopTypes: ['MalopProcess'],
				filters: { includeClosed: true },
			},
			{ input: [{ limit: 2 }, { limit: 'ten' }, { limit: 1 }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(raw.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 0, 0, 0, 1, 2, 2]);
		const failed = raw.find((i: INodeExecutionData) => 'error' in i.json)!;
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json.error).toBe('Limit must be a whole number of at least 1, not "ten"');
	});

	it('with continue-on-fail, a console error becomes the error item of that input', async () => {
		const s = await simulator({ malops: 3, logonSessionShare: 0 });
		s.state.addFault({ path: CRIMES, status: 403, body: { message: 'Access denied' } });
		const { raw } = await run(
			s,
			{ malopTypes: ['MalopProcess'] },
			{ input: [{}, {}], continueOnFail: true },
		);
		expect(raw[0]).toEqual({
			json: {
				error:
					'Could not query MalopProcess Malops: the Cybereason user is not allowed to (HTTP 403)',
				description: 'Give the API user a role with this permission. Console said: Access denied',
				httpCode: '403',
			},
			pairedItem: { item: 0 },
		});
		expect(raw.slice(1).every((i) => (i.pairedItem as { item: number }).item === 1)).toBe(true);
	});
});

/** 2xx answers that carry no Malop list at all: none of them may read as "0 Malops" (issue 12 §3). */
const SHAPELESS: Array<[string, { status: number; body: unknown }, string]> = [
	['an empty body', { status: 200, body: '' }, 'HTTP 200 and an empty body'],
	['null', { status: 200, body: null }, 'HTTP 200 and null'],
	['{}', { status: 200, body: {} }, 'HTTP 200 and {}'],
	['[]', { status: 200, body: [] }, 'HTTP 200 and []'],
	[
		'a SUCCESS envelope without data',
		{ status: 200, body: { status: 'SUCCESS', data: null } },
		'HTTP 200 and {"status":"SUCCESS","data":null}',
	],
	['HTTP 204', { status: 204, body: '' }, 'HTTP 204 (no content)'],
];

describe('answers without their data are errors, never "0 Malops"', () => {
	it.each(SHAPELESS)('crimes/unified answering %s', async (_, fault, got) => {
		const s = await simulator({ malops: 3, logonSessionShare: 0 });
		s.state.addFault({ path: CRIMES, ...fault });
		const { error, items } = await run(s, { malopTypes: ['MalopProcess'] });
		expect(error?.message).toBe(
			`Could not query MalopProcess Malops: the console answered /rest/crimes/unified with ${got} instead of a Malop list (data.resultIdToElementDataMap)`,
		);
		expect(items).toEqual([]);
		// Asked once: such an answer is not retried within the run.
		expect(crimesBodies(s)).toHaveLength(1);
	});

	it.each(SHAPELESS)('the detection inbox answering %s', async (_, fault, got) => {
		const s = await simulator({ malops: 3 });
		s.state.addFault({ path: INBOX, ...fault });
		const { error } = await run(s, { source: 'detectionInbox' });
		expect(error?.message).toBe(
			`Could not list Malops from the detection inbox: the console answered /rest/detection/inbox with ${got} instead of a Malop list (malops)`,
		);
		expect(error?.description).toMatch(/not taken for "none found"/);
	});

	it('an inbox that really lists none, and a crimes answer with an empty map, are 0 Malops without a warning', async () => {
		const s = await simulator({ malops: 3 });
		s.state.addFault({ path: INBOX, status: 200, body: { malops: [] } });
		const inbox = await run(s, { source: 'detectionInbox' });
		expect(inbox.error).toBeUndefined();
		expect(inbox.items).toEqual([]);
		s.state.addFault({ path: CRIMES, times: 2, status: 200, body: crimesEnvelope({}) });
		const crimes = await run(s, {});
		expect(crimes.error).toBeUndefined();
		expect(crimes.items).toEqual([]);
		expect(warnLogs()).toEqual([]);
	});

	it('custom-remediation answering without its list fails instead of offering no actions', async () => {
		const s = await simulator({ malops: 2, logonSessionShare: 0 });
		s.state.addFault({ path: REMEDIATION, status: 200, body: { status: 'SUCCESS' } });
		const { error } = await run(s, {
			malopTypes: ['MalopProcess'],
			options: { includeRemediationTargets: true },
		});
		expect(error?.message).toMatch(
			/^Could not list the remediation actions Cybereason offers for 2 Malops: the console answered \/rest\/detection\/custom-remediation with HTTP 200 and \{"status":"SUCCESS"\} instead of a list of remediation actions \(data\)$/,
		);
	});
});

describe('malformed machine references are reported as such', () => {
	/** A crimes element of the dataset whose affectedMachines feature is replaced. */
	function withMachines(s: Simulator, affectedMachines: unknown): IDataObject {
		const [malop] = edrMalops(s);
		const element = JSON.parse(
			JSON.stringify(s.state.cache.element(malop, s.state.revision(malop.guid))),
		) as MalopElement;
		(element.elementValues as Record<string, unknown>).affectedMachines = affectedMachines;
		return crimesEnvelope({ [malop.guid]: element });
	}
	const ref = (guid: string | undefined, name: string) => ({ elementType: 'Machine', guid, name });

	it.each([
		[
			'references without a GUID',
			{ totalValues: 3, elementValues: [ref('m.1', 'a'), ref(undefined, 'b'), { name: 'c' }] },
			['m.1'],
			"Cybereason sent this Malop's affected machines malformed (2 entries without a GUID): 1 was read, what could not be read is left out of the items",
		],
		[
			'a list instead of an object',
			[ref('m.1', 'a'), ref('m.2', 'b')],
			['m.1', 'm.2'],
			"Cybereason sent this Malop's affected machines malformed (affectedMachines is a list, not an object): 2 were read, what could not be read is left out of the items",
		],
		[
			'a null feature',
			null,
			[null],
			"Cybereason sent this Malop's affected machines malformed (affectedMachines is null, not an object): none could be read, so its affected machines are unknown",
		],
	])('crimes/unified: %s', async (_, affectedMachines, guids, warning) => {
		const s = await simulator({ malops: 3, logonSessionShare: 0 });
		s.state.addFault({
			path: CRIMES,
			times: 2,
			status: 200,
			body: withMachines(s, affectedMachines),
		});
		const { items, hints } = await run(s, { malopTypes: ['MalopProcess'], returnAll: true });
		expect(items.map((i) => i.machineGuid)).toEqual(guids);
		for (const item of items) expect(item.warnings).toEqual([warning]);
		expect(JSON.stringify(items)).not.toMatch(/per-feature limit/);
		const notice =
			'Cybereason sent 1 Malop with malformed affected machines or suspects; see the warnings on their items';
		expect(hints(NODE).map((h) => h.message)).toEqual([notice]);
		expect(warnLogs()).toEqual([`Cybereason Get Malops: ${notice}`]);
		// Not re-queried as if the per-feature limit had cut the list.
		expect(crimesBodies(s).filter((b) => b.queryPath[0].guidList)).toEqual([]);
	});

	it('the detection inbox: machines that are not a list, or entries without a GUID', async () => {
		const s = await simulator();
		const entry = (guid: string, machines: unknown) => ({
			guid,
			displayName: 'evil.exe',
			creationTime: Date.now() - 60_000,
			lastUpdateTime: Date.now() - 60_000,
			status: 'Active',
			edr: true,
			machines,
		});
		s.state.addFault({
			path: INBOX,
			status: 200,
			body: {
				malops: [
					entry('AAAAAAAAAAAAAAA1', [
						{ guid: 'KSSdyRCi55eyTiwX', displayName: 'a' },
						{ displayName: 'b' },
						7,
					]),
					entry('AAAAAAAAAAAAAAA2', null),
				],
			},
		});
		const { items } = await run(s, { source: 'detectionInbox' });
		expect(items.map((i) => [i.malopId, i.machineGuid, i.warnings])).toEqual([
			[
				'AAAAAAAAAAAAAAA1',
				'KSSdyRCi55eyTiwX',
				[
					"Cybereason sent this Malop's affected machines malformed (2 entries without a GUID): 1 was read, what could not be read is left out of the items",
				],
			],
			[
				'AAAAAAAAAAAAAAA2',
				null,
				[
					"Cybereason sent this Malop's affected machines malformed (machines is null, not a list): none could be read, so its affected machines are unknown",
				],
			],
		]);
		expect(warnLogs()).toEqual([
			'Cybereason Get Malops: Cybereason sent 2 Malops with malformed affected machines or suspects; see the warnings on their items',
		]);
	});
});

describeWithSamples('the public samples, served verbatim', () => {
	it('crimes/unified raw response with its "False"/"None" strings', async () => {
		const s = await simulator();
		const body = sample<IDataObject>('xsoar-query_malop_raw_response.json');
		s.state.addFault({ path: CRIMES, times: 2, status: 200, body });
		const { items, hints } = await run(s, { options: { includeRaw: true } });
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			malopId: '11.-4319097116418812958',
			malopType: 'MalopProcess',
			displayName: 'userinit.pdf.exe',
			rootCauseElementType: 'File',
			detectionType: 'BLACKLIST',
			status: 'TODO',
			creationTime: '2022-08-03T09:12:20.167Z',
			lastUpdateTime: '2022-08-03T09:20:41.475Z',
			malopUrl: `${s.url}/#/malop/11.-4319097116418812958`,
			machineGuid: '-1826875736.1198775089551518743',
			machineName: 'desktop-j60ivd0',
		});
		expect(items[0].suspects).toHaveLength(8);
		expect((items[0].raw as IDataObject).guidString).toBe('11.-4319097116418812958');
		expect(items[0]).not.toHaveProperty('warnings');
		expect(hints(NODE)).toEqual([]);
	});

	it('malop_to_incident element (real JSON types, 16-character GUIDs) inside a console envelope', async () => {
		const s = await simulator();
		const element = sample<MalopElement>('xsoar-malop_to_incident.json');
		s.state.addFault({
			path: CRIMES,
			times: 2,
			status: 200,
			body: crimesEnvelope({ [element.guidString]: element }),
		});
		const { items } = await run(s, {});
		expect(items).toEqual([
			expect.objectContaining({
				malopId: 'AAAA096WBtByORIM',
				status: 'UNREAD',
				displayName: 'bdata.bin',
				machineGuid: 'S-2-PBCi55eyTiwX',
				suspects: [{ guid: 'S-2-PC_TYvnPWzr9', name: 'bdata.bin', elementType: 'Process' }],
			}),
		]);
	});

	it('inbox answer with an EPP Malop that an analyst closed: hidden by default, two machine items with Include Closed', async () => {
		const s = await simulator();
		const body = sample<IDataObject>('xsoar-malop_detection_data.json');
		s.state.addFault({ path: INBOX, times: 2, status: 200, body });
		const hidden = await run(s, { source: 'detectionInbox' });
		expect(hidden.items).toEqual([]);
		const shown = await run(s, { source: 'detectionInbox', filters: { includeClosed: true } });
		expect(shown.items).toEqual([
			expect.objectContaining({
				malopId: 'AAAA0yUlnvXGQODT',
				malopType: 'EPP',
				status: 'Active',
				severity: 'High',
				malopUrl: `${s.url}/#/detection-malop/AAAA0yUlnvXGQODT`,
				machineGuid: '123',
				machineName: 'desktop-1',
				machineConnected: false,
			}),
			expect.objectContaining({
				machineGuid: '456',
				machineName: 'win-123',
				machineConnected: true,
				osType: 'WINDOWS',
			}),
		]);
	});

	it('inbox entries as a bare list (query_inbox_raw_response)', async () => {
		const s = await simulator();
		s.state.addFault({
			path: INBOX,
			status: 200,
			body: sample('xsoar-query_inbox_raw_response.json'),
		});
		const { items } = await run(s, { source: 'detectionInbox' });
		expect(items).toEqual([
			{
				malopId: 'AAAA0ws7O-MUgDmB',
				malopType: 'EDR',
				displayName: 'xkpkmvkd2380319126246621955.exe',
				rootCauseElementType: 'File',
				detectionType: 'KNOWN_MALWARE',
				status: 'Active',
				severity: 'High',
				creationTime: '2023-12-04T04:04:59.005Z',
				lastUpdateTime: '2023-12-04T04:04:59.008Z',
				malopUrl: `${s.url}/#/malop/AAAA0ws7O-MUgDmB`,
				machineGuid: 'KSSdyRCi55eyTiwX',
				machineName: 'mgmt01',
				machineConnected: false,
				machineIsolated: false,
				osType: 'WINDOWS',
			},
		]);
	});

	it('custom-remediation sample: entries for machines outside the Malop are not attached', async () => {
		const s = await simulator();
		s.state.addFault({
			path: CRIMES,
			times: 2,
			status: 200,
			body: sample('xsoar-query_malop_raw_response.json'),
		});
		s.state.addFault({
			path: REMEDIATION,
			status: 200,
			body: sample('xsoar-available_remediation_actions_raw_response.json'),
		});
		const { items } = await run(s, { options: { includeRemediationTargets: true } });
		expect(items).toHaveLength(1);
		// The capture's actions are for machine -1845090846.… of another Malop.
		expect(items[0].remediationTargets).toEqual([]);
	});
});
