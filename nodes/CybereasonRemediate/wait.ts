// API: GET /rest/remediate/progress/{user}/{malopId}/{remediationId}, POST /rest/remediate/abort/{malopId}/{remediationId}
// Stage 7 (Wait For Completion): every unfinished remediation is read once per interval, under one deadline for the
// whole run; at the deadline what is still open is reported TIMEOUT, or aborted when asked.
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
import type { SensorMatches } from './sensors';
import {
	firstItem,
	MALOP_CONCURRENCY,
	type Action,
	type Options,
	type Outcome,
	type Run,
	type Tracker,
} from './model';
import type { Sent } from './tracking';

type Results = ReadonlyMap<Action, ActionResult>;

/** The tracker's actions that have not finished yet. */
function unfinished(tracker: Tracker, results: Results): Action[] {
	return tracker.actions.filter((a) => results.has(a) && !isTerminal(results.get(a)!.status));
}

/** One progress read; an action the console has not mentioned yet keeps its last known status. */
async function readProgress(
	client: CybereasonApiClient,
	tracker: Tracker,
	results: Results,
): Promise<{ updates: Map<Action, ActionResult>; stoppedBy?: string }> {
	const updates = new Map<Action, ActionResult>();
	try {
		const answer = await cybereasonApiRemediationProgress(client, tracker, {
			itemIndex: firstItem(tracker.actions[0]),
		});
		const siblings = tracker.actions.map((a) => a.planned);
		for (const action of unfinished(tracker, results)) {
			const entry = latestEntry(answer?.statusLog, action.planned, siblings);
			if (entry) updates.set(action, resultOf(entry, null));
		}
		return { updates };
	} catch (error) {
		const e = error as CybereasonApiError;
		// Reads were already retried by the transport; a 4xx will not get better by asking again.
		const permanent = /^4\d\d$/.test(String(e.httpCode ?? '')) && e.httpCode !== '429';
		return { updates, ...(permanent ? { stoppedBy: e.message } : {}) };
	}
}

/** Queued (Primed) isolations whose sensor now reports the machine isolated. */
async function readIsolations(
	client: CybereasonApiClient,
	waiting: Action[],
	sensors: SensorMatches,
): Promise<Map<Action, ActionResult>> {
	const updates = new Map<Action, ActionResult>();
	try {
		const state = await readIsolationState(client, waiting, sensors);
		for (const action of waiting) {
			if (!reportsIsolated(action, sensors, state)) continue;
			updates.set(action, {
				status: 'SUCCESS',
				message: 'The sensor reconnected and reports the machine isolated',
				errorType: null,
				timestamp: Date.now(),
			});
		}
	} catch {
		// Read again at the next interval.
	}
	return updates;
}

function timedOut(result: ActionResult, timeoutMs: number, detail: string): ActionResult {
	return {
		status: 'TIMEOUT',
		message: `Still ${result.status} when the timeout of ${Math.round(timeoutMs / 100) / 10} s passed. ${detail}`,
		errorType: null,
		timestamp: Date.now(),
	};
}

/** At the deadline: TIMEOUT, or ABORTED (or the real status) once the console confirms an abort. */
async function settle(
	client: CybereasonApiClient,
	tracker: Tracker,
	results: Results,
	options: Options,
): Promise<Map<Action, ActionResult>> {
	const open = unfinished(tracker, results);
	const all = (detail: string) =>
		new Map(open.map((a) => [a, timedOut(results.get(a)!, options.timeoutMs, detail)]));
	if (!options.abortOnTimeout) {
		return all(
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
			`Aborting remediation ${tracker.remediationId} failed (${(error as Error).message}); check it in the console.`,
		);
	}
	const siblings = tracker.actions.map((a) => a.planned);
	const unconfirmed = all(
		`Abort of remediation ${tracker.remediationId} was requested, but the console did not confirm it for this action; check it in the console.`,
	);
	for (const action of open) {
		const entry = latestEntry(answer?.statusLog, action.planned, siblings);
		// The abort answer is the console's word: ABORTED, or the real status of an action that finished first.
		if (entry && isTerminal(String(entry.status))) unconfirmed.set(action, resultOf(entry, null));
	}
	return unconfirmed;
}

export async function waitForResults(
	{ ctx, client, options, startedAt }: Run,
	run: Pick<Sent, 'outcomes' | 'trackers'>,
	sensors: SensorMatches,
): Promise<Map<Action, Outcome>> {
	const deadline = startedAt + options.timeoutMs;
	const cancel = ctx.getExecutionCancelSignal?.();
	const results = new Map(
		[...run.outcomes].filter(([, o]) => !o.error).map(([a, o]) => [a, o.result]),
	);
	const queued = () =>
		[...results]
			.filter(
				([a, r]) =>
					a.via === 'sensorCommand' && r.status === 'PENDING' && sensors.get(a)?.pylumIds.length,
			)
			.map(([a]) => a);
	const stoppedBy = new Map<Tracker, string>();
	const open = () =>
		run.trackers.filter((t) => !stoppedBy.has(t) && unfinished(t, results).length > 0);
	for (;;) {
		const polling = open();
		const waiting = queued();
		if (polling.length === 0 && waiting.length === 0) break;
		const remaining = deadline - Date.now();
		if (remaining <= 0 || cancel?.aborted) break;
		await sleep(Math.min(options.pollMs, remaining));
		if (cancel?.aborted) break;
		const reads = await mapWithConcurrency(polling, MALOP_CONCURRENCY, async (tracker) => {
			const read = await readProgress(client, tracker, results);
			if (read.stoppedBy !== undefined) stoppedBy.set(tracker, read.stoppedBy);
			return read.updates;
		});
		for (const updates of reads) for (const [a, r] of updates) results.set(a, r);
		if (waiting.length > 0) {
			for (const [a, r] of await readIsolations(client, waiting, sensors)) results.set(a, r);
		}
	}
	const final = await mapWithConcurrency(run.trackers, MALOP_CONCURRENCY, async (tracker) => {
		const stopped = stoppedBy.get(tracker);
		if (stopped !== undefined) {
			const message = `Could not follow the progress of remediation ${tracker.remediationId}: ${stopped}`;
			return new Map(unfinished(tracker, results).map((a) => [a, { ...results.get(a)!, message }]));
		}
		if (cancel?.aborted || unfinished(tracker, results).length === 0) return new Map();
		return await settle(client, tracker, results, options);
	});
	for (const updates of final) for (const [a, r] of updates) results.set(a, r);
	if (!cancel?.aborted) {
		for (const action of queued()) {
			results.set(
				action,
				timedOut(
					results.get(action)!,
					options.timeoutMs,
					'The sensor is offline: the isolation stays queued (Primed) and applies when it reconnects. A sensor command cannot be aborted; un-isolate the machine in the console if it is no longer wanted.',
				),
			);
		}
	}
	return new Map(
		[...run.outcomes].map(([a, o]) => [a, results.has(a) ? { ...o, result: results.get(a)! } : o]),
	);
}
