// What every operation module gives the router, and the reading of the parameters they share.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { executePerItem } from '../../shared/items';
import type { CybereasonApiClient } from '../../shared/transport';

export interface Operation {
	description: INodeProperties[];
	/** One output item per input item, or per entry of a list, each paired to its input. */
	execute(ctx: IExecuteFunctions, client: CybereasonApiClient): Promise<INodeExecutionData[]>;
}

/** An operation that handles each input item on its own; pairing and continue-on-fail come from executePerItem. */
export function perItem(
	run: (
		ctx: IExecuteFunctions,
		client: CybereasonApiClient,
		itemIndex: number,
	) => Promise<IDataObject[]>,
): Operation['execute'] {
	return async (ctx, client) =>
		await executePerItem(ctx, async (itemIndex) => await run(ctx, client, itemIndex));
}

function asText(value: unknown): string | undefined {
	if (value === undefined || value === null) return '';
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return typeof value === 'string' ? value.trim() : undefined;
}

/** A text parameter: trimmed, a number as its digits (an expression may give one), anything else empty. */
export function textParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	return asText(ctx.getNodeParameter(name, itemIndex, '')) ?? '';
}

/** An ID the operation cannot do without; its absence is an input mistake that names the item. */
export function requiredId(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	hint: string,
): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const text = asText(value);
	if (text === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${label} of item ${itemIndex} is not a single ID`,
			{
				itemIndex,
				description: `'${name}' must be one ID (a string), got ${Array.isArray(value) ? 'a list' : typeof value}. ${hint}`,
			},
		);
	}
	if (text === '') {
		throw new NodeOperationError(ctx.getNode(), `No ${label} in item ${itemIndex}`, {
			itemIndex,
			description: hint,
		});
	}
	return text;
}

export function options(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

export function itemList(indexes: readonly number[]): string {
	return indexes.length === 1 ? `item ${indexes[0]}` : `items ${indexes.join(', ')}`;
}

export const MALOP_ID_HINT =
	"Map 'Malop ID' to the Malop's GUID: Get Malops and the Cybereason Trigger output it as malopId.";

/** An operation's Options collection. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** Include Raw: the record as Cybereason returned it, under `raw`. */
export function includeRawOption(what: string): INodeProperties {
	return {
		displayName: 'Include Raw',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: `Whether to add ${what}, as Cybereason returned it, under raw`,
	};
}
