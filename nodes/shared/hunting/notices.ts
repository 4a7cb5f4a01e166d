// Pure: what a hunting answer must tell the user besides its items: cut by the console (totalPossibleResults above
// what came back, queryTerminated) or by the user's own Limit. Never silent.
import type { IDataObject } from 'n8n-workflow';

import type { QueryAnswerFacts } from '../malops/elements';
import { plural } from '../malops/values';

export interface HuntNotices {
	/** Put on every item (`warnings`) and logged: the items are not everything the console holds. */
	warnings: string[];
	/** Logged and shown as hints only: what the user asked for, e.g. Limit reached with more to see. */
	notices: string[];
}

export type HuntNoun = 'file' | 'process' | 'machine';

const PLURAL: Record<HuntNoun, string> = {
	file: 'files',
	process: 'processes',
	machine: 'machines',
};

/**
 * `returned` counts the answer's elements; `limit` is the user's Limit (undefined: Return All, i.e. the console's
 * maximum).
 */
export function cutNotices(
	facts: QueryAnswerFacts,
	returned: number,
	limit: number | undefined,
	noun: HuntNoun,
): HuntNotices {
	const nouns = PLURAL[noun];
	const total = facts.totalPossibleResults;
	const of = total === undefined ? '' : ` of ${total}`;
	const more = total !== undefined && total > returned;
	// Consoles flag a cut by the query's own totalResultLimit as terminated too: the user's Limit is no loss.
	if (limit !== undefined && returned >= limit) {
		return {
			warnings: [],
			notices:
				more || facts.queryTerminated
					? [
							`${plural(returned, noun, nouns)}${of} matching: Limit ${limit} reached. Turn on Return All or raise Limit to see more.`,
						]
					: [],
		};
	}
	if (!more && !facts.queryTerminated) return { warnings: [], notices: [] };
	const cap = facts.totalResultLimit ?? facts.perGroupLimit;
	const why = [
		facts.queryTerminated ? 'queryTerminated: it stopped the query early' : '',
		cap === returned ? `its result limit is ${cap}` : '',
	].filter(Boolean);
	return {
		warnings: [
			`Cybereason answered ${returned}${of} matching ${nouns}${
				why.length > 0 ? ` (${why.join('; ')})` : ''
			}. Narrow the search to see the rest.`,
		],
		notices: [],
	};
}

/** The query-wide warnings on every item, as one shared array (no per-item copies of a 10,000-item answer). */
export function withWarnings(items: IDataObject[], warnings: string[]): IDataObject[] {
	if (warnings.length === 0) return items;
	for (const item of items) item.warnings = warnings;
	return items;
}
