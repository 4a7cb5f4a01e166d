import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The continue-on-fail item for a failed input (TheHive router contract): `{ error, description, httpCode }`
 * plus whatever context the caller adds, paired to the input it came from. Built from the error's message
 * fields only, so a request's headers can never reach the output.
 */
function errorItem(
	error: unknown,
	itemIndex: number,
	context: IDataObject = {},
): INodeExecutionData {
	const e = error as { message?: string; description?: string | null; httpCode?: string | null };
	return {
		json: {
			...context,
			error: e?.message ?? String(error),
			description: e?.description ?? undefined,
			httpCode: e?.httpCode ?? undefined,
		},
		pairedItem: { item: itemIndex },
	};
}

/** Errors that are ours to show as they are; anything else is wrapped so n8n shows the item. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * An input that failed. Without continue-on-fail the run stops here, with the error shown on that item (or on no
 * item, for a refusal of the whole run); with it, the error is handed back to become the item's error item.
 */
export function failedInput(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): unknown {
	if (ctx.continueOnFail()) return error;
	throw itemIndex === undefined ? error : asNodeError(ctx, error, itemIndex);
}

/** What one input item became: its output objects, or the error that failed it and the context to show with it. */
export type ItemOutcome = { json: IDataObject[] } | { error: unknown; context?: IDataObject };

/** The node's output: one input after the other, each output item paired to the input it came from. */
export function pairedOutput(outcomes: readonly ItemOutcome[]): INodeExecutionData[] {
	return outcomes.flatMap((outcome, itemIndex) =>
		'error' in outcome
			? [errorItem(outcome.error, itemIndex, outcome.context)]
			: outcome.json.map((json) => ({ json, pairedItem: { item: itemIndex } })),
	);
}

/**
 * One input item drives one operation; its results are paired to it. With continue-on-fail a failed input
 * becomes one error item in its place and the other items still run.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const outcomes: ItemOutcome[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			outcomes.push({ json: await operation(itemIndex) });
		} catch (error) {
			outcomes.push({ error: failedInput(ctx, error, itemIndex) });
		}
	}
	return pairedOutput(outcomes);
}

/** Runs `worker` over `inputs` with at most `limit` in flight, keeping the result order. */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	worker: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const lanes = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await worker(inputs[index], index);
		}
	});
	await Promise.all(lanes);
	return results;
}
