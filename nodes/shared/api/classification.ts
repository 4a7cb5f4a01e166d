// API: POST /rest/classification/update, POST /rest/classification/reputations/list
// The organisation's custom reputations: a hash on the blacklist with `prevent` is blocked on every machine.
// Bodies as XSOAR and Google SecOps send them (prevent_file / unprevent_file).
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../malops/values';
import type { AnswerShape, CybereasonApiClient } from '../transport';
import type { ApiCall } from './call';

/** Where reputations are changed; dry runs show it as the request they would have sent. */
export const CLASSIFICATION_UPDATE_ENDPOINT = {
	method: 'POST',
	path: '/rest/classification/update',
} as const;

export interface ReputationChange {
	keys: string[];
	maliciousType?: 'blacklist';
	remove: boolean;
	prevent: boolean;
	comment?: string;
}

/** One change for all the hashes: blacklisted and prevented from running on every machine. */
export function blockChange(hashes: string[], comment?: string): ReputationChange {
	const change: ReputationChange = {
		keys: [...hashes],
		maliciousType: 'blacklist',
		remove: false,
		prevent: true,
	};
	if (comment) change.comment = comment;
	return change;
}

/** Takes the hashes off the custom reputation list (XSOAR and Google SecOps send no maliciousType). */
export function unblockChange(hashes: string[]): ReputationChange {
	return { keys: [...hashes], remove: true, prevent: false };
}

/**
 * The one answer that means done: `{"outcome":"success","data":"true"}`, `data` the string "true"
 * (xsoar-prevent_file_raw_response). Peers take any 2xx for success; a change the console may not have made
 * is reported instead (CybereasonApiError with outcomeUnknown).
 */
const UPDATE_DONE: AnswerShape = {
	what: '{"outcome":"success","data":"true"}',
	test: (body) => isRecord(body) && body.outcome === 'success' && body.data === 'true',
};

/** Never retried: a lost answer is resolved by reading the list back, not by sending the change again. */
export async function cybereasonApiUpdateClassification(
	client: CybereasonApiClient,
	changes: ReputationChange[],
	call: ApiCall = {},
): Promise<void> {
	await client.request<unknown>({
		...CLASSIFICATION_UPDATE_ENDPOINT,
		body: changes.map((change) => ({ ...change, keys: [...change.keys] })) as IDataObject[],
		idempotent: false,
		operation: call.operation ?? 'change the file reputations',
		itemIndex: call.itemIndex,
		expect: UPDATE_DONE,
	});
}

/** One entry of the list (21.2.103+), as Netskope's Cybereason plugin reads it; times in ms. */
export interface ReputationEntry {
	key: string;
	lookupKeyType?: string;
	maliciousType?: string;
	prevent?: boolean | string;
	comment?: string | null;
	firstSeen?: number | string | null;
	lastUpdated?: number | string | null;
	expiration?: number | string | null;
}

export interface ReputationPage {
	reputations: ReputationEntry[];
	total: number;
}

const LIST_ANSWER: AnswerShape = {
	what: 'a reputation list (data.reputations)',
	test: (body) =>
		isRecord(body) &&
		body.outcome === 'success' &&
		isRecord(body.data) &&
		Array.isArray(body.data.reputations),
};

/** One page of the custom reputations (`page` 0-based), in the order the console keeps them. */
export async function cybereasonApiListReputations(
	client: CybereasonApiClient,
	page: { page: number; size: number },
	call: ApiCall = {},
): Promise<ReputationPage> {
	const answer = await client.request<{ data: { reputations: unknown[]; total?: unknown } }>({
		method: 'POST',
		path: '/rest/classification/reputations/list',
		body: { page: page.page, size: page.size, filter: { includeExpired: false } },
		idempotent: true,
		operation: call.operation ?? 'read the custom reputation list',
		itemIndex: call.itemIndex,
		expect: LIST_ANSWER,
	});
	const reputations = answer.data.reputations.filter(
		(entry): entry is ReputationEntry => isRecord(entry) && typeof entry.key === 'string',
	);
	const total = Number(answer.data.total);
	return { reputations, total: Number.isFinite(total) ? total : reputations.length };
}
