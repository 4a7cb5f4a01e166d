import type { MmngRequest } from '../../../nodes/shared/types';
import type { Simulator } from '../../../simulator';
import { activeTrigger, consoleWithHistory, MIN, pairs } from './harness';

const MMNG = '/rest/mmng/v2/malops';

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
});

async function console(): Promise<Simulator> {
	sim = await consoleWithHistory();
	return sim;
}

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

	it('fires only the machine added to a Malop it already reported', async () => {
		const s = await console();
		const t = activeTrigger(s, { source: 'malopsManagement' });
		await t.poll();
		const malop = s.state.addMalop({ machines: 2 });
		expect(await t.poll()).toHaveLength(2);
		const added = s.state.addMachineToMalop(malop.guid, { name: 'srv-new-victim' });
		const fired = await t.poll();
		expect(pairs(fired)).toEqual([`${malop.guid}:${added.guid}`]);
		expect(fired[0]).toMatchObject({ machineName: 'srv-new-victim', pylumId: added.pylumId });
		expect(await t.poll()).toEqual([]);
	});

	it('fires once per update with malopUpdated, with the new investigation status', async () => {
		const s = await console();
		const t = activeTrigger(s, { source: 'malopsManagement', event: 'malopUpdated' });
		await t.poll();
		const malop = s.state.addMalop({ machines: 2 });
		const first = await t.poll();
		expect(first).toHaveLength(2);
		s.state.updateMalop(malop.guid, {
			investigationStatus: 'UnderInvestigation',
			lastUpdateTime: Date.now() + 1000,
		});
		const second = await t.poll();
		expect(pairs(second)).toEqual(pairs(first));
		expect(second.map((i) => i.eventId)).not.toEqual(first.map((i) => i.eventId));
		expect(second[0].investigationStatus).toBe('UnderInvestigation');
		expect(await t.poll()).toEqual([]);
	});

	it('pages through a burst of new Malops, some arriving between its pages, and fires each pair once', async () => {
		const s = await console();
		const t = activeTrigger(s, { source: 'malopsManagement', filters: { includeClosed: true } });
		await t.poll();
		const burst = Array.from({ length: 230 }, () => s.state.addMalop({ machines: 1 }));
		let page = 0;
		s.state.addFault({
			path: MMNG,
			times: Infinity,
			act: (state) => {
				if (++page === 2) burst.push(state.addMalop({ machines: 2 }));
			},
		});
		const fired = await t.poll();
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
