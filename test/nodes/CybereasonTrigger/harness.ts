// A trigger in an active workflow against a simulated console, as the engine tests of the trigger use it.
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { CybereasonTrigger } from '../../../nodes/CybereasonTrigger/CybereasonTrigger.node';
import { Engine, logs, registerNodeType } from '../../../scripts/lib/engine';
import {
	DEMO_USER,
	generateDataset,
	startSimulator,
	type Simulator,
	type SimulatorOptions,
} from '../../../simulator';

registerNodeType('cybereasonTrigger', new CybereasonTrigger());

export const MIN = 60_000;
export const CRIMES = '/rest/crimes/unified';
export const NODE_KEY = 'node:Cybereason Trigger';

/** A console whose existing Malops were all last updated an hour ago: history for a trigger activated now. */
export async function consoleWithHistory(options: SimulatorOptions = {}): Promise<Simulator> {
	const sim = await startSimulator({
		dataset: generateDataset({
			malops: 6,
			machinesPerMalop: 2,
			seed: 3,
			baseTime: Date.now() - 60 * MIN,
		}),
		...options,
	});
	for (const malop of sim.state.malops.values()) {
		sim.state.updateMalop(malop.guid, {
			lastUpdateTime: Math.min(malop.lastUpdateTime, Date.now() - 60 * MIN),
		});
	}
	return sim;
}

export function trigger(
	parameters: INodeParameters = {},
): Pick<INode, 'name' | 'type' | 'parameters'> {
	return { name: 'Cybereason Trigger', type: 'n8n-nodes-cybereason.cybereasonTrigger', parameters };
}

/** One trigger in an active workflow, polled as n8n does (static data saved only when n8n sees a change). */
export function activeTrigger(simulator: Simulator, parameters: INodeParameters = {}) {
	const engine = new Engine();
	engine.setCredential({
		baseUrl: simulator.url,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
	});
	const active = engine.activate(trigger(parameters));
	return {
		engine,
		active,
		/** What n8n's database holds. */
		get staticData() {
			return active.saved;
		},
		async poll(mode: 'trigger' | 'manual' = 'trigger') {
			const result = await active.poll(mode);
			return (result?.[0] ?? []).map((item) => item.json);
		},
	};
}

export const pairs = (items: IDataObject[]) =>
	items.map((i) => `${String(i.malopId)}:${String(i.machineGuid)}`).sort();

/** The warnings the trigger wrote to n8n's log since the last call. */
export function takeWarnings(): string[] {
	const warnings = logs.filter((l) => l.level === 'warn').map((l) => l.message);
	logs.length = 0;
	return warnings;
}
