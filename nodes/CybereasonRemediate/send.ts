// API: POST /rest/remediate, GET /rest/remediate/status/{malopId}
// Stage 6: per Malop, the replay guard, then one POST (and one isolate command if asked). A lost answer is resolved
// through the Malop's remediation history, never by sending again.
import { cybereasonApiRemediate, cybereasonApiRemediationHistory } from '../shared/api/remediation';
import { CybereasonApiError } from '../shared/errors';
import { mapWithConcurrency } from '../shared/items';
import { findSentRemediation, remediateRequest, type MalopBatch } from '../shared/remediation';
import type { CybereasonApiClient } from '../shared/transport';
import type { RemediationResponse } from '../shared/types';
import { sendIsolation } from './isolation';
import type { Prepared } from './sensors';
import {
	failedOutcome,
	firstItem,
	MALOP_CONCURRENCY,
	type Action,
	type NodeError,
	type Outcome,
	type Run,
	type Tracker,
} from './model';
import { openActions, type Plan } from './plan';
import { replayGuard } from './replayGuard';
import { adopt, combine, sent, type Sent } from './tracking';

/** Allowed difference between the console's clock and ours when finding a remediation whose answer was lost. */
const CLOCK_SKEW_MS = 120_000;

interface LostAnswer {
	message: string;
	httpCode?: string | null;
}

async function recover(
	client: CybereasonApiClient,
	batch: MalopBatch,
	actions: Action[],
	lost: LostAnswer,
	sentAt: number,
): Promise<Sent> {
	let history: RemediationResponse[] | undefined;
	let readError: Error | undefined;
	try {
		history = await cybereasonApiRemediationHistory(client, batch.malopId, {
			itemIndex: firstItem(actions[0]),
		});
	} catch (error) {
		readError = error as Error;
	}
	const found = history
		? findSentRemediation(history, {
				initiatorUserName: batch.initiatorUserName,
				sentAt,
				skewMs: CLOCK_SKEW_MS,
				actions: actions.map((a) => a.planned),
			})
		: undefined;
	if (found) {
		return adopt(
			found,
			batch,
			actions,
			`The console's answer was lost (${lost.message}). Remediation ${found.remediationId} was found in the Malop's history; nothing was sent again.`,
		);
	}
	const outcome: Outcome = {
		remediationId: null,
		initiatingUser: batch.initiatorUserName,
		result: {
			status: 'UNKNOWN',
			message: `The console's answer was lost (${lost.message}) and ${
				readError
					? `its remediation history could not be read (${readError.message})`
					: "no matching remediation appears in the Malop's history"
			}. The request was NOT sent again, so that no action runs twice: check the Malop's remediations in the Cybereason console before retrying.`,
			errorType: lost.httpCode ?? null,
			timestamp: Date.now(),
		},
	};
	return sent(new Map(actions.map((a) => [a, outcome])));
}

async function sendRemediation(
	client: CybereasonApiClient,
	batch: MalopBatch,
	actions: Action[],
): Promise<Sent> {
	const body = remediateRequest(
		batch,
		actions.map((a) => a.planned),
	);
	const sentAt = Date.now();
	let answer: RemediationResponse | undefined;
	try {
		answer = await cybereasonApiRemediate(client, body, { itemIndex: firstItem(actions[0]) });
	} catch (error) {
		if (error instanceof CybereasonApiError && error.outcomeUnknown) {
			return await recover(client, batch, actions, error, sentAt);
		}
		return sent(new Map(actions.map((a) => [a, failedOutcome(error)])));
	}
	if (!answer || typeof answer.remediationId !== 'string') {
		const lost = { message: 'the answer carried no remediationId', httpCode: '200' };
		return await recover(client, batch, actions, lost, sentAt);
	}
	return adopt(answer, batch, actions);
}

function firstError(part: Sent): NodeError | undefined {
	return [...part.outcomes.values()].find((o) => o.error)?.error;
}

/**
 * Every Malop, up to MALOP_CONCURRENCY at a time. Without continue-on-fail the first failure stops the Malops not
 * started yet, and the run fails saying which remediations were started before it stopped.
 */
export async function sendAll(run: Run, plan: Plan, prepared: Prepared): Promise<Sent> {
	const continueOnFail = run.ctx.continueOnFail();
	let halted: NodeError | undefined;
	const stop = (part: Sent) => {
		if (!continueOnFail) halted ??= firstError(part);
		return part;
	};
	const parts = await mapWithConcurrency(plan.batches, MALOP_CONCURRENCY, async (batch) => {
		if (halted) return sent();
		const open = (via: Action['via']) => openActions(plan, batch, via, prepared.failed);
		const guard = await replayGuard(run, batch, open('remediate'));
		if (halted) return guard.found;
		const done = [guard.found];
		if (guard.toSend.length > 0) {
			done.push(stop(await sendRemediation(run.client, batch, guard.toSend)));
		}
		const isolate = open('sensorCommand');
		if (isolate.length > 0 && !halted) {
			done.push(stop(sent(await sendIsolation(run, batch, isolate, prepared.sensors))));
		}
		return combine(done);
	});
	const result = combine([sent(new Map(prepared.failed)), ...parts]);
	if (halted) {
		halted.description = `${halted.description ? `${halted.description} ` : ''}Remediations started in this run before it stopped: ${startedList(result.trackers)}.`;
		throw halted;
	}
	return result;
}

export function startedList(trackers: readonly Tracker[]): string {
	return trackers.map((t) => `${t.remediationId} (Malop ${t.malopId})`).join(', ') || 'none';
}
