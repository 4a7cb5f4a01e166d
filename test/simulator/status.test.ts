import { DEMO_USER, type SimMalop } from '../../simulator';

import { asRecord, call } from './helpers';
import { simple, useSimulator } from './views';

describe('Malop status: crimes/status, mmng/v2 investigation status, metadata', () => {
	const t = useSimulator({
		malops: 12,
		eppMalops: 3,
		machinesPerMalop: 1,
		logonSessionShare: 0,
		seed: 13,
	});
	const setStatus = (body: unknown) =>
		call(t.sim, 'POST', '/rest/crimes/status', { cookie: t.cookie, body });
	const putStatus = (guid: string, body: unknown) =>
		call(t.sim, 'PUT', `/rest/mmng/v2/malops/${guid}`, { cookie: t.cookie, body });
	/** A fresh open EDR Malop, so each test starts from UNREAD / Active. */
	const openMalop = (spec: Partial<SimMalop> = {}) =>
		t.sim.state.addMalop({ kind: 'MalopProcess', managementStatus: 'UNREAD', ...spec });

	beforeEach(() => t.clock.advance(60_000));

	it('closes a Malop with crimes/status; every view shows it and its lastUpdateTime moves', async () => {
		const m = openMalop();
		t.clock.advance(5_000);
		const answer = await setStatus({ [m.guid]: 'CLOSED' });
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({
			guid: m.guid,
			managementStatus: 'CLOSED',
			status: 'SUCCESS',
		});
		const keys = Object.keys(asRecord(answer.json));
		expect(keys.slice(-2)).toEqual(['managementStatus', 'status']);

		const now = t.clock.now();
		const element = await t.read.crimes(m.guid);
		expect(simple(element, 'managementStatus')).toBe('CLOSED');
		expect(simple(element, 'closeTime')).toBe(String(now));
		expect(simple(element, 'closerName')).toBe(DEMO_USER.username);
		expect(simple(element, 'malopLastUpdateTime')).toBe(String(now));
		const inbox = await t.read.inbox(m.guid);
		expect(inbox).toMatchObject({
			status: 'Closed',
			malopStatus: 'Closed',
			closed: true,
			malopCloseTime: now,
			closerName: DEMO_USER.username,
			lastUpdateTime: now,
		});
		const item = await t.read.mmng(m.guid);
		expect(item).toMatchObject({
			investigationStatus: 'Closed',
			status: 'Closed',
			lastUpdateTime: now,
		});
		expect(await t.read.metadata(m.guid)).toMatchObject({
			status: 'CLOSED',
			investigationStatus: 'Closed',
			closeTime: now,
			version: 2,
			lastUpdated: now,
		});
	});

	it('reopens: OPEN clears the close fields and makes the Malop Active again', async () => {
		const m = openMalop();
		await setStatus({ [m.guid]: 'FP' });
		expect((await t.read.inbox(m.guid)).status).toBe('Closed');
		t.clock.advance(1_000);
		expect((await setStatus({ [m.guid]: 'OPEN' })).status).toBe(200);
		const inbox = await t.read.inbox(m.guid);
		expect(inbox).toMatchObject({
			status: 'Active',
			closed: false,
			malopCloseTime: null,
			closerName: null,
		});
		expect(simple(await t.read.crimes(m.guid), 'closeTime')).toBeNull();
		expect((await t.read.mmng(m.guid)).investigationStatus).toBe('UnderInvestigation');
		expect((await t.read.metadata(m.guid)).version).toBe(3);
	});

	it('keeps lastUpdateTime when statusChangeBumpsLastUpdate is off; metadataUpdateTime still moves', async () => {
		const m = openMalop();
		const before = m.lastUpdateTime;
		t.sim.state.management.statusChangeBumpsLastUpdate = false;
		try {
			t.clock.advance(7_000);
			await setStatus({ [m.guid]: 'TODO' });
			const item = await t.read.mmng(m.guid);
			expect(item.lastUpdateTime).toBe(before);
			expect(item.metadataUpdateTime).toBe(t.clock.now());
			expect((await t.read.inbox(m.guid)).lastUpdateTime).toBe(before);
		} finally {
			t.sim.state.management.statusChangeBumpsLastUpdate = true;
		}
	});

	it.each([
		['a status the API does not take (Splunk SOAR sends CLOSE)', (g: string) => ({ [g]: 'CLOSE' })],
		['REOPEN, which only the console sets', (g: string) => ({ [g]: 'REOPEN' })],
		['two Malops in one body', (g: string) => ({ [g]: 'TODO', other: 'TODO' })],
		['an unknown Malop', () => ({ 'no-such-malop': 'TODO' })],
		['a list', (g: string) => [g]],
	])('answers 400 FAILURE for %s and changes nothing', async (_name, body) => {
		const m = openMalop();
		const answer = await setStatus(body(m.guid));
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'FAILURE' });
		expect(asRecord(answer.json).message).toEqual(expect.any(String));
		expect(t.sim.state.malops.get(m.guid)?.managementStatus).toBe('UNREAD');
	});

	it('takes only CLOSED, FP and OPEN for an EPP Malop', async () => {
		const epp = openMalop({ kind: 'EPP' });
		const refused = await setStatus({ [epp.guid]: 'TODO' });
		expect(refused.status).toBe(400);
		expect(asRecord(refused.json).message).toContain('Endpoint Protection');
		expect((await setStatus({ [epp.guid]: 'FP' })).status).toBe(200);
		expect((await t.read.inbox(epp.guid)).status).toBe('Closed');
		expect((await t.read.mmng(epp.guid)).isEdr).toBe(false);
	});

	it.each([
		['failureEnvelope', 200],
		['badRequest', 400],
	] as const)(
		'on a newer data platform (%s) says so and points to the investigation status',
		async (mode, httpStatus) => {
			const m = openMalop();
			t.sim.state.management.managementStatusApi = mode;
			try {
				const answer = await setStatus({ [m.guid]: 'CLOSED' });
				expect(answer.status).toBe(httpStatus);
				expect(answer.json).toMatchObject({ status: 'FAILURE', data: null });
				expect(asRecord(answer.json).message).toContain('PUT /rest/mmng/v2/malops/');
				expect(t.sim.state.malops.get(m.guid)?.managementStatus).toBe('UNREAD');
			} finally {
				t.sim.state.management.managementStatusApi = 'supported';
			}
		},
	);

	it('sets the investigation status with PUT and answers {status, message}', async () => {
		const m = openMalop();
		const answer = await putStatus(m.guid, { investigationStatus: 'UnderInvestigation' });
		expect(answer.status).toBe(200);
		expect(Object.keys(asRecord(answer.json))).toEqual(['status', 'message']);
		expect(answer.json).toMatchObject({
			status: 'SUCCESS',
			message: expect.stringContaining(m.guid),
		});
		expect(simple(await t.read.crimes(m.guid), 'managementStatus')).toBe('OPEN');
		expect((await t.read.mmng(m.guid)).investigationStatus).toBe('UnderInvestigation');

		await putStatus(m.guid, { investigationStatus: 'Closed' });
		expect(await t.read.inbox(m.guid)).toMatchObject({
			status: 'Closed',
			closerName: DEMO_USER.username,
		});
		expect(simple(await t.read.crimes(m.guid), 'managementStatus')).toBe('CLOSED');
	});

	it('takes ReOpened and Reopened, and spells the answer as the option says', async () => {
		const m = openMalop();
		await putStatus(m.guid, { investigationStatus: 'Closed' });
		expect((await putStatus(m.guid, { investigationStatus: 'ReOpened' })).status).toBe(200);
		expect((await t.read.metadata(m.guid)).investigationStatus).toBe('Reopened');
		expect((await t.read.mmng(m.guid)).investigationStatus).toBe('Reopened');
		expect(simple(await t.read.crimes(m.guid), 'managementStatus')).toBe('REOPEN');
		expect((await t.read.inbox(m.guid)).status).toBe('Active');

		t.sim.state.management.investigationStatusSpelling = 'ReOpened';
		try {
			expect((await putStatus(m.guid, { investigationStatus: 'Reopened' })).status).toBe(200);
			expect((await t.read.metadata(m.guid)).investigationStatus).toBe('ReOpened');
			expect((await t.read.mmng(m.guid)).investigationStatus).toBe('ReOpened');
		} finally {
			t.sim.state.management.investigationStatusSpelling = 'Reopened';
		}
	});

	it('keeps the finer status when the other vocabulary says the same (OnHold under OPEN, UNREAD under Pending)', async () => {
		const m = openMalop();
		await putStatus(m.guid, { investigationStatus: 'Pending' });
		expect(simple(await t.read.crimes(m.guid), 'managementStatus')).toBe('UNREAD');
		await putStatus(m.guid, { investigationStatus: 'OnHold' });
		await setStatus({ [m.guid]: 'OPEN' });
		expect((await t.read.mmng(m.guid)).investigationStatus).toBe('OnHold');
		await setStatus({ [m.guid]: 'TODO' });
		expect((await t.read.mmng(m.guid)).investigationStatus).toBe('Pending');
	});

	it.each([
		['an unknown value', { investigationStatus: 'Done' }],
		['the management vocabulary', { investigationStatus: 'CLOSED' }],
		['no investigationStatus', { status: 'Closed' }],
		['a text body', 'Closed'],
	])('answers 400 to a PUT with %s', async (_name, body) => {
		const m = openMalop();
		const answer = await putStatus(m.guid, body);
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'FAILURE' });
		expect(t.sim.state.malops.get(m.guid)?.investigationStatus).toBeUndefined();
	});

	it('answers 400 for an unknown Malop on PUT and metadata', async () => {
		const put = await putStatus('no-such-malop', { investigationStatus: 'Closed' });
		expect(put.status).toBe(400);
		const get = await call(t.sim, 'GET', '/rest/mmng/v2/malops/metadata/no-such-malop', {
			cookie: t.cookie,
		});
		expect(get.status).toBe(400);
		expect(get.json).toMatchObject({ status: 'FAILURE' });
	});

	it('answers metadata with the fields of forensic-security’s schema and their types', async () => {
		const m = openMalop({ priority: null, labels: ['IT-Closed'] });
		const answer = await call(t.sim, 'GET', `/rest/mmng/v2/malops/metadata/${m.guid}`, {
			cookie: t.cookie,
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ status: 'SUCCESS', message: '' });
		expect(asRecord(answer.json).data).toEqual({
			guid: m.guid,
			malopLabels: [t.sim.state.labels.ensure('IT-Closed').id],
			status: 'UNREAD',
			malopPriority: 'UNSPECIFIED',
			investigationStatus: 'Pending',
			closerName: null,
			closeTime: null,
			version: 1,
			lastUpdated: m.lastUpdateTime,
			empty: false,
		});
	});

	it('records every status request with what was answered', async () => {
		const m = openMalop();
		t.sim.requests.length = 0;
		await setStatus({ [m.guid]: 'TODO' });
		await putStatus(m.guid, { investigationStatus: 'Done' });
		expect(t.sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/rest/crimes/status', 200],
			['PUT', `/rest/mmng/v2/malops/${m.guid}`, 400],
		]);
		expect(t.sim.requests[0].body).toEqual({ [m.guid]: 'TODO' });
	});
});
