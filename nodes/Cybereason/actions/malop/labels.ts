// API: POST /rest/detection/labels, POST /rest/detection/add-label, POST /rest/detection/update-labels
// Add Labels and Remove Labels: every input item is read first, the console's labels listed once, missing ones
// created (add) or refused (remove), then one update-labels call per distinct set of labels for all its Malops.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	confirmsSuccess,
	cybereasonApiAddLabel,
	cybereasonApiListLabels,
	cybereasonApiUpdateLabels,
} from '../../../shared/api/labels';
import { CybereasonApiError } from '../../../shared/errors';
import { failedInput, pairedOutput } from '../../../shared/items';
import type { CybereasonApiClient } from '../../../shared/transport';
import { itemList, MALOP_ID_HINT, requiredId, type Operation } from '../operation';
import {
	parseLabels,
	planLabelBatches,
	unknownLabels,
	type LabelBatch,
	type LabelRequest,
} from './labelPlan';

export type LabelMode = 'add' | 'remove';

function labelsProperty(mode: LabelMode): INodeProperties {
	return {
		displayName: 'Labels',
		name: 'labels',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. n8n-contained, ticket-open',
		description:
			mode === 'add'
				? 'Label names to add to the Malop, separated by commas. A label the console does not have yet is created.'
				: 'Label names to take off the Malop, separated by commas. Each must exist in the console.',
	};
}

type NodeError = NodeOperationError | CybereasonApiError;

type Slot = { json: IDataObject } | { error: unknown; context: IDataObject };

class LabelRun {
	readonly slots: Slot[] = [];

	readonly continueOnFail: boolean;

	/** Labels this run created, and Malops it changed (told when a later call fails). */
	private readonly created = new Set<string>();

	private readonly changed: string[] = [];

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: CybereasonApiClient,
		private readonly mode: LabelMode,
	) {
		this.continueOnFail = ctx.continueOnFail();
	}

	/** Without continue-on-fail the run stops here; with it, these items fail alone. */
	fail(itemIndexes: readonly number[], error: NodeError, requests: LabelRequest[] = []) {
		const failed = failedInput(
			this.ctx,
			error,
			itemIndexes.length === 1 ? itemIndexes[0] : undefined,
		);
		for (const itemIndex of itemIndexes) {
			const request = requests.find((r) => r.itemIndex === itemIndex);
			this.slots[itemIndex] = {
				error: failed,
				context: request ? { malopId: request.malopId, labels: request.labels } : {},
			};
		}
	}

	read(): LabelRequest[] {
		const requests: LabelRequest[] = [];
		const count = this.ctx.getInputData().length;
		for (let itemIndex = 0; itemIndex < count; itemIndex++) {
			try {
				const malopId = requiredId(this.ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
				const labels = parseLabels(this.ctx.getNodeParameter('labels', itemIndex, ''));
				if (labels.length === 0) {
					throw new NodeOperationError(this.ctx.getNode(), `No labels in item ${itemIndex}`, {
						itemIndex,
						description: `Give the label names to ${this.mode}, separated by commas.`,
					});
				}
				requests.push({ itemIndex, malopId, labels });
			} catch (error) {
				this.fail([itemIndex], error as NodeError);
			}
		}
		return requests;
	}

	/** Label text -> id, including the labels this run creates. */
	async labelIds(requests: LabelRequest[]): Promise<Map<string, number>> {
		const first = requests[0].itemIndex;
		const known = new Map(
			(await cybereasonApiListLabels(this.client, { itemIndex: first })).map((l) => [
				l.labelText,
				l.id,
			]),
		);
		if (this.mode === 'add') {
			const missing = [...new Set(requests.flatMap((r) => unknownLabels(r.labels, known)))];
			for (const text of missing) {
				const created = await cybereasonApiAddLabel(this.client, text, { itemIndex: first });
				if (!created) continue;
				known.set(created.labelText, created.id);
				this.created.add(created.labelText);
			}
		}
		return known;
	}

	/** Items naming a label the console does not have (remove), or that could not be created (add), fail alone. */
	checkKnown(requests: LabelRequest[], known: Map<string, number>): LabelRequest[] {
		return requests.filter((request) => {
			const unknown = unknownLabels(request.labels, known);
			if (unknown.length === 0) return true;
			const names = unknown.map((l) => `"${l}"`).join(', ');
			this.fail(
				[request.itemIndex],
				new NodeOperationError(
					this.ctx.getNode(),
					this.mode === 'remove'
						? `Cannot remove label ${names} from Malop ${request.malopId} (item ${request.itemIndex}): Cybereason has no such label`
						: `Cannot add label ${names} to Malop ${request.malopId} (item ${request.itemIndex}): the console did not create it`,
					{
						itemIndex: request.itemIndex,
						description: `Label names are matched exactly, as the console stores them. Labels in the console: ${
							[...known.keys()].slice(0, 30).join(', ') || 'none'
						}.`,
					},
				),
				[request],
			);
			return false;
		});
	}

	async send(batch: LabelBatch, known: Map<string, number>, requests: LabelRequest[]) {
		const ids = batch.labels.map((label) => known.get(label) as number);
		const where = `${batch.malopGuids.length === 1 ? 'Malop' : 'Malops'} ${batch.malopGuids.join(', ')} (${itemList(batch.itemIndexes)})`;
		try {
			const answer = await cybereasonApiUpdateLabels(
				this.client,
				{
					malopGuids: batch.malopGuids,
					addedLabels: this.mode === 'add' ? ids : [],
					removedLabels: this.mode === 'remove' ? ids : [],
				},
				{
					itemIndex: batch.itemIndexes[0],
					operation: `${this.mode} the labels ${batch.labels.join(', ')} ${this.mode === 'add' ? 'to' : 'from'} ${where}`,
				},
			);
			if (!confirmsSuccess(answer)) {
				throw new CybereasonApiError(this.ctx.getNode(), {
					message: `Cybereason did not confirm the label change of ${where}`,
					description: `update-labels answers "success" when it applied the change; it answered ${JSON.stringify(answer ?? null).slice(0, 200)}. Check the Malops in the console.`,
					httpCode: '200',
					itemIndex: batch.itemIndexes[0],
				});
			}
		} catch (error) {
			const e = error as NodeError;
			if (!this.continueOnFail && this.changed.length > 0)
				e.description = `${e.description ? `${e.description} ` : ''}Labels already changed in this run on Malops ${this.changed.join(', ')}.`;
			this.fail(batch.itemIndexes, e, requests);
			return;
		}
		this.changed.push(...batch.malopGuids);
		for (const itemIndex of batch.itemIndexes) {
			const request = requests.find((r) => r.itemIndex === itemIndex) as LabelRequest;
			this.slots[itemIndex] = {
				json:
					this.mode === 'add'
						? {
								malopId: request.malopId,
								addedLabels: request.labels,
								createdLabels: request.labels.filter((l) => this.created.has(l)),
							}
						: { malopId: request.malopId, removedLabels: request.labels },
			};
		}
	}
}

async function executeLabels(
	ctx: IExecuteFunctions,
	client: CybereasonApiClient,
	mode: LabelMode,
): Promise<INodeExecutionData[]> {
	const run = new LabelRun(ctx, client, mode);
	const requests = run.read();
	let known: Map<string, number> | undefined;
	if (requests.length > 0) {
		try {
			known = await run.labelIds(requests);
		} catch (error) {
			run.fail(
				requests.map((r) => r.itemIndex),
				error as NodeError,
				requests,
			);
		}
	}
	if (known) {
		const ready = run.checkKnown(requests, known);
		for (const batch of planLabelBatches(ready)) await run.send(batch, known, ready);
	}
	return pairedOutput(
		ctx.getInputData().map((_, itemIndex) => {
			const slot = run.slots[itemIndex];
			return 'error' in slot ? slot : { json: [slot.json] };
		}),
	);
}

/** Add Labels and Remove Labels: one logic, two operations. */
export function labelOperation(mode: LabelMode): Operation {
	return {
		description: updateDisplayOptions(
			{ show: { resource: ['malop'], operation: [mode === 'add' ? 'addLabels' : 'removeLabels'] } },
			[labelsProperty(mode)],
		),
		execute: async (ctx, client) => await executeLabels(ctx, client, mode),
	};
}
