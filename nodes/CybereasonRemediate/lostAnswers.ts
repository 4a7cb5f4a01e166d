// API: GET /rest/remediate/status/{malopId}
// A POST /rest/remediate whose answer was lost (a dropped connection, a timeout, a 5xx, an answer that cannot be
// read) is never sent again: the remediation is looked for in the Malop's history. A console may process a POST
// seconds after the client gave up, so the history is read again until the run's deadline before UNKNOWN is final.
import { cybereasonApiRemediationHistory } from '../shared/api/remediation';
import type { CybereasonApiError } from '../shared/errors';
import { findSentRemediation, type MalopBatch } from '../shared/remediation';
import type { RemediationResponse } from '../shared/types';
import { firstItem, type Action, type Outcome, type Run } from './model';
import { adopt, sent, type Sent } from './tracking';

/** Allowed difference between the console's clock (as its Date header shows it) and its `start` times. */
const CLOCK_SKEW_MS = 120_000;

export interface LostAnswer {
	message: string;
	httpCode?: string | null;
}

/** A remediation sent, whose answer was lost and that the history has not shown yet. */
export interface Unresolved {
	batch: MalopBatch;
	actions: Action[];
	lost: LostAnswer;
	sentAt: number;
	reads: number;
}

function isPermanent(error: CybereasonApiError): boolean {
	return /^4\d\d$/.test(String(error.httpCode ?? '')) && error.httpCode !== '429';
}

function unknown(run: Run, entry: Unresolved, readError?: Error): Outcome {
	const { lost, reads } = entry;
	const again =
		reads > 1
			? ` (read ${reads} times until the timeout of ${Math.round(run.options.timeoutMs / 100) / 10} s)`
			: '';
	return {
		remediationId: null,
		initiatingUser: entry.batch.initiatorUserName,
		result: {
			status: 'UNKNOWN',
			message: `The console's answer was lost (${lost.message}) and ${
				readError
					? `its remediation history could not be read (${readError.message})`
					: `no matching remediation appears in the Malop's history${again}`
			}. The request was NOT sent again, so that no action runs twice: check the Malop's remediations in the Cybereason console before retrying.`,
			errorType: lost.httpCode ?? null,
			timestamp: Date.now(),
		},
	};
}

/**
 * One more read of the Malop's history: the remediation found (its status, a tracker to follow it), or UNKNOWN and,
 * unless reading cannot succeed (a 4xx), the entry to read again.
 */
export async function lookForLost(run: Run, entry: Unresolved): Promise<Sent> {
	const { batch, actions, lost } = entry;
	const reads = entry.reads + 1;
	let history: RemediationResponse[];
	try {
		history = await cybereasonApiRemediationHistory(run.client, batch.malopId, {
			itemIndex: firstItem(actions[0]),
		});
	} catch (error) {
		const outcome = unknown(run, { ...entry, reads }, error as Error);
		const result = sent(new Map(actions.map((a) => [a, outcome])));
		if (!isPermanent(error as CybereasonApiError)) result.unresolved.push({ ...entry, reads });
		return result;
	}
	const found = findSentRemediation(history, {
		initiatorUserName: batch.initiatorUserName,
		sentAt: run.client.consoleNow(entry.sentAt) ?? entry.sentAt,
		skewMs: CLOCK_SKEW_MS,
		actions: actions.map((a) => a.planned),
	});
	if (found) {
		return adopt(
			found,
			batch,
			actions,
			`The console's answer was lost (${lost.message}). Remediation ${found.remediationId} was found in the Malop's history; nothing was sent again.`,
		);
	}
	const outcome = unknown(run, { ...entry, reads });
	const result = sent(new Map(actions.map((a) => [a, outcome])));
	result.unresolved.push({ ...entry, reads });
	return result;
}
