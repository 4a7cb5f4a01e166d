// API: GET /rest/remediate/status/{malopId}
// The Malop's remediation history: one item per remediation × target, with the target's latest status.
import type { IDataObject } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { cybereasonApiRemediationHistory } from '../../../shared/api/remediation';
import { isoTime, parseEpochMs } from '../../../shared/malops/values';
import { latestEntry } from '../../../shared/remediation';
import type { RemediationResponse } from '../../../shared/types';
import { MALOP_ID_HINT, perItem, requiredId } from '../operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['malop'], operation: ['getRemediations'] } },
	[],
);

/**
 * Oldest remediation first; inside one, targets in the order the status log first names them, each with its latest
 * entry. A remediation that has not listed any action yet still gives one item (its target fields null).
 */
export function remediationItems(
	malopId: string,
	history: readonly RemediationResponse[],
): IDataObject[] {
	const items: IDataObject[] = [];
	const sorted = [...history].sort((a, b) => (Number(a.start) || 0) - (Number(b.start) || 0));
	for (const remediation of sorted) {
		const base: IDataObject = {
			malopId,
			remediationId: remediation.remediationId,
			initiatingUser: remediation.initiatingUser ?? null,
			start: isoTime(parseEpochMs(remediation.start)),
			end: isoTime(parseEpochMs(remediation.end)),
		};
		const log = Array.isArray(remediation.statusLog) ? remediation.statusLog : [];
		// Every entry of a target leads to the same latest one, so the set holds one entry per target.
		const targets = new Set(
			log.map(
				(entry) =>
					latestEntry(log, {
						machineGuid: entry.machineId,
						actionType: entry.actionType,
						targetId: entry.targetId ?? undefined,
					}) ?? entry,
			),
		);
		const entries = targets.size > 0 ? [...targets] : [undefined];
		for (const entry of entries) {
			items.push({
				...base,
				actionType: entry?.actionType ?? null,
				machineGuid: entry?.machineId ?? null,
				targetId: entry?.targetId ?? null,
				status: entry?.status ?? null,
				errorType: entry?.error?.errorType ?? null,
				message: entry?.error?.message ?? null,
				timestamp: isoTime(parseEpochMs(entry?.timestamp)),
			});
		}
	}
	return items;
}

export const execute = perItem(async (ctx, client, itemIndex) => {
	const malopId = requiredId(ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
	const history = await cybereasonApiRemediationHistory(client, malopId, {
		itemIndex,
		operation: `read the remediation history of Malop ${malopId} (item ${itemIndex})`,
	});
	return remediationItems(malopId, history);
});
