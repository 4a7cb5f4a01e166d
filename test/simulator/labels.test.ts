import { asRecord, call } from './helpers';
import { useSimulator } from './views';

interface Label {
	id: number;
	labelText: string;
	count: number;
	empty: boolean;
}

describe('Malop labels: detection/labels, add-label, update-labels, labels/delete', () => {
	const t = useSimulator({
		malops: 30,
		eppMalops: 4,
		machinesPerMalop: 1,
		logonSessionShare: 0,
		seed: 21,
	});
	const post = (path: string, body?: unknown) =>
		call(t.sim, 'POST', path, { cookie: t.cookie, body });
	const labels = async (body: unknown = []) => {
		const answer = await post('/rest/detection/labels', body);
		expect(answer.status).toBe(200);
		return answer.json as Label[];
	};
	const create = async (labelText: string) => {
		const answer = await post('/rest/detection/add-label', { labelText });
		expect(answer.status).toBe(200);
		return answer.json as Label;
	};
	const update = (malopGuids: string[], addedLabels: number[], removedLabels: number[] = []) =>
		post('/rest/detection/update-labels', { malopGuids, addedLabels, removedLabels });
	const edr = () => t.dataset.malops.filter((m) => m.kind === 'MalopProcess');

	beforeEach(() => t.clock.advance(60_000));

	it('lists the labels the Malops carry, with ids and counts', async () => {
		const all = await labels();
		const texts = new Set(t.dataset.malops.flatMap((m) => m.labels));
		expect(texts.size).toBeGreaterThan(0);
		expect(all.map((l) => l.labelText).sort()).toEqual([...texts].sort());
		for (const l of all) {
			expect(Number.isInteger(l.id)).toBe(true);
			expect(l.empty).toBe(false);
			expect(l.count).toBe(t.dataset.malops.filter((m) => m.labels.includes(l.labelText)).length);
		}
		expect(await labels(undefined)).toEqual(all);
	});

	it('creates a label; the list then holds an object equal to the answer (forensic-security’s test)', async () => {
		const label = await create('n8n-triaged');
		expect(label).toEqual({
			id: expect.any(Number),
			labelText: 'n8n-triaged',
			count: 0,
			empty: false,
		});
		expect(await labels()).toContainEqual(label);
		const dup = await post('/rest/detection/add-label', { labelText: 'n8n-triaged' });
		expect(dup.status).toBe(400);
		expect(asRecord(dup.json).message).toContain('already exists');
		for (const body of [{ labelText: ' ' }, {}, ['n8n']]) {
			expect((await post('/rest/detection/add-label', body)).status).toBe(400);
		}
	});

	it('adds a label to several Malops: the text `success`, and every view shows it', async () => {
		const label = await create('contained');
		const [a, b] = edr();
		const before = a.lastUpdateTime;
		const answer = await update([a.guid, b.guid], [label.id]);
		expect(answer.status).toBe(200);
		expect(answer.text).toBe('success');
		expect(answer.json).toBeUndefined();
		expect(answer.headers.get('content-type')).toContain('application/json');

		expect((await t.read.inbox(a.guid)).labels).toContain('contained');
		const item = await t.read.mmng(b.guid);
		expect(item.labels).toContainEqual({ ...label, count: 2 });
		expect((await t.read.crimes(a.guid)).labelsIds).toContain(label.id);
		expect((await t.read.metadata(a.guid)).malopLabels).toContain(label.id);
		expect((await labels([a.guid])).map((l) => l.labelText)).toContain('contained');
		expect(await labels(['no-such-malop'])).toEqual([]);
		// A label is metadata: the detection's lastUpdateTime stays.
		expect((await t.read.mmng(a.guid)).lastUpdateTime).toBe(before);
	});

	it('removes a label from a Malop and leaves the others', async () => {
		const label = await create('to-remove');
		const [a, b] = edr().slice(2);
		await update([a.guid, b.guid], [label.id]);
		expect((await update([a.guid], [], [label.id])).text).toBe('success');
		expect((await t.read.inbox(a.guid)).labels).not.toContain('to-remove');
		expect((await t.read.inbox(b.guid)).labels).toContain('to-remove');
		expect((await labels()).find((l) => l.id === label.id)?.count).toBe(1);
	});

	it.each([
		[
			'an unknown label id',
			(g: string[]) => ({ malopGuids: g, addedLabels: [999_999], removedLabels: [] }),
		],
		[
			'an unknown Malop',
			(g: string[]) => ({ malopGuids: [...g, 'no-such-malop'], addedLabels: [101] }),
		],
		['no Malops', () => ({ malopGuids: [], addedLabels: [101] })],
		['label ids as strings', (g: string[]) => ({ malopGuids: g, addedLabels: ['101'] })],
		[
			'a label both added and removed',
			(g: string[]) => ({ malopGuids: g, addedLabels: [101], removedLabels: [101] }),
		],
		['a list body', (g: string[]) => g],
	])('answers 400 FAILURE to update-labels with %s and changes no Malop', async (_name, body) => {
		const guids = edr()
			.slice(4, 6)
			.map((m) => m.guid);
		const snapshot = guids.map((g) => t.sim.state.malops.get(g)?.labels.slice());
		const answer = await post('/rest/detection/update-labels', body(guids));
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'FAILURE' });
		expect(guids.map((g) => t.sim.state.malops.get(g)?.labels)).toEqual(snapshot);
	});

	it('deletes a label everywhere, and answers `success` even for an unknown id', async () => {
		const label = await create('short-lived');
		const [a] = edr().slice(6);
		await update([a.guid], [label.id]);
		const answer = await post('/rest/labels/delete', { id: label.id });
		expect(answer.text).toBe('success');
		expect((await labels()).map((l) => l.id)).not.toContain(label.id);
		expect((await t.read.inbox(a.guid)).labels).not.toContain('short-lived');
		expect((await post('/rest/labels/delete', { id: 424_242 })).text).toBe('success');
		expect((await post('/rest/labels/delete', { id: 'x' })).status).toBe(400);
	});

	it('sends `success` as text/plain when successContentType is "text"', async () => {
		const label = await create('plain');
		t.sim.state.management.successContentType = 'text';
		try {
			const answer = await update([edr()[7].guid], [label.id]);
			expect(answer.text).toBe('success');
			expect(answer.headers.get('content-type')).toContain('text/plain');
		} finally {
			t.sim.state.management.successContentType = 'json';
		}
	});

	it('gives a label set through updateMalop an id too', async () => {
		const m = edr()[8];
		t.sim.state.updateMalop(m.guid, { labels: ['set-by-a-test'] });
		const listed = (await labels([m.guid])).find((l) => l.labelText === 'set-by-a-test');
		expect(listed).toMatchObject({ count: 1 });
		expect((await t.read.mmng(m.guid)).labels.map((l) => l.id)).toEqual([listed?.id]);
	});
});
