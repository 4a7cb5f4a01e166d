// Malop Get: exactly the item Get Malops gives in perMalop mode, for both element types and for EPP Malops.
import type { IDataObject } from 'n8n-workflow';

import { CybereasonGetMalops } from '../../../../../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { registerNodeType } from '../../../../../scripts/lib/engine';
import { generateDataset } from '../../../../../simulator';
import { engineFor, type Simulator } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());

const start = simulatorPerTest();

const GET = { resource: 'malop', operation: 'get' };

async function dataset() {
	return await start({
		dataset: generateDataset({
			malops: 6,
			eppMalops: 2,
			machinesPerMalop: 2,
			logonSessionShare: 0.5,
			seed: 13,
			baseTime: Date.now(),
		}),
	});
}

async function getMalopsPerMalop(s: Simulator, source: string): Promise<Map<string, IDataObject>> {
	const result = await engineFor(s).run({
		nodes: [
			{
				name: 'Get Malops',
				type: 'n8n-nodes-cybereason.cybereasonGetMalops',
				parameters: {
					source,
					returnAll: true,
					outputMode: 'perMalop',
					filters: { includeClosed: true },
				},
			},
		],
	});
	return new Map(result.output('Get Malops').map((i) => [String(i.json.malopId), i.json]));
}

describe('malop get', () => {
	it('gives each Malop exactly as Get Malops perMalop does: MalopProcess, MalopLogonSession and EPP', async () => {
		const sim = await dataset();
		const malops = [...sim.state.malops.values()];
		const kinds = new Set(malops.map((m) => m.kind));
		expect(kinds).toEqual(new Set(['MalopProcess', 'MalopLogonSession', 'EPP']));
		const crimes = await getMalopsPerMalop(sim, 'crimesUnified');
		const inbox = await getMalopsPerMalop(sim, 'detectionInbox');
		sim.requests.length = 0;

		const result = await runNode(
			engineFor(sim),
			malops.map((m) => ({ malopId: m.guid })),
			GET,
		);
		expect(result.error).toBeUndefined();
		const items = out(result);
		expect(items).toHaveLength(malops.length);
		malops.forEach((m, i) => {
			const expected = m.kind === 'EPP' ? inbox.get(m.guid) : crimes.get(m.guid);
			expect(items[i]).toEqual(expected);
		});
		result.output(NODE).forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		// EDR Malops by guidList, both types asked; EPP Malops only through the details.
		const first = received(sim, '/rest/crimes/unified')[0].body as IDataObject;
		expect(first.queryPath).toEqual([
			expect.objectContaining({ guidList: [malops[0].guid], filters: [] }),
		]);
		expect(received(sim, '/rest/detection/details').map((r) => r.body)).toEqual(
			malops.filter((m) => m.kind === 'EPP').map((m) => ({ malopGuid: m.guid })),
		);
	});

	it('names the item of an unknown Malop, and gives a paired error item under continue-on-fail', async () => {
		const sim = await dataset();
		const [known] = sim.state.malops.values();
		const input = [{ malopId: known.guid }, { malopId: 'AAAAnoSuchMalop1' }];

		const strict = await runNode(engineFor(sim), input, GET);
		expect(strict.error?.message).toBe(
			'Malop AAAAnoSuchMalop1 (item 1) was not found in Cybereason',
		);

		const lenient = await runNode(engineFor(sim), input, GET, { continueOnFail: true });
		const items = out(lenient);
		expect(items[0].malopId).toBe(known.guid);
		expect(items[1]).toEqual({
			error: 'Malop AAAAnoSuchMalop1 (item 1) was not found in Cybereason',
			description: expect.stringContaining('Neither crimes/unified'),
		});
		expect(lenient.output(NODE)[1].pairedItem).toEqual({ item: 1 });
	});

	it('refuses an item without a Malop ID before asking the console', async () => {
		const sim = await dataset();
		const result = await runNode(engineFor(sim), [{}], GET);
		expect(result.error?.message).toBe('No Malop ID in item 0');
		expect(received(sim, '/rest/crimes/unified')).toHaveLength(0);
	});

	it('asks again for a Malop the console returned without its details, and says so when it stays empty', async () => {
		const sim = await dataset();
		const malop = [...sim.state.malops.values()].find((m) => m.kind === 'MalopProcess')!;
		sim.state.updateMalop(malop.guid, { emptyElementValues: true });
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], GET);
		const [item] = out(result);
		expect(item.machines).toEqual([]);
		expect(item.warnings).toEqual([
			expect.stringMatching(/^Cybereason returned this Malop without its details/),
		]);
		const asked = received(sim, '/rest/crimes/unified').filter(
			(r) => (r.body as { queryPath: IDataObject[] }).queryPath[0].requestedType === 'MalopProcess',
		);
		expect(asked).toHaveLength(2);
	});
});
