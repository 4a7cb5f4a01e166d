// File Search in n8n's engine: by MD5, SHA-1 (either case) or name, one item per file × machine; bad hashes named
// by item; a blocked hash shows its classification in later searches.
import { partialRetry } from '../../../../../nodes/shared/hunting/search';
import { engineFor } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();
const SEARCH = { resource: 'file', operation: 'search' };
const VS = '/rest/visualsearch/query/simple';

beforeAll(() => {
	partialRetry.delayMs = 5;
});

describe('file search', () => {
	it('by hash: the machines where the file is, one item each, whatever the case of the hash', async () => {
		const sim = await start();
		const file = sim.state.hunting
			.model()
			.files.find((f) => f.malops.length > 0 && f.malops[0].machines.length > 1)!;
		const copies = sim.state.hunting.model().files.filter((f) => f.md5 === file.md5);
		const result = await runNode(engineFor(sim), [{ hash: file.md5.toUpperCase() }], SEARCH);
		const items = out(result);
		expect(items.map((i) => i.machineGuid).sort()).toEqual(
			copies.map((f) => f.machine.guid).sort(),
		);
		expect(items[0]).toEqual({
			hash: file.md5,
			hashType: 'md5',
			md5: file.md5,
			sha1: file.sha1,
			fileName: file.name,
			filePath: expect.any(String),
			machineName: expect.any(String),
			machineGuid: expect.any(String),
			maliciousClassification: expect.any(String),
			blocked: false,
			signed: false,
			company: file.company || null,
			fileGuid: expect.any(String),
		});
		result.output(NODE).forEach((i) => expect(i.pairedItem).toEqual({ item: 0 }));
		expect(received(sim, VS)[0].body).toMatchObject({
			queryPath: [
				{
					requestedType: 'File',
					filters: [
						{ facetName: 'md5String', values: [file.md5], filterType: 'ContainsIgnoreCase' },
					],
				},
			],
			perGroupLimit: 50,
		});
	});

	it('by SHA-1 and by name; MD5 and SHA-1 together are two queries', async () => {
		const sim = await start();
		const files = sim.state.hunting.model().files;
		const lsass = files.filter((f) => f.name === 'lsass.exe');
		const bySha1 = await runNode(engineFor(sim), [{ hash: lsass[0].sha1 }], {
			...SEARCH,
			returnAll: true,
		});
		expect(
			out(bySha1)
				.map((i) => i.fileGuid)
				.sort(),
		).toEqual(lsass.map((f) => f.guid).sort());
		expect(out(bySha1)[0]).toMatchObject({ hash: lsass[0].sha1, hashType: 'sha1', signed: true });
		const byName = await runNode(engineFor(sim), [{}], {
			...SEARCH,
			searchBy: 'fileName',
			fileName: 'lsass.exe',
			returnAll: true,
		});
		expect(
			out(byName)
				.map((i) => i.fileGuid)
				.sort(),
		).toEqual(lsass.map((f) => f.guid).sort());
		const svchost = files.find((f) => f.name === 'svchost.exe')!;
		const both = await runNode(engineFor(sim), [{ hash: [lsass[0].md5, svchost.sha1] }], {
			...SEARCH,
			returnAll: true,
		});
		expect(new Set(out(both).map((i) => i.fileName))).toEqual(
			new Set(['lsass.exe', 'svchost.exe']),
		);
		expect(
			received(sim, VS)
				.slice(-2)
				.map(
					(r) =>
						(r.body as { queryPath: Array<{ filters: Array<{ facetName: string }> }> }).queryPath[0]
							.filters[0].facetName,
				),
		).toEqual(['md5String', 'sha1String']);
	});

	it('a hash that is not MD5 or SHA-1 is an error naming the item; the other items still run', async () => {
		const sim = await start();
		const md5 = sim.state.hunting.model().files[0].md5;
		const input = [{ hash: 'e'.repeat(64) }, { hash: 'not-a-hash' }, { hash: md5 }, {}];
		const result = await runNode(engineFor(sim), input, SEARCH, { continueOnFail: true });
		const items = result.output(NODE);
		expect(items.slice(0, 2).map((i) => [i.json.error, i.pairedItem])).toEqual([
			[
				`Item 0: "${'e'.repeat(64)}" is a SHA-256 hash; Cybereason looks files up by MD5 or SHA-1 only`,
				{ item: 0 },
			],
			[
				'Item 1: "not-a-hash" is not an MD5 (32 hexadecimal characters) or SHA-1 (40 hexadecimal characters) hash',
				{ item: 1 },
			],
		]);
		expect(
			items.some((i) => (i.pairedItem as { item: number }).item === 2 && i.json.hash === md5),
		).toBe(true);
		expect(items.at(-1)).toMatchObject({
			json: { error: 'No file hash in item 3' },
			pairedItem: { item: 3 },
		});
		const failed = await runNode(engineFor(sim), [{ hash: 'abc' }], SEARCH);
		expect(failed.error?.message).toContain('Item 0: "abc" is not an MD5');
		const noName = await runNode(engineFor(sim), [{}], {
			...SEARCH,
			searchBy: 'fileName',
			fileName: '={{ $json.name }}',
		});
		expect(noName.error?.message).toBe('No file name in item 0');
	});
});
