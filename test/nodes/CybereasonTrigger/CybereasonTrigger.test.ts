import type { IDataObject } from 'n8n-workflow';

import type { MmngRequest } from '../../../nodes/shared/types';
import { Engine } from '../../../scripts/lib/engine';
import { DEMO_USER, type Simulator } from '../../../simulator';
import { activeTrigger, consoleWithHistory, CRIMES, MIN, pairs, trigger } from './harness';

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
});

/** A console whose existing Malops were all last updated an hour ago: history for a trigger activated now. */
async function console(): Promise<Simulator> {
	sim = await consoleWithHistory();
	return sim;
}

describe('Cybereason Trigger', () => {
	it('emits nothing on first activation, then each new Malop once per machine, and never again', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		expect(await t.poll()).toEqual([]);

		const malop = simulator.state.addMalop({ machines: 3 });
		const fired = await t.poll();
		expect(pairs(fired)).toEqual(malop.machines.map((m) => `${malop.guid}:${m.guid}`).sort());
		expect(fired[0]).toMatchObject({
			malopId: malop.guid,
			malopType: 'MalopProcess',
			malopUrl: `${simulator.url}/#/malop/${malop.guid}`,
			eventId: `${malop.guid}:${String(fired[0].machineGuid)}`,
		});
		expect(typeof fired[0].lastUpdateTime).toBe('string');

		expect(await t.poll()).toEqual([]);
		expect(await t.poll()).toEqual([]);
	});

	it('fires a Malop from just before the activation that the console reported late, but not one it already had', async () => {
		const simulator = await console();
		const known = simulator.state.addMalop({ machines: 1 });
		simulator.state.updateMalop(known.guid, { lastUpdateTime: Date.now() - 3 * MIN });
		const t = activeTrigger(simulator);
		expect(await t.poll()).toEqual([]);

		const late = simulator.state.addMalop({ machines: 1 });
		simulator.state.updateMalop(late.guid, { lastUpdateTime: Date.now() - 4 * MIN });
		expect(pairs(await t.poll())).toEqual([`${late.guid}:${late.machines[0].guid}`]);
	});

	it.each(['crimesUnified', 'malopsManagement'])(
		'fires only the machine newly added to a Malop it already reported (newMalopMachine, %s)',
		async (source) => {
			const simulator = await console();
			const t = activeTrigger(simulator, { source });
			await t.poll();
			const malop = simulator.state.addMalop({ machines: 2 });
			expect(await t.poll()).toHaveLength(2);

			const added = simulator.state.addMachineToMalop(malop.guid, { name: 'srv-new-victim' });
			const fired = await t.poll();
			expect(pairs(fired)).toEqual([`${malop.guid}:${added.guid}`]);
			expect(fired[0].machineName).toBe('srv-new-victim');
			expect(await t.poll()).toEqual([]);
		},
	);

	it('also fires for a machine added to a Malop from before the activation, and not for its old machines', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		const old = [...simulator.state.malops.values()][0];
		const added = simulator.state.addMachineToMalop(old.guid);
		// Never seen before by this trigger: every machine of the Malop is new to it.
		const fired = await t.poll();
		expect(pairs(fired)).toEqual([...old.machines.map((m) => `${old.guid}:${m.guid}`)].sort());
		expect(pairs(fired)).toContain(`${old.guid}:${added.guid}`);
		expect(await t.poll()).toEqual([]);
	});

	it.each([
		['crimesUnified', { managementStatus: 'OPEN' as const }, { status: 'OPEN' }],
		[
			'malopsManagement',
			{ investigationStatus: 'UnderInvestigation' as const },
			{ investigationStatus: 'UnderInvestigation' },
		],
	])(
		'fires once per update with malopUpdated, with an event id per machine and update (%s)',
		async (source, patch, shown) => {
			const simulator = await console();
			const t = activeTrigger(simulator, { event: 'malopUpdated', source });
			await t.poll();
			const malop = simulator.state.addMalop({ machines: 2 });
			const first = await t.poll();
			expect(first).toHaveLength(2);
			expect(await t.poll()).toEqual([]);

			simulator.state.updateMalop(malop.guid, { ...patch, lastUpdateTime: Date.now() + 1000 });
			const second = await t.poll();
			expect(pairs(second)).toEqual(pairs(first));
			expect(second.map((i) => i.eventId)).not.toEqual(first.map((i) => i.eventId));
			expect(second[0]).toMatchObject(shown);
			expect(await t.poll()).toEqual([]);
		},
	);

	it('loses nothing when a poll fails: the state stays and the next poll emits what was missed', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		const before = JSON.stringify(t.staticData);
		const malop = simulator.state.addMalop({ machines: 2 });
		simulator.state.addFault({ path: CRIMES, status: 500, times: Infinity });
		await expect(t.poll()).rejects.toThrow(/Could not query .*HTTP 500/);
		expect(JSON.stringify(t.staticData)).toBe(before);

		simulator.state.clearFaults();
		expect(pairs(await t.poll())).toEqual(
			malop.machines.map((m) => `${malop.guid}:${m.guid}`).sort(),
		);
	});

	it('re-reads the overlap window: an update reported late, at or before the last one seen, still fires once', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		const boundary = Date.now() + 5000;
		const first = simulator.state.addMalop({ machines: 1 });
		simulator.state.updateMalop(first.guid, { lastUpdateTime: boundary });
		expect(await t.poll()).toHaveLength(1);

		// Same timestamp as the cursor, and one a little older: both arrive after the poll that set the cursor.
		const same = simulator.state.addMalop({ machines: 1 });
		simulator.state.updateMalop(same.guid, { lastUpdateTime: boundary });
		const late = simulator.state.addMalop({ machines: 1 });
		simulator.state.updateMalop(late.guid, { lastUpdateTime: boundary - 2 * MIN });
		expect(pairs(await t.poll())).toEqual(
			[`${same.guid}:${same.machines[0].guid}`, `${late.guid}:${late.machines[0].guid}`].sort(),
		);
		expect(await t.poll()).toEqual([]);

		const query = simulator.requests.filter((r) => r.path === CRIMES).at(-1)?.body as IDataObject;
		const filter = ((query.queryPath as IDataObject[])[0].filters as IDataObject[])[0];
		expect(filter).toMatchObject({ facetName: 'malopLastUpdateTime', filterType: 'GreaterThan' });
		expect((filter.values as number[])[0]).toBe(boundary - 10 * MIN - 1);
	});

	it('watches both Malop types and the detection inbox, including Endpoint Protection Malops', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		const logon = simulator.state.addMalop({ kind: 'MalopLogonSession', machines: 1 });
		const process = simulator.state.addMalop({ kind: 'MalopProcess', machines: 1 });
		const fired = await t.poll();
		expect(fired.map((i) => i.malopType).sort()).toEqual(['MalopLogonSession', 'MalopProcess']);
		expect(pairs(fired)).toEqual(
			[
				`${logon.guid}:${logon.machines[0].guid}`,
				`${process.guid}:${process.machines[0].guid}`,
			].sort(),
		);

		const inbox = activeTrigger(simulator, { source: 'detectionInbox' });
		await inbox.poll();
		const epp = simulator.state.addMalop({ kind: 'EPP', machines: 1 });
		const eppFired = await inbox.poll();
		expect(eppFired).toHaveLength(1);
		expect(eppFired[0]).toMatchObject({ malopId: epp.guid, malopType: 'EPP' });
		expect(eppFired[0].malopUrl).toBe(`${simulator.url}/#/detection-malop/${epp.guid}`);
	});

	it('with Start From, emits what was updated since then on the first poll', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator, {
			options: { startFrom: new Date(Date.now() - 7 * 86_400_000).toISOString() },
		});
		const fired = await t.poll();
		const expected = [...simulator.state.malops.values()].filter(
			(m) =>
				m.kind !== 'EPP' &&
				m.managementStatus !== 'CLOSED' &&
				m.managementStatus !== 'FP' &&
				m.lastUpdateTime >= Date.now() - 7 * 86_400_000,
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(new Set(fired.map((i) => i.malopId))).toEqual(new Set(expected.map((m) => m.guid)));
		expect(await t.poll()).toEqual([]);
	});

	it('writes its state to n8n only when it changed, and picks up after a restart without repeating itself', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		const first = simulator.state.addMalop({ machines: 2 });
		expect(await t.poll()).toHaveLength(2);
		const saves = t.active.saves;
		// Quiet polls (the same Malops come back in the overlap window) change nothing: nothing to write.
		expect(await t.poll()).toEqual([]);
		expect(await t.poll()).toEqual([]);
		expect(t.active.saves).toBe(saves);

		// n8n restarts and loads the workflow from its database.
		t.active.restart();
		expect(await t.poll()).toEqual([]);
		const added = simulator.state.addMachineToMalop(first.guid);
		expect(pairs(await t.poll())).toEqual([`${first.guid}:${added.guid}`]);
		expect(t.active.saves).toBeGreaterThan(saves);
		t.active.restart();
		expect(await t.poll()).toEqual([]);
	});

	it('"Fetch Test Event" returns the newest Malop without touching the state', async () => {
		const simulator = await console();
		const t = activeTrigger(simulator);
		await t.poll();
		const state = JSON.stringify(t.staticData);
		const malop = simulator.state.addMalop({ machines: 2 });
		const sample = await t.poll('manual');
		expect(sample.map((i) => i.malopId)).toEqual([malop.guid, malop.guid]);
		expect(JSON.stringify(t.staticData)).toBe(state);
		// The real poll still fires it.
		expect(await t.poll()).toHaveLength(2);
	});

	it('says clearly when the console rejects the login, in manual mode and on activation', async () => {
		const simulator = await console();
		const engine = new Engine();
		engine.setCredential({
			baseUrl: simulator.url,
			username: DEMO_USER.username,
			password: 'nope-nope-nope',
		});
		await expect(engine.poll(trigger(), {}, 'manual')).rejects.toThrow(
			'Cybereason rejected the login: check the username and password',
		);
		const staticData: IDataObject = {};
		await expect(engine.poll(trigger(), staticData, 'trigger')).rejects.toThrow(
			'Cybereason rejected the login: check the username and password',
		);
		expect(staticData['node:Cybereason Trigger']).toEqual({});
	});
});

describe('Cybereason Trigger: an answer without its data', () => {
	it.each([
		['crimesUnified', CRIMES, { status: 200, body: '' }],
		['crimesUnified', CRIMES, { status: 200, body: { status: 'SUCCESS', data: null } }],
		['detectionInbox', '/rest/detection/inbox', { status: 204, body: '' }],
		['detectionInbox', '/rest/detection/inbox', { status: 200, body: [] }],
		['malopsManagement', '/rest/mmng/v2/malops', { status: 200, body: { status: 'SUCCESS' } }],
		['malopsManagement', '/rest/mmng/v2/malops', { status: 200, body: { data: { data: [] } } }],
	])(
		'from %s (%s, %j) fails the poll naming the endpoint, keeps the state, and the next poll catches up',
		async (source, path, fault) => {
			const simulator = await console();
			const t = activeTrigger(simulator, { source });
			await t.poll();
			const before = JSON.stringify(t.staticData);
			const malop = simulator.state.addMalop({ kind: 'MalopProcess', machines: 2 });
			simulator.state.addFault({ path, times: Infinity, ...fault });
			await expect(t.poll()).rejects.toThrow(
				new RegExp(
					`^Could not .*: the console answered ${path} with HTTP 20[04] .*instead of a Malop list`,
				),
			);
			expect(JSON.stringify(t.staticData)).toBe(before);

			simulator.state.clearFaults();
			expect(pairs(await t.poll())).toEqual(
				malop.machines.map((m) => `${malop.guid}:${m.guid}`).sort(),
			);
		},
	);
});

const MMNG = '/rest/mmng/v2/malops';

const lastBody = (s: Simulator) =>
	s.requests.filter((r) => r.path === MMNG).at(-1)?.body as unknown as MmngRequest;

describe('Cybereason Trigger on Malops management', () => {
	it('remembers what is there on activation, then fires each new Malop once per machine with its sensor id', async () => {
		const s = await console();
		const t = activeTrigger(s, { source: 'malopsManagement' });
		expect(await t.poll()).toEqual([]);

		const malop = s.state.addMalop({ kind: 'EPP', machines: 2 });
		const fired = await t.poll();
		expect(pairs(fired)).toEqual(malop.machines.map((m) => `${malop.guid}:${m.guid}`).sort());
		for (const item of fired) {
			const machine = malop.machines.find((m) => m.guid === item.machineGuid)!;
			expect(item).toMatchObject({
				malopType: 'EPP',
				malopUrl: `${s.url}/#/detection-malop/${malop.guid}`,
				pylumId: machine.pylumId,
				investigationStatus: 'Pending',
				eventId: `${malop.guid}:${machine.guid}`,
			});
		}
		expect(await t.poll()).toEqual([]);

		// Oldest first from the cursor minus the overlap (the range is inclusive: GreaterThan start - 1 = from start).
		const body = lastBody(s);
		expect(body.sort).toEqual([{ field: 'LastUpdateTime', order: 'asc' }]);
		expect(body.range.from).toBe(malop.lastUpdateTime - 10 * MIN);
	});

	it('pages through a burst of new Malops, some added or updated between its pages, and fires each pair once', async () => {
		// A console that serves 100 Malops per page.
		const s = (sim = await consoleWithHistory({ mmngMaxPageSize: 100 }));
		const t = activeTrigger(s, { source: 'malopsManagement', filters: { includeClosed: true } });
		await t.poll();
		const burst = Array.from({ length: 230 }, () => s.state.addMalop({ machines: 1 }));
		let page = 0;
		s.state.addFault({
			path: MMNG,
			times: Infinity,
			act: (state) => {
				if (++page !== 2) return;
				// One new, and one already read that moves to the newest end (the pages after it shift back by one).
				burst.push(state.addMalop({ machines: 2 }));
				state.updateMalop(burst[5].guid, { severity: 'Low' });
			},
		});
		const fired = await t.poll();
		expect(s.requests.filter((r) => r.path === MMNG).length).toBeGreaterThan(3);
		const expected = burst.flatMap((m) => m.machines.map((x) => `${m.guid}:${x.guid}`)).sort();
		expect(pairs(fired)).toEqual(expected);
		s.state.clearFaults();
		expect(await t.poll()).toEqual([]);
	});

	it('keeps its state when the answer says FAILURE, and the next poll emits what was missed', async () => {
		const s = await console();
		const t = activeTrigger(s, { source: 'malopsManagement' });
		await t.poll();
		const before = JSON.stringify(t.staticData);
		const malop = s.state.addMalop({ machines: 2 });
		s.state.addFault({ path: MMNG, envelopeStatus: 'FAILURE', times: Infinity });
		await expect(t.poll()).rejects.toThrow(/Cybereason reported FAILURE/);
		expect(JSON.stringify(t.staticData)).toBe(before);
		s.state.clearFaults();
		expect(pairs(await t.poll())).toEqual(
			malop.machines.map((m) => `${malop.guid}:${m.guid}`).sort(),
		);
	});
});
