// Endpoint functions under test run inside n8n's engine, with the real credential and transport against the
// simulator: a probe node hands its execute context's CybereasonApiClient to the function, and the engine checks
// that no secret leaks into the run or the log, as for every node test.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { CybereasonApiClient } from '../../../../nodes/shared/transport';
import { registerNodeType, testNodeDescription } from '../../../../scripts/lib/engine';
import type { Simulator } from '../../../../simulator';
import { engineFor } from '../../CybereasonRemediate/fixtures';

/** Returns what the run should show: the error's message and description go into the output, leak-checked. */
type Probe = (client: CybereasonApiClient, ctx: IExecuteFunctions) => Promise<IDataObject>;

let pending: Probe | undefined;

class ApiProbe implements INodeType {
	description = testNodeDescription({
		name: 'apiProbe',
		displayName: 'API probe',
		description: 'Runs an endpoint function under test',
		credential: true,
		properties: [],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const probe = pending!;
		pending = undefined;
		const json = await probe(new CybereasonApiClient(this), this);
		return [[{ json, pairedItem: { item: 0 } }]];
	}
}

registerNodeType('apiProbe', new ApiProbe());

export type Outcome<T> = { value: T; error?: undefined } | { value?: undefined; error: Error };

/** Runs `fn` with a client logged in to `sim` as the demo user; resolves with its value or its error. */
export async function withClient<T>(
	sim: Simulator,
	fn: (client: CybereasonApiClient, ctx: IExecuteFunctions) => Promise<T>,
): Promise<Outcome<T>> {
	let outcome: Outcome<T> | undefined;
	pending = async (client, ctx) => {
		try {
			outcome = { value: await fn(client, ctx) };
			return {};
		} catch (error) {
			outcome = { error: error as Error };
			const { message, description } = error as { message?: string; description?: string };
			return { message, description };
		}
	};
	const engine = engineFor(sim);
	const run = await engine.run({
		nodes: [{ name: 'API probe', type: 'n8n-nodes-cybereason.apiProbe', parameters: {} }],
	});
	if (run.error) throw run.error;
	return outcome!;
}

/** The value of `fn`, failing the test with the error it threw. */
export async function valueOf<T>(
	sim: Simulator,
	fn: (client: CybereasonApiClient) => Promise<T>,
): Promise<T> {
	const outcome = await withClient(sim, fn);
	if (outcome.error) throw outcome.error;
	return outcome.value as T;
}
