// The console's INVALID_ARGUMENT for an action (a machine that is not part of the Malop, a target that is not one of
// the machine's elements) fails that action's items and says what else of its remediation was sent.
import type { IExecuteFunctions } from 'n8n-workflow';

import { actionName } from '../shared/descriptions/remediationActions';
import { CybereasonApiError } from '../shared/errors';
import { failedInput } from '../shared/items';
import {
	firstItem,
	type Action,
	type Outcome,
	type Outcomes,
	type Run,
	type Tracker,
} from './model';
import { startedList } from './send';

function isInvalidArgument(outcome: Outcome | undefined): boolean {
	return outcome?.result.status === 'FAILURE' && outcome.result.errorType === 'INVALID_ARGUMENT';
}

function describeAction(action: Action): string {
	const { actionType, machineGuid, targetId } = action.planned;
	return actionType === 'ISOLATE_MACHINE'
		? `machine ${machineGuid}`
		: `target ${targetId} on machine ${machineGuid}`;
}

function invalidArgumentError(
	ctx: IExecuteFunctions,
	action: Action,
	outcome: Outcome,
	run: { outcomes: Outcomes; trackers: readonly Tracker[] },
): CybereasonApiError {
	const itemIndex = firstItem(action);
	const tracker = run.trackers.find((t) => t.remediationId === outcome.remediationId);
	const others = (tracker?.actions ?? []).filter(
		(a) => a !== action && !isInvalidArgument(run.outcomes.get(a)),
	);
	const name = actionName(action.planned.actionType);
	return new CybereasonApiError(ctx.getNode(), {
		message: `Cybereason refused ${name} on ${describeAction(action)} (item ${itemIndex}): it is not part of Malop ${action.batch.malopId}. ${
			others.length > 0
				? `The other ${others.length} action(s) of remediation ${outcome.remediationId} were sent.`
				: `Nothing else was sent in remediation ${outcome.remediationId}.`
		}`,
		description: `The console answered INVALID_ARGUMENT${
			outcome.result.message ? `: "${outcome.result.message}"` : ''
		}. The machine must be one of the Malop's affected machines, and the target one of that machine's elements that supports ${name}. Remediations started in this run: ${startedList(run.trackers)}.`,
		itemIndex,
		cybereasonStatus: 'INVALID_ARGUMENT',
	});
}

/**
 * Actions the console refused as INVALID_ARGUMENT become errors: without continue-on-fail the first one fails the
 * run at once, without waiting for the rest; with it, each fails its own items.
 */
export function failInvalidArguments(
	{ ctx }: Run,
	actions: readonly Action[],
	run: { outcomes: Outcomes; trackers: readonly Tracker[] },
): Map<Action, Outcome> {
	const outcomes = new Map(run.outcomes);
	for (const action of actions) {
		const outcome = run.outcomes.get(action);
		if (!outcome || outcome.error || !isInvalidArgument(outcome)) continue;
		const error = failedInput(ctx, invalidArgumentError(ctx, action, outcome, run));
		outcomes.set(action, { ...outcome, error: error as CybereasonApiError });
	}
	return outcomes;
}
