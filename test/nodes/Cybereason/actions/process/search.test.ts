// Process search in n8n's engine against the simulator: by name, on a machine, with suspicions; Limit and Return
// All; partial and terminated answers as warnings on the items, in the log and as hints; a machine the console
// does not know as an error naming the item.
import { partialRetry } from '../../../../../nodes/shared/hunting/search';
import { logs } from '../../../../../scripts/lib/engine';
import { engineFor } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();
const SEARCH = { resource: 'process', operation: 'search' };
const VS = '/rest/visualsearch/query/simple';

beforeAll(() => {
	partialRetry.delayMs = 5;
});

describe('process search', () => {
	it('one item per process instance, with machine, user, command line, parent and image hashes', async () => {
		const sim = await start();
		const lsass = sim.state.hunting.model().processes.filter((p) => p.name === 'lsass.exe');
		const result = await runNode(engineFor(sim), [{}], {
			...SEARCH,
			processName: 'lsass.exe',
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		const items = out(result);
		expect(items.map((i) => i.processGuid).sort()).toEqual(lsass.map((p) => p.guid).sort());
		const p = lsass.find((x) => x.guid === items[0].processGuid)!;
		expect(items[0]).toEqual({
			processGuid: p.guid,
			name: 'lsass.exe',
			commandLine: p.commandLine,
			pid: p.pid,
			machineName: p.machine.name,
			machineGuid: p.machine.guid,
			user: p.user.name,
			parentProcessName: p.parent?.name ?? null,
			parentProcessGuid: p.parent?.guid ?? null,
			imageFileHash: { md5: p.image.md5, sha1: p.image.sha1 },
			// The console keeps correctedPath in lower case.
			imageFilePath: p.image.path.toLowerCase(),
			imageFileClassification: 'indifferent',
			creationTime: new Date(p.created).toISOString(),
			endTime: null,
			running: true,
			isMalicious: false,
			suspicions: [],
		});
		result.output(NODE).forEach((i) => expect(i.pairedItem).toEqual({ item: 0 }));
		expect(received(sim, VS)[0].body).toMatchObject({
			totalResultLimit: 10_000,
			perGroupLimit: 10_000,
		});
	});

	it('on one machine, only with suspicions: the Malop processes there, their suspicions with first-seen times', async () => {
		const sim = await start();
		const malop = [...sim.state.malops.values()].find((m) => m.kind === 'MalopProcess')!;
		const machine = malop.machines[0];
		const suspects = sim.state.hunting
			.model()
			.processesByMachine.get(machine.guid)!
			.filter((p) => Object.keys(p.suspicions).length > 0);
		const result = await runNode(engineFor(sim), [{ machineName: machine.name }], {
			...SEARCH,
			machineName: '={{ $json.machineName }}',
			onlyWithSuspicions: true,
		});
		const items = out(result);
		expect(items.map((i) => i.processGuid).sort()).toEqual(suspects.map((p) => p.guid).sort());
		const [name, seen] = Object.entries(
			suspects.find((p) => p.guid === items[0].processGuid)!.suspicions,
		)[0];
		expect(items[0]).toMatchObject({
			machineName: machine.name,
			isMalicious: true,
			suspicions: [{ name, firstSeen: new Date(seen).toISOString() }],
		});
		expect(received(sim, VS)[0].body).toMatchObject({
			queryPath: [
				{
					requestedType: 'Machine',
					filters: [{ facetName: 'elementDisplayName', values: [machine.name] }],
				},
				{ requestedType: 'Process', filters: [{ facetName: 'hasSuspicions', values: [true] }] },
			],
		});
	});

	it('Limit: that many, a hint that there are more; Return All cut by the console: a warning on every item', async () => {
		const sim = await start({ maxTotalResultLimit: 4 });
		const limited = await runNode(engineFor(sim), [{}], { ...SEARCH, limit: 3 });
		expect(out(limited)).toHaveLength(3);
		expect(out(limited)[0].warnings).toBeUndefined();
		expect(limited.hints(NODE).map((h) => h.message)[0]).toMatch(
			/^3 processes of \d+ matching: Limit 3 reached/,
		);
		const all = await runNode(engineFor(sim), [{}], { ...SEARCH, returnAll: true });
		const items = out(all);
		expect(items).toHaveLength(4);
		const total = sim.state.hunting.model().processes.length;
		const warning = `Cybereason answered 4 of ${total} matching processes (queryTerminated: it stopped the query early; its result limit is 4). Narrow the search to see the rest.`;
		expect(items.every((i) => JSON.stringify(i.warnings) === JSON.stringify([warning]))).toBe(true);
		expect(all.hints(NODE).map((h) => h.message)).toEqual([warning]);
		expect(
			logs.some((l) => l.level === 'warn' && l.message === `Cybereason process search: ${warning}`),
		).toBe(true);
	});

	it('servers that keep failing: asked twice, never more; the items say which servers did not answer', async () => {
		const sim = await start({ hunting: { servers: 3 } });
		sim.state.hunting.faults.add({ failedServers: ['detection-server-3'], times: Infinity });
		const result = await runNode(engineFor(sim), [{}], { ...SEARCH, processName: 'svchost.exe' });
		expect(received(sim, VS)).toHaveLength(2);
		const [item] = out(result);
		expect(item.warnings).toEqual([
			expect.stringContaining('PARTIAL_SUCCESS (1 server(s) failed)'),
		]);
		expect(String((item.warnings as string[])[0])).toContain(
			'(failed: detection-server-3). Asked 2 times',
		);
	});

	it('a terminated query warns; an unknown machine and a bad Limit are errors naming the item; continue-on-fail pairs them', async () => {
		const sim = await start();
		sim.state.hunting.faults.add({ terminateAfter: 2 });
		const stopped = await runNode(engineFor(sim), [{}], { ...SEARCH, returnAll: true });
		expect(out(stopped)).toHaveLength(2);
		expect(String((out(stopped)[0].warnings as string[])[0])).toMatch(
			/^Cybereason answered 2 of \d+ matching processes \(queryTerminated: it stopped the query early\)/,
		);

		const input = [{ m: 'no-such-host' }, { m: 'dc01' }];
		const failed = await runNode(engineFor(sim), input, {
			...SEARCH,
			machineName: '={{ $json.m }}',
		});
		expect(failed.error?.message).toBe(
			'Cybereason knows no machine with name no-such-host (item 0)',
		);
		const paired = await runNode(
			engineFor(sim),
			[...input, {}],
			{ ...SEARCH, machineName: '={{ $json.m }}', limit: '={{ $json.m ? 5 : 0 }}' },
			{ continueOnFail: true },
		);
		const items = paired.output(NODE);
		expect(items[0]).toMatchObject({
			json: { error: 'Cybereason knows no machine with name no-such-host (item 0)' },
			pairedItem: { item: 0 },
		});
		expect(
			items.filter((i) => (i.pairedItem as { item: number }).item === 1).length,
		).toBeGreaterThan(0);
		expect(items.at(-1)).toMatchObject({
			json: { error: 'Limit must be a whole number from 1 to 10000 (item 2)' },
			pairedItem: { item: 2 },
		});
	});
});
