// File Get Reputation in n8n's engine: the custom list read once per run, the files the sensors saw, one item per
// hash; a console without the list API still answers from the files.
import { partialRetry } from '../../../../../nodes/shared/hunting/search';
import { engineFor } from '../../../CybereasonRemediate/fixtures';
import { out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();
const REPUTATION = { resource: 'file', operation: 'getReputation' };
const LIST = '/rest/classification/reputations/list';

beforeAll(() => {
	partialRetry.delayMs = 5;
});

describe('file get reputation', () => {
	it('one item per hash: blocked by the other hash of the same file, whitelisted, unknown; the list read once', async () => {
		const sim = await start();
		const files = sim.state.hunting.model().files;
		const malware = files.find((f) => f.malops.length > 0)!;
		const chrome = files.find((f) => f.name === 'chrome.exe')!;
		await runNode(engineFor(sim), [{ hash: malware.md5 }], {
			resource: 'file',
			operation: 'block',
			options: { comment: 'n8n' },
		});
		sim.state.hunting.reputations.set(
			chrome.sha1,
			'FILE_HASH_SHA1',
			{ maliciousType: 'whitelist', prevent: false, comment: null, expiration: null },
			Date.now(),
		);
		const unknown = 'f'.repeat(40);
		const result = await runNode(
			engineFor(sim),
			[{ hash: [malware.sha1, unknown] }, { hash: chrome.sha1 }],
			REPUTATION,
		);
		expect(out(result)).toEqual([
			expect.objectContaining({
				hash: malware.sha1,
				hashType: 'sha1',
				classification: 'blacklist',
				reputation: 'blacklist',
				blocked: true,
				listedAs: malware.md5,
				comment: 'n8n',
				seenOnMachines: true,
				md5: malware.md5,
			}),
			expect.objectContaining({
				hash: unknown,
				classification: null,
				blocked: false,
				seenOnMachines: false,
			}),
			expect.objectContaining({
				hash: chrome.sha1,
				classification: 'whitelist',
				reputation: 'whitelist',
				blocked: false,
			}),
		]);
		expect(received(sim, LIST)).toHaveLength(1);
	});

	it('without the list API (HTTP 404) the files still answer, with a warning on the items', async () => {
		const sim = await start();
		sim.state.addFault({ path: LIST, status: 404, times: Infinity });
		const lsass = sim.state.hunting.model().files.find((f) => f.name === 'lsass.exe')!;
		const [item] = out(await runNode(engineFor(sim), [{ hash: lsass.md5 }], REPUTATION));
		expect(item).toMatchObject({
			classification: 'indifferent',
			reputation: null,
			seenOnMachines: true,
		});
		expect(item.warnings).toEqual([expect.stringContaining('no reputation list API')]);
	});
});
