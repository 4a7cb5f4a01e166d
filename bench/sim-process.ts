/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The simulator in its own process, so its CPU and memory are never counted as the measured client's.
// Driven over the fork IPC channel by bench/proc.ts: start, warm, items, close.
import type { DatasetOptions, SimMalop, Simulator, SimulatorOptions } from '../simulator';
import { actionsForTarget, generateDataset, startSimulator } from '../simulator';

export interface SimStartOptions {
	dataset: DatasetOptions;
	latencyMs?: number;
	remediationStepMs?: number;
	hunting?: SimulatorOptions['hunting'];
}

export interface RemediationItemSpec {
	malopId: string;
	machineGuid: string;
	machineName: string;
	actionType: string;
	targetId: string;
}

interface Message {
	id: number;
	cmd: 'start' | 'warm' | 'items' | 'cpu' | 'close';
	args?: unknown;
}

let sim: Simulator | undefined;

/**
 * `perMalop` (machine, action, target) triples from each of `malops` EDR Malops. Only connected machines: an
 * offline sensor never finishes an action, and the benchmark measures the node, not a timeout.
 */
function remediationItems(malops: number, perMalop: number): RemediationItemSpec[] {
	const items: RemediationItemSpec[] = [];
	let used = 0;
	for (const malop of sim!.state.malops.values() as Iterable<SimMalop>) {
		if (used === malops) break;
		if (malop.kind === 'EPP') continue;
		const mine: RemediationItemSpec[] = [];
		for (const target of malop.targets) {
			const machine = malop.machines.find((x) => x.guid === target.machineGuid)!;
			if (!machine.connected) continue;
			for (const actionType of actionsForTarget(target)) {
				mine.push({
					malopId: malop.guid,
					machineGuid: machine.guid,
					machineName: machine.name,
					actionType,
					targetId: target.guid,
				});
			}
		}
		if (mine.length < perMalop) continue;
		items.push(...mine.slice(0, perMalop));
		used++;
	}
	if (used < malops)
		throw new Error(`only ${used} Malops offer ${perMalop} actions on connected machines`);
	return items;
}

async function handle(message: Message): Promise<unknown> {
	switch (message.cmd) {
		case 'start': {
			const options = message.args as SimStartOptions;
			sim = await startSimulator({
				dataset: generateDataset(options.dataset),
				latencyMs: options.latencyMs ?? 0,
				remediationStepMs: options.remediationStepMs,
				hunting: options.hunting,
			});
			return { url: sim.url, malops: sim.state.malops.size, machines: sim.state.machines.size };
		}
		case 'warm': {
			// Render and serialise every crimes/unified element once, as a long-running console would have them
			// cached: the first query then does not pay for the simulator's rendering.
			const perFeatureLimit = Number(message.args ?? 100);
			for (const m of sim!.state.malops.values()) {
				if (m.kind !== 'EPP')
					sim!.state.cache.entry(m, sim!.state.revision(m.guid), perFeatureLimit);
			}
			return { warmed: sim!.state.malops.size };
		}
		case 'items': {
			const { malops, perMalop } = message.args as { malops: number; perMalop: number };
			return remediationItems(malops, perMalop);
		}
		case 'cpu': {
			// The simulator's own CPU time: it shares the machine with the measured client.
			const { user, system } = process.cpuUsage();
			return (user + system) / 1000;
		}
		case 'close':
			await sim?.close();
			setImmediate(() => process.exit(0));
			return { closed: true };
	}
}

process.on('message', (message: Message) => {
	handle(message).then(
		(result) => process.send!({ id: message.id, result }),
		(error: Error) => process.send!({ id: message.id, error: error.message }),
	);
});
process.on('disconnect', () => process.exit(0));
