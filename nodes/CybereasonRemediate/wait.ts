// API: GET /rest/remediate/progress/{user}/{malopId}/{remediationId}, POST /rest/remediate/abort/{malopId}/{remediationId}
// Stage 7, under one deadline for the whole run: lost answers are looked for in the history again, and with Wait For
// Completion every unfinished remediation is read once per interval; at the deadline what is still open is reported
// TIMEOUT, or aborted when asked.
import { sleep } from 'n8n-workflow';

import {
	cybereasonApiAbortRemediation,
	cybereasonApiRemediationProgress,
} from '../shared/api/remediation';
import type { CybereasonApiError } from '../shared/errors';
import { mapWithConcurrency } from '../shared/items';
import { isTerminal, latestEntry, resultOf, type ActionResult } from '../shared/remediation';
import type { CybereasonApiClient } from '../shared/transport';
import type { RemediationResponse } from '../shared/types';
import { readIsolationState, reportsIsolated } from './isolation';
import { lookForLost, type Unresolved } from './lostAnswers';
import {
	firstItem,
	MALOP_CONCURRENCY,
	type Action,
	type Options,
	type Outcome,
	type Run,
	type Tracker,
} from './model';
import type { SensorMatches } from './sensors';
import { combine, type Sent } from './tracking';

type Results = ReadonlyMap<Action, ActionResult>;

/** Reads that kept failing: how many in a row, and the last error. */
interface Failing {
	count: number;
	error: CybereasonApiError;
}

/** The tracker's actions that have not finished yet. */
function unfinished(tracker: Tracker, results: Results): Action[] {
	return tracker.actions.filter((a) => results.has(a) && !isTerminal(results.get(a)!.status));
}

/** A read that may fail: its value, or why it failed. */
async function attempt<T>(
	read: () => Promise<T>,
): Promise<{ value?: T; failure?: CybereasonApiError }> {
	try {
		return { value: await read() };
	} catch (error) {
		return { failure: error as CybereasonApiError };
	}
}

/** One progress read; an action the console has not mentioned yet keeps its last known status. */
async function readProgress(client: CybereasonApiClient, tracker: Tracker, results: Results) {
	const read = await attempt(
		async () =>
			await cybereasonApiRemediationProgress(client, tracker, {
				itemIndex: firstItem(tracker.actions[0]),
			}),
	);
	const updates = new Map<Action, ActionResult>();
	const siblings = tracker.actions.map((a) => a.planned);
	for (const action of read.failure ? [] : unfinished(tracker, results)) {
		const entry = latestEntry(read.value?.statusLog, action.planned, siblings);
		if (entry) updates.set(action, resultOf(entry, null));
	}
	return { updates, failure: read.failure };
}

/** Reads were already retried by the transport; a 4xx will not get better by asking again. */
function isPermanent(error: CybereasonApiError): boolean {
	return /^4\d\d$/.test(String(error.httpCode ?? '')) && error.httpCode !== '429';
}

/** Queued (Primed) isolations whose sensor now reports the machine isolated. */
async function readIsolations(
	client: CybereasonApiClient,
	waiting: Action[],
	sensors: SensorMatches,
) {
	const read = await attempt(async () => await readIsolationState(client, waiting, sensors));
	const isolated = waiting.filter((a) => read.value && reportsIsolated(a, sensors, read.value));
	const updates = new Map<Action, ActionResult>(
		isolated.map((a) => [
			a,
			{
				status: 'SUCCESS',
				message: 'The sensor reconnected and reports the machine isolated',
				errorType: null,
				timestamp: Date.now(),
			},
		]),
	);
	return { updates, failure: read.failure };
}

function timedOut(
	result: ActionResult,
	timeoutMs: number,
	detail: string,
	failing?: Failing,
): ActionResult {
	return {
		status: 'TIMEOUT',
		message: `Still ${result.status} when the timeout of ${Math.round(timeoutMs / 100) / 10} s passed. ${detail}`,
		errorType: failing?.error.httpCode ?? null,
		timestamp: Date.now(),
	};
}

function unreadable(what: string, failing: Failing): string {
	return `${what} could not be read: the last ${failing.count} read(s) failed (${failing.error.message}), so its real state is unknown; check it in the Cybereason console.`;
}

/** At the deadline: TIMEOUT, or ABORTED (or the real status) once the console confirms an abort. */
async function settle(
	client: CybereasonApiClient,
	tracker: Tracker,
	results: Results,
	options: Options,
	failing?: Failing,
): Promise<Map<Action, ActionResult>> {
	const open = unfinished(tracker, results);
	const progress = failing
		? `${unreadable(`The progress of remediation ${tracker.remediationId}`, failing)} `
		: '';
	const all = (detail: string) =>
		new Map(open.map((a) => [a, timedOut(results.get(a)!, options.timeoutMs, detail, failing)]));
	if (!options.abortOnTimeout) {
		return all(
			progress ||
				'The action is still queued or running in the console; abort it there if it is no longer wanted, or turn on Abort On Timeout.',
		);
	}
	let answer: RemediationResponse | undefined;
	try {
		answer = await cybereasonApiAbortRemediation(client, tracker, {
			itemIndex: firstItem(open[0]),
		});
	} catch (error) {
		return all(
			`${progress}Aborting remediation ${tracker.remediationId} failed (${(error as Error).message}); check it in the console.`,
		);
	}
	const siblings = tracker.actions.map((a) => a.planned);
	const unconfirmed = all(
		`${progress}Abort of remediation ${tracker.remediationId} was requested, but the console did not confirm it for this action; check it in the console.`,
	);
	for (const action of open) {
		const entry = latestEntry(answer?.statusLog, action.planned, siblings);
		// The abort answer is the console's word: ABORTED, or the real status of an action that finished first.
		if (entry && isTerminal(String(entry.status))) unconfirmed.set(action, resultOf(entry, null));
	}
	return unconfirmed;
}

/** What the follow loop keeps between rounds. */
interface Following {
	outcomes: Map<Action, Outcome>;
	trackers: Tracker[];
	unresolved: Unresolved[];
	stopped: Map<Tracker, string>;
	failing: Map<Tracker, Failing>;
	isolationFailing?: Failing;
}

function results(state: Following): Map<Action, ActionResult> {
	return new Map([...state.outcomes].filter(([, o]) => !o.error).map(([a, o]) => [a, o.result]));
}

function withResults(state: Following, updates: Iterable<[Action, ActionResult]>) {
	for (const [action, result] of updates) {
		state.outcomes.set(action, { ...state.outcomes.get(action)!, result });
	}
}

/** Queued (Primed) isolations by sensor command that are still waiting for their sensor. */
function queued(state: Following, sensors: SensorMatches): Action[] {
	return [...state.outcomes]
		.filter(
			([a, o]) =>
				a.via === 'sensorCommand' &&
				!o.error &&
				o.remediationId === null &&
				o.result.status === 'PENDING' &&
				sensors.get(a)?.pylumIds.length,
		)
		.map(([a]) => a);
}

/** One round: progress and isolation reads (when waiting), and another look for every lost answer. */
async function round(run: Run, state: Following, sensors: SensorMatches, polling: Tracker[]) {
	const current = results(state);
	const reads = await mapWithConcurrency(polling, MALOP_CONCURRENCY, async (tracker) => ({
		tracker,
		...(await readProgress(run.client, tracker, current)),
	}));
	for (const { tracker, updates, failure } of reads) {
		withResults(state, updates);
		if (!failure) state.failing.delete(tracker);
		else if (isPermanent(failure)) state.stopped.set(tracker, failure.message);
		else
			state.failing.set(tracker, {
				count: (state.failing.get(tracker)?.count ?? 0) + 1,
				error: failure,
			});
	}
	const waiting = run.options.waitForCompletion ? queued(state, sensors) : [];
	if (waiting.length > 0) {
		const { updates, failure } = await readIsolations(run.client, waiting, sensors);
		withResults(state, updates);
		state.isolationFailing = failure
			? { count: (state.isolationFailing?.count ?? 0) + 1, error: failure }
			: undefined;
	}
	const looked = combine(
		await mapWithConcurrency(state.unresolved, MALOP_CONCURRENCY, (entry) =>
			lookForLost(run, entry),
		),
	);
	for (const [action, outcome] of looked.outcomes) state.outcomes.set(action, outcome);
	state.trackers.push(...looked.trackers);
	state.unresolved = looked.unresolved;
}

/** At the deadline, with Wait For Completion: TIMEOUT (or abort) for what is still open; nothing more once cancelled. */
async function finish(run: Run, state: Following, sensors: SensorMatches, cancelled: boolean) {
	const current = results(state);
	const settled = await mapWithConcurrency(state.trackers, MALOP_CONCURRENCY, async (tracker) => {
		const stopped = state.stopped.get(tracker);
		if (stopped !== undefined) {
			const message = `Could not follow the progress of remediation ${tracker.remediationId}: ${stopped}`;
			return new Map(unfinished(tracker, current).map((a) => [a, { ...current.get(a)!, message }]));
		}
		if (cancelled || unfinished(tracker, current).length === 0)
			return new Map<Action, ActionResult>();
		return await settle(run.client, tracker, current, run.options, state.failing.get(tracker));
	});
	for (const updates of settled) withResults(state, updates);
	if (cancelled) return;
	const failing = state.isolationFailing;
	const offline =
		'The sensor is offline: the isolation stays queued (Primed) and applies when it reconnects. A sensor command cannot be aborted; un-isolate the machine in the console if it is no longer wanted.';
	const detail = failing ? unreadable('The sensor state', failing) : offline;
	withResults(
		state,
		queued(state, sensors).map((a) => [
			a,
			timedOut(state.outcomes.get(a)!.result, run.options.timeoutMs, detail, failing),
		]),
	);
}

/**
 * Until everything is known or the run's deadline: lost answers, and with Wait For Completion the progress of every
 * remediation and queued isolation. A cancelled execution stops at once and reports what it knows.
 */
export async function follow(
	run: Run,
	sent: Sent,
	sensors: SensorMatches,
): Promise<{ outcomes: Map<Action, Outcome>; trackers: Tracker[] }> {
	const { options, startedAt } = run;
	const deadline = startedAt + options.timeoutMs;
	const cancel = run.ctx.getExecutionCancelSignal?.();
	const state: Following = {
		outcomes: new Map(sent.outcomes),
		trackers: [...sent.trackers],
		unresolved: sent.unresolved,
		stopped: new Map(),
		failing: new Map(),
	};
	const polling = () => {
		if (!options.waitForCompletion) return [];
		const current = results(state);
		return state.trackers.filter((t) => !state.stopped.has(t) && unfinished(t, current).length > 0);
	};
	for (;;) {
		const waiting = options.waitForCompletion ? queued(state, sensors) : [];
		if (polling().length === 0 && waiting.length === 0 && state.unresolved.length === 0) break;
		const remaining = deadline - Date.now();
		if (remaining <= 0 || cancel?.aborted) break;
		await sleep(Math.min(options.pollMs, remaining));
		if (cancel?.aborted) break;
		await round(run, state, sensors, polling());
	}
	if (options.waitForCompletion) await finish(run, state, sensors, cancel?.aborted === true);
	return { outcomes: state.outcomes, trackers: state.trackers };
}
