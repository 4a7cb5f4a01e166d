import type { CustomRemediationResponse, InboxResponse } from '../../nodes/shared/types';
import { generateDataset, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';

const BASE = 1_717_000_000_000;
const DAY = 86_400_000;

describe('POST /rest/detection/inbox', () => {
	const clock = new ManualClock(BASE);
	const dataset = generateDataset({
		malops: 30,
		eppMalops: 6,
		machinesPerMalop: 2,
		sharedMachines: 12,
		seed: 5,
		baseTime: BASE,
	});
	let sim: Simulator;
	let cookie: string;
	const inbox = async (body: unknown) =>
		call(sim, 'POST', '/rest/detection/inbox', { cookie, body });

	beforeAll(async () => {
		({ sim, cookie } = await started({ clock, dataset }));
	});
	afterAll(() => sim.close());

	it('returns every kind of Malop created or updated in the window', async () => {
		const start = BASE - 3 * DAY;
		const end = BASE - DAY;
		const answer = await inbox({ startTime: start, endTime: end });
		expect(answer.status).toBe(200);
		const res = answer.json as InboxResponse;
		const inside = (t: number) => t >= start && t <= end;
		const expected = dataset.malops.filter(
			(m) => inside(m.creationTime) || inside(m.lastUpdateTime),
		);
		expect(res.malops.map((m) => m.guid).sort()).toEqual(expected.map((m) => m.guid).sort());
		// Something updated in the window but created before it is in.
		expect(expected.some((m) => !inside(m.creationTime))).toBe(true);
	});

	it('includes EPP Malops with edr false, and doubles the renamed fields', async () => {
		const res = (await inbox({ startTime: 0, endTime: BASE })).json as InboxResponse;
		expect(res.malops).toHaveLength(dataset.malops.length);
		const epp = res.malops.filter((m) => !m.edr);
		expect(epp.map((m) => m.guid).sort()).toEqual(
			dataset.malops
				.filter((m) => m.kind === 'EPP')
				.map((m) => m.guid)
				.sort(),
		);
		for (const m of res.malops) {
			expect(m['@class']).toBe('.MalopInboxModel');
			expect(m.malopStatus).toBe(m.status);
			expect(m.malopSeverity).toBe(m.severity);
			expect(m.malopType).toBe(m.malopDetectionType);
			expect(m.malopPriority).toBe(m.priority ?? '');
			expect(['Active', 'Remediated', 'Closed', 'Excluded']).toContain(m.status);
			expect(['High', 'Medium', 'Low']).toContain(m.severity);
			expect(typeof m.creationTime).toBe('number');
			expect(typeof m.rootCauseElementHashes).toBe('string');
			const model = dataset.malops.find((x) => x.guid === m.guid);
			expect(m.machines.map((x) => x.guid)).toEqual(model?.machines.map((x) => x.guid));
			for (const machine of m.machines) {
				expect(machine['@class']).toBe('.MachineInboxModel');
				expect(typeof machine.connected).toBe('boolean');
				expect(typeof machine.isolated).toBe('boolean');
				expect(machine.lastConnectedDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
			}
			expect(m.users?.length).toBe(model?.users.length);
		}
		const counter = res.machineCounterModel;
		expect(counter?.totalMachines).toBe(dataset.machines.length);
		expect(
			(counter?.onlineCleanCount ?? 0) +
				(counter?.onlineInfectedCount ?? 0) +
				(counter?.offlineCleanCount ?? 0) +
				(counter?.offlineInfectedCount ?? 0),
		).toBe(dataset.machines.length);
	});

	it('accepts numeric strings', async () => {
		const answer = await inbox({ startTime: String(BASE - DAY), endTime: String(BASE) });
		expect(answer.status).toBe(200);
	});

	it('has a domain controller in the default dataset', async () => {
		const demo = await started();
		try {
			const res = (
				await call(demo.sim, 'POST', '/rest/detection/inbox', {
					cookie: demo.cookie,
					body: { startTime: 0, endTime: Date.now() },
				})
			).json as InboxResponse;
			expect(res.malops.length).toBeGreaterThan(0);
			expect(res.malops.some((m) => !m.edr)).toBe(true);
			expect(res.malops.flatMap((m) => m.machines.map((x) => x.displayName))).toContain('dc01');
		} finally {
			await demo.sim.close();
		}
	});

	it.each([
		['start after end', { startTime: BASE, endTime: BASE - 1 }],
		['missing endTime', { startTime: BASE }],
		['not a number', { startTime: 'yesterday', endTime: BASE }],
		['no body', undefined],
	])('answers 400 "Time range is not valid" for %s', async (_name, body) => {
		const answer = await inbox(body);
		expect(answer.status).toBe(400);
		expect(answer.text).toBe('Time range is not valid');
	});

	it('shows Malops added and updated later', async () => {
		clock.advance(60_000);
		const added = sim.state.addMalop({
			kind: 'MalopLogonSession',
			displayName: 'psexesvc.exe',
			machines: 2,
		});
		const res = (await inbox({ startTime: clock.now() - 1, endTime: clock.now() }))
			.json as InboxResponse;
		expect(res.malops.map((m) => m.guid)).toEqual([added.guid]);
		expect(res.malops[0].displayName).toBe('psexesvc.exe');
		expect(res.malops[0].machines).toHaveLength(2);

		clock.advance(60_000);
		const old = dataset.malops[0];
		sim.state.updateMalop(old.guid, { status: 'Remediated' });
		const later = (await inbox({ startTime: clock.now(), endTime: clock.now() }))
			.json as InboxResponse;
		expect(later.malops.map((m) => [m.guid, m.status])).toEqual([[old.guid, 'Remediated']]);
	});
});

describe('POST /rest/detection/custom-remediation', () => {
	const dataset = generateDataset({
		malops: 10,
		eppMalops: 2,
		machinesPerMalop: 3,
		seed: 11,
		baseTime: BASE,
	});
	let sim: Simulator;
	let cookie: string;
	beforeAll(async () => {
		({ sim, cookie } = await started({ dataset, clock: new ManualClock(BASE) }));
	});
	afterAll(() => sim.close());

	it('lists one entry per (target, action) of the Malop', async () => {
		const malop = dataset.malops.find(
			(m) => m.kind !== 'EPP' && m.targets.some((t) => t.kind === 'registry'),
		);
		if (!malop) throw new Error('fixture has no Malop with a registry target');
		const answer = await call(sim, 'POST', '/rest/detection/custom-remediation', {
			cookie,
			body: { detectionEventMalopGuids: [], processMalopGuids: [malop.guid] },
		});
		expect(answer.status).toBe(200);
		const res = answer.json as CustomRemediationResponse;
		expect(res.status).toBe('SUCCESS');
		expect(res.errorMessage).toBe('');
		const types = new Set(res.data.map((e) => e.remediationType));
		expect(types).toEqual(
			new Set([
				'KILL_PROCESS',
				'QUARANTINE_FILE',
				'BLOCK_FILE',
				'DELETE_REGISTRY_KEY',
				...(malop.targets.some((t) => t.kind === 'quarantinedFile') ? ['UNQUARANTINE_FILE'] : []),
			]),
		);
		for (const e of res.data) {
			expect(e.uniqueId).toBe(`${e.remediationType}::${e.targetId}`);
			expect(e.malopId).toBe(malop.guid);
			expect(e.malopType).toBe(malop.kind);
			expect(e.machinesCount).toBe(1);
			const target = malop.targets.find((t) => t.guid === e.targetId);
			const machine = malop.machines.find((m) => m.guid === e.machineId);
			expect(target?.machineGuid).toBe(e.machineId);
			expect(e.machineName).toBe(machine?.name);
			expect(e.machineConnected).toBe(String(machine?.connected));
			if (e.remediationType === 'BLOCK_FILE') expect(e.targetName).toMatch(/^[0-9a-f]{32}$/);
		}
	});

	it('answers an empty list for unknown or EPP Malops, and 400 for a malformed body', async () => {
		const epp = dataset.malops.find((m) => m.kind === 'EPP');
		const empty = await call(sim, 'POST', '/rest/detection/custom-remediation', {
			cookie,
			body: { detectionEventMalopGuids: [epp?.guid], processMalopGuids: ['11.123'] },
		});
		expect(asRecord(empty.json).data).toEqual([]);
		const bad = await call(sim, 'POST', '/rest/detection/custom-remediation', {
			cookie,
			body: { processMalopGuids: 'x' },
		});
		expect(bad.status).toBe(400);
	});

	it('serves EPP details and rejects an unknown Malop ID', async () => {
		const epp = dataset.malops.find((m) => m.kind === 'EPP');
		const ok = await call(sim, 'POST', '/rest/detection/details', {
			cookie,
			body: { malopGuid: epp?.guid },
		});
		expect(ok.status).toBe(200);
		expect(asRecord(ok.json).edr).toBe(false);
		const bad = await call(sim, 'POST', '/rest/detection/details', {
			cookie,
			body: { malopGuid: 'nope' },
		});
		expect(bad.status).toBe(400);
		expect(bad.text).toBe('Malop ID is not valid');
	});
});
