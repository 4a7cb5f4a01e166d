// What Isolate and Un-isolate say per machine (`results`), and the output items, paired in input order.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { pairedOutput, type ItemOutcome } from '../../../shared/items';
import { isolationResult } from '../../../shared/remediation';
import type { IsolationResponse } from '../../../shared/types';
import type { Machine } from './isolationPlan';

export type Results = IDataObject & {
	status: string;
	/** The console's own word for this machine (`Succeeded`, `Primed`, `UnknownProbe`, ...). */
	consoleStatus: string | null;
	message: string | null;
};

export type Slot =
	| { error: unknown; context: IDataObject }
	| {
			machine: Machine;
			results: Results & { timestamp: string };
			note?: string;
			request?: IDataObject;
	  };

const settled = (status: string, message: string): Results => ({
	status,
	consoleStatus: null,
	message,
});

export const protectedResults = (machine: string, entry: string) =>
	settled(
		'SKIPPED_PROTECTED',
		`Machine ${machine} matches the Protected Machines entry "${entry}"; nothing was sent`,
	);

export const inStateResults = (isolate: boolean, pylumId: string) =>
	settled(
		'SUCCESS',
		isolate
			? `Already isolated: the sensor ${pylumId} reports it, so nothing was sent`
			: `Not isolated: the sensor ${pylumId} reports the machine is not isolated, so nothing was sent`,
	);

export const dryRunResults = () =>
	settled('DRY_RUN', "Dry run: nothing was sent. 'request' is what would have been sent.");

/** The command reached at least one of the sensors it names. Anything else is a lost answer. */
export function namesSensors(
	answer: unknown,
	pylumIds: readonly string[],
): answer is IsolationResponse {
	if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return false;
	return pylumIds.some((id) => typeof (answer as IsolationResponse)[id] === 'string');
}

/** Succeeded / Primed / anything else, read as Remediate reads the isolate answer. */
export function commandResults(
	isolate: boolean,
	pylumIds: string[],
	answer: IsolationResponse,
): Results {
	const result = isolationResult(answer, pylumIds, Date.now());
	const values = [
		...new Set(pylumIds.map((id) => answer[id]).filter((v) => typeof v === 'string')),
	];
	return {
		status: result.status,
		consoleStatus: values.join(', ') || null,
		message:
			!isolate && result.status === 'PENDING'
				? 'The sensor is offline: the un-isolation is queued (Primed) and applies when it reconnects'
				: result.message,
	};
}

/** After a lost answer: what the sensors show. `done` undefined: they could not be read. */
export function recoveredResults(isolate: boolean, done: boolean, readError?: Error): Results {
	if (done)
		return settled(
			'SUCCESS',
			isolate
				? 'The sensor reports the machine isolated.'
				: 'The sensor reports the machine no longer isolated.',
		);
	const why = readError
		? `The sensor state could not be read (${readError.message})`
		: isolate
			? 'The sensor does not report the machine isolated (yet; an offline sensor applies it when it reconnects)'
			: 'The sensor still reports the machine isolated (an offline sensor applies it when it reconnects)';
	return settled(
		'UNKNOWN',
		`${why}. The command was NOT sent again: check the machine in the Cybereason console before running again.`,
	);
}

export function isolationOutput(slots: readonly Slot[], count: number): INodeExecutionData[] {
	const outcomes: ItemOutcome[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const slot = slots[itemIndex];
		if ('error' in slot) {
			outcomes.push({ error: slot.error, context: slot.context });
			continue;
		}
		const { machine } = slot;
		const json: IDataObject = {
			machineName: machine.machineName,
			machineGuid: machine.machineGuid,
			malopId: machine.malopId ?? null,
			results: { ...slot.results },
			pylumIds: machine.sensors.map((s) => s.pylumId),
		};
		if (slot.note) json.note = slot.note;
		if (slot.request) json.request = slot.request;
		outcomes.push({ json: [json] });
	}
	return pairedOutput(outcomes);
}
