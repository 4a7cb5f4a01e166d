import { MANAGEMENT_DEFAULTS, startSimulator } from '../../simulator';

import { asRecord, call } from './helpers';
import { BASE, useSimulator } from './views';

const INBOX = { startTime: 0, endTime: BASE };

describe('Malop management: options, the deprecated inbox, control endpoints', () => {
	const t = useSimulator({
		malops: 5,
		eppMalops: 1,
		machinesPerMalop: 1,
		seed: 4,
	});
	const control = (method: string, path: string, body?: unknown) =>
		call(t.sim, method, path, { body });

	afterEach(() => Object.assign(t.sim.state.management, MANAGEMENT_DEFAULTS));

	it('answers a deprecated inbox as a missing endpoint (404, like any unknown /rest path)', async () => {
		t.sim.state.management.deprecatedInbox = 'notFound';
		const inbox = await call(t.sim, 'POST', '/rest/detection/inbox', {
			cookie: t.cookie,
			body: INBOX,
		});
		const unknown = await call(t.sim, 'POST', '/rest/detection/no-such-route', {
			cookie: t.cookie,
			body: INBOX,
		});
		expect(inbox.status).toBe(404);
		expect(inbox.json).toEqual({
			status: 'FAILURE',
			message: 'No such endpoint: POST /rest/detection/inbox',
		});
		expect(unknown.json).toEqual({
			status: 'FAILURE',
			message: 'No such endpoint: POST /rest/detection/no-such-route',
		});
		// Only the inbox is gone.
		expect(
			(
				await call(t.sim, 'POST', '/rest/detection/details', {
					cookie: t.cookie,
					body: { malopGuid: t.dataset.malops[0].guid },
				})
			).status,
		).toBe(200);
	});

	it('answers a deprecated inbox with a 200 FAILURE envelope that names the successor', async () => {
		t.sim.state.management.deprecatedInbox = 'errorEnvelope';
		const inbox = await call(t.sim, 'POST', '/rest/detection/inbox', {
			cookie: t.cookie,
			body: INBOX,
		});
		expect(inbox.status).toBe(200);
		expect(inbox.json).toMatchObject({ status: 'FAILURE', data: null });
		expect(asRecord(inbox.json)).not.toHaveProperty('malops');
		expect(asRecord(inbox.json).message).toContain('/rest/mmng/v2/malops');
		expect(t.sim.requests.at(-1)).toMatchObject({ path: '/rest/detection/inbox', status: 200 });
		t.sim.state.management.deprecatedInbox = false;
		expect(
			asRecord(
				(await call(t.sim, 'POST', '/rest/detection/inbox', { cookie: t.cookie, body: INBOX }))
					.json,
			).malops,
		).toHaveLength(6);
	});

	it('still wants a session for every management route', async () => {
		for (const path of [
			'/rest/mmng/v2/malops',
			'/rest/crimes/status',
			`/rest/crimes/comment/${t.dataset.malops[0].guid}`,
		]) {
			const answer = await call(t.sim, 'POST', path, { body: {} });
			expect(answer.status).toBe(302);
		}
	});

	it('takes the management options at start and refuses a bad one', async () => {
		const custom = await startSimulator({
			dataset: t.dataset,
			mmngMaxPageSize: 5,
			deprecatedInbox: 'notFound',
		});
		try {
			expect(custom.state.management).toEqual({
				...MANAGEMENT_DEFAULTS,
				mmngMaxPageSize: 5,
				deprecatedInbox: 'notFound',
			});
		} finally {
			await custom.close();
		}
		await expect(
			startSimulator({ dataset: t.dataset, mmngOffset: 'cursor' as 'item' }),
		).rejects.toThrow('mmngOffset must be one of "item", "page"');
		await expect(startSimulator({ dataset: t.dataset, mmngMaxPageSize: 0 })).rejects.toThrow(
			'mmngMaxPageSize must be an integer >= 1',
		);
	});

	it('reads and changes the options through /__sim/management', async () => {
		expect((await control('GET', '/__sim/management')).json).toEqual(MANAGEMENT_DEFAULTS);
		const changed = await control('POST', '/__sim/management', {
			investigationStatusSpelling: 'ReOpened',
			mmngMaxResultWindow: 100,
		});
		expect(changed.status).toBe(200);
		expect(changed.json).toMatchObject({
			investigationStatusSpelling: 'ReOpened',
			mmngMaxResultWindow: 100,
		});
		expect(t.sim.state.management.mmngMaxResultWindow).toBe(100);
		expect((await control('POST', '/__sim/management', { mmngMaxResultWindow: null })).status).toBe(
			200,
		);
		expect(t.sim.state.management.mmngMaxResultWindow).toBeNull();
		const unknown = await control('POST', '/__sim/management', { pageSize: 3 });
		expect(unknown.status).toBe(400);
		expect(asRecord(unknown.json).message).toContain('Unknown management option pageSize');
		const bad = await control('POST', '/__sim/management', { successContentType: 'xml' });
		expect(bad.status).toBe(400);
		expect(t.sim.state.management.successContentType).toBe('json');
		expect(t.sim.requests.some((r) => r.path.startsWith('/__sim/'))).toBe(false);
	});

	it('lists and adds labels through /__sim/labels', async () => {
		const added = await control('POST', '/__sim/labels', { labelText: 'from-e2e' });
		expect(added.json).toEqual({ label: { id: expect.any(Number), labelText: 'from-e2e' } });
		const listed = asRecord((await control('GET', '/__sim/labels')).json).labels as unknown[];
		expect(listed).toContainEqual({
			...asRecord(asRecord(added.json).label),
			count: 0,
			empty: false,
		});
		expect((await control('POST', '/__sim/labels', {})).status).toBe(400);
	});

	it('shows one Malop’s management state through /__sim/malops/{guid}', async () => {
		const m = t.dataset.malops[1];
		await call(t.sim, 'POST', '/rest/crimes/status', {
			cookie: t.cookie,
			body: { [m.guid]: 'OPEN' },
		});
		await call(t.sim, 'POST', `/rest/crimes/comment/${m.guid}`, { cookie: t.cookie, raw: 'a <b>' });
		const answer = await control('GET', `/__sim/malops/${encodeURIComponent(m.guid)}`);
		expect(answer.status).toBe(200);
		const body = asRecord(answer.json);
		expect(body.investigationStatus).toBe('UnderInvestigation');
		expect(asRecord(body.malop)).toMatchObject({
			guid: m.guid,
			managementStatus: 'OPEN',
			metadataVersion: 3,
		});
		expect((asRecord(body.malop).comments as Array<{ message: string }>).at(-1)?.message).toBe(
			'a <b>',
		);
		expect(body.metadataUpdateTime).toBe(BASE);
		expect((await control('GET', '/__sim/malops/no-such-malop')).status).toBe(404);
	});

	it('counts the management routes by template in /__sim/state', async () => {
		const m = t.dataset.malops[2];
		await call(t.sim, 'POST', `/rest/crimes/comment/${m.guid}`, { cookie: t.cookie, raw: 'x' });
		await call(t.sim, 'PUT', `/rest/mmng/v2/malops/${m.guid}`, {
			cookie: t.cookie,
			body: { investigationStatus: 'OnHold' },
		});
		await call(t.sim, 'GET', `/rest/mmng/v2/malops/metadata/${m.guid}`, { cookie: t.cookie });
		const byRoute = asRecord(asRecord((await control('GET', '/__sim/state')).json).requestsByRoute);
		expect(byRoute['POST /rest/crimes/comment/{malopGuid}']).toBeGreaterThanOrEqual(1);
		expect(byRoute['PUT /rest/mmng/v2/malops/{guid}']).toBe(1);
		expect(byRoute['GET /rest/mmng/v2/malops/metadata/{guid}']).toBe(1);
	});
});
