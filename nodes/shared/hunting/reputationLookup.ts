// API: POST /rest/classification/reputations/list, POST /rest/visualsearch/query/simple (through the api layer)
// The reputation of hashes: the custom list read page by page (it has no lookup by key), and one File lookup per
// hash type for the classification the console gives the files its sensors saw.
import type { IDataObject } from 'n8n-workflow';

import type { ApiCall } from '../api/call';
import { cybereasonApiListReputations, type ReputationEntry } from '../api/classification';
import type { HashType } from '../api/visualSearch';
import type { CybereasonApiClient } from '../transport';
import { fileFacts, type FileFacts } from './files';
import type { TypedHash } from './hashes';
import { reputationIndex, reputationItem } from './reputation';
import { runHunt } from './search';

const PAGE_SIZE = 1000;
/** 100,000 entries; a list longer than that is read this far, with a warning. */
const MAX_PAGES = 100;

export interface ReputationList {
	entries: ReputationEntry[];
	warnings: string[];
}

/**
 * Every live entry of the custom list. The console lists entries in insertion order, so one added while the pages
 * are read lands at the end; one removed meanwhile may shift an entry past a page boundary (read once more to be sure).
 */
export async function readReputationList(
	client: CybereasonApiClient,
	call: ApiCall = {},
): Promise<ReputationList> {
	const entries: ReputationEntry[] = [];
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await cybereasonApiListReputations(client, { page, size: PAGE_SIZE }, call);
		entries.push(...answer.reputations);
		if (answer.reputations.length < PAGE_SIZE || entries.length >= answer.total)
			return { entries, warnings: [] };
	}
	return {
		entries,
		warnings: [
			`The custom reputation list holds more than ${entries.length} entries; only the first ${entries.length} were read, so a hash listed after them shows as not listed.`,
		],
	};
}

/** The first File the sensors saw for each searched hash, by that hash. */
async function filesByHash(
	client: CybereasonApiClient,
	hashType: HashType,
	hashes: string[],
	call: ApiCall,
): Promise<{ files: Map<string, FileFacts>; warnings: string[] }> {
	const result = await runHunt(
		client,
		{
			hunt: { find: 'filesByHash', hashType, hashes },
			limit: hashes.length,
			lookup: true,
			noun: 'file',
		},
		call,
	);
	const files = new Map<string, FileFacts>();
	const map = result.facts.elements;
	for (const key in map) {
		const file = fileFacts(key, map[key]);
		const hash = file[hashType];
		if (hash && !files.has(hash)) files.set(hash, file);
	}
	return { files, warnings: result.warnings };
}

/** One item per hash, in the input's order. */
export async function lookupReputations(
	client: CybereasonApiClient,
	hashes: TypedHash[],
	list: ReputationList,
	call: ApiCall = {},
): Promise<{ items: IDataObject[]; warnings: string[] }> {
	const index = reputationIndex(list.entries);
	const warnings = [...list.warnings];
	const seen = new Map<string, FileFacts>();
	for (const hashType of ['md5', 'sha1'] as const) {
		const wanted = hashes.filter((h) => h.hashType === hashType).map((h) => h.hash);
		if (wanted.length === 0) continue;
		const found = await filesByHash(client, hashType, wanted, call);
		warnings.push(...found.warnings);
		for (const [hash, file] of found.files) seen.set(hash, file);
	}
	const items = hashes.map(({ hash, hashType }) =>
		reputationItem(hash, hashType, index, seen.get(hash)),
	);
	return { items, warnings };
}
