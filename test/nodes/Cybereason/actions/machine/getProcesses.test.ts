// Machine Get Processes in n8n's engine: the processes of one machine, looked up by GUID, name or pylumId.
import { engineFor } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();
const GET_PROCESSES = { resource: 'machine', operation: 'getProcesses' };
const VS = '/rest/visualsearch/query/simple';

describe('machine get processes', () => {
	it('by GUID (the default), name or pylumId: every process on the machine, paired to its item', async () => {
		const sim = await start();
		const [a, b] = [...sim.state.machines.values()];
		const mine = (guid: string) =>
			sim.state.hunting
				.model()
				.processesByMachine.get(guid)!
				.map((p) => p.guid)
				.sort();
		const result = await runNode(
			engineFor(sim),
			[{ machineGuid: a.guid }, { machineGuid: b.guid }],
			{
				...GET_PROCESSES,
				returnAll: true,
			},
		);
		const items = result.output(NODE);
		const of = (item: number) =>
			items
				.filter((i) => (i.pairedItem as { item: number }).item === item)
				.map((i) => i.json.processGuid)
				.sort();
		expect(of(0)).toEqual(mine(a.guid));
		expect(of(1)).toEqual(mine(b.guid));
		expect(new Set(items.map((i) => i.json.machineName))).toEqual(new Set([a.name, b.name]));
		expect(received(sim, VS)[0].body).toMatchObject({
			queryPath: [{ requestedType: 'Machine', guidList: [a.guid] }, { requestedType: 'Process' }],
		});

		const byName = await runNode(engineFor(sim), [{ host: a.name }], {
			...GET_PROCESSES,
			lookupBy: 'name',
			machine: '={{ $json.host }}',
			returnAll: true,
		});
		expect(
			out(byName)
				.map((i) => i.processGuid)
				.sort(),
		).toEqual(mine(a.guid));
		const byPylum = await runNode(engineFor(sim), [{ pylumId: a.pylumId }], {
			...GET_PROCESSES,
			lookupBy: 'pylumId',
			limit: 2,
		});
		expect(out(byPylum)).toHaveLength(2);
		expect(received(sim, VS).at(-1)?.body).toMatchObject({
			queryPath: [{ filters: [{ facetName: 'pylumId', values: [a.pylumId] }] }, {}],
			totalResultLimit: 2,
		});
	});

	it('an unknown machine or a missing one is an error naming the item; continue-on-fail pairs it', async () => {
		const sim = await start();
		const [a] = [...sim.state.machines.values()];
		const result = await runNode(
			engineFor(sim),
			[{ machineGuid: 'AAAAnoSuchMach01' }, {}, { machineGuid: a.guid }],
			{ ...GET_PROCESSES, limit: 1 },
			{ continueOnFail: true },
		);
		expect(out(result).slice(0, 2)).toEqual([
			expect.objectContaining({
				error: 'Cybereason knows no machine with GUID AAAAnoSuchMach01 (item 0)',
			}),
			expect.objectContaining({ error: 'No machine GUID in item 1' }),
		]);
		expect(result.output(NODE)[2]).toMatchObject({
			json: { machineGuid: a.guid },
			pairedItem: { item: 2 },
		});
		const failed = await runNode(
			engineFor(sim),
			[{ machineGuid: 'AAAAnoSuchMach01' }],
			GET_PROCESSES,
		);
		expect(failed.error?.message).toBe(
			'Cybereason knows no machine with GUID AAAAnoSuchMach01 (item 0)',
		);
	});
});
