// Pure: a hash's reputation from the two places the console keeps it: the custom reputation list (what was
// blacklisted or whitelisted, and whether it is prevented) and the File elements the sensors saw (the
// classification the console gives the file, custom or not). There is no list lookup by key: the list is paged.
import type { IDataObject } from 'n8n-workflow';

import type { ReputationEntry } from '../api/classification';
import type { HashType } from '../api/visualSearch';
import { isoTime, parseBoolean, parseEpochMs, parseText } from '../malops/values';
import type { FileFacts } from './files';

/** The list by lower-cased key; an entry the console repeats keeps its latest update. */
export function reputationIndex(entries: ReputationEntry[]): Map<string, ReputationEntry> {
	const index = new Map<string, ReputationEntry>();
	for (const entry of entries) {
		const key = entry.key.trim().toLowerCase();
		const known = index.get(key);
		if (!known || (parseEpochMs(entry.lastUpdated) ?? 0) >= (parseEpochMs(known.lastUpdated) ?? 0))
			index.set(key, entry);
	}
	return index;
}

/**
 * One hash's item. A list entry may be keyed by the other hash of the same file (blocked by MD5, asked by
 * SHA-1): the file the sensors saw, when there is one, gives both hashes. `blocked` is a prevented blacklist
 * entry, or a file the console marks for prevention.
 */
export function reputationItem(
	hash: string,
	hashType: HashType,
	index: Map<string, ReputationEntry>,
	file: FileFacts | undefined,
): IDataObject {
	const keys = [hash, file?.md5, file?.sha1].filter((k): k is string => typeof k === 'string');
	const entry = keys.map((key) => index.get(key)).find((e) => e !== undefined);
	const listed = entry ? parseText(entry.maliciousType) : null;
	const prevented = entry !== undefined && parseBoolean(entry.prevent) === true;
	return {
		hash,
		hashType,
		classification: file?.maliciousClassification ?? listed,
		reputation: listed,
		blocked: (listed === 'blacklist' && prevented) || file?.blocked === true,
		listedAs: entry ? entry.key.toLowerCase() : null,
		comment: entry ? parseText(entry.comment) : null,
		lastUpdated: entry ? isoTime(parseEpochMs(entry.lastUpdated)) : null,
		expiration: entry ? isoTime(parseEpochMs(entry.expiration)) : null,
		seenOnMachines: file !== undefined,
		md5: file?.md5 ?? (hashType === 'md5' ? hash : null),
		sha1: file?.sha1 ?? (hashType === 'sha1' ? hash : null),
	};
}
