// Stage 2: the guardrails. Protected machines are skipped (a name-based entry needs the machine's name: from the
// item, or the console's sensors), and a run over Max Targets Per Run is refused whole.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cybereasonApiQuerySensors } from '../shared/api/sensors';
import { failedInput } from '../shared/items';
import {
	countActions,
	nameCheckNeeded,
	protectedEntry,
	type MalopBatch,
	type RemediationItem,
} from '../shared/remediation';
import type { CybereasonApiClient } from '../shared/transport';
import { itemContext, unique, type Refusal, type Run } from './model';

/** An item on a protected machine: never sent. */
export interface ProtectedSkip {
	item: RemediationItem;
	entry: string;
	at: number;
}

async function lookUpNames(
	client: CybereasonApiClient,
	unnamed: RemediationItem[],
): Promise<{ namesByGuid: Map<string, string[]>; lookupError?: Error }> {
	const namesByGuid = new Map<string, string[]>();
	if (unnamed.length === 0) return { namesByGuid };
	try {
		const sensors = await cybereasonApiQuerySensors(
			client,
			[
				{
					fieldName: 'guid',
					operator: 'Equals',
					values: unique(unnamed.map((item) => item.machineGuid)),
				},
			],
			{
				operation: 'look up machine names to check them against Protected Machines',
				itemIndex: unnamed[0].itemIndex,
			},
		);
		for (const sensor of sensors) {
			const names = namesByGuid.get(sensor.guid) ?? [];
			for (const name of [sensor.machineName, sensor.fqdn])
				if (typeof name === 'string' && name) names.push(name);
			namesByGuid.set(sensor.guid, names);
		}
		return { namesByGuid };
	} catch (error) {
		return { namesByGuid, lookupError: error as Error };
	}
}

function uncheckable(
	ctx: IExecuteFunctions,
	item: RemediationItem,
	lookupError: Error | undefined,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Cannot check item ${item.itemIndex} against Protected Machines: the name of machine ${item.machineGuid} is unknown`,
		{
			itemIndex: item.itemIndex,
			description: `${
				lookupError
					? `Looking it up failed: ${lookupError.message}.`
					: 'The item has no machineName and the console has no sensor with this GUID.'
			} The item was not sent, so that no protected machine is touched unchecked. Add machineName to the item, or list the machine's GUID instead of its name.`,
		},
	);
}

/** The items that may be sent (with the machine name the lookup found), and those that may not. */
export async function applyProtectedMachines(
	{ ctx, client, options }: Run,
	items: RemediationItem[],
): Promise<{
	eligible: RemediationItem[];
	skipped: Map<number, ProtectedSkip>;
	refused: Map<number, Refusal>;
}> {
	const skipped = new Map<number, ProtectedSkip>();
	const refused = new Map<number, Refusal>();
	const entries = options.protectedMachines;
	if (entries.length === 0) return { eligible: items, skipped, refused };
	const { namesByGuid, lookupError } = await lookUpNames(
		client,
		items.filter((item) => !item.machineName && nameCheckNeeded(entries, item.machineGuid)),
	);
	const eligible: RemediationItem[] = [];
	for (const given of items) {
		const names = unique(
			given.machineName ? [given.machineName] : (namesByGuid.get(given.machineGuid) ?? []),
		);
		const item =
			given.machineName || names.length === 0 ? given : { ...given, machineName: names[0] };
		if (names.length === 0 && nameCheckNeeded(entries, item.machineGuid)) {
			const error = failedInput(ctx, uncheckable(ctx, item, lookupError), item.itemIndex);
			refused.set(item.itemIndex, { error, context: itemContext(item) });
			continue;
		}
		const entry = protectedEntry(entries, item.machineGuid, names);
		if (entry !== undefined) skipped.set(item.itemIndex, { item, entry, at: Date.now() });
		else eligible.push(item);
	}
	return { eligible, skipped, refused };
}

/**
 * Max Targets Per Run: over the cap, nothing at all is sent. Without continue-on-fail the run fails; with it
 * (n8n would pass the input through unchanged) every item that would have been sent says why not.
 */
export function checkCap(
	{ ctx, options }: Run,
	batches: readonly MalopBatch[],
	eligible: readonly RemediationItem[],
): Map<number, Refusal> | undefined {
	const max = options.maxTargetsPerRun;
	const total = countActions(batches);
	if (max <= 0 || total <= max) return undefined;
	const refusal = new NodeOperationError(
		ctx.getNode(),
		`Refused: this run would act on ${total} targets, more than Max Targets Per Run (${max}). Nothing was sent.`,
		{
			description:
				'Each distinct action the run would send counts once: machine + action + target within a Malop, and an isolation once per machine whatever the Malop (duplicates and protected machines are not counted). Filter the input items, split the run, or raise the cap.',
		},
	);
	const error = failedInput(ctx, refusal);
	return new Map(eligible.map((item) => [item.itemIndex, { error, context: itemContext(item) }]));
}
