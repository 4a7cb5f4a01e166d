// API: GET /rest/remediate/status/{malopId}
// Where the replay guard decides: before a Malop's POST, its remediation history says which of our actions this
// user already started within the window (Retry On Fail, a re-run, a worker that crashed mid-run); those are not
// sent again and take the earlier remediation's status.
import { cybereasonApiRemediationHistory } from '../shared/api/remediation';
import { findRecentlySent, type MalopBatch } from '../shared/remediation';
import type { RemediationResponse } from '../shared/types';
import { firstItem, type Action, type Run } from './model';
import { adopt, combine, sent, type Sent } from './tracking';

function guardNote(remediation: RemediationResponse, unconfirmed: boolean): string {
	const at = new Date(Number(remediation.start)).toISOString();
	return unconfirmed
		? `Remediation ${remediation.remediationId}, started by the same user at ${at}, has not listed its actions yet and may hold this one; not sent again, so that it cannot run twice. Check it in the console, or run again in a few minutes.`
		: `Already sent by remediation ${remediation.remediationId} at ${at}, within the replay guard window; not sent again.`;
}

/** The actions still to send, and what the history says of the others. */
export async function replayGuard(
	{ client, options, startedAt }: Run,
	batch: MalopBatch,
	actions: Action[],
): Promise<{ toSend: Action[]; found: Sent }> {
	if (options.replayGuardMs <= 0 || actions.length === 0) return { toSend: actions, found: sent() };
	let history: RemediationResponse[];
	try {
		history = await cybereasonApiRemediationHistory(client, batch.malopId, {
			itemIndex: firstItem(actions[0]),
		});
	} catch (error) {
		const found = sent();
		found.hints.push(
			`Replay guard: could not read the remediation history of Malop ${batch.malopId} (${(error as Error).message}); its actions were sent without that check.`,
		);
		return { toSend: actions, found };
	}
	const since = startedAt - options.replayGuardMs;
	const toSend: Action[] = [];
	const groups = new Map<
		string,
		{ remediation: RemediationResponse; actions: Action[]; unconfirmed: boolean }
	>();
	for (const action of actions) {
		const match = findRecentlySent(history, action.planned, {
			initiatorUserName: batch.initiatorUserName,
			since,
			now: Date.now(),
		});
		if (!match) {
			toSend.push(action);
			continue;
		}
		const group = groups.get(match.remediation.remediationId) ?? {
			remediation: match.remediation,
			actions: [],
			unconfirmed: match.unconfirmed === true,
		};
		group.actions.push(action);
		groups.set(match.remediation.remediationId, group);
	}
	const found = combine(
		[...groups.values()].map((g) =>
			adopt(g.remediation, batch, g.actions, guardNote(g.remediation, g.unconfirmed)),
		),
	);
	if (groups.size > 0) {
		found.hints.push(
			`Replay guard: ${actions.length - toSend.length} action(s) of Malop ${batch.malopId} were already started by ${batch.initiatorUserName} within the last ${Math.round(
				options.replayGuardMs / 1000,
			)} s and were not sent again.`,
		);
	}
	return { toSend, found };
}
