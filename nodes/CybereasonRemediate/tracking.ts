// A remediation the run started or found: its answer read into the outcome of each of our actions, and the
// tracker the wait stage follows it by.
import { actionResult, type MalopBatch } from '../shared/remediation';
import type { RemediationResponse } from '../shared/types';
import type { Unresolved } from './lostAnswers';
import type { Action, Outcome, Tracker } from './model';

/** What sending (part of) a run led to. */
export interface Sent {
	outcomes: Map<Action, Outcome>;
	trackers: Tracker[];
	hints: string[];
	/** Lost answers the history has not resolved yet. */
	unresolved: Unresolved[];
	/** The actions this run sent (or tried to): not those the replay guard found done already. */
	attempted: Action[];
}

export function sent(outcomes = new Map<Action, Outcome>(), trackers: Tracker[] = []): Sent {
	return { outcomes, trackers, hints: [], unresolved: [], attempted: [] };
}

/** Several results as one; the trackers of one remediation become one tracker carrying all its actions. */
export function combine(parts: readonly Sent[]): Sent {
	const trackers = new Map<string, Tracker>();
	for (const tracker of parts.flatMap((p) => p.trackers)) {
		const known = trackers.get(tracker.remediationId);
		if (known)
			trackers.set(tracker.remediationId, {
				...known,
				actions: [...known.actions, ...tracker.actions],
			});
		else trackers.set(tracker.remediationId, tracker);
	}
	return {
		outcomes: new Map(parts.flatMap((p) => [...p.outcomes])),
		trackers: [...trackers.values()],
		hints: parts.flatMap((p) => p.hints),
		unresolved: parts.flatMap((p) => p.unresolved),
		attempted: parts.flatMap((p) => p.attempted),
	};
}

/** Our actions carried by this remediation: their status from its statusLog, and a tracker to follow it. */
export function adopt(
	answer: RemediationResponse,
	batch: MalopBatch,
	actions: Action[],
	note?: string,
): Sent {
	const siblings = actions.map((a) => a.planned);
	const outcomes = new Map<Action, Outcome>();
	for (const action of actions) {
		outcomes.set(action, {
			remediationId: answer.remediationId,
			initiatingUser: answer.initiatingUser ?? batch.initiatorUserName,
			result: actionResult(answer, action.planned, siblings),
			...(note ? { note } : {}),
		});
	}
	const tracker: Tracker = {
		malopId: batch.malopId,
		remediationId: answer.remediationId,
		initiatingUser:
			typeof answer.initiatingUser === 'string' && answer.initiatingUser
				? answer.initiatingUser
				: batch.initiatorUserName,
		actions,
	};
	return sent(outcomes, [tracker]);
}
