// Stage 5 (Dry Run): the exact requests a real run sends, and nothing sent.
import type { IDataObject } from 'n8n-workflow';

import { REMEDIATE_ENDPOINT } from '../shared/api/remediation';
import { ISOLATE_ENDPOINT } from '../shared/api/sensors';
import { remediateRequest } from '../shared/remediation';
import type { Prepared } from './sensors';
import { unique, type Action, type Outcome, type Run } from './model';
import { openActions, type Plan } from './plan';

export function dryRun(
	{ credentialUser }: Run,
	plan: Plan,
	prepared: Prepared,
): Map<Action, Outcome> {
	const at = Date.now();
	const outcomes = new Map<Action, Outcome>();
	for (const batch of plan.batches) {
		const open = (via: Action['via']) => openActions(plan, batch, via, prepared.failed);
		const remediateBody = remediateRequest(
			batch,
			open('remediate').map((a) => a.planned),
		);
		const isolateBody = {
			pylumIds: unique(
				open('sensorCommand').flatMap((a) => prepared.sensors.get(a)?.pylumIds ?? []),
			),
			malopId: batch.malopId,
		};
		for (const action of [...open('remediate'), ...open('sensorCommand')]) {
			const remediate = action.via === 'remediate';
			outcomes.set(action, {
				remediationId: null,
				initiatingUser: remediate ? batch.initiatorUserName : credentialUser,
				request: remediate
					? { ...REMEDIATE_ENDPOINT, body: remediateBody as unknown as IDataObject }
					: { ...ISOLATE_ENDPOINT, body: isolateBody },
				result: {
					status: 'DRY_RUN',
					message: `Dry run: nothing was sent. 'request' is what would have been sent for Malop ${batch.malopId}.`,
					errorType: null,
					timestamp: at,
				},
			});
		}
	}
	return outcomes;
}
