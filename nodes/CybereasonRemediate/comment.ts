// API: POST /rest/crimes/comment/{malopGuid}, POST /rest/crimes/get-comments
// Comment On Malop: once a Malop's actions were sent (and waited for), one comment on it saying what n8n did, where
// analysts look. Only what this run sent is told (an action the replay guard found done was told by the run that
// sent it). A comment that fails is a warning on the items, never a failed remediation. A dry run ends before this
// stage: it never comments.
import type { IDataObject } from 'n8n-workflow';

import { mapWithConcurrency } from '../shared/items';
import { postMalopComment, remediationComment, type CommentedAction } from '../shared/malopComment';
import type { SensorMatches } from './sensors';
import { firstItem, MALOP_CONCURRENCY, type Action, type Outcomes, type Run } from './model';
import type { Plan } from './plan';

/** What became of the comment on one Malop, and the actions it tells of. */
export interface MalopComment {
	actions: ReadonlySet<Action>;
	/** `{ commentId, timestamp }` (and `note`) of the comment posted. */
	posted?: IDataObject;
	warning?: string;
}

export type Comments = ReadonlyMap<string, MalopComment>;

/**
 * The actions this run sent, per Malop of the items that asked for them: an isolation sent once under one Malop
 * is told on every Malop whose items share it.
 */
function byMalop(plan: Plan, attempted: readonly Action[]): Map<string, Action[]> {
	const sent = new Set(attempted);
	const malops = new Map<string, Action[]>();
	for (const action of plan.actions.filter((a) => sent.has(a))) {
		for (const itemIndex of action.planned.itemIndexes) {
			const malopId = plan.items.get(itemIndex)!.malopId;
			const list = malops.get(malopId) ?? [];
			if (!list.includes(action)) list.push(action);
			malops.set(malopId, list);
		}
	}
	return malops;
}

function commented(
	run: Run,
	action: Action,
	outcomes: Outcomes,
	sensors: SensorMatches,
): CommentedAction {
	const { planned } = action;
	const outcome = outcomes.get(action);
	const targetName = run.ctx.getInputData()[firstItem(action)]?.json.targetName;
	return {
		actionType: planned.actionType,
		machine: action.machineName ?? sensors.get(action)?.machineName ?? planned.machineGuid,
		targetId: planned.targetId ?? null,
		targetName: typeof targetName === 'string' ? targetName : null,
		remediationId: outcome?.remediationId ?? null,
		// A console refusal (INVALID_ARGUMENT, NO_MATCHING_SENSORS) is the action's failure.
		status: outcome?.error ? 'FAILURE' : (outcome?.result.status ?? null),
	};
}

/** One comment per Malop with actions sent in this run; what happened to each, for the items and the hints. */
export async function commentOnMalops(
	run: Run,
	plan: Plan,
	attempted: readonly Action[],
	outcomes: Outcomes,
	sensors: SensorMatches,
): Promise<{ comments: Comments; hints: string[] }> {
	const comments = new Map<string, MalopComment>();
	if (!run.options.commentOnMalop) return { comments, hints: [] };
	const { ctx, client, options } = run;
	const origin = `n8n workflow "${ctx.getWorkflow().name ?? ctx.getWorkflow().id}" (execution ${ctx.getExecutionId()})`;
	const malops = [...byMalop(plan, attempted)];
	const results = await mapWithConcurrency(
		malops,
		MALOP_CONCURRENCY,
		async ([malopId, actions]) => {
			const text = remediationComment({
				origin,
				final: options.waitForCompletion,
				actions: actions.map((a) => commented(run, a, outcomes, sensors)),
			});
			const itemIndex = Math.min(...actions.map(firstItem));
			try {
				const { comment, note } = await postMalopComment(client, malopId, text, {
					itemIndex,
					operation: `comment on Malop ${malopId} what was sent`,
				});
				const posted = { commentId: comment.commentId, timestamp: comment.timestamp };
				return { malopId, actions, posted: note ? { ...posted, note } : posted };
			} catch (error) {
				const { message, description } = error as { message: string; description?: string | null };
				const warning = `The comment on Malop ${malopId} could not be posted (${message}${description ? `: ${description}` : ''}); the remediation is not affected. Comment in the console if it is needed.`;
				ctx.logger.warn(`Cybereason Remediate: ${warning}`, {
					node: ctx.getNode().name,
					itemIndex,
				});
				return { malopId, actions, warning };
			}
		},
	);
	for (const { malopId, actions, ...result } of results) {
		comments.set(malopId, { actions: new Set(actions), ...result });
	}
	const hints = results.flatMap((r) => (r.warning ? [r.warning] : []));
	return { comments, hints };
}
