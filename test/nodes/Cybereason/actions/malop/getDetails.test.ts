// Malop Get Details in n8n's engine: one item per suspect process with its suspicions and its machine's sensor
// state, for either Malop type; an unknown Malop names the item.
import { partialRetry } from '../../../../../nodes/shared/hunting/search';
import { engineFor } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();
beforeAll(() => {
	partialRetry.delayMs = 5;
});
const DETAILS = { resource: 'malop', operation: 'getDetails' };
const VS = '/rest/visualsearch/query/simple';

describe('malop get details', () => {
	it('one item per suspect process: name, command line, pid, machine, image hashes, suspicions, verdict', async () => {
		const sim = await start();
		const malop = [...sim.state.malops.values()].find(
			(m) => m.kind === 'MalopProcess' && m.machines.length > 1,
		)!;
		const suspects = sim.state.hunting.model().suspectsByMalop.get(malop.guid)!;
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], DETAILS);
		expect(result.error).toBeUndefined();
		const items = out(result);
		expect(items.map((i) => i.processGuid).sort()).toEqual(suspects.map((p) => p.guid).sort());
		const p = suspects.find((x) => x.guid === items[0].processGuid)!;
		const machine = sim.state.machines.get(p.machine.guid)!;
		const [suspicion, seen] = Object.entries(p.suspicions)[0];
		expect(items[0]).toMatchObject({
			malopId: malop.guid,
			name: p.name,
			commandLine: p.commandLine,
			pid: p.pid,
			machineName: machine.name,
			machineGuid: machine.guid,
			imageFileHash: { md5: p.image.md5, sha1: p.image.sha1 },
			suspicions: [{ name: suspicion, firstSeen: new Date(seen).toISOString() }],
			isMalicious: true,
			pylumId: machine.pylumId,
			machineConnected: machine.connected,
			machineIsolated: machine.isolated,
		});
		result.output(NODE).forEach((i) => expect(i.pairedItem).toEqual({ item: 0 }));
		expect(received(sim, VS).map((r) => (r.body as { queryPath: unknown[] }).queryPath)).toEqual(
			expect.arrayContaining([
				[
					expect.objectContaining({
						requestedType: 'MalopProcess',
						guidList: [malop.guid],
						connectionFeature: { elementInstanceType: 'MalopProcess', featureName: 'suspects' },
					}),
					expect.objectContaining({ requestedType: 'Process', isResult: true }),
				],
			]),
		);
	});

	it('a MalopLogonSession is found too; an unknown or EPP Malop is an error naming the item', async () => {
		const sim = await start();
		const logon = [...sim.state.malops.values()].find((m) => m.kind === 'MalopLogonSession')!;
		const epp = [...sim.state.malops.values()].find((m) => m.kind === 'EPP')!;
		const result = await runNode(
			engineFor(sim),
			[{ malopId: logon.guid }, { malopId: epp.guid }, { malopId: '' }],
			DETAILS,
			{ continueOnFail: true },
		);
		const items = out(result);
		expect(items.filter((i) => i.malopId === logon.guid).length).toBeGreaterThan(0);
		expect(items.slice(-2)).toEqual([
			expect.objectContaining({
				error: `Cybereason knows no AI Hunting Malop ${epp.guid} (item 1)`,
				description: expect.stringContaining('Endpoint Protection'),
			}),
			expect.objectContaining({ error: 'No Malop ID in item 2' }),
		]);
		const failed = await runNode(engineFor(sim), [{ malopId: '11.-404' }], DETAILS);
		expect(failed.error?.message).toBe('Cybereason knows no AI Hunting Malop 11.-404 (item 0)');
	});

	it('a failed detection server is a warning on every item, not a silent gap', async () => {
		const sim = await start({ hunting: { servers: 2 } });
		const malop = [...sim.state.malops.values()].find((m) => m.kind === 'MalopProcess')!;
		sim.state.hunting.faults.add({ requestedType: 'Process', failedServers: 1, times: Infinity });
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], DETAILS);
		expect(
			out(result).every((i) => String((i.warnings as string[])[0]).includes('PARTIAL_SUCCESS')),
		).toBe(true);
		expect(result.hints(NODE)[0].message).toContain('Asked 2 times');
	});
});
