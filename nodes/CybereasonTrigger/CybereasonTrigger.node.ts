import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	buildMalopQuery,
	parseDateInput,
	queryMalops,
	type MalopQuery,
} from '../shared/malopQuery';
import { toMachineItem, type MalopRecord } from '../shared/malops';
import { CybereasonApiClient } from '../shared/transport';
import {
	advanceCursor,
	createCursorState,
	isCursorState,
	queryStart,
	type CursorOptions,
	type MalopSnapshot,
	type TriggerEvent,
} from './cursor';
import { DEFAULT_OVERLAP_MINUTES, DEFAULT_REMEMBER_DAYS, triggerProperties } from './description';

const MINUTE_MS = 60_000;
/** Hard cap on remembered Malops, whatever the retention: the static data stays a few MB at most. */
export const MAX_REMEMBERED_MALOPS = 50_000;

function malopsQuery(
	ctx: IPollFunctions,
	updatedAfter: number | undefined,
	limit?: number,
): MalopQuery {
	const source = ctx.getNodeParameter('source', 'crimesUnified');
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const query = buildMalopQuery(
		{
			source,
			malopTypes: source === 'crimesUnified' ? ctx.getNodeParameter('malopTypes', []) : undefined,
			returnAll: limit === undefined,
			limit,
			filters: ctx.getNodeParameter('filters', {}) as IDataObject,
			options: { includeRemediationTargets: options.includeRemediationTargets },
		},
		ctx.getTimezone(),
	);
	if ('error' in query) throw new NodeOperationError(ctx.getNode(), query.error);
	// The cursor sets the window: crimes/unified gets it as a malopLastUpdateTime filter, the inbox as startTime.
	query.filters = { ...query.filters, updatedAfter };
	return query;
}

function snapshotOf(record: MalopRecord): MalopSnapshot {
	return {
		malopId: record.malopId,
		lastUpdateTime: record.lastUpdateTimeMs ?? 0,
		machineGuids: record.machines.map((machine) => machine.machineGuid),
	};
}

async function poll(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const node = ctx.getNode();
	const client = new CybereasonApiClient(ctx);
	const event = ctx.getNodeParameter('event', 'newMalopMachine') as TriggerEvent;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const includeRemediationTargets = options.includeRemediationTargets === true;
	const cursorOptions: CursorOptions = {
		overlapMs: Number(options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES) * MINUTE_MS,
		retentionMs: Number(options.rememberDays ?? DEFAULT_REMEMBER_DAYS) * 24 * 60 * MINUTE_MS,
		maxMalops: MAX_REMEMBERED_MALOPS,
	};
	const toItems = (
		records: MalopRecord[],
		warnings: string[],
		emit: (record: MalopRecord) => Iterable<[string, string]>,
	) => {
		const byId = new Map(records.map((record) => [record.malopId, record]));
		const items: IDataObject[] = [];
		for (const record of byId.values()) {
			for (const [machineGuid, eventId] of emit(record)) {
				const machine = record.machines.find((m) => m.machineGuid === machineGuid);
				items.push({
					...toMachineItem(record, machine, { includeRemediationTargets, warnings }),
					eventId,
				});
			}
		}
		return items;
	};
	const report = (notices: string[]) => {
		for (const notice of notices)
			ctx.logger.warn(`Cybereason Trigger: ${notice}`, { node: node.name });
	};

	// "Fetch Test Event": the newest Malop's machines, as the trigger would emit them; the state is not touched.
	if (ctx.getMode() === 'manual') {
		const result = await queryMalops(client, malopsQuery(ctx, undefined, 1), { node });
		report(result.notices);
		const items = toItems(result.malops, result.warnings, (record) =>
			(record.machines.length > 0 ? record.machines.map((m) => m.machineGuid) : ['']).map(
				(guid) => [
					guid,
					event === 'malopUpdated'
						? `${record.malopId}:${guid}:${record.lastUpdateTimeMs ?? 0}`
						: `${record.malopId}:${guid}`,
				],
			),
		);
		return items.length > 0 ? [ctx.helpers.returnJsonArray(items)] : null;
	}

	const staticData = ctx.getWorkflowStaticData('node');
	const now = Date.now();
	// The state is only changed after the poll's requests succeeded, so a failed poll keeps it as it was. It is
	// changed in place and stored back only when it changed: n8n writes static data to its database when it is
	// marked changed, and a quiet poll should cost nothing there.
	const stored = staticData.cursor;
	let state = isCursorState(stored) ? stored : undefined;
	const fresh = state === undefined;
	// First activation without a start time: remember what the last overlap window holds, emit none of it.
	let baseline = false;
	if (!state) {
		const startFrom = parseDateInput(options.startFrom, ctx.getTimezone());
		if (Number.isNaN(startFrom)) {
			throw new NodeOperationError(
				node,
				`Start From is not a date: "${String(options.startFrom)}"`,
			);
		}
		baseline = startFrom === undefined;
		state =
			startFrom === undefined
				? { ...createCursorState(now - cursorOptions.overlapMs), cursor: now }
				: createCursorState(startFrom);
	}
	const since = queryStart(state, cursorOptions);
	// GreaterThan is strict: one ms less keeps Malops updated exactly at the window start.
	const result = await queryMalops(client, malopsQuery(ctx, Math.max(0, since - 1)), { node, now });
	report(result.notices);

	const revision = state.revision;
	const events = advanceCursor(
		state,
		result.malops.map(snapshotOf),
		event,
		cursorOptions,
		baseline,
	);
	// Assigning marks the static data changed (n8n only sees assignments through its proxies).
	if (fresh || state.revision !== revision) staticData.cursor = state as unknown as IDataObject;
	if (events.length === 0) return null;

	const eventsByMalop = new Map<string, Array<[string, string]>>();
	for (const { snapshot, machineGuid, eventId } of events) {
		const list = eventsByMalop.get(snapshot.malopId) ?? [];
		list.push([machineGuid, eventId]);
		eventsByMalop.set(snapshot.malopId, list);
	}
	const items = toItems(
		result.malops.filter((record) => eventsByMalop.has(record.malopId)),
		result.warnings,
		(record) => eventsByMalop.get(record.malopId) ?? [],
	);
	return [ctx.helpers.returnJsonArray(items)];
}

export class CybereasonTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybereason Trigger',
		name: 'cybereasonTrigger',
		icon: {
			light: 'file:../../icons/cybereason.svg',
			dark: 'file:../../icons/cybereason.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["event"] === "malopUpdated" ? "Malop updated" : "New Malop machine" }}',
		description:
			'Starts the workflow when Cybereason reports a new Malop machine or a Malop update',
		defaults: { name: 'Cybereason Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll(this);
	}
}
