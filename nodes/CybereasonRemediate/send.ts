// API: POST /rest/remediate
// Stage 6: per Malop, the replay guard, then one POST (and one isolate command if asked). A lost answer is resolved
// through the Malop's remediation history (lostAnswers.ts), never by sending again.
import { cybereasonApiRemediate } from '../shared/api/remediation';
import { CybereasonApiError } from '../shared/errors';
import { mapWithConcurrency } from '../shared/items';
import { remediateRequest, type MalopBatch } from '../shared/remediation';
import type { RemediationResponse } from '../shared/types';
import { sendIsolation } from './isolation';
import { lookForLost } from './lostAnswers';
import type { Prepared } from './sensors';
import {
	failedOutcome,
	firstItem,
	MALOP_CONCURRENCY,
	type Action,
	type NodeError,
	type Run,
	type Tracker,
} from './model';
import { openActions, type Plan } from './plan';
import { replayGuard, type Histories } from './replayGuard';
import { adopt, combine, sent, type Sent } from './tracking';

async function sendRemediation(run: Run, batch: MalopBatch, actions: Action[]): Promise<Sent> {
	const body = remediateRequest(
		batch,
		actions.map((a) => a.planned),
	);
	const sentAt = Date.now();
	let answer: RemediationResponse | undefined;
	try {
		answer = await cybereasonApiRemediate(run.client, body, { itemIndex: firstItem(actions[0]) });
	} catch (error) {
		if (error instanceof CybereasonApiError && error.outcomeUnknown) {
			return await lookForLost(run, { batch, actions, lost: error, sentAt, reads: 0 });
		}
		return sent(new Map(actions.map((a) => [a, failedOutcome(error)])));
	}
	// An answer without its remediationId cannot be followed: as good as lost.
	if (!answer || typeof answer.remediationId !== 'string') {
		const lost = { message: 'the answer carried no remediationId', httpCode: '200' };
		return await lookForLost(run, { batch, actions, lost, sentAt, reads: 0 });
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
	const stop = <T extends Sent | { found: Sent }>(part: T): T => {
		if (!continueOnFail) halted ??= firstError('found' in part ? part.found : part);
		return part;
	};
	const histories: Histories = new Map();
	const parts = await mapWithConcurrency(plan.batches, MALOP_CONCURRENCY, async (batch) => {
		if (halted) return sent();
		const open = [
			...openActions(plan, batch, 'remediate', prepared.failed),
			...openActions(plan, batch, 'sensorCommand', prepared.failed),
		];
		const guard = stop(await replayGuard(run, batch, open, prepared.sensors, histories));
		if (halted) return guard.found;
		const done = [guard.found];
		const remediate = guard.toSend.filter((a) => a.via === 'remediate');
		if (remediate.length > 0) done.push(stop(await sendRemediation(run, batch, remediate)));
		const isolate = guard.toSend.filter((a) => a.via === 'sensorCommand');
		if (isolate.length > 0 && !halted) {
			done.push(stop(sent(await sendIsolation(run, batch, isolate, prepared.sensors))));
		}
		return { ...combine(done), attempted: guard.toSend };
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
