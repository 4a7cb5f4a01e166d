// Reading a Malop's remediation history (GET /rest/remediate/status/{malopId}): the replay guard's decision and
// finding a remediation whose answer was lost.
import type { RemediationResponse, RemediationStatusLogEntry } from '../types';
import type { ActionRef } from './batches';
import { latestEntry, matchesAction } from './results';

function sameUser(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/**
 * After a lost answer: the remediation we sent, found in the Malop's history. Same initiator, started no earlier
 * than our send time minus the allowed clock skew, and its statusLog names only our actions (an empty log
 * cannot be told apart, so it is taken only when nothing better matches). The newest best match wins.
 */
export function findSentRemediation(
	history: readonly RemediationResponse[],
	sent: {
		initiatorUserName: string;
		sentAt: number;
		skewMs: number;
		actions: readonly ActionRef[];
	},
): RemediationResponse | undefined {
	let best: { remediation: RemediationResponse; score: number } | undefined;
	for (const remediation of history) {
		if (!sameUser(remediation.initiatingUser, sent.initiatorUserName)) continue;
		if (!(Number(remediation.start) >= sent.sentAt - sent.skewMs)) continue;
		const log = Array.isArray(remediation.statusLog) ? remediation.statusLog : [];
		if (!log.every((entry) => sent.actions.some((action) => matchesAction(entry, action))))
			continue;
		const covered = sent.actions.filter((action) =>
			log.some((entry) => matchesAction(entry, action)),
		).length;
		const score = covered === sent.actions.length ? 2 : covered > 0 ? 1 : 0;
		if (
			!best ||
			score > best.score ||
			(score === best.score && Number(remediation.start) > Number(best.remediation.start))
		) {
			best = { remediation, score };
		}
	}
	return best?.remediation;
}

/**
 * How long after its start an earlier remediation whose status log is still empty is taken to possibly hold the
 * action: the console lists the actions only as it dispatches them (seconds, in the public captures), and a retry
 * or re-run right after a POST would otherwise see nothing and send the same action again.
 */
export const UNREPORTED_GRACE_MS = 120_000;

/**
 * Replay guard: an earlier remediation of ours (same initiator, started since `since`) that already carries this
 * action and did not fail or get aborted. Sending it again would run it twice; a failed one may be retried. A very
 * recent one that has not listed any action yet counts too (`unconfirmed`), since it may hold this one.
 */
export function findRecentlySent(
	history: readonly RemediationResponse[],
	action: ActionRef,
	options: { initiatorUserName: string; since: number; now: number },
):
	| { remediation: RemediationResponse; entry?: RemediationStatusLogEntry; unconfirmed?: true }
	| undefined {
	let found: ReturnType<typeof findRecentlySent>;
	for (const remediation of history) {
		if (!sameUser(remediation.initiatingUser, options.initiatorUserName)) continue;
		const start = Number(remediation.start);
		if (!(start >= options.since)) continue;
		if (found && start <= Number(found.remediation.start)) continue;
		if ((remediation.statusLog ?? []).length === 0) {
			if (start >= options.now - UNREPORTED_GRACE_MS) found = { remediation, unconfirmed: true };
			continue;
		}
		const entry = latestEntry(remediation.statusLog, action);
		if (!entry || entry.status === 'FAILURE' || entry.status === 'ABORTED') continue;
		found = { remediation, entry };
	}
	return found;
}
