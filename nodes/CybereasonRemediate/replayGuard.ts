// API: GET /rest/remediate/status/{malopId}
// Where the replay guard decides: before a Malop's POST (and its isolate command), its remediation history says
// which of our actions this user already started within the window (Retry On Fail, a re-run, a worker that crashed
// mid-run); those are not sent again and take the earlier remediation's status. When the history cannot be read,
// nothing is sent for that Malop: the guard fails closed.
import { cybereasonApiRemediationHistory } from '../shared/api/remediation';
import { findRecentlySent, type MalopBatch } from '../shared/remediation';
import type { RemediationResponse } from '../shared/types';
import { CybereasonApiError } from '../shared/errors';
import { failedOutcome, firstItem, type Action, type Outcome, type Run } from './model';
import type { SensorMatches } from './sensors';
import { adopt, combine, sent, type Sent } from './tracking';

function guardNote(remediation: RemediationResponse, unconfirmed: boolean): string {
	const at = new Date(Number(remediation.start)).toISOString();
	return unconfirmed
		? `Remediation ${remediation.remediationId}, started by the same user at ${at}, has not listed its actions yet and may hold this one; not sent again, so that it cannot run twice. Check it in the console, or run again in a few minutes.`
		: `Already sent by remediation ${remediation.remediationId} at ${at}, within the replay guard window; not sent again.`;
}

/** The guard cannot decide: nothing is sent for the Malop, and the items say how to proceed. */
function guardUnavailable(run: Run, batch: MalopBatch, actions: Action[], cause: unknown) {
	const readError = cause as CybereasonApiError;
	const code = readError.httpCode ? ` (HTTP ${readError.httpCode})` : '';
	return new CybereasonApiError(run.ctx.getNode(), {
		message: `Nothing was sent for Malop ${batch.malopId}: the replay guard could not read its remediation history${code}`,
		description: `${readError.message}. Without that check an action could run twice (after Retry On Fail or a re-run), so none was sent. To proceed, give the Cybereason user permission to read remediation status (GET /rest/remediate/status/{malopId}), or set the option Replay Guard Window to 0 to send without the check.`,
		httpCode: readError.httpCode ?? undefined,
		itemIndex: firstItem(actions[0]),
	});
}

function alreadyIsolated(): Outcome {
	return {
		remediationId: null,
		initiatingUser: null,
		result: {
			status: 'SUCCESS',
			message: 'The sensor already reports the machine isolated; the isolate command was not sent',
			errorType: null,
			timestamp: Date.now(),
		},
	};
}

/**
 * The actions still to send, and what the history says of the others. Times are the console's: its `start` times
 * are measured against its own present (its Date header), so a console clock that is off cannot open the window.
 * A machine to isolate by sensor command is skipped when its sensor already reports it isolated.
 */
/** Each Malop's history read once per run, also when several batches' shared isolations need it. */
export type Histories = Map<string, Promise<RemediationResponse[]>>;

function historyOf(run: Run, histories: Histories, malopId: string, itemIndex: number) {
	let history = histories.get(malopId);
	if (!history) {
		history = cybereasonApiRemediationHistory(run.client, malopId, { itemIndex });
		// Awaited by the batches that need it; a failure is theirs to report, never unhandled.
		history.catch(() => undefined);
		histories.set(malopId, history);
	}
	return history;
}

/** The histories an action must be checked against: its Malop's, and those of the Malops sharing it. */
async function historiesFor(
	run: Run,
	histories: Histories,
	batch: MalopBatch,
	action: Action,
): Promise<RemediationResponse[] | { malopId: string; error: unknown }> {
	const all: RemediationResponse[] = [];
	for (const malopId of [batch.malopId, ...(action.planned.sharedWith ?? [])]) {
		try {
			all.push(...(await historyOf(run, histories, malopId, firstItem(action))));
		} catch (error) {
			return { malopId, error };
		}
	}
	return all;
}

export async function replayGuard(
	run: Run,
	batch: MalopBatch,
	actions: Action[],
	sensors: SensorMatches,
	histories: Histories,
): Promise<{ toSend: Action[]; found: Sent }> {
	const { client, options, startedAt } = run;
	if (options.replayGuardMs <= 0 || actions.length === 0) return { toSend: actions, found: sent() };
	// Read first: the answer's Date header is what tells the console's present.
	await historyOf(run, histories, batch.malopId, firstItem(actions[0])).catch(() => undefined);
	const since = (client.consoleNow(startedAt) ?? startedAt) - options.replayGuardMs;
	const now = client.consoleNow() ?? Date.now();
	const toSend: Action[] = [];
	const settled = new Map<Action, Outcome>();
	const groups = new Map<
		string,
		{ remediation: RemediationResponse; actions: Action[]; unconfirmed: boolean }
	>();
	for (const action of actions) {
		if (action.via === 'sensorCommand' && sensors.get(action)?.isolated) {
			settled.set(action, alreadyIsolated());
			continue;
		}
		const history = await historiesFor(run, histories, batch, action);
		if (!Array.isArray(history)) {
			const unreadable = { ...batch, malopId: history.malopId };
			settled.set(
				action,
				failedOutcome(guardUnavailable(run, unreadable, [action], history.error)),
			);
			continue;
		}
		const match = findRecentlySent(history, action.planned, {
			initiatorUserName: batch.initiatorUserName,
			since,
			now,
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
	const found = combine([
		sent(settled),
		...[...groups.values()].map((g) =>
			adopt(g.remediation, batch, g.actions, guardNote(g.remediation, g.unconfirmed)),
		),
	]);
	const adopted = actions.length - toSend.length - settled.size;
	if (adopted > 0) {
		found.hints.push(
			`Replay guard: ${adopted} action(s) of Malop ${batch.malopId} were already started by ${batch.initiatorUserName} within the last ${Math.round(
				options.replayGuardMs / 1000,
			)} s and were not sent again.`,
		);
	}
	return { toSend, found };
}
