import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The continue-on-fail item for a failed input (TheHive router contract): `{ error, description, httpCode }`
 * plus whatever context the caller adds, paired to the input it came from. Built from the error's message
 * fields only, so a request's headers can never reach the output.
 */
export function errorItem(
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
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * One input item drives one operation; its results are paired to it. With continue-on-fail a failed input
 * becomes one error item in its place and the other items still run.
 */
export async function executePerItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation(itemIndex);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (ctx.continueOnFail()) {
				output.push(errorItem(error, itemIndex));
				continue;
			}
			throw asNodeError(ctx, error, itemIndex);
		}
	}
	return output;
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
