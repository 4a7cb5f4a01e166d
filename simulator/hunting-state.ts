// The console's hunting side: the element model (rebuilt when Malops or machines change), the custom
// reputations, the detection servers a query fans out to, and the query faults tests queue.
import { numOf } from './hunting-ids';
import { FaultQueue } from './fault-queue';
import { buildModel } from './hunting-model';
import type { HuntModel, ModelSize } from './hunting-types';
import type { SimMachine, SimMalop } from './model';
import { ReputationStore } from './reputation';

export interface HuntingOptions extends ModelSize {
	/** Detection servers behind the console (default 1); every machine reports to one of them. */
	servers?: number;
	/** `outcome` of a refused classification/update or reputations/list: `failed` (default) or `failure`. */
	reputationFailureOutcome?: 'failed' | 'failure';
	/** Simulated work per candidate element; a query whose work exceeds its `queryTimeout` stops early. */
	queryCostMsPerElement?: number;
}

/**
 * One queued visual-search fault: for the next `times` queries (of `requestedType`, when set), some
 * servers fail (answer missing: PARTIAL_SUCCESS, or FAILURE when none is left) and/or the query stops
 * after `terminateAfter` results (`queryTerminated: true`).
 */
export interface HuntingFault {
	requestedType?: string;
	times?: number;
	/** A count (the first N servers) or server names. */
	failedServers?: number | string[];
	offlineServers?: number | string[];
	terminateAfter?: number;
}

interface Sources {
	machines: Map<string, SimMachine>;
	malops: Map<string, SimMalop>;
	revision(guid: string): number;
	now(): number;
}

export class HuntingState {
	readonly reputations: ReputationStore;
	readonly servers: string[];
	readonly queryCostMsPerElement: number;
	readonly faults = new FaultQueue<HuntingFault>();
	/** Serialised result entries by element (hunting-render.ts); a rebuilt model drops them with its elements. */
	readonly entries = new WeakMap<object, { key: string; entry: Buffer }>();
	private cached?: { key: string; model: HuntModel };

	constructor(
		private readonly sources: Sources,
		private readonly options: HuntingOptions = {},
	) {
		this.reputations = new ReputationStore(
			sources.now,
			options.reputationFailureOutcome ?? 'failed',
		);
		this.servers = Array.from(
			{ length: Math.max(1, options.servers ?? 1) },
			(_, i) => `detection-server-${i + 1}`,
		);
		this.queryCostMsPerElement = options.queryCostMsPerElement ?? 0;
		// A "Blocklist file hash" Malop exists because its hash is on the list (prevented when the Malop says blocked).
		for (const m of sources.malops.values()) {
			if (m.detectionType !== 'BLACKLIST' || this.reputations.entries.has(m.rootCauseHash))
				continue;
			this.reputations.set(
				m.rootCauseHash,
				'FILE_HASH_SHA1',
				{ maliciousType: 'blacklist', prevent: m.isBlocked, comment: null, expiration: null },
				m.malopStartTime,
			);
		}
	}

	/** The element model of the console as it is now (cached until a Malop or machine changes). */
	model(): HuntModel {
		let revisions = 0;
		for (const guid of this.sources.malops.keys()) revisions += this.sources.revision(guid);
		const key = `${this.sources.machines.size}/${this.sources.malops.size}/${revisions}`;
		if (this.cached?.key !== key) {
			this.cached = {
				key,
				model: buildModel(
					this.sources.machines.values(),
					this.sources.malops.values(),
					this.options,
				),
			};
		}
		return this.cached.model;
	}

	serverOf(machine: SimMachine): string {
		return this.servers[numOf(machine.guid, this.servers.length)];
	}

	/** The first queued fault for this requestedType, used up by one query. */
	takeFault(requestedType: string): HuntingFault | undefined {
		return this.faults.take((f) => !f.requestedType || f.requestedType === requestedType);
	}

	/** Server names a fault's count or list stands for. */
	named(spec: number | string[] | undefined): string[] {
		if (spec === undefined) return [];
		return typeof spec === 'number'
			? this.servers.slice(0, spec)
			: this.servers.filter((s) => spec.includes(s));
	}
}
