// cybereasonApiVisualSearch through the real transport against the simulator's Visual Search: the bodies the
// console receives, the answers read back, and the answers that are errors.
import {
	cybereasonApiVisualSearch,
	visualSearchBody,
} from '../../../../nodes/shared/api/visualSearch';
import type { CybereasonApiError } from '../../../../nodes/shared/errors';
import { generateDataset, startSimulator, type Simulator } from '../../../../simulator';
import { valueOf, withClient } from './harness';

const BASE = 1_717_000_000_000;
const dataset = generateDataset({
	malops: 6,
	machinesPerMalop: 2,
	sharedMachines: 6,
	logonSessionShare: 0,
	seed: 3,
	baseTime: BASE,
});
const VS = '/rest/visualsearch/query/simple';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ dataset, clock: { now: () => BASE } });
});
afterAll(async () => await sim.close());
afterEach(() => {
	sim.state.clearFaults();
	sim.state.hunting.faults.clear();
	sim.state.requests.length = 0;
});

const searches = () => sim.state.requests.filter((r) => r.path === VS);

describe('request bodies', () => {
	it('File by hash: XSOAR query_file with perGroupLimit = the limit, so a hash on many machines is not cut at 100', () => {
		expect(
			visualSearchBody({ find: 'filesByHash', hashType: 'sha1', hashes: ['ab'.repeat(20)] }, 500),
		).toMatchObject({
			queryPath: [
				{
					requestedType: 'File',
					filters: [
						{
							facetName: 'sha1String',
							values: ['ab'.repeat(20)],
							filterType: 'ContainsIgnoreCase',
						},
					],
					isResult: true,
				},
			],
			totalResultLimit: 500,
			perGroupLimit: 500,
			perFeatureLimit: 100,
			templateContext: 'SPECIFIC',
			queryTimeout: 120_000,
		});
	});

	it('processes on a machine: Machine → processes → Process (XSOAR query_processes), by name or GUID', () => {
		const byName = visualSearchBody(
			{
				find: 'processes',
				processName: 'svchost.exe',
				machine: { name: 'dc01' },
				onlyWithSuspicions: true,
			},
			50,
		);
		expect(byName.queryPath).toEqual([
			{
				requestedType: 'Machine',
				filters: [{ facetName: 'elementDisplayName', values: ['dc01'] }],
				connectionFeature: { elementInstanceType: 'Machine', featureName: 'processes' },
			},
			{
				requestedType: 'Process',
				filters: [
					{ facetName: 'elementDisplayName', values: ['svchost.exe'] },
					{ facetName: 'hasSuspicions', values: [true] },
				],
				isResult: true,
			},
		]);
		expect(byName.customFields).toContain('imageFile.md5String');
		const byGuid = visualSearchBody({ find: 'processes', machine: { guid: 'M-1' } }, 50);
		expect(byGuid.queryPath[0]).toMatchObject({ guidList: ['M-1'], filters: [] });
		expect(visualSearchBody({ find: 'processes' }, 5).queryPath).toEqual([
			{ requestedType: 'Process', filters: [], isResult: true },
		]);
	});

	it("a Malop's processes and machines: XSOAR fetch_malop_processes, DETAILS", () => {
		const body = visualSearchBody(
			{ find: 'malopProcesses', malopId: '11.-43', malopType: 'MalopProcess' },
			1000,
		);
		expect(body.queryPath).toEqual([
			{
				requestedType: 'MalopProcess',
				filters: [],
				guidList: ['11.-43'],
				connectionFeature: { elementInstanceType: 'MalopProcess', featureName: 'suspects' },
			},
			{ requestedType: 'Process', filters: [], isResult: true },
		]);
		expect(body.templateContext).toBe('DETAILS');
		const machines = visualSearchBody(
			{ find: 'malopMachines', malopId: '11.-43', malopType: 'MalopLogonSession' },
			10,
		);
		expect(machines.queryPath[0].connectionFeature).toEqual({
			elementInstanceType: 'MalopLogonSession',
			featureName: 'affectedMachines',
		});
		expect(machines.queryPath[1].requestedType).toBe('Machine');
	});
});

describe('against the simulator', () => {
	it('answers a File search by MD5 with the Malop file on each of its machines', async () => {
		const file = sim.state.hunting.model().files.find((f) => f.malops.length > 0)!;
		const copies = sim.state.hunting.model().files.filter((f) => f.md5 === file.md5);
		const body = visualSearchBody(
			{ find: 'filesByHash', hashType: 'md5', hashes: [file.md5.toUpperCase()] },
			100,
		);
		const answer = await valueOf(
			sim,
			async (client) => await cybereasonApiVisualSearch(client, body),
		);
		expect(answer.status).toBe('SUCCESS');
		expect(Object.keys(answer.data!.resultIdToElementDataMap).sort()).toEqual(
			copies.map((f) => f.guid).sort(),
		);
		expect(searches()).toHaveLength(1);
		expect(searches()[0].body).toEqual(body);
	});

	it('retries a search the console failed with HTTP 500 (a read), then answers', async () => {
		sim.state.addFault({ path: VS, status: 500, times: 1 });
		const body = visualSearchBody({ find: 'processes', processName: 'lsass.exe' }, 10);
		const answer = await valueOf(
			sim,
			async (client) => await cybereasonApiVisualSearch(client, body),
		);
		expect(Object.keys(answer.data!.resultIdToElementDataMap).length).toBeGreaterThan(0);
		expect(searches().map((r) => r.status)).toEqual([500, 200]);
	});

	it('no detection server left: FAILURE with data null is an error, not "nothing found"', async () => {
		sim.state.hunting.faults.add({ failedServers: 1 });
		const body = visualSearchBody({ find: 'processes', processName: 'lsass.exe' }, 10);
		const outcome = await withClient(
			sim,
			async (client) => await cybereasonApiVisualSearch(client, body),
		);
		const error = outcome.error as CybereasonApiError;
		expect(error.message).toBe(
			'Could not search Cybereason for Process: Cybereason reported FAILURE: 1 of 1 servers did not answer the query',
		);
		expect(error.cybereasonStatus).toBe('FAILURE');
	});

	it('a 200 without the result map is an error naming the endpoint', async () => {
		sim.state.addFault({ path: VS, status: 200, body: { status: 'SUCCESS', data: {} } });
		const body = visualSearchBody({ find: 'processes' }, 10);
		const outcome = await withClient(
			sim,
			async (client) => await cybereasonApiVisualSearch(client, body),
		);
		expect(outcome.error?.message).toBe(
			'Could not search Cybereason for Process: the console answered /rest/visualsearch/query/simple with HTTP 200 and {"status":"SUCCESS","data":{}} instead of a result list (data.resultIdToElementDataMap)',
		);
	});
});
