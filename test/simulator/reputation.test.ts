// Custom reputations: classification/update blocks and clears hashes org-wide; the block shows in
// reputations/list, the CSV download and later File and Process hunts.
import { generateDataset, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started, type Answer } from './helpers';
import { elementsOf, filter, query, search, sv } from './visual-search';

const BASE = 1_717_000_000_000;
const dataset = generateDataset({
	malops: 10,
	machinesPerMalop: 2,
	sharedMachines: 6,
	logonSessionShare: 0,
	seed: 4,
	baseTime: BASE,
});
const clock = new ManualClock(BASE);

let sim: Simulator;
let cookie: string;
const update = (body: unknown) =>
	call(sim, 'POST', '/rest/classification/update', { cookie, body });
const list = async (body: unknown = {}) =>
	asRecord(
		asRecord(
			(await call(sim, 'POST', '/rest/classification/reputations/list', { cookie, body })).json,
		).data,
	) as { reputations: Array<Record<string, unknown>>; total: number };
const entry = async (key: string) =>
	(await list({ page: 0, size: 1000 })).reputations.find((r) => r.key === key);
const files = async (facet: string, hash: string) =>
	Object.values(
		elementsOf(
			await search(
				sim,
				cookie,
				query([{ requestedType: 'File', filters: [filter(facet, [hash])], isResult: true }], {
					customFields: ['maliciousClassificationType', 'md5String', 'markedForPrevention'],
				}),
			),
		),
	);
const block = (keys: string[], comment?: string) =>
	update([
		{
			keys,
			maliciousType: 'blacklist',
			prevent: true,
			remove: false,
			...(comment ? { comment } : {}),
		},
	]);
const unblock = (keys: string[]) => update([{ keys, remove: true, prevent: false }]);

async function benignHash(name: string): Promise<{ md5: string; sha1: string }> {
	const answer = await search(
		sim,
		cookie,
		query(
			[{ requestedType: 'File', filters: [filter('elementDisplayName', [name])], isResult: true }],
			{
				customFields: ['md5String', 'sha1String', 'isSigned'],
			},
		),
	);
	const el = Object.values(elementsOf(answer)).find((e) => sv(e, 'isSigned') === 'true');
	return { md5: sv(el!, 'md5String')!, sha1: sv(el!, 'sha1String')! };
}

function expectSuccess(answer: Answer) {
	expect(answer.status).toBe(200);
	// xsoar-prevent_file_raw_response: `data` is the string "true".
	expect(answer.json).toEqual({ outcome: 'success', data: 'true' });
}

beforeAll(async () => {
	({ sim, cookie } = await started({ dataset, clock }));
});
afterAll(() => sim.close());

it('blocks an MD5 org-wide: every copy is blacklisted and marked for prevention, in hunts, the list and the CSV', async () => {
	const { md5 } = await benignHash('explorer.exe');
	expect(
		(await files('md5String', md5)).map((el) => sv(el, 'maliciousClassificationType')),
	).not.toContain('blacklist');
	expectSuccess(await block([md5], 'Blocked by n8n: Malop 11.123'));
	const hits = await files('md5String', md5);
	expect(hits.length).toBe(
		[...sim.state.machines.values()].filter((m) => m.osType === 'WINDOWS').length,
	);
	for (const el of hits) {
		expect(sv(el, 'maliciousClassificationType')).toBe('blacklist');
		expect(sv(el, 'markedForPrevention')).toBe('true');
		expect(el.isMalicious).toBe(true);
	}
	const processes = elementsOf(
		await search(
			sim,
			cookie,
			query(
				[
					{
						requestedType: 'Process',
						filters: [filter('imageFile.md5String', [md5])],
						isResult: true,
					},
				],
				{ customFields: ['imageFile.maliciousClassificationType', 'markedForPrevention'] },
			),
		),
	);
	for (const el of Object.values(processes)) {
		expect(sv(el, 'imageFile.maliciousClassificationType')).toBe('blacklist');
		expect(sv(el, 'markedForPrevention')).toBe('true');
	}
	expect(await entry(md5)).toEqual({
		key: md5,
		lookupKeyType: 'FILE_HASH_MD5',
		maliciousType: 'blacklist',
		prevent: true,
		comment: 'Blocked by n8n: Malop 11.123',
		firstSeen: BASE,
		lastUpdated: BASE,
		expiration: null,
	});
	const csv = await call(sim, 'GET', '/rest/classification/download', { cookie });
	expect(csv.headers.get('content-type')).toContain('text/csv');
	const lines = csv.text.trim().split('\n');
	expect(lines[0]).toBe('key,reputation,prevent execution,comment,remove');
	expect(lines).toContain(`${md5},blacklist,true,Blocked by n8n: Malop 11.123,false`);
});

it('a hash blocked by SHA-1 shows on a search by MD5; unblocking restores the console classification', async () => {
	const { md5, sha1 } = await benignHash('lsass.exe');
	expectSuccess(await block([sha1.toUpperCase()]));
	expect((await entry(sha1))?.lookupKeyType).toBe('FILE_HASH_SHA1');
	for (const el of await files('md5String', md5))
		expect(sv(el, 'maliciousClassificationType')).toBe('blacklist');
	// Splunk SOAR clears with maliciousType None.
	expectSuccess(
		await update([{ keys: [sha1], maliciousType: null, prevent: false, remove: true }]),
	);
	expect(await entry(sha1)).toBeUndefined();
	for (const el of await files('md5String', md5)) {
		expect(sv(el, 'maliciousClassificationType')).toBe('indifferent');
		expect(sv(el, 'markedForPrevention')).toBe('false');
	}
	// Clearing what is not there is not an error.
	expectSuccess(await unblock([sha1]));
});

it('many keys in one call; the PowerShell module string booleans; whitelist without prevention', async () => {
	const keys = ['a'.repeat(32), 'b'.repeat(40), 'c'.repeat(64)];
	expectSuccess(
		await update([
			{
				keys,
				maliciousType: 'blacklist',
				prevent: 'true',
				remove: 'false',
				reputationType: 'FILE',
			},
		]),
	);
	expect((await Promise.all(keys.map(entry))).map((r) => [r?.lookupKeyType, r?.prevent])).toEqual([
		['FILE_HASH_MD5', true],
		['FILE_HASH_SHA1', true],
		['FILE_HASH_SHA256', true],
	]);
	expectSuccess(
		await update([
			{
				keys: ['evil.example.com', '203.0.113.9'],
				maliciousType: 'blacklist',
				prevent: false,
				remove: false,
			},
		]),
	);
	expect((await entry('evil.example.com'))?.lookupKeyType).toBe('DOMAIN');
	expect((await entry('203.0.113.9'))?.lookupKeyType).toBe('IPV4');
	const { md5 } = await benignHash('chrome.exe');
	expectSuccess(
		await update([{ keys: [md5], maliciousType: 'whitelist', prevent: false, remove: false }]),
	);
	for (const el of await files('md5String', md5)) {
		expect(sv(el, 'maliciousClassificationType')).toBe('whitelist');
		expect(el.isMalicious).toBe(false);
	}
	expectSuccess(await unblock([...keys, 'evil.example.com', '203.0.113.9', md5]));
});

it.each([
	[
		'a key that is no hash, address or domain',
		[{ keys: ['not a hash'], maliciousType: 'blacklist', prevent: true, remove: false }],
		'not a hash',
	],
	[
		'prevention of a domain',
		[{ keys: ['evil.example.com'], maliciousType: 'blacklist', prevent: true, remove: false }],
		'only file hashes can be prevented',
	],
	[
		'prevention of a whitelisted hash',
		[{ keys: ['d'.repeat(32)], maliciousType: 'whitelist', prevent: true, remove: false }],
		'only a blacklisted hash',
	],
	[
		'no maliciousType to set',
		[{ keys: ['d'.repeat(32)], prevent: false, remove: false }],
		'maliciousType must be blacklist or whitelist',
	],
	[
		'empty keys',
		[{ keys: [], maliciousType: 'blacklist', prevent: true, remove: false }],
		'keys must be a non-empty list',
	],
	[
		'a key of another reputationType',
		[
			{
				keys: ['d'.repeat(32)],
				maliciousType: 'blacklist',
				prevent: false,
				remove: false,
				reputationType: 'IP',
			},
		],
		'is not of reputationType IP',
	],
	['a body that is not a list', { keys: ['d'.repeat(32)] }, 'non-empty list'],
])(
	'refuses %s with outcome "failed", and applies nothing of the call',
	async (_what, body, message) => {
		const good = {
			keys: ['e'.repeat(32)],
			maliciousType: 'blacklist',
			prevent: true,
			remove: false,
		};
		const answer = await update(Array.isArray(body) ? [good, ...body] : body);
		expect(answer.status).toBe(200);
		expect(asRecord(answer.json).outcome).toBe('failed');
		expect(String(asRecord(answer.json).data)).toContain(message);
		expect(await entry('e'.repeat(32))).toBeUndefined();
	},
);

it('answers 400 to a body that is not JSON; the refusal outcome can be spelled "failure"', async () => {
	const raw = await call(sim, 'POST', '/rest/classification/update', { cookie, raw: '[{"keys":' });
	expect(raw.status).toBe(400);
	const { sim: other, cookie: c } = await started({
		dataset,
		clock,
		hunting: { reputationFailureOutcome: 'failure' },
	});
	try {
		const answer = await call(other, 'POST', '/rest/classification/update', {
			cookie: c,
			body: [{ keys: ['x'] }],
		});
		expect(asRecord(answer.json).outcome).toBe('failure');
	} finally {
		await other.close();
	}
});

it('"Blocklist file hash" Malops start with their hash on the list, prevented when the Malop is blocked', async () => {
	const blacklisted = dataset.malops.filter((m) => m.detectionType === 'BLACKLIST');
	expect(blacklisted.length).toBeGreaterThan(0);
	for (const m of blacklisted) {
		expect(await entry(m.rootCauseHash)).toMatchObject({
			maliciousType: 'blacklist',
			prevent: m.isBlocked,
			lookupKeyType: 'FILE_HASH_SHA1',
		});
		for (const el of await files('sha1String', m.rootCauseHash))
			expect(sv(el, 'maliciousClassificationType')).toBe('blacklist');
	}
});

it('re-blocking keeps firstSeen and moves lastUpdated; an expired entry stops counting and is listed only on request', async () => {
	const key = 'f'.repeat(32);
	expectSuccess(await block([key]));
	clock.advance(60_000);
	expectSuccess(
		await update([
			{
				keys: [key],
				maliciousType: 'blacklist',
				prevent: true,
				remove: false,
				expiration: clock.now() + 1000,
			},
		]),
	);
	expect(await entry(key)).toMatchObject({
		firstSeen: BASE,
		lastUpdated: BASE + 60_000,
		expiration: BASE + 61_000,
	});
	clock.advance(2000);
	expect(await entry(key)).toBeUndefined();
	const all = await list({ page: 0, size: 1000, filter: { includeExpired: true } });
	expect(all.reputations.some((r) => r.key === key)).toBe(true);
	expect(all.total).toBe(all.reputations.length);
});

it('pages the list (0-based page, size) and reports the total', async () => {
	const keys = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(32));
	expectSuccess(await block(keys));
	const total = (await list({ page: 0, size: 1000 })).total;
	const first = await list({ page: 0, size: 2 });
	const last = await list({ page: Math.ceil(total / 2) - 1, size: 2 });
	expect(first.reputations).toHaveLength(2);
	expect(first.total).toBe(total);
	expect(last.reputations).toHaveLength(total % 2 === 0 ? 2 : 1);
	const bad = await call(sim, 'POST', '/rest/classification/reputations/list', {
		cookie,
		body: { page: -1 },
	});
	expect(asRecord(bad.json).outcome).toBe('failed');
});
