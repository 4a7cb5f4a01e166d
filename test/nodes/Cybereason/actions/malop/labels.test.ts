// Add Labels and Remove Labels: missing labels created, one update-labels call for all Malops with the same
// labels, the bare `success` answer accepted under either Content-Type, an unknown label on remove named.
import type { IDataObject } from 'n8n-workflow';

import { addMalop, engineFor, type Simulator } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const ADD = { resource: 'malop', operation: 'addLabels', labels: '={{ $json.labels }}' };
const REMOVE = { resource: 'malop', operation: 'removeLabels', labels: '={{ $json.labels }}' };
const UPDATE = '/rest/detection/update-labels';
const labelsOf = (s: Simulator, guid: string) => s.state.malops.get(guid)?.labels;

describe('malop addLabels and removeLabels', () => {
	it.each(['json', 'text'] as const)(
		'creates missing labels and sends one update for every Malop with the same labels (success as %s)',
		async (successContentType) => {
			const sim = await start();
			sim.state.management.successContentType = successContentType;
			const existing = sim.state.labels.ensure('known');
			const [a, b, c] = [1, 2, 3].map((n) => addMalop(sim, [{ name: `desktop-l${n}` }]).malop);
			const input = [
				{ malopId: a.guid, labels: 'n8n-contained, known' },
				{ malopId: b.guid, labels: 'known,n8n-contained' },
				{ malopId: c.guid, labels: 'known' },
				{ malopId: a.guid, labels: 'known, n8n-contained' },
			];
			const result = await runNode(engineFor(sim), input, ADD);
			expect(result.error).toBeUndefined();
			expect(received(sim, '/rest/detection/labels')).toHaveLength(1);
			expect(received(sim, '/rest/detection/add-label').map((r) => r.body)).toEqual([
				{ labelText: 'n8n-contained' },
			]);
			const created = sim.state.labels.ids(['n8n-contained'])[0];
			const updates = received(sim, UPDATE).map((r) => r.body as IDataObject);
			expect(updates).toEqual([
				{
					malopGuids: [a.guid, b.guid],
					addedLabels: [existing.id, created].sort(),
					removedLabels: [],
				},
				{ malopGuids: [c.guid], addedLabels: [existing.id], removedLabels: [] },
			]);
			expect(labelsOf(sim, b.guid)).toEqual(expect.arrayContaining(['known', 'n8n-contained']));
			expect(out(result)).toEqual([
				{
					malopId: a.guid,
					addedLabels: ['n8n-contained', 'known'],
					createdLabels: ['n8n-contained'],
				},
				{
					malopId: b.guid,
					addedLabels: ['known', 'n8n-contained'],
					createdLabels: ['n8n-contained'],
				},
				{ malopId: c.guid, addedLabels: ['known'], createdLabels: [] },
				{
					malopId: a.guid,
					addedLabels: ['known', 'n8n-contained'],
					createdLabels: ['n8n-contained'],
				},
			]);
			result.output(NODE).forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		},
	);

	it('removes labels, and names the item whose label the console does not have', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-l4' }]);
		sim.state.updateMalopMetadata(malop.guid, { labels: ['triage', 'keep'] });
		const input = [
			{ malopId: malop.guid, labels: 'triage' },
			{ malopId: malop.guid, labels: 'no-such-label' },
		];
		const strict = await runNode(engineFor(sim), input, REMOVE);
		expect(strict.error?.message).toBe(
			`Cannot remove label "no-such-label" from Malop ${malop.guid} (item 1): Cybereason has no such label`,
		);
		expect(received(sim, UPDATE)).toHaveLength(0);

		const lenient = await runNode(engineFor(sim), input, REMOVE, { continueOnFail: true });
		const [done, failed] = out(lenient);
		expect(done).toEqual({ malopId: malop.guid, removedLabels: ['triage'] });
		expect(failed).toEqual({
			malopId: malop.guid,
			labels: ['no-such-label'],
			error: `Cannot remove label "no-such-label" from Malop ${malop.guid} (item 1): Cybereason has no such label`,
			description: expect.stringContaining('Labels in the console:'),
		});
		expect(lenient.output(NODE)[1].pairedItem).toEqual({ item: 1 });
		expect(labelsOf(sim, malop.guid)).toEqual(['keep']);
	});

	it('fails every item of a batch the console refuses, naming the Malops and items', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-l5' }]);
		sim.state.labels.ensure('known');
		const input = [
			{ malopId: malop.guid, labels: 'known' },
			{ malopId: 'AAAAnoSuchMalop4', labels: 'known' },
			{ malopId: malop.guid, labels: '' },
		];
		const result = await runNode(engineFor(sim), input, ADD, { continueOnFail: true });
		const items = out(result);
		const message = `Could not add the labels known to Malops ${malop.guid}, AAAAnoSuchMalop4 (items 0, 1): Cybereason rejected the request (HTTP 400): Unknown Malop AAAAnoSuchMalop4`;
		expect(items[0].error).toBe(message);
		expect(items[1].error).toBe(message);
		expect(items[2].error).toBe('No labels in item 2');
		expect(labelsOf(sim, malop.guid)).not.toContain('known');
	});

	it('fails an answer other than success', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-l6' }]);
		sim.state.labels.ensure('known');
		sim.state.addFault({ path: UPDATE, status: 200, body: 'maybe' });
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid, labels: 'known' }], ADD);
		expect(result.error?.message).toBe(
			`Cybereason did not confirm the label change of Malop ${malop.guid} (item 0)`,
		);
	});
});
