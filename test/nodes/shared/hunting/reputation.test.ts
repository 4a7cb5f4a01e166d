import type { FileFacts } from '../../../../nodes/shared/hunting/files';
import { reputationIndex, reputationItem } from '../../../../nodes/shared/hunting/reputation';

const MD5 = 'a'.repeat(32);
const SHA1 = 'b'.repeat(40);
const T = 1_717_000_000_000;

const file: FileFacts = {
	fileGuid: 'F1',
	md5: MD5,
	sha1: SHA1,
	fileName: 'x.exe',
	filePath: 'c:\\x.exe',
	maliciousClassification: 'blacklist',
	blocked: null,
	signed: false,
	company: null,
};

describe('a hash reputation', () => {
	const index = reputationIndex([
		{ key: MD5.toUpperCase(), maliciousType: 'blacklist', prevent: false, lastUpdated: T },
		{ key: MD5, maliciousType: 'blacklist', prevent: 'true', comment: 'n8n', lastUpdated: T + 1 },
		{ key: 'c'.repeat(40), maliciousType: 'whitelist', prevent: false, lastUpdated: T },
	]);

	it('keeps the latest of repeated list entries, by lower-cased key', () => {
		expect(index.get(MD5)).toMatchObject({ comment: 'n8n', prevent: 'true' });
		expect(index.size).toBe(2);
	});

	it('asked by SHA-1, finds the entry listed by the MD5 of the same file', () => {
		expect(reputationItem(SHA1, 'sha1', index, file)).toEqual({
			hash: SHA1,
			hashType: 'sha1',
			classification: 'blacklist',
			reputation: 'blacklist',
			blocked: true,
			listedAs: MD5,
			comment: 'n8n',
			lastUpdated: new Date(T + 1).toISOString(),
			expiration: null,
			seenOnMachines: true,
			md5: MD5,
			sha1: SHA1,
		});
	});

	it('a whitelisted hash is not blocked; an unknown one is neither listed nor seen', () => {
		expect(reputationItem('c'.repeat(40), 'sha1', index, undefined)).toMatchObject({
			classification: 'whitelist',
			reputation: 'whitelist',
			blocked: false,
			seenOnMachines: false,
			md5: null,
			sha1: 'c'.repeat(40),
		});
		expect(reputationItem('d'.repeat(32), 'md5', index, undefined)).toMatchObject({
			classification: null,
			reputation: null,
			blocked: false,
			listedAs: null,
		});
	});

	it('a file the console marks for prevention is blocked, whatever the list says', () => {
		const marked = { ...file, md5: 'e'.repeat(32), sha1: null, blocked: true };
		expect(reputationItem('e'.repeat(32), 'md5', index, marked)).toMatchObject({
			blocked: true,
			reputation: null,
			classification: 'blacklist',
		});
	});
});
