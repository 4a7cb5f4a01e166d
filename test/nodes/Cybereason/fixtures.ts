// Shared set-up for the Cybereason node's engine tests: Start (emitting items) -> Cybereason, inside n8n's
// engine, against a simulator per test. The generic pieces come from the Remediate fixtures.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Cybereason } from '../../../nodes/Cybereason/Cybereason.node';
import { registerNodeType, type Engine, type RunResult } from '../../../scripts/lib/engine';
import type { Simulator } from '../../../simulator';

registerNodeType('cybereason', new Cybereason());

export const NODE = 'Cybereason';

export interface NodeRun {
	continueOnFail?: boolean;
}

/** Start (emitting `items`) -> Cybereason with these parameters (resource, operation, ...). */
export async function runNode(
	engine: Engine,
	items: IDataObject[],
	parameters: INodeParameters,
	run: NodeRun = {},
): Promise<RunResult> {
	return await engine.run({
		nodes: [
			{ name: 'Start', type: 'test.start', parameters: { items: JSON.stringify(items) } },
			{
				name: NODE,
				type: 'n8n-nodes-cybereason.cybereason',
				parameters,
				...(run.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: [['Start', NODE]],
	});
}

/** The node's output items as JSON. */
export function out(result: RunResult): IDataObject[] {
	return result.output(NODE).map((item: INodeExecutionData) => item.json);
}

/** Requests the console received on one path with one method (POST unless given), in order. */
export function received(sim: Simulator, path: string, method = 'POST') {
	return sim.requests.filter((r) => r.method === method && r.path === path);
}

/** A simulator per test, closed after it: `const start = simulatorPerTest();`, then `await start()`. */
export { simulatorPerTest } from '../CybereasonRemediate/fixtures';
