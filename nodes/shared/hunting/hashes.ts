// Pure: file hashes as users and upstream nodes give them (one, a comma-separated list, a list), checked and typed.
import type { HashType } from '../api/visualSearch';

/** What each hash type looks like, for messages and tool descriptions. */
export const HASH_SHAPES: Record<HashType, { length: number; label: string }> = {
	md5: { length: 32, label: 'MD5' },
	sha1: { length: 40, label: 'SHA-1' },
};

const HEX = /^[0-9a-f]+$/;

/** The type of a hash, from its length (MD5 32 hex characters, SHA-1 40); undefined for anything else. */
export function hashTypeOf(hash: string): HashType | undefined {
	if (!HEX.test(hash)) return undefined;
	for (const type of Object.keys(HASH_SHAPES) as HashType[]) {
		if (hash.length === HASH_SHAPES[type].length) return type;
	}
	return undefined;
}

export interface TypedHash {
	hash: string;
	hashType: HashType;
}

function why(raw: string): string {
	const text = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
	if (/^[0-9a-f]{64}$/.test(raw))
		return `"${text}" is a SHA-256 hash; Cybereason looks files up by MD5 or SHA-1 only`;
	return `"${text}" is not an MD5 (32 hexadecimal characters) or SHA-1 (40 hexadecimal characters) hash`;
}

/**
 * Hashes lower-cased and de-duplicated in their order, or the reason the input is not a list of MD5/SHA-1 hashes.
 * `itemIndex` names the item in the message.
 */
export function parseHashes(value: unknown, itemIndex: number): TypedHash[] | { error: string } {
	const parts = Array.isArray(value)
		? value.flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
		: typeof value === 'string'
			? value.split(',')
			: value === undefined || value === null
				? []
				: [value];
	const hashes: TypedHash[] = [];
	const seen = new Set<string>();
	for (const part of parts) {
		if (typeof part !== 'string') {
			return {
				error: `The hash of item ${itemIndex} is ${JSON.stringify(part) ?? 'missing'}, not text`,
			};
		}
		const hash = part.trim().toLowerCase();
		if (hash === '') continue;
		const hashType = hashTypeOf(hash);
		if (!hashType) return { error: `Item ${itemIndex}: ${why(hash)}` };
		if (seen.has(hash)) continue;
		seen.add(hash);
		hashes.push({ hash, hashType });
	}
	if (hashes.length === 0) return { error: `No file hash in item ${itemIndex}` };
	return hashes;
}
