// Malops from the 20.1+ detection inbox: one request for a whole time window (it has no paging).
import { cybereasonApiDetectionInbox } from '../api/malops';
import { envelopeWarning } from '../errors';
import { mergeMalops, newest } from '../malops/filters';
import { normaliseInboxResponse } from '../malops/inbox';
import { uniqueWarnings, type Found, type QueryContext } from './context';

/**
 * "Everything since 1970" would be one huge answer. Without Updated After the node asks for the last 30 days: the
 * span an analyst's inbox view covers, and far more than a SOC workflow that runs every few minutes needs.
 */
export const DEFAULT_INBOX_WINDOW_MS = 30 * 86_400_000;

export async function queryInbox(ctx: QueryContext): Promise<Found> {
	const end = ctx.filters.updatedBefore ?? ctx.now;
	const start =
		ctx.filters.updatedAfter ?? end - (ctx.query.inboxWindowMs ?? DEFAULT_INBOX_WINDOW_MS);
	const answer = await cybereasonApiDetectionInbox(
		ctx.client,
		{ startTime: start, endTime: end },
		{ itemIndex: ctx.itemIndex },
	);
	const malops = mergeMalops([normaliseInboxResponse(answer, ctx.baseUrl)]).filter(ctx.match);
	return {
		malops: newest(malops, ctx.query.limit),
		warnings: uniqueWarnings([envelopeWarning(answer)]),
		notices: [],
	};
}
