// cybereasonApiUpdateClassification and cybereasonApiListReputations against the simulator: the bodies XSOAR
// and Google SecOps send, the one success answer, and every other answer of a state change as an error that is
// never followed by a second send.
import {
	blockChange,
	cybereasonApiListReputations,
	cybereasonApiUpdateClassification,
	unblockChange,
} from '../../../../nodes/shared/api/classification';
import type { CybereasonApiError } from '../../../../nodes/shared/errors';
import { generateDataset, startSimulator, type Simulator } from '../../../../simulator';
import { valueOf, withClient } from './harness';

const BASE = 1_717_000_000_000;
const UPDATE = '/rest/classification/update';
const MD5 = '4778901e54f55d54435b2626923054a8';
const SHA1 = '984e5a25910edafd1234c0f51c6f2d779530451d';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({
		dataset: generateDataset({ malops: 2, seed: 5, baseTime: BASE }),
		clock: { now: () => BASE },
	});
});
afterAll(async () => await sim.close());
afterEach(() => {
	sim.state.clearFaults();
	sim.state.requests.length = 0;
});

const updates = () => sim.state.requests.filter((r) => r.path === UPDATE);

async function update(...args: Parameters<typeof blockChange>) {
	return await withClient(sim, async (client) => {
		await cybereasonApiUpdateClassification(client, [blockChange(...args)], {
			operation: 'block 2 file hashes org-wide',
		});
	});
}

it('blocks many hashes in one change and reads them back from the list', async () => {
	expect((await update([MD5, SHA1], 'n8n: Malop 11.-1')).error).toBeUndefined();
	expect(updates().map((r) => r.body)).toEqual([
		[
			{
				keys: [MD5, SHA1],
				maliciousType: 'blacklist',
				remove: false,
				prevent: true,
				comment: 'n8n: Malop 11.-1',
			},
		],
	]);
	const page = await valueOf(
		sim,
		async (client) => await cybereasonApiListReputations(client, { page: 0, size: 1000 }),
	);
	expect(page.reputations.filter((r) => [MD5, SHA1].includes(r.key))).toMatchObject([
		{ key: MD5, maliciousType: 'blacklist', prevent: true, comment: 'n8n: Malop 11.-1' },
		{ key: SHA1, lookupKeyType: 'FILE_HASH_SHA1' },
	]);
	expect(page.total).toBe(page.reputations.length);

	const outcome = await withClient(sim, async (client) => {
		await cybereasonApiUpdateClassification(client, [unblockChange([MD5, SHA1])]);
	});
	expect(outcome.error).toBeUndefined();
	expect(updates()[1].body).toEqual([{ keys: [MD5, SHA1], remove: true, prevent: false }]);
	expect(sim.state.hunting.reputations.lookup(MD5, SHA1)).toBeUndefined();
});

it('a change the console refuses is an error with its reason, sent once, and changes nothing', async () => {
	const error = (await update([MD5, 'example.com'])).error as CybereasonApiError;
	expect(error.message).toBe(
		'Could not block 2 file hashes org-wide: Cybereason reported FAILURE: Entry 0: only file hashes can be prevented',
	);
	expect(error.outcomeUnknown).toBe(false);
	expect(updates()).toHaveLength(1);
	expect(sim.state.hunting.reputations.lookup(MD5)).toBeUndefined();
});

it('the reference\'s spelling of a refusal (outcome "failure") is read the same way', async () => {
	sim.state.addFault({
		path: UPDATE,
		status: 200,
		body: { outcome: 'failure', data: 'Not allowed' },
	});
	const error = (await update([MD5])).error as CybereasonApiError;
	expect(error.message).toBe(
		'Could not block 2 file hashes org-wide: Cybereason reported FAILURE: Not allowed',
	);
	expect(updates()).toHaveLength(1);
});

it.each<[string, unknown, string]>([
	[
		'data the boolean true',
		{ outcome: 'success', data: true },
		'{"outcome":"success","data":true}',
	],
	['data "false"', { outcome: 'success', data: 'false' }, '{"outcome":"success","data":"false"}'],
	['an empty object', {}, '{}'],
])(
	'any other 200 (%s) is an error whose outcome is unknown, never sent twice',
	async (_, body, shown) => {
		sim.state.addFault({ path: UPDATE, status: 200, body });
		const error = (await update([MD5])).error as CybereasonApiError;
		expect(error.message).toBe(
			`Could not block 2 file hashes org-wide: the console answered ${UPDATE} with HTTP 200 and ${shown} instead of {"outcome":"success","data":"true"}`,
		);
		expect(error.description).toContain('may or may not have made the change');
		expect(error.outcomeUnknown).toBe(true);
		expect(updates()).toHaveLength(1);
	},
);

it('a 500 or a connection lost after the console acted is an unknown outcome, not retried', async () => {
	sim.state.addFault({ path: UPDATE, status: 500 });
	const failed = (await update([MD5])).error as CybereasonApiError;
	expect(failed.message).toBe(
		'Could not block 2 file hashes org-wide: the Cybereason console failed with HTTP 500',
	);
	expect(failed.outcomeUnknown).toBe(true);
	sim.state.addFault({ path: UPDATE, drop: 'afterProcessing' });
	const dropped = (await update([MD5])).error as CybereasonApiError;
	expect(dropped.outcomeUnknown).toBe(true);
	expect(dropped.description).toContain('It was not sent again');
	expect(updates()).toHaveLength(2);
	// The dropped answer's change was made: reading the list is how the outcome is learnt.
	expect(sim.state.hunting.reputations.lookup(MD5)?.prevent).toBe(true);
});

it('a list answer without its reputations is an error, and a read is retried on HTTP 503', async () => {
	sim.state.addFault({ path: '/rest/classification/reputations/list', status: 503, times: 1 });
	const page = await valueOf(
		sim,
		async (client) => await cybereasonApiListReputations(client, { page: 0, size: 10 }),
	);
	expect(Array.isArray(page.reputations)).toBe(true);
	sim.state.addFault({
		path: '/rest/classification/reputations/list',
		status: 200,
		body: { outcome: 'success', data: null },
	});
	const outcome = await withClient(
		sim,
		async (client) => await cybereasonApiListReputations(client, { page: 0, size: 10 }),
	);
	expect(outcome.error?.message).toContain('instead of a reputation list (data.reputations)');
});
