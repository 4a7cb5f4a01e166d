import { parseHashes } from '../../../../nodes/shared/hunting/hashes';
import { cutNotices } from '../../../../nodes/shared/hunting/notices';
import { queryAnswerFacts } from '../../../../nodes/shared/malops/elements';
import type { VisualSearchResponse } from '../../../../nodes/shared/types';
import { describeWithSamples, sample } from '../../CybereasonGetMalops/samples';
import { answer, element, facts } from './fixtures';

const three = { A: element({}), B: element({}), C: element({}) };

describe('what a cut answer tells the user', () => {
	it('says nothing when everything came back', () => {
		expect(cutNotices(facts(three), 3, undefined, 'process')).toEqual({
			warnings: [],
			notices: [],
		});
	});

	it('warns on every item when the console cut the answer below what was asked', () => {
		const cut = facts(three, {
			totalPossibleResults: 12_000,
			queryLimits: { totalResultLimit: 3, perGroupLimit: 3 },
		});
		expect(cutNotices(cut, 3, undefined, 'process').warnings).toEqual([
			'Cybereason answered 3 of 12000 matching processes (its result limit is 3). Narrow the search to see the rest.',
		]);
	});

	it("the user's own Limit reached is a notice, not a warning", () => {
		expect(cutNotices(facts(three, { totalPossibleResults: 40 }), 3, 3, 'file')).toEqual({
			warnings: [],
			notices: [
				'3 files of 40 matching: Limit 3 reached. Turn on Return All or raise Limit to see more.',
			],
		});
	});

	it('a terminated query is a warning, unless it stopped at the Limit the user set', () => {
		const stopped = facts(three, { queryTerminated: 'True', totalPossibleResults: 50 });
		expect(cutNotices(stopped, 3, undefined, 'file').warnings).toEqual([
			'Cybereason answered 3 of 50 matching files (queryTerminated: it stopped the query early). Narrow the search to see the rest.',
		]);
		expect(cutNotices(stopped, 3, 3, 'file')).toEqual({
			warnings: [],
			notices: [
				'3 files of 50 matching: Limit 3 reached. Turn on Return All or raise Limit to see more.',
			],
		});
		expect(cutNotices(stopped, 3, 10, 'file').warnings).toHaveLength(1);
	});
});

describe('the answer envelope', () => {
	it('PARTIAL_SUCCESS keeps its data and names the servers that did not answer', () => {
		const partial = queryAnswerFacts(
			answer(
				three,
				{},
				{
					status: 'PARTIAL_SUCCESS',
					message: '1 of 3 servers did not answer the query',
					failures: 1,
					failedServersInfo: { onlineFailedServers: ['detection-server-1'], offlineServers: [] },
				},
			),
		);
		expect(Object.keys(partial.elements)).toEqual(['A', 'B', 'C']);
		expect(partial.warning).toBe(
			'Cybereason answered PARTIAL_SUCCESS (1 server(s) failed): some console servers did not answer, so results may be incomplete: 1 of 3 servers did not answer the query (failed: detection-server-1)',
		);
	});

	it('reads pathResultCounts, limits and Python-spelled flags', () => {
		const read = facts(three, {
			queryTerminated: 'False',
			pathResultCounts: [
				{ featureDescriptor: { elementInstanceType: 'MalopProcess', featureName: null }, count: 0 },
				{ featureDescriptor: {}, count: '3' },
			],
		});
		expect(read).toMatchObject({
			queryTerminated: false,
			pathCounts: [0, 3],
			totalResultLimit: 10_000,
			perFeatureLimit: 100,
		});
	});
});

describeWithSamples('the public Machine capture', () => {
	it('xsoar-get_machine_guid_raw_response ("False", "None", failedServersInfo all empty)', () => {
		const read = queryAnswerFacts(
			sample<VisualSearchResponse>('xsoar-get_machine_guid_raw_response.json'),
		);
		expect(read).toMatchObject({
			totalPossibleResults: 1,
			queryTerminated: false,
			groupingType: 'Machine',
			pathCounts: [1],
		});
		expect(read.warning).toBeUndefined();
		expect(Object.keys(read.elements)).toEqual(['-1826875736.1198775089551518743']);
	});
});

describe('hashes from the input', () => {
	it('types them by length, lower-cases and de-duplicates a list or a comma-separated text', () => {
		expect(parseHashes([` ${'A'.repeat(32)}`, `${'b'.repeat(40)},${'a'.repeat(32)}`], 0)).toEqual([
			{ hash: 'a'.repeat(32), hashType: 'md5' },
			{ hash: 'b'.repeat(40), hashType: 'sha1' },
		]);
	});

	it.each<[unknown, string]>([
		[
			'abc',
			'Item 2: "abc" is not an MD5 (32 hexadecimal characters) or SHA-1 (40 hexadecimal characters) hash',
		],
		[
			'g'.repeat(32),
			`Item 2: "${'g'.repeat(32)}" is not an MD5 (32 hexadecimal characters) or SHA-1 (40 hexadecimal characters) hash`,
		],
		[
			'e'.repeat(64),
			`Item 2: "${'e'.repeat(64)}" is a SHA-256 hash; Cybereason looks files up by MD5 or SHA-1 only`,
		],
		[' , ', 'No file hash in item 2'],
		[undefined, 'No file hash in item 2'],
		[[null], 'The hash of item 2 is null, not text'],
		[[42], 'The hash of item 2 is 42, not text'],
	])('refuses %j with an error naming the item', (value, error) => {
		expect(parseHashes(value, 2)).toEqual({ error });
	});
});
