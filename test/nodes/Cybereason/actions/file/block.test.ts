// Block and Unblock in n8n's engine: every hash of the run in one request, the exact success answer only, Dry Run
// and Max Hashes Per Run refusing before anything is sent, a lost answer settled by reading the list back.
import { engineFor, type Simulator } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();
const BLOCK = { resource: 'file', operation: 'block' };
const UNBLOCK = { resource: 'file', operation: 'unblock' };
const UPDATE = '/rest/classification/update';
const MD5 = 'a'.repeat(31) + '1';
const SHA1 = 'b'.repeat(39) + '2';
const OTHER = 'c'.repeat(31) + '3';

const updates = (sim: Simulator) => received(sim, UPDATE);

describe('file block and unblock', () => {
	it('blocks the hashes of every item in one request, with the comment, and a later search shows them blocked', async () => {
		const sim = await start();
		const file = sim.state.hunting.model().files.find((f) => f.malops.length > 0)!;
		const result = await runNode(
			engineFor(sim),
			[
				{ hash: `${MD5}, ${SHA1.toUpperCase()}`, malop: 'M1' },
				{ hash: [MD5, file.sha1], malop: 'M2' },
			],
			{ ...BLOCK, options: { comment: '=n8n: Malop {{ $json.malop }}' } },
		);
		expect(result.error).toBeUndefined();
		expect(updates(sim).map((r) => r.body)).toEqual([
			[
				{
					keys: [MD5, SHA1],
					maliciousType: 'blacklist',
					remove: false,
					prevent: true,
					comment: 'n8n: Malop M1',
				},
				{
					keys: [file.sha1],
					maliciousType: 'blacklist',
					remove: false,
					prevent: true,
					comment: 'n8n: Malop M2',
				},
			],
		]);
		expect(out(result)).toEqual([
			{
				action: 'block',
				hashes: [MD5, SHA1],
				comment: 'n8n: Malop M1',
				results: {
					status: 'SUCCESS',
					message: 'Blocked org-wide: on the blacklist and prevented from running on every machine',
					timestamp: expect.any(String),
				},
			},
			expect.objectContaining({
				hashes: [MD5, file.sha1],
				results: expect.objectContaining({ status: 'SUCCESS' }),
			}),
		]);
		result.output(NODE).forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		const search = await runNode(engineFor(sim), [{ hash: file.md5 }], {
			resource: 'file',
			operation: 'search',
		});
		expect(out(search)[0]).toMatchObject({ maliciousClassification: 'blacklist', blocked: true });

		const unblock = await runNode(engineFor(sim), [{ hash: file.sha1 }], UNBLOCK);
		expect(updates(sim)[1].body).toEqual([{ keys: [file.sha1], remove: true, prevent: false }]);
		expect(out(unblock)[0]).toMatchObject({ action: 'unblock', results: { status: 'SUCCESS' } });
		expect(sim.state.hunting.reputations.lookup(file.sha1)).toBeUndefined();
	});

	it('Dry Run sends nothing and shows the request; Max Hashes Per Run refuses the whole run before sending', async () => {
		const sim = await start();
		const dry = await runNode(engineFor(sim), [{ hash: MD5 }, { hash: SHA1 }], {
			...BLOCK,
			options: { dryRun: true },
		});
		expect(out(dry)[1]).toEqual({
			action: 'block',
			hashes: [SHA1],
			results: expect.objectContaining({ status: 'DRY_RUN' }),
			request: {
				method: 'POST',
				path: UPDATE,
				body: [{ keys: [MD5, SHA1], maliciousType: 'blacklist', remove: false, prevent: true }],
			},
		});
		const input = [{ hash: [MD5, SHA1] }, { hash: [OTHER, MD5] }];
		const refused = await runNode(engineFor(sim), input, {
			...BLOCK,
			options: { maxHashesPerRun: 2 },
		});
		expect(refused.error?.message).toBe(
			'Refused: this run would block 3 file hashes org-wide, more than Max Hashes Per Run (2). Nothing was sent.',
		);
		const paired = await runNode(
			engineFor(sim),
			input,
			{ ...BLOCK, options: { maxHashesPerRun: 2 } },
			{ continueOnFail: true },
		);
		expect(paired.output(NODE).map((i) => [i.json.error, i.pairedItem])).toEqual([
			[refused.error?.message, { item: 0 }],
			[refused.error?.message, { item: 1 }],
		]);
		const within = await runNode(engineFor(sim), input, {
			...BLOCK,
			options: { maxHashesPerRun: 3 },
		});
		expect(out(within).map((i) => (i.results as { status: string }).status)).toEqual([
			'SUCCESS',
			'SUCCESS',
		]);
		expect(updates(sim)).toHaveLength(1);
	});

	it('a bad hash fails its item alone under continue-on-fail; without it, the run stops before sending', async () => {
		const sim = await start();
		const input = [{ hash: MD5 }, { hash: 'e'.repeat(64) }];
		const stopped = await runNode(engineFor(sim), input, BLOCK);
		expect(stopped.error?.message).toContain('Item 1: "eeee');
		expect(updates(sim)).toHaveLength(0);
		const result = await runNode(engineFor(sim), input, BLOCK, { continueOnFail: true });
		expect(out(result)).toEqual([
			expect.objectContaining({
				hashes: [MD5],
				results: expect.objectContaining({ status: 'SUCCESS' }),
			}),
			expect.objectContaining({ error: expect.stringContaining('is a SHA-256 hash') }),
		]);
		expect(updates(sim).map((r) => r.body)).toEqual([[expect.objectContaining({ keys: [MD5] })]]);
	});

	it('an answer other than {"outcome":"success","data":"true"} is never success and never sent again', async () => {
		const sim = await start();
		// The console made the change, then answered something else: reading the list back says it is done.
		sim.state.addFault({ path: UPDATE, drop: 'afterProcessing' });
		const lost = await runNode(engineFor(sim), [{ hash: MD5 }], BLOCK);
		expect(out(lost)[0]).toMatchObject({
			results: { status: 'SUCCESS' },
			note: expect.stringContaining('nothing was sent again'),
		});
		sim.state.addFault({ path: UPDATE, status: 200, body: { outcome: 'success', data: 'false' } });
		const odd = await runNode(engineFor(sim), [{ hash: OTHER }], BLOCK);
		expect(out(odd)[0]).toMatchObject({
			results: {
				status: 'UNKNOWN',
				message: expect.stringContaining('The change was NOT sent again'),
			},
			note: expect.stringContaining('instead of {"outcome":"success","data":"true"}'),
		});
		sim.state.addFault({
			path: UPDATE,
			status: 200,
			body: { outcome: 'failed', data: 'Not allowed' },
		});
		const refused = await runNode(engineFor(sim), [{ hash: OTHER }], BLOCK);
		expect(refused.error?.message).toBe(
			'Could not block 1 file hash org-wide (item 0): Cybereason reported FAILURE: Not allowed',
		);
		expect(updates(sim)).toHaveLength(3);
	});
});
