// The hunting queries through the real transport against the simulator: PARTIAL_SUCCESS asked again once and
// no more (msticpy #802/#803), cut and terminated answers reported, a Malop's details whatever its type, and
// reputations from the paged list and the files the sensors saw.
import {
	cybereasonApiUpdateClassification,
	blockChange,
} from '../../../../nodes/shared/api/classification';
import { fileItems } from '../../../../nodes/shared/hunting/files';
import { fetchMalopDetails } from '../../../../nodes/shared/hunting/malopDetails';
import { processItems } from '../../../../nodes/shared/hunting/processes';
import {
	lookupReputations,
	readReputationList,
} from '../../../../nodes/shared/hunting/reputationLookup';
import { partialRetry, runHunt } from '../../../../nodes/shared/hunting/search';
import { generateDataset, startSimulator, type Simulator } from '../../../../simulator';
import { valueOf } from '../api/harness';

const BASE = 1_717_000_000_000;
const VS = '/rest/visualsearch/query/simple';
const dataset = generateDataset({
	malops: 8,
	machinesPerMalop: 2,
	sharedMachines: 9,
	logonSessionShare: 0.5,
	seed: 21,
	baseTime: BASE,
});

let sim: Simulator;
beforeAll(async () => {
	partialRetry.delayMs = 5;
	sim = await startSimulator({ dataset, clock: { now: () => BASE }, hunting: { servers: 3 } });
});
afterAll(async () => await sim.close());
afterEach(() => {
	sim.state.hunting.faults.clear();
	sim.state.requests.length = 0;
});

const searches = () => sim.state.requests.filter((r) => r.path === VS);
const model = () => sim.state.hunting.model();
const lsass = { find: 'processes', processName: 'lsass.exe' } as const;
const everyLsass = () => model().processes.filter((p) => p.name === 'lsass.exe');

describe('PARTIAL_SUCCESS', () => {
	it('asked again once: a complete second answer is used, with no warning', async () => {
		sim.state.hunting.faults.add({ failedServers: 1, times: 1 });
		const result = await valueOf(
			sim,
			async (c) => await runHunt(c, { hunt: lsass, noun: 'process' }),
		);
		expect(searches()).toHaveLength(2);
		expect(result.returned).toBe(everyLsass().length);
		expect(result.warnings).toEqual([]);
		expect(result.notices).toEqual([
			"Cybereason answered PARTIAL_SUCCESS at first (some servers did not answer); asking again got every server's answer.",
		]);
	});

	it('never more than twice however often it repeats; the items hold what answered, with a warning', async () => {
		sim.state.hunting.faults.add({ failedServers: ['detection-server-2'], times: Infinity });
		const result = await valueOf(
			sim,
			async (c) => await runHunt(c, { hunt: lsass, noun: 'process' }),
		);
		expect(searches()).toHaveLength(2);
		const answering = everyLsass().filter(
			(p) => sim.state.hunting.serverOf(p.machine) !== 'detection-server-2',
		);
		expect(answering.length).toBeLessThan(everyLsass().length);
		expect(
			processItems(result.facts)
				.map((i) => i.processGuid)
				.sort(),
		).toEqual(answering.map((p) => p.guid).sort());
		expect(result.warnings).toEqual([
			'Cybereason answered PARTIAL_SUCCESS (1 server(s) failed): some console servers did not answer, so results may be incomplete: 1 of 3 servers did not answer the query (failed: detection-server-2). Asked 2 times; the items hold what the answering servers returned.',
		]);
	});

	it('keeps the answer with the fewest failed servers', async () => {
		sim.state.hunting.faults.add({ failedServers: 1, times: 1 });
		sim.state.hunting.faults.add({ failedServers: 2, times: 1 });
		const result = await valueOf(
			sim,
			async (c) => await runHunt(c, { hunt: lsass, noun: 'process' }),
		);
		expect(searches()).toHaveLength(2);
		expect(result.warnings[0]).toContain('(1 server(s) failed)');
	});
});

describe('cut answers', () => {
	it('a terminated query is a warning', async () => {
		sim.state.hunting.faults.add({ terminateAfter: 3 });
		const result = await valueOf(
			sim,
			async (c) => await runHunt(c, { hunt: { find: 'processes' }, noun: 'process' }),
		);
		expect(result.returned).toBe(3);
		expect(result.warnings).toEqual([
			`Cybereason answered 3 of ${model().processes.length} matching processes (queryTerminated: it stopped the query early). Narrow the search to see the rest.`,
		]);
	});

	it('Limit: exactly that many, perGroupLimit included, and a notice that more exist', async () => {
		const result = await valueOf(
			sim,
			async (c) => await runHunt(c, { hunt: lsass, limit: 2, noun: 'process' }),
		);
		expect(searches()[0].body).toMatchObject({ totalResultLimit: 2, perGroupLimit: 2 });
		expect(result.returned).toBe(2);
		expect(result.warnings).toEqual([]);
		expect(result.notices).toEqual([
			`2 processes of ${everyLsass().length} matching: Limit 2 reached. Turn on Return All or raise Limit to see more.`,
		]);
	});

	it('Return All asks for the console maximum, perGroupLimit included (not its default of 100)', async () => {
		const image = everyLsass()[0].image;
		const result = await valueOf(
			sim,
			async (c) =>
				await runHunt(c, {
					hunt: { find: 'filesByHash', hashType: 'sha1', hashes: [image.sha1] },
					noun: 'file',
				}),
		);
		expect(searches()[0].body).toMatchObject({ totalResultLimit: 10_000, perGroupLimit: 10_000 });
		const items = fileItems(result.facts, 'sha1');
		expect(items.map((i) => i.machineGuid).sort()).toEqual(
			model()
				.files.filter((f) => f.sha1 === image.sha1)
				.map((f) => f.machine.guid)
				.sort(),
		);
	});
});

describe('process hunts', () => {
	it("a machine's processes, by name or by GUID, and only those with suspicions", async () => {
		const malop = dataset.malops.find((m) => m.kind === 'MalopProcess')!;
		const machine = sim.state.machines.get(malop.machines[0].guid)!;
		const mine = model().processesByMachine.get(machine.guid)!;
		const byName = await valueOf(
			sim,
			async (c) =>
				await runHunt(c, {
					hunt: { find: 'processes', machine: { name: machine.name } },
					noun: 'process',
				}),
		);
		const items = processItems(byName.facts);
		expect(items.map((i) => i.processGuid).sort()).toEqual(mine.map((p) => p.guid).sort());
		expect(new Set(items.map((i) => i.machineName))).toEqual(new Set([machine.name]));
		const byGuid = await valueOf(
			sim,
			async (c) =>
				await runHunt(c, {
					hunt: { find: 'processes', machine: { guid: machine.guid }, onlyWithSuspicions: true },
					noun: 'process',
				}),
		);
		const suspicious = mine.filter((p) => Object.keys(p.suspicions).length > 0);
		expect(suspicious.length).toBeGreaterThan(0);
		expect(suspicious.length).toBeLessThan(mine.length);
		expect(
			processItems(byGuid.facts)
				.map((i) => i.processGuid)
				.sort(),
		).toEqual(suspicious.map((p) => p.guid).sort());
		expect(processItems(byGuid.facts).every((i) => (i.suspicions as unknown[]).length > 0)).toBe(
			true,
		);
	});
});

describe("a Malop's details", () => {
	const malopOf = (kind: string) => dataset.malops.find((m) => m.kind === kind)!;

	it('MalopProcess: one item per suspect process, with the sensor state of its machine', async () => {
		const malop = malopOf('MalopProcess');
		const details = await valueOf(
			sim,
			async (c) => await fetchMalopDetails(c, malop.guid, undefined),
		);
		const suspects = model().suspectsByMalop.get(malop.guid)!;
		expect(details!.items.map((i) => i.processGuid).sort()).toEqual(
			suspects.map((p) => p.guid).sort(),
		);
		const machine = sim.state.machines.get(String(details!.items[0].machineGuid))!;
		expect(details!.items[0]).toMatchObject({
			malopId: malop.guid,
			machineName: machine.name,
			pylumId: machine.pylumId,
			machineConnected: machine.connected,
			machineIsolated: machine.isolated,
		});
		expect(searches()).toHaveLength(2);
	});

	it('a MalopLogonSession GUID is found on the second try; an unknown GUID is undefined', async () => {
		const malop = malopOf('MalopLogonSession');
		const details = await valueOf(
			sim,
			async (c) => await fetchMalopDetails(c, malop.guid, undefined),
		);
		expect(
			searches().map(
				(r) =>
					(r.body as { queryPath: Array<{ requestedType: string }> }).queryPath[0].requestedType,
			),
		).toEqual(['MalopProcess', 'MalopProcess', 'MalopLogonSession', 'MalopLogonSession']);
		expect(details!.items.length).toBeGreaterThan(0);
		expect(details!.items.every((i) => i.malopId === malop.guid)).toBe(true);
		expect(
			await valueOf(sim, async (c) => await fetchMalopDetails(c, '11.-404', undefined)),
		).toBeUndefined();
	});
});

describe('reputations', () => {
	it('reads the list page by page and sees a block on the file it is asked about by the other hash', async () => {
		const keys = Array.from({ length: 2300 }, (_, i) => i.toString(16).padStart(32, '0'));
		const image = everyLsass()[0].image;
		await valueOf(sim, async (c) => {
			await cybereasonApiUpdateClassification(c, [blockChange([...keys, image.md5])]);
		});
		const list = await valueOf(sim, async (c) => await readReputationList(c));
		const pages = sim.state.requests.filter(
			(r) => r.path === '/rest/classification/reputations/list',
		);
		expect(pages.map((r) => r.body)).toEqual(
			[0, 1, 2].map((page) => ({ page, size: 1000, filter: { includeExpired: false } })),
		);
		expect(list.entries.length).toBe(sim.state.hunting.reputations.entries.size);
		const { items } = await valueOf(
			sim,
			async (c) =>
				await lookupReputations(
					c,
					[
						{ hash: image.sha1, hashType: 'sha1' },
						{ hash: 'f'.repeat(32), hashType: 'md5' },
					],
					list,
				),
		);
		expect(items).toEqual([
			expect.objectContaining({
				hash: image.sha1,
				classification: 'blacklist',
				reputation: 'blacklist',
				blocked: true,
				listedAs: image.md5,
				seenOnMachines: true,
			}),
			expect.objectContaining({ hash: 'f'.repeat(32), reputation: null, seenOnMachines: false }),
		]);
		// One File lookup per hash type, one instance per hash.
		expect(searches().map((r) => r.body)).toMatchObject([
			{ totalResultLimit: 1, perGroupLimit: 1 },
			{ totalResultLimit: 1, perGroupLimit: 1 },
		]);
	});
});
