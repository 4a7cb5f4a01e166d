// One poll of the trigger: the query its cursor asks for, what the cursor says is new, the items of those pairs.
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildMalopQuery, parseDateInput, type MalopQuery } from '../shared/malopQuery/parameters';
import { queryMalops, type MalopQueryResult } from '../shared/malopQuery/query';
import { toEventItems } from '../shared/malops/items';
import type { MalopRecord } from '../shared/malops/record';
import { CybereasonApiClient } from '../shared/transport';
import {
	advanceCursor,
	createCursorState,
	isCursorState,
	previewEvents,
	type CursorEvent,
	type CursorOptions,
	type CursorState,
	type MalopSnapshot,
	type TriggerEvent,
} from './cursor';
import { DEFAULT_OVERLAP_MINUTES, DEFAULT_REMEMBER_DAYS } from './description';
import { aheadOf, applyPlan, ceilingOf, consolePresent, guardWarnings, planPoll } from './guards';

const MINUTE_MS = 60_000;
/** Hard cap on remembered Malops, whatever the retention: the static data stays a few MB at most. */
const MAX_REMEMBERED_MALOPS = 50_000;

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

function cursorOptionsOf(options: IDataObject): CursorOptions {
	return {
		overlapMs: Number(options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES) * MINUTE_MS,
		retentionMs: Number(options.rememberDays ?? DEFAULT_REMEMBER_DAYS) * 24 * 60 * MINUTE_MS,
		maxMalops: MAX_REMEMBERED_MALOPS,
	};
}

function report(ctx: IPollFunctions, notices: string[]) {
	for (const notice of notices) {
		ctx.logger.warn(`Cybereason Trigger: ${notice}`, { node: ctx.getNode().name });
	}
}

function output(
	ctx: IPollFunctions,
	result: MalopQueryResult,
	events: CursorEvent[],
): INodeExecutionData[][] | null {
	if (events.length === 0) return null;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const items = toEventItems(
		result.malops,
		events.map(({ snapshot, machineGuid, eventId }) => ({
			malopId: snapshot.malopId,
			machineGuid,
			eventId,
		})),
		{
			includeRemediationTargets: options.includeRemediationTargets === true,
			warnings: result.warnings,
		},
	);
	return [ctx.helpers.returnJsonArray(items)];
}

/** The stored state, or the state of a first activation (with `baseline`: remember, emit nothing). */
function loadState(
	ctx: IPollFunctions,
	stored: unknown,
	options: IDataObject,
	cursorOptions: CursorOptions,
	now: number,
): { state: CursorState; fresh: boolean; baseline: boolean } {
	if (isCursorState(stored)) return { state: stored, fresh: false, baseline: false };
	const startFrom = parseDateInput(options.startFrom, ctx.getTimezone());
	if (Number.isNaN(startFrom)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Start From is not a date: "${String(options.startFrom)}"`,
		);
	}
	// First activation without a start time: remember what the last overlap window holds, emit none of it. The
	// cursor starts on n8n's clock; the first answer's Date header corrects it when the console's differs.
	const state =
		startFrom === undefined
			? { ...createCursorState(now - cursorOptions.overlapMs), cursor: now }
			: createCursorState(startFrom);
	return { state: { ...state, reconciledAt: now }, fresh: true, baseline: startFrom === undefined };
}

/** "Fetch Test Event": the newest Malop's machines, as the trigger would emit them; the state is not touched. */
async function testEvent(
	ctx: IPollFunctions,
	client: CybereasonApiClient,
	event: TriggerEvent,
): Promise<INodeExecutionData[][] | null> {
	const result = await queryMalops(client, malopsQuery(ctx, undefined, 1));
	report(ctx, result.notices);
	return output(ctx, result, previewEvents(result.malops.map(snapshotOf), event));
}

export async function pollTrigger(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const client = new CybereasonApiClient(ctx);
	const event = ctx.getNodeParameter('event', 'newMalopMachine') as TriggerEvent;
	if (ctx.getMode() === 'manual') return await testEvent(ctx, client, event);

	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const cursorOptions = cursorOptionsOf(options);
	const staticData = ctx.getWorkflowStaticData('node');
	const now = Date.now();
	// The state is only changed after the poll's requests succeeded, so a failed poll keeps it as it was. It is
	// changed in place and stored back only when it changed: n8n writes static data to its database when it is
	// marked changed, and a quiet poll should cost nothing there.
	const { state, fresh, baseline } = loadState(ctx, staticData.cursor, options, cursorOptions, now);
	// GreaterThan is strict: one ms less keeps Malops updated exactly at the window start.
	const read = async (start: number) =>
		await queryMalops(client, malopsQuery(ctx, Math.max(0, start - 1)), { now });
	let result = await read(planPoll(state, cursorOptions, now).start);
	// The answer's Date header says where the console's clock is; a cursor ahead of it is read again from it.
	const present = consolePresent(client.consoleNow(), Date.now());
	const plan = planPoll(state, cursorOptions, now, present);
	if (plan.anchor) result = await read(plan.start);
	report(ctx, result.notices);

	const revision = state.revision;
	const snapshots = result.malops.map(snapshotOf);
	const ceiling = ceilingOf(present);
	const ahead = aheadOf(state, snapshots, ceiling);
	const hadDateHeader = state.noDateHeader !== true;
	applyPlan(state, plan, present, now);
	const events = advanceCursor(state, snapshots, event, cursorOptions, { baseline, ceiling });
	const reconciled = events.filter((e) => e.snapshot.lastUpdateTime < plan.regular).length;
	report(ctx, guardWarnings({ plan, present, hadDateHeader, ahead, reconciled }));
	// Assigning marks the static data changed (n8n only sees assignments through its proxies).
	if (fresh || state.revision !== revision) staticData.cursor = state as unknown as IDataObject;
	return output(ctx, result, events);
}
