// API: POST /rest/classification/update, POST /rest/classification/reputations/list,
//      GET /rest/classification/download
// The organisation's custom reputations (the console's "Reputations" list): a hash on the blacklist
// with `prevent` is blocked everywhere. Bodies and the `{"outcome":"success","data":"true"}` answer are
// XSOAR's, Google SecOps', Splunk SOAR's and the PowerShell module's; the list answer is what Netskope's
// Cybereason plugin reads; the CSV columns are that plugin's upload template. See README.md for guesses.
import { isRecord, json, text, type SimResponse } from './respond';

type LookupKeyType =
	| 'FILE_HASH_MD5'
	| 'FILE_HASH_SHA1'
	| 'FILE_HASH_SHA256'
	| 'DOMAIN'
	| 'IPV4'
	| 'IPV6';

interface Reputation {
	key: string;
	lookupKeyType: LookupKeyType;
	maliciousType: 'blacklist' | 'whitelist';
	prevent: boolean;
	comment: string | null;
	firstSeen: number;
	lastUpdated: number;
	/** ms; an expired entry no longer classifies anything and is listed only with includeExpired. */
	expiration: number | null;
}

const KEY_KINDS: Array<[RegExp, LookupKeyType]> = [
	[/^[0-9a-f]{32}$/, 'FILE_HASH_MD5'],
	[/^[0-9a-f]{40}$/, 'FILE_HASH_SHA1'],
	[/^[0-9a-f]{64}$/, 'FILE_HASH_SHA256'],
	[/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'IPV4'],
	[/^[0-9a-f:]+:[0-9a-f:]*$/, 'IPV6'],
	[/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'DOMAIN'],
];
// reputationType (21.2.101+) names the family a key must belong to.
const FAMILY: Record<string, LookupKeyType[]> = {
	FILE: ['FILE_HASH_MD5', 'FILE_HASH_SHA1', 'FILE_HASH_SHA256'],
	DOMAIN: ['DOMAIN'],
	IP: ['IPV4', 'IPV6'],
};

function kindOf(key: string): LookupKeyType | undefined {
	return KEY_KINDS.find(([re]) => re.test(key))?.[1];
}

/** PowerShell's module sends `"prevent": "true"`: booleans are accepted in both spellings. */
function flag(value: unknown, fallback: boolean): boolean | undefined {
	if (value === undefined || value === null) return fallback;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	return undefined;
}

interface Change {
	keys: Array<{ key: string; kind: LookupKeyType }>;
	remove: boolean;
	maliciousType: 'blacklist' | 'whitelist';
	prevent: boolean;
	comment: string | null;
	expiration: number | null;
}

function parseEntry(entry: unknown, i: number): Change | string {
	if (!isRecord(entry)) return `Entry ${i} is not an object`;
	const { keys, maliciousType, comment, expiration, reputationType } = entry;
	if (
		!Array.isArray(keys) ||
		keys.length === 0 ||
		keys.some((k) => typeof k !== 'string' || k.trim() === '')
	)
		return `Entry ${i}: keys must be a non-empty list of strings`;
	const remove = flag(entry.remove, false);
	const prevent = flag(entry.prevent, false);
	if (remove === undefined || prevent === undefined)
		return `Entry ${i}: remove and prevent must be booleans`;
	if (!remove && maliciousType !== 'blacklist' && maliciousType !== 'whitelist')
		return `Entry ${i}: maliciousType must be blacklist or whitelist`;
	if (comment !== undefined && comment !== null && typeof comment !== 'string')
		return `Entry ${i}: comment must be a string`;
	if (expiration !== undefined && expiration !== null && !Number.isFinite(Number(expiration)))
		return `Entry ${i}: expiration must be a time in ms`;
	const family = typeof reputationType === 'string' ? FAMILY[reputationType] : undefined;
	if (reputationType !== undefined && reputationType !== null && !family)
		return `Entry ${i}: reputationType must be FILE, DOMAIN or IP`;
	const parsed: Change['keys'] = [];
	for (const raw of keys as string[]) {
		const key = raw.trim().toLowerCase();
		const kind = kindOf(key);
		if (!kind)
			return `Entry ${i}: ${raw} is not an MD5, SHA-1 or SHA-256 hash, an IP address or a domain`;
		if (family && !family.includes(kind))
			return `Entry ${i}: ${raw} is not of reputationType ${String(reputationType)}`;
		// Application Control prevents files from running; an address or a domain cannot be "prevented".
		if (prevent && !remove && !FAMILY.FILE.includes(kind))
			return `Entry ${i}: only file hashes can be prevented`;
		parsed.push({ key, kind });
	}
	if (prevent && !remove && maliciousType !== 'blacklist')
		return `Entry ${i}: only a blacklisted hash can be prevented`;
	return {
		keys: parsed,
		remove,
		maliciousType: maliciousType === 'whitelist' ? 'whitelist' : 'blacklist',
		prevent: prevent && !remove,
		comment: typeof comment === 'string' ? comment : null,
		expiration: expiration === undefined || expiration === null ? null : Number(expiration),
	};
}

function csvField(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class ReputationStore {
	readonly entries = new Map<string, Reputation>();
	/** Moves on every change, so rendered hunt answers know when they are stale. */
	revision = 0;

	constructor(
		private readonly now: () => number,
		private readonly failureOutcome: string,
	) {}

	/** The classification a custom reputation gives a file with these hashes (newest entry wins). */
	lookup(...hashes: string[]): Reputation | undefined {
		const now = this.now();
		let best: Reputation | undefined;
		for (const h of hashes) {
			const r = this.entries.get(h.toLowerCase());
			if (
				r &&
				(r.expiration === null || r.expiration > now) &&
				(!best || r.lastUpdated >= best.lastUpdated)
			)
				best = r;
		}
		return best;
	}

	set(
		key: string,
		kind: LookupKeyType,
		fields: Omit<Reputation, 'key' | 'lookupKeyType' | 'firstSeen' | 'lastUpdated'>,
		at: number,
	): void {
		this.revision++;
		const old = this.entries.get(key);
		this.entries.set(key, {
			key,
			lookupKeyType: kind,
			...fields,
			firstSeen: old?.firstSeen ?? at,
			lastUpdated: at,
		});
	}

	/** Whether some entry has an expiration (what it classifies then changes with time alone). */
	expiring(): boolean {
		return [...this.entries.values()].some((r) => r.expiration !== null);
	}

	private failed(message: string): SimResponse {
		return json(200, { outcome: this.failureOutcome, data: message });
	}

	/** All entries are checked before any is applied: one bad entry changes nothing. */
	update(body: unknown): SimResponse {
		if (!Array.isArray(body) || body.length === 0)
			return this.failed('The request must be a non-empty list of reputation changes');
		const changes: Change[] = [];
		for (const [i, entry] of body.entries()) {
			const change = parseEntry(entry, i);
			if (typeof change === 'string') return this.failed(change);
			changes.push(change);
		}
		const at = this.now();
		for (const c of changes) {
			for (const { key, kind } of c.keys) {
				if (c.remove && this.entries.delete(key)) this.revision++;
				else
					this.set(
						key,
						kind,
						{
							maliciousType: c.maliciousType,
							prevent: c.prevent,
							comment: c.comment,
							expiration: c.expiration,
						},
						at,
					);
			}
		}
		// The capture's `data` is the string "true", not a boolean.
		return json(200, { outcome: 'success', data: 'true' });
	}

	private visible(includeExpired: boolean): Reputation[] {
		const now = this.now();
		return [...this.entries.values()].filter(
			(r) => includeExpired || r.expiration === null || r.expiration > now,
		);
	}

	/** `{page, size, filter:{includeExpired}}` → `{outcome, data:{reputations, total}}`; page is 0-based. */
	list(body: unknown): SimResponse {
		const b = isRecord(body) ? body : {};
		const page = b.page === undefined ? 0 : Number(b.page);
		const size = b.size === undefined ? 100 : Number(b.size);
		if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1)
			return this.failed('page must be a non-negative integer and size a positive one');
		const filter = isRecord(b.filter) ? b.filter : {};
		const all = this.visible(flag(filter.includeExpired, false) === true);
		return json(200, {
			outcome: 'success',
			data: { reputations: all.slice(page * size, (page + 1) * size), total: all.length },
		});
	}

	download(): SimResponse {
		const rows = this.visible(false).map((r) =>
			[r.key, r.maliciousType, String(r.prevent), r.comment ?? '', 'false'].map(csvField).join(','),
		);
		const response = text(
			200,
			['key,reputation,prevent execution,comment,remove', ...rows].join('\n') + '\n',
		);
		response.headers = {
			'Content-Type': 'text/csv;charset=UTF-8',
			'Content-Disposition': 'attachment; filename=reputations.csv',
		};
		return response;
	}
}
