// API: POST /rest/sensors/query, POST /rest/monitor/global/commands/isolate, .../un-isolate
// Isolate and Un-isolate, in stages: read every item, look the machines' sensors up (their state too), the
// guardrails (protected machines, already in the wanted state, the cap), then one command per Malop ID for all
// machines of the run. Never sent twice: a lost answer is settled by reading the sensors, not by sending again.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	cybereasonApiIsolate,
	cybereasonApiQuerySensors,
	cybereasonApiUnisolate,
	ISOLATE_ENDPOINT,
	UNISOLATE_ENDPOINT,
} from '../../../shared/api/sensors';
import { CybereasonApiError } from '../../../shared/errors';
import { failedInput } from '../../../shared/items';
import { parseProtectedMachines } from '../../../shared/remediation';
import type { CybereasonApiClient } from '../../../shared/transport';
import type { IsolationResponse, Sensor } from '../../../shared/types';
import { itemList, options, textParameter } from '../operation';
import { machineLookup, machineNotFound } from './get';
import {
	groupMachines,
	decide,
	planCommands,
	type Machine,
	type PlannedCommand,
} from './isolationPlan';
import { lookupSensors, type Lookup } from './lookup';
import {
	commandResults,
	dryRunResults,
	inStateResults,
	isolationOutput,
	namesSensors,
	protectedResults,
	recoveredResults,
	type Results,
	type Slot,
} from './isolationResults';
import { isIsolated } from './sensor';

type NodeError = NodeOperationError | CybereasonApiError;

interface RunOptions {
	dryRun: boolean;
	protectedMachines: string[];
	maxMachinesPerRun: number;
}

class IsolationRun {
	readonly slots: Slot[] = [];

	private readonly continueOnFail: boolean;

	private readonly verb: string;

	/** Commands already sent in this run, for the message of a later failure. */
	private readonly sent: string[] = [];

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: CybereasonApiClient,
		private readonly isolate: boolean,
		readonly options: RunOptions,
	) {
		this.continueOnFail = ctx.continueOnFail();
		this.verb = isolate ? 'isolate' : 'un-isolate';
	}

	/** Without continue-on-fail the run stops here (saying what was already sent); with it, the items fail alone. */
	fail(itemIndexes: readonly number[], error: NodeError, context: IDataObject = {}) {
		if (!this.continueOnFail && this.sent.length > 0)
			error.description = `${error.description ? `${error.description} ` : ''}Already sent in this run: ${this.sent.join('; ')}.`;
		const failed = failedInput(
			this.ctx,
			error,
			itemIndexes.length === 1 ? itemIndexes[0] : undefined,
		);
		for (const itemIndex of itemIndexes) this.slots[itemIndex] = { error: failed, context };
	}

	private result(
		machine: Machine,
		results: Results,
		extra: { note?: string; request?: IDataObject } = {},
	) {
		const slot: Slot = {
			machine,
			results: { ...results, timestamp: new Date().toISOString() },
			...extra,
		};
		for (const itemIndex of machine.itemIndexes) this.slots[itemIndex] = slot;
	}

	read(): Array<Lookup & { malopId?: string }> {
		const lookups: Array<Lookup & { malopId?: string }> = [];
		for (let itemIndex = 0; itemIndex < this.ctx.getInputData().length; itemIndex++) {
			try {
				const malopId = textParameter(this.ctx, 'malopId', itemIndex);
				lookups.push({ ...machineLookup(this.ctx, itemIndex), ...(malopId ? { malopId } : {}) });
			} catch (error) {
				this.fail([itemIndex], error as NodeError);
			}
		}
		return lookups;
	}

	/** The machines with their sensors; a machine without a sensor fails alone, a lookup failure stops the run. */
	async machines(lookups: Array<Lookup & { malopId?: string }>): Promise<Machine[]> {
		let found: Map<number, Sensor[]>;
		try {
			found = await lookupSensors(this.client, lookups, {
				operation: `look up the sensors of the machines to ${this.verb}`,
			});
		} catch (error) {
			const cause = error as CybereasonApiError;
			const wrapped = new NodeOperationError(
				this.ctx.getNode(),
				`Could not look up the machines to ${this.verb}: ${cause.message}. Nothing was sent.`,
				{ itemIndex: lookups[0].itemIndex, description: cause.description ?? undefined },
			);
			this.fail(
				lookups.map((l) => l.itemIndex),
				wrapped,
			);
			return [];
		}
		const requests = [];
		for (const lookup of lookups) {
			const sensors = found.get(lookup.itemIndex) ?? [];
			if (sensors.length === 0) {
				this.fail([lookup.itemIndex], machineNotFound(this.ctx, lookup, false), {
					machine: lookup.value,
				});
				continue;
			}
			requests.push({ itemIndex: lookup.itemIndex, malopId: lookup.malopId, sensors });
		}
		return groupMachines(requests);
	}

	/** The guardrails: what is protected or already as wanted gets its result now; the rest is to be sent. */
	guard(machines: Machine[]): Array<{ machine: Machine; pylumIds: string[] }> {
		const sends = [];
		for (const machine of machines) {
			const decision = decide(machine, this.isolate, this.options.protectedMachines);
			const name = machine.machineName ?? machine.machineGuid;
			if (decision.kind === 'protected') {
				this.result(machine, protectedResults(name, decision.entry));
			} else if (decision.kind === 'nameUnknown') {
				this.fail(
					machine.itemIndexes,
					new NodeOperationError(
						this.ctx.getNode(),
						`Cannot check machine ${machine.machineGuid} (${itemList(machine.itemIndexes)}) against Protected Machines: its sensor reports no name`,
						{
							itemIndex: machine.itemIndexes[0],
							description:
								'Nothing was sent, so that no protected machine is touched unchecked. List the machine’s GUID in Protected Machines instead of its name.',
						},
					),
					{ machineGuid: machine.machineGuid },
				);
			} else if (decision.kind === 'inState') {
				this.result(machine, inStateResults(this.isolate, decision.sensor.pylumId));
			} else {
				sends.push({ machine, pylumIds: decision.pylumIds });
			}
		}
		return sends;
	}

	/** Max Machines Per Run: refuse the whole run, before anything is sent. */
	cap(sends: Array<{ machine: Machine }>): boolean {
		const max = this.options.maxMachinesPerRun;
		if (max <= 0 || sends.length <= max) return true;
		const refusal = new NodeOperationError(
			this.ctx.getNode(),
			`Refused: this run would ${this.verb} ${sends.length} machines, more than Max Machines Per Run (${max}). Nothing was sent.`,
			{
				description:
					'Each machine counts once (items naming the same machine, protected machines and machines already in the wanted state are not counted). Filter the input items, split the run, or raise the cap.',
			},
		);
		this.fail(
			sends.flatMap((s) => s.machine.itemIndexes),
			refusal,
		);
		return false;
	}

	dryRun(commands: PlannedCommand[]) {
		const endpoint = this.isolate ? ISOLATE_ENDPOINT : UNISOLATE_ENDPOINT;
		for (const { command, machines } of commands) {
			for (const { machine } of machines) {
				this.result(machine, dryRunResults(), { request: { ...endpoint, body: { ...command } } });
			}
		}
	}

	/** A lost answer: the sensors say whether the command took effect; it is never sent again. */
	private async recover(planned: PlannedCommand, lost: CybereasonApiError) {
		let sensors: Sensor[] | undefined;
		let readError: Error | undefined;
		try {
			sensors = await cybereasonApiQuerySensors(
				this.client,
				[{ fieldName: 'pylumId', operator: 'Equals', values: planned.command.pylumIds }],
				{ operation: `read the isolation state of the sensors after a lost ${this.verb} answer` },
			);
		} catch (error) {
			readError = error as Error;
		}
		for (const { machine, pylumIds } of planned.machines) {
			const done = sensors?.some(
				(s) => pylumIds.includes(s.pylumId) && isIsolated(s) === this.isolate,
			);
			this.result(machine, recoveredResults(this.isolate, done === true, readError), {
				note: `The console's answer was lost (${lost.message}); nothing was sent again.`,
			});
		}
	}

	async send(planned: PlannedCommand) {
		const itemIndexes = planned.machines.flatMap(({ machine }) => machine.itemIndexes);
		const names = planned.machines.map(({ machine }) => machine.machineName ?? machine.machineGuid);
		const call = {
			itemIndex: itemIndexes[0],
			operation: `${this.verb} ${names.join(', ')} (${itemList(itemIndexes)})`,
		};
		let answer: IsolationResponse;
		try {
			answer = this.isolate
				? await cybereasonApiIsolate(this.client, planned.command, call)
				: await cybereasonApiUnisolate(this.client, planned.command, call);
		} catch (error) {
			if (error instanceof CybereasonApiError && error.outcomeUnknown) {
				this.sent.push(`${this.verb} ${names.join(', ')} (answer lost)`);
				return await this.recover(planned, error);
			}
			return this.fail(itemIndexes, error as NodeError);
		}
		this.sent.push(`${this.verb} ${names.join(', ')}`);
		if (!namesSensors(answer, planned.command.pylumIds)) {
			const unreadable = new CybereasonApiError(this.ctx.getNode(), {
				message: `the answer names none of the sensors (${JSON.stringify(answer ?? null).slice(0, 100)})`,
				httpCode: '200',
			});
			return await this.recover(planned, unreadable);
		}
		for (const { machine, pylumIds } of planned.machines)
			this.result(machine, commandResults(this.isolate, pylumIds, answer));
	}
}

function readOptions(ctx: IExecuteFunctions, isolate: boolean): RunOptions {
	const raw = ctx.getInputData().length > 0 ? options(ctx, 0) : {};
	const max = Number(raw.maxMachinesPerRun ?? 0);
	return {
		dryRun: raw.dryRun === true,
		protectedMachines: isolate ? parseProtectedMachines(raw.protectedMachines) : [],
		maxMachinesPerRun: Number.isFinite(max) && max > 0 ? Math.floor(max) : 0,
	};
}

export async function executeIsolation(
	ctx: IExecuteFunctions,
	client: CybereasonApiClient,
	isolate: boolean,
): Promise<INodeExecutionData[]> {
	const run = new IsolationRun(ctx, client, isolate, readOptions(ctx, isolate));
	const lookups = run.read();
	const machines = lookups.length > 0 ? await run.machines(lookups) : [];
	const sends = run.guard(machines);
	if (sends.length > 0 && run.cap(sends)) {
		const commands = planCommands(sends);
		if (run.options.dryRun) run.dryRun(commands);
		else for (const command of commands) await run.send(command);
	}
	return isolationOutput(run.slots, ctx.getInputData().length);
}
