// What the hunting operations share (file search, process search, machine processes, Malop details): Return All /
// Limit, one hunt per item, and the answer's warnings put on every item, logged and shown as hints, never silent.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CONSOLE_MAX_RESULTS } from '../../shared/api/malops';
import type { MachineRef } from '../../shared/api/visualSearch';
import { returnAllProperties } from '../../shared/descriptions/limits';
import { withWarnings } from '../../shared/hunting/notices';
import type { HuntResult } from '../../shared/hunting/search';
import { executePerItem } from '../../shared/items';
import type { CybereasonApiClient } from '../../shared/transport';
import type { Operation } from './operation';

/** Return All and Limit; one Visual Search answers at most the console's maximum (Return All asks for it). */
export const limitProperties = returnAllProperties({ max: CONSOLE_MAX_RESULTS });

/** Shared by the process searches. */
export const onlyWithSuspicionsProperty: INodeProperties = {
	displayName: 'Only With Suspicions',
	name: 'onlyWithSuspicions',
	type: 'boolean',
	default: false,
	description:
		'Whether to return only processes Cybereason has suspicions about (the ones behind Malops and detections)',
};

/** The item's Limit, or undefined for Return All; anything but a whole number in range names the item. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1 || limit > CONSOLE_MAX_RESULTS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Limit must be a whole number from 1 to ${CONSOLE_MAX_RESULTS} (item ${itemIndex})`,
			{ itemIndex, description: 'Or turn on Return All.' },
		);
	}
	return limit;
}

export type HuntRun = (
	ctx: IExecuteFunctions,
	client: CybereasonApiClient,
	itemIndex: number,
	report: (result: Pick<HuntResult, 'warnings' | 'notices'>) => void,
) => Promise<IDataObject[]>;

/**
 * One hunt per input item (paired, continue-on-fail as every operation). `report` takes an answer's warnings
 * (they also go on its items, by the caller) and notices: each is logged once per item and shown once per run.
 */
export function huntOperation(label: string, run: HuntRun): Operation['execute'] {
	return async (ctx, client) => {
		const hints: string[] = [];
		const output = await executePerItem(ctx, async (itemIndex) => {
			const report = ({ warnings, notices }: Pick<HuntResult, 'warnings' | 'notices'>) => {
				for (const message of [...warnings, ...notices]) {
					ctx.logger.warn(`Cybereason ${label}: ${message}`, {
						node: ctx.getNode().name,
						itemIndex,
					});
					if (!hints.includes(message)) hints.push(message);
				}
			};
			return await run(ctx, client, itemIndex, report);
		});
		if (hints.length > 0) {
			ctx.addExecutionHints(
				...hints.map((message): NodeExecutionHint => ({ message, location: 'outputPane' })),
			);
		}
		return output;
	};
}

/** Items with the answer's warnings on each, reported. */
export function reported(
	items: IDataObject[],
	result: Pick<HuntResult, 'warnings' | 'notices'>,
	report: (result: Pick<HuntResult, 'warnings' | 'notices'>) => void,
): IDataObject[] {
	report(result);
	return withWarnings(items, result.warnings);
}

/** The query started from a machine the console does not know: an input mistake that names the item. */
export function unknownMachine(
	ctx: IExecuteFunctions,
	machine: MachineRef,
	itemIndex: number,
): NodeOperationError {
	const [how, value] =
		'guid' in machine
			? ['GUID', machine.guid]
			: 'name' in machine
				? ['name', machine.name]
				: ['pylumId', machine.pylumId];
	return new NodeOperationError(
		ctx.getNode(),
		`Cybereason knows no machine with ${how} ${value} (item ${itemIndex})`,
		{
			itemIndex,
			description:
				how === 'name'
					? 'Machine names are compared exactly as the sensor reports them. Machine > Search finds a machine by part of its name.'
					: `Check the machine's ${how}: Machine > Get or Search outputs it.`,
		},
	);
}
