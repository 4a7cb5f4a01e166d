// API: POST /rest/classification/update, POST /rest/classification/reputations/list
// Block and Unblock org-wide, in stages: read every item's hashes, the guardrail (Max Hashes Per Run, before
// anything is sent), then one classification/update for every hash of the run. Never sent twice: a lost or
// unexpected answer is settled by reading the reputation list back, not by sending the change again.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	blockChange,
	CLASSIFICATION_UPDATE_ENDPOINT,
	cybereasonApiUpdateClassification,
	unblockChange,
	type ReputationChange,
} from '../../../shared/api/classification';
import { CybereasonApiError } from '../../../shared/errors';
import { readReputationList } from '../../../shared/hunting/reputationLookup';
import { failedInput, pairedOutput } from '../../../shared/items';
import { parseBoolean } from '../../../shared/malops/values';
import type { CybereasonApiClient } from '../../../shared/transport';
import { itemList, options } from '../operation';
import { readHashes } from './hash';

interface Request {
	itemIndex: number;
	hashes: string[];
	comment?: string;
}

type Slot =
	| { error: unknown; context: IDataObject }
	| { json: IDataObject; status: string; message: string };

function runOptions(ctx: IExecuteFunctions) {
	const raw = ctx.getInputData().length > 0 ? options(ctx, 0) : {};
	const max = Number(raw.maxHashesPerRun ?? 0);
	return {
		dryRun: raw.dryRun === true,
		maxHashesPerRun: Number.isFinite(max) && max > 0 ? Math.floor(max) : 0,
	};
}

/** One change per comment (block), each hash once, in the order the items name them. */
export function plannedChanges(block: boolean, requests: readonly Request[]): ReputationChange[] {
	const seen = new Set<string>();
	const byComment = new Map<string, string[]>();
	for (const { hashes, comment } of requests) {
		for (const hash of hashes) {
			if (seen.has(hash)) continue;
			seen.add(hash);
			const key = block ? (comment ?? '') : '';
			byComment.set(key, [...(byComment.get(key) ?? []), hash]);
		}
	}
	return [...byComment].map(([comment, hashes]) =>
		block ? blockChange(hashes, comment || undefined) : unblockChange(hashes),
	);
}

class ReputationRun {
	readonly slots: Slot[] = [];

	private readonly verb: string;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: CybereasonApiClient,
		private readonly block: boolean,
	) {
		this.verb = block ? 'block' : 'unblock';
	}

	fail(itemIndexes: readonly number[], error: unknown, context: IDataObject = {}) {
		const failed = failedInput(
			this.ctx,
			error,
			itemIndexes.length === 1 ? itemIndexes[0] : undefined,
		);
		for (const itemIndex of itemIndexes) this.slots[itemIndex] = { error: failed, context };
	}

	result(requests: readonly Request[], status: string, message: string, extra: IDataObject = {}) {
		for (const { itemIndex, hashes, comment } of requests) {
			const json: IDataObject = { action: this.verb, hashes };
			if (comment) json.comment = comment;
			json.results = { status, message, timestamp: new Date().toISOString() };
			this.slots[itemIndex] = { json: { ...json, ...extra }, status, message };
		}
	}

	read(): Request[] {
		const requests: Request[] = [];
		for (let itemIndex = 0; itemIndex < this.ctx.getInputData().length; itemIndex++) {
			try {
				const hashes = readHashes(this.ctx, itemIndex).map((h) => h.hash);
				const raw = this.block ? options(this.ctx, itemIndex).comment : undefined;
				const comment = typeof raw === 'string' ? raw.trim() : '';
				requests.push({ itemIndex, hashes, ...(comment ? { comment } : {}) });
			} catch (error) {
				this.fail([itemIndex], error);
			}
		}
		return requests;
	}

	/** Max Hashes Per Run: the whole run is refused before anything is sent. */
	capped(requests: readonly Request[], max: number): boolean {
		const count = new Set(requests.flatMap((r) => r.hashes)).size;
		if (max <= 0 || count <= max) return false;
		const refusal = new NodeOperationError(
			this.ctx.getNode(),
			`Refused: this run would ${this.verb} ${count} file hashes org-wide, more than Max Hashes Per Run (${max}). Nothing was sent.`,
			{
				description:
					'Each hash counts once, however many items name it. Filter the input items, split the run, or raise the cap.',
			},
		);
		this.fail(
			requests.map((r) => r.itemIndex),
			refusal,
		);
		return true;
	}

	/** After an answer that was lost or not the success answer: the list says whether the change was made. */
	private async settle(requests: readonly Request[], lost: CybereasonApiError) {
		let listed: Map<string, boolean> | undefined;
		let readError: Error | undefined;
		try {
			const list = await readReputationList(this.client, {
				operation: `read the reputation list back after a lost ${this.verb} answer`,
			});
			listed = new Map(
				list.entries
					.filter((e) => e.maliciousType === 'blacklist')
					.map((e) => [e.key.toLowerCase(), parseBoolean(e.prevent) === true]),
			);
		} catch (error) {
			readError = error as Error;
		}
		const note = `The console's answer was lost or unexpected (${lost.message}); nothing was sent again.`;
		for (const request of requests) {
			const done =
				listed !== undefined &&
				request.hashes.every((h) => (this.block ? listed.get(h) === true : !listed.has(h)));
			if (done) this.result([request], 'SUCCESS', this.doneMessage(), { note });
			else
				this.result(
					[request],
					'UNKNOWN',
					`${readError ? `The reputation list could not be read (${readError.message})` : `The reputation list does not show ${this.block ? 'every hash blocked' : 'every hash removed'}`}. The change was NOT sent again: check Reputations in the Cybereason console before running again.`,
					{ note },
				);
		}
	}

	private doneMessage(): string {
		return this.block
			? 'Blocked org-wide: on the blacklist and prevented from running on every machine'
			: 'Unblocked: taken off the custom reputation list';
	}

	async send(requests: readonly Request[], changes: ReputationChange[], dryRun: boolean) {
		if (dryRun) {
			const request = { ...CLASSIFICATION_UPDATE_ENDPOINT, body: changes };
			this.result(
				requests,
				'DRY_RUN',
				"Dry run: nothing was sent. 'request' is what would have been sent.",
				{ request: request as unknown as IDataObject },
			);
			return;
		}
		const itemIndexes = requests.map((r) => r.itemIndex);
		const count = changes.reduce((n, c) => n + c.keys.length, 0);
		try {
			await cybereasonApiUpdateClassification(this.client, changes, {
				itemIndex: itemIndexes[0],
				operation: `${this.verb} ${count} file hash${count === 1 ? '' : 'es'} org-wide (${itemList(itemIndexes)})`,
			});
		} catch (error) {
			if (error instanceof CybereasonApiError && error.outcomeUnknown)
				return await this.settle(requests, error);
			return this.fail(itemIndexes, error);
		}
		this.result(requests, 'SUCCESS', this.doneMessage());
	}
}

export async function executeReputationChange(
	ctx: IExecuteFunctions,
	client: CybereasonApiClient,
	block: boolean,
): Promise<INodeExecutionData[]> {
	const run = new ReputationRun(ctx, client, block);
	const { dryRun, maxHashesPerRun } = runOptions(ctx);
	const requests = run.read();
	if (requests.length > 0 && !run.capped(requests, maxHashesPerRun)) {
		await run.send(requests, plannedChanges(block, requests), dryRun);
	}
	return pairedOutput(run.slots.map((slot) => ('error' in slot ? slot : { json: [slot.json] })));
}
