// The actions the console offers for each machine of the Malops (Include Remediation Targets): fetched in batches
// of Malop GUIDs, then assigned to machines by a pure function.
import { cybereasonApiCustomRemediation } from '../api/malops';
import { mapWithConcurrency } from '../items';
import type { MalopRecord, RemediationTarget } from '../malops/record';
import { plural } from '../malops/values';
import type { CustomRemediationEntry } from '../types';
import type { QueryContext } from './context';

/**
 * custom-remediation takes lists of Malop GUIDs and every entry it returns names its malopId and machineId, so
 * several Malops per request lose nothing; one request per Malop would be thousands of round trips for return all.
 */
const REMEDIATION_BATCH_SIZE = 50;
const REMEDIATION_CONCURRENCY = 4;

/** One custom-remediation answer and the Malops it was asked for. */
export interface RemediationAnswer {
	malopIds: string[];
	entries: unknown[];
}

function isEntry(entry: unknown): entry is CustomRemediationEntry {
	const e = entry as CustomRemediationEntry | null;
	return !!e && typeof e.machineId === 'string' && typeof e.targetId === 'string';
}

/**
 * Pure: every machine of `records` with the targets the answers list for it (none: an empty list). An entry
 * names its Malop; only a one-Malop answer may do without. Entries for machines outside their Malop are left out.
 */
export function assignRemediationTargets(
	records: MalopRecord[],
	answers: RemediationAnswer[],
): MalopRecord[] {
	const targets = new Map<string, Map<string, RemediationTarget[]>>();
	for (const record of records) {
		targets.set(record.malopId, new Map(record.machines.map((m) => [m.machineGuid, []])));
	}
	for (const { malopIds, entries } of answers) {
		for (const entry of entries) {
			if (!isEntry(entry)) continue;
			const owner = entry.malopId
				? String(entry.malopId)
				: malopIds.length === 1
					? malopIds[0]
					: undefined;
			const list = owner === undefined ? undefined : targets.get(owner)?.get(entry.machineId);
			if (!list) continue;
			const actionType = String(entry.remediationType ?? '');
			if (list.some((t) => t.actionType === actionType && t.targetId === entry.targetId)) continue;
			list.push({
				actionType,
				targetId: entry.targetId,
				targetName: String(entry.targetName ?? ''),
			});
		}
	}
	return records.map((record) => {
		const byMachine = targets.get(record.malopId)!;
		return {
			...record,
			machines: record.machines.map((machine) => ({
				...machine,
				remediationTargets: byMachine.get(machine.machineGuid)!,
			})),
		};
	});
}

export async function withRemediationTargets(
	ctx: QueryContext,
	records: MalopRecord[],
): Promise<MalopRecord[]> {
	const batches: MalopRecord[][] = [];
	for (let i = 0; i < records.length; i += REMEDIATION_BATCH_SIZE) {
		batches.push(records.slice(i, i + REMEDIATION_BATCH_SIZE));
	}
	const answers = await mapWithConcurrency(batches, REMEDIATION_CONCURRENCY, async (batch) => {
		const answer = await cybereasonApiCustomRemediation(
			ctx.client,
			{
				processMalopGuids: batch.filter((r) => r.edr).map((r) => r.malopId),
				detectionEventMalopGuids: batch.filter((r) => !r.edr).map((r) => r.malopId),
			},
			{
				operation: `list the remediation actions Cybereason offers for ${plural(batch.length, 'Malop')}`,
				itemIndex: ctx.itemIndex,
			},
		);
		return { malopIds: batch.map((r) => r.malopId), entries: answer.data as unknown[] };
	});
	return assignRemediationTargets(records, answers);
}
