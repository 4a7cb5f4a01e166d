// A Remediate run, stage by stage: every item is read and checked, the guardrails applied and the run planned
// before anything is sent; then each Malop is sent once (replay guard first) and, if asked, waited for.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CybereasonApiClient } from '../shared/transport';
import { commentOnMalops } from './comment';
import { dryRun } from './dryRun';
import { applyProtectedMachines, checkCap } from './guardrails';
import { failInvalidArguments } from './invalidArgument';
import { manualRunHints } from './manualRun';
import type { Run } from './model';
import { buildOutput, showHints } from './output';
import { readItems, readOptions } from './parameters';
import { planActions } from './plan';
import { sendAll } from './send';
import { findSensors } from './sensors';
import { follow } from './wait';

export async function executeRemediate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const startedAt = Date.now();
	const client = new CybereasonApiClient(this);
	const options = readOptions(this);
	const run: Run = {
		ctx: this,
		client,
		options,
		startedAt,
		credentialUser: await client.username(),
	};
	const count = this.getInputData().length;

	const read = readItems(run);
	const guarded = await applyProtectedMachines(run, read.valid);
	const refused = new Map([...read.refused, ...guarded.refused]);
	const skipped = { protected: guarded.skipped, noMachine: read.noMachine };
	const plan = planActions(guarded.eligible, options.isolationMethod);
	const overCap = checkCap(run, plan.batches, guarded.eligible);
	if (overCap)
		return [buildOutput(run, { count, refused: new Map([...refused, ...overCap]), skipped })];

	const prepared = await findSensors(
		run,
		plan.actions.filter((a) => a.via === 'sensorCommand'),
	);
	const { sensors } = prepared;
	if (options.dryRun) {
		const outcomes = new Map([...prepared.failed, ...dryRun(run, plan, prepared)]);
		return [buildOutput(run, { count, refused, skipped, plan, sensors, outcomes })];
	}

	const sent = await sendAll(run, plan, prepared);
	let outcomes = failInvalidArguments(run, plan.actions, sent);
	if (options.waitForCompletion || sent.unresolved.length > 0) {
		const followed = await follow(run, { ...sent, outcomes }, sensors);
		outcomes = failInvalidArguments(run, plan.actions, followed);
	}
	const { comments, hints } = await commentOnMalops(run, plan, sent.attempted, outcomes, sensors);
	showHints(run, [...sent.hints, ...hints, ...(await manualRunHints(run, plan.actions, outcomes))]);
	return [buildOutput(run, { count, refused, skipped, plan, sensors, outcomes, comments })];
}
