// API: POST /rest/visualsearch/query/simple (through cybereasonApiVisualSearch)
// One hunt: the query, a bounded second try when servers did not answer (PARTIAL_SUCCESS), and what the answer
// must tell the user. msticpy #802/#803: asking again on every PARTIAL_SUCCESS ran into HTTP 429.
import { sleep } from 'n8n-workflow';

import type { ApiCall } from '../api/call';
import { CONSOLE_MAX_RESULTS } from '../api/malops';
import { cybereasonApiVisualSearch, visualSearchBody, type Hunt } from '../api/visualSearch';
import { queryAnswerFacts, type QueryAnswerFacts } from '../malops/elements';
import type { CybereasonApiClient } from '../transport';
import type { VisualSearchResponse } from '../types';
import { cutNotices, type HuntNotices, type HuntNoun } from './notices';

/** Tries after a PARTIAL_SUCCESS answer; then the best answer is used, with a warning. */
export const PARTIAL_RETRIES = 1;
/** Time before asking again; tests shorten it. */
export const partialRetry = { delayMs: 2000 };

export interface HuntRequest {
	hunt: Hunt;
	/** The user's Limit; undefined = Return All (the console's maximum per query). */
	limit?: number;
	/**
	 * A lookup of one instance per hash (perGroupLimit 1): the instances left out are the point, not a loss, so
	 * only a PARTIAL_SUCCESS is reported.
	 */
	lookup?: boolean;
	/** What one result is, for messages. */
	noun: HuntNoun;
}

export interface HuntResult extends HuntNotices {
	facts: QueryAnswerFacts;
	/** Elements in the answer. */
	returned: number;
}

function failuresOf(answer: VisualSearchResponse): number {
	const failures = Number(answer.failures);
	return Number.isFinite(failures) ? failures : 1;
}

/**
 * Asks once, and once more after a PARTIAL_SUCCESS (some detection servers did not answer); keeps the answer with
 * the fewest failed servers. A last PARTIAL_SUCCESS is used as it is, with a warning naming what was missing.
 */
async function answerWithRetry(
	client: CybereasonApiClient,
	request: HuntRequest,
	call: ApiCall,
): Promise<{ answer: VisualSearchResponse; tries: number; partialTries: number }> {
	const limit = request.limit ?? CONSOLE_MAX_RESULTS;
	const body = visualSearchBody(request.hunt, limit, request.lookup ? 1 : limit);
	let best: VisualSearchResponse | undefined;
	let partialTries = 0;
	for (let tries = 1; ; tries++) {
		const answer = await cybereasonApiVisualSearch(client, body, call);
		if (answer.status !== 'PARTIAL_SUCCESS') return { answer, tries, partialTries };
		partialTries++;
		if (!best || failuresOf(answer) <= failuresOf(best)) best = answer;
		if (tries > PARTIAL_RETRIES) return { answer: best, tries, partialTries };
		await sleep(partialRetry.delayMs);
	}
}

export async function runHunt(
	client: CybereasonApiClient,
	request: HuntRequest,
	call: ApiCall = {},
): Promise<HuntResult> {
	const { answer, tries, partialTries } = await answerWithRetry(client, request, call);
	const facts = queryAnswerFacts(answer);
	const returned = Object.keys(facts.elements).length;
	const { warnings, notices } = request.lookup
		? { warnings: [], notices: [] }
		: cutNotices(facts, returned, request.limit, request.noun);
	if (facts.warning) {
		warnings.unshift(
			`${facts.warning}. Asked ${tries} times; the items hold what the answering servers returned.`,
		);
	} else if (partialTries > 0) {
		notices.push(
			`Cybereason answered PARTIAL_SUCCESS at first (some servers did not answer); asking again got every server's answer.`,
		);
	}
	return { facts, returned, warnings, notices };
}

/**
 * The console says the query's first step matched nothing (`pathResultCounts[0].count` 0): the machine or Malop
 * it starts from is unknown, which is not the same as "it has no processes". False when the answer does not say.
 */
export function startMissing(result: HuntResult): boolean {
	return result.facts.pathCounts[0] === 0;
}
