// API: POST /rest/classification/reputations/list, POST /rest/visualsearch/query/simple
// The console's classification of hashes and whether they are blocked: the custom reputation list (read once per
// run, page by page) and the files the sensors saw. One item per hash.
import { updateDisplayOptions } from 'n8n-workflow';

import { CybereasonApiError } from '../../../shared/errors';
import {
	lookupReputations,
	readReputationList,
	type ReputationList,
} from '../../../shared/hunting/reputationLookup';
import type { CybereasonApiClient } from '../../../shared/transport';
import { huntOperation, reported } from '../hunt';
import type { Operation } from '../operation';
import { hashProperty, readHashes } from './hash';

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['getReputation'] } },
	[hashProperty],
);

/** Consoles before 21.2.103 have no list: the files the sensors saw still give the classification. */
const NO_LIST: ReputationList = {
	entries: [],
	warnings: [
		'This console has no reputation list API (classification/reputations/list, 21.2.103 and later): reputation, blocked and comment come only from the files its sensors saw.',
	],
};

async function listOrNone(client: CybereasonApiClient, itemIndex: number): Promise<ReputationList> {
	return await readReputationList(client, {
		itemIndex,
		operation: `read the custom reputation list (item ${itemIndex})`,
	}).catch((error: unknown) => {
		if (error instanceof CybereasonApiError && error.httpCode === '404') return NO_LIST;
		throw error;
	});
}

export const execute: Operation['execute'] = async (ctx, client) => {
	let list: ReputationList | undefined;
	return await huntOperation('reputation', async (_, __, itemIndex, report) => {
		const hashes = readHashes(ctx, itemIndex);
		list ??= await listOrNone(client, itemIndex);
		const { items, warnings } = await lookupReputations(client, hashes, list, {
			itemIndex,
			operation: `look the files up (item ${itemIndex})`,
		});
		return reported(items, { warnings, notices: [] }, report);
	})(ctx, client);
};
