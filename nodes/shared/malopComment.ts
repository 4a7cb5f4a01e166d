// API: POST /rest/crimes/comment/{malopGuid}, POST /rest/crimes/get-comments
// The audit trail in the console, where analysts look: a comment on the Malop saying what n8n did (XSOAR comments
// after every remediation), and posting a comment so that a lost answer never posts it twice.
import { cybereasonApiAddComment, cybereasonApiGetComments } from './api/comments';
import type { ApiCall } from './api/call';
import { findPostedComment, normaliseComment, type CommentFields } from './comments';
import { CybereasonApiError } from './errors';
import type { CybereasonApiClient } from './transport';

/** Allowed difference between the console's clock and ours when finding a comment whose answer was lost. */
const COMMENT_CLOCK_SKEW_MS = 120_000;
/** Lines listed in one comment; the rest are counted. */
export const MAX_COMMENT_ACTIONS = 50;

export interface CommentedAction {
	actionType: string;
	/** The machine's name, else its GUID. */
	machine: string;
	targetId?: string | null;
	targetName?: string | null;
	remediationId?: string | null;
	/** `results.status`: SUCCESS, PENDING, FAILURE, TIMEOUT, ... */
	status?: string | null;
}

export interface RemediationSummary {
	actions: readonly CommentedAction[];
	/** The statuses are final (the node waited for the sensors) rather than the console's first answer. */
	final: boolean;
	/** Who did it, e.g. `workflow "Contain" (execution 42)`; default `n8n`. */
	origin?: string;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function actionLine(action: CommentedAction): string {
	const target = [action.targetName, action.targetId].filter(Boolean).join(' ');
	const status = action.status ?? 'not sent';
	const remediation = action.remediationId ? ` (remediation ${action.remediationId})` : '';
	return `- ${action.actionType} on ${action.machine}${target ? `, target ${target}` : ''}: ${status}${remediation}`;
}

/** The comment text: what was sent, on which machines, under which remediation IDs, with which statuses. */
export function remediationComment(summary: RemediationSummary): string {
	const { actions } = summary;
	const machines = new Set(actions.map((a) => a.machine)).size;
	const lines = [
		`${summary.origin ?? 'n8n'} sent ${plural(actions.length, 'remediation action')} on ${plural(machines, 'machine')}:`,
		...actions.slice(0, MAX_COMMENT_ACTIONS).map(actionLine),
	];
	if (actions.length > MAX_COMMENT_ACTIONS)
		lines.push(`- … and ${plural(actions.length - MAX_COMMENT_ACTIONS, 'more action')}`);
	lines.push(
		summary.final
			? 'Statuses are final, as the sensors reported them.'
			: 'Statuses are the console’s first answer; the actions may still be running.',
	);
	return lines.join('\n');
}

export interface PostedComment {
	comment: CommentFields;
	/** How the comment was confirmed when the console's answer did not show it. */
	note?: string;
}

/**
 * Posts one comment, never twice: the console's answer is the stored comment (or `{}`, then the comment is read
 * back); when the answer is lost, the Malop's comments say whether it was stored, and it is not sent again.
 */
export async function postMalopComment(
	client: CybereasonApiClient,
	malopId: string,
	text: string,
	call: ApiCall = {},
): Promise<PostedComment> {
	const sentAt = client.consoleNow() ?? Date.now();
	const username = await client.username();
	const readBack = async () =>
		findPostedComment(
			await cybereasonApiGetComments(client, malopId, { itemIndex: call.itemIndex }),
			{
				message: text,
				username,
				since: sentAt - COMMENT_CLOCK_SKEW_MS,
			},
		);
	const sent = await cybereasonApiAddComment(client, malopId, text, call).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('error' in sent) {
		const { error } = sent;
		if (!(error instanceof CybereasonApiError) || !error.outcomeUnknown) throw error;
		const found = await readBack().catch(() => undefined);
		if (found) {
			return {
				comment: normaliseComment(found),
				note: `The console's answer was lost (${error.message}); the comment was found on the Malop and was not posted again.`,
			};
		}
		error.description = `${error.description ? `${error.description} ` : ''}The comment is not among the Malop's comments (or they could not be read); it was not posted again. Check the Malop in the console before posting it again.`;
		throw error;
	}
	const { answer } = sent;
	if (typeof answer?.commentId === 'string') return { comment: normaliseComment(answer) };
	const found = await readBack().catch(() => undefined);
	if (found) return { comment: normaliseComment(found) };
	return {
		comment: { commentId: null, message: text, username, timestamp: null },
		note: 'The console accepted the comment without showing it, and it could not be read back: the fields are what was sent.',
	};
}
