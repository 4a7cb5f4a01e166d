// Shared set-up for the Remediate engine tests: a simulator per test, Malops with known machines and targets,
// and a one-line way to run Start -> Remediate inside n8n's engine.
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CybereasonRemediate } from '../../../nodes/CybereasonRemediate/CybereasonRemediate.node';
import { transportLimits } from '../../../nodes/shared/transport/client';
import { Engine, logs, registerNodeType, type RunResult } from '../../../scripts/lib/engine';
import {
	DEMO_USER,
	startSimulator,
	type RecordedRequest,
	type SimMachine,
	type SimMalop,
	type SimTarget,
	type Simulator,
	type SimulatorOptions,
} from '../../../simulator';

registerNodeType('cybereasonRemediate', new CybereasonRemediate());

export const REMEDIATE_TYPE = 'n8n-nodes-cybereason.cybereasonRemediate';

let counter = 0;
/** A fresh 16-character GUID (the newer console form), unique within the test process. */
export function guid(prefix: string): string {
	counter++;
	return `${prefix.slice(0, 4)}${String(counter).padStart(12, '0')}`;
}

export interface MachineSpec {
	name: string;
	connected?: boolean;
}

export interface TestMalop {
	malop: SimMalop;
	machines: SimMachine[];
	/** Targets of each machine by kind, in the order given. */
	targets: Array<
		Record<'process' | 'suspended' | 'file' | 'quarantinedFile' | 'registry', SimTarget>
	>;
}

/** A Malop whose every machine has one target of each kind (a suspended process too), so every action applies. */
export function addMalop(sim: Simulator, machines: MachineSpec[]): TestMalop {
	const machineSpecs = machines.map((m) => ({
		guid: guid('MACH'),
		name: m.name,
		connected: m.connected ?? true,
	}));
	const targets: TestMalop['targets'] = [];
	const all: SimTarget[] = [];
	for (const m of machineSpecs) {
		const set = {
			process: { guid: guid('PROC'), kind: 'process', name: 'evil.exe', machineGuid: m.guid },
			suspended: {
				guid: guid('SUSP'),
				kind: 'process',
				name: 'lockbit.exe',
				machineGuid: m.guid,
				suspended: true,
			},
			file: {
				guid: guid('FILE'),
				kind: 'file',
				name: 'evil.exe',
				machineGuid: m.guid,
				md5: 'fc61fdcad5a9d52a01bd2d596f2c92b9',
			},
			quarantinedFile: {
				guid: guid('QUAR'),
				kind: 'quarantinedFile',
				name: 'evil.exe',
				machineGuid: m.guid,
			},
			registry: {
				guid: guid('REGK'),
				kind: 'registry',
				name: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\evil',
				machineGuid: m.guid,
			},
		} as TestMalop['targets'][number];
		targets.push(set);
		all.push(...Object.values(set));
	}
	const malop = sim.state.addMalop({ machines: machineSpecs, targets: all, users: [] });
	return { malop, machines: malop.machines, targets };
}

export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
	return await startSimulator({ remediationStepMs: 60, ...options });
}

/**
 * A fresh simulator for each test of the file, closed after it, with the captured logs cleared and the transport's
 * timeout cap lifted again.
 */
export function simulatorPerTest(): (options?: SimulatorOptions) => Promise<Simulator> {
	let current: Simulator | undefined;
	afterEach(async () => {
		await current?.close();
		current = undefined;
		logs.length = 0;
		transportLimits.timeoutCapMs = Infinity;
	});
	return async (options) => (current = await simulator(options));
}

export function engineFor(sim: Simulator): Engine {
	const engine = new Engine();
	engine.setCredential({
		baseUrl: sim.url,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
	});
	return engine;
}

export interface RunOptions {
	parameters?: INodeParameters;
	options?: INodeParameters;
	continueOnFail?: boolean;
	/** Extra Remediate node fields (retryOnFail, ...). */
	node?: Partial<INode>;
}

/** Start (emitting `items`) -> Remediate. Default parameters are the node's own (`={{ $json.malopId }}`, ...). */
export async function runRemediate(
	engine: Engine,
	items: IDataObject[],
	run: RunOptions = {},
): Promise<RunResult> {
	return await engine.run({
		nodes: [
			{ name: 'Start', type: 'test.start', parameters: { items: JSON.stringify(items) } },
			{
				name: 'Remediate',
				type: REMEDIATE_TYPE,
				parameters: { ...(run.parameters ?? {}), options: run.options ?? {} },
				...(run.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				...(run.node ?? {}),
			},
		],
		connections: [['Start', 'Remediate']],
	});
}

/** One input item as Get Malops emits it, narrowed to one target. */
export function item(
	malop: SimMalop,
	machine: SimMachine,
	actionType: string,
	target?: SimTarget,
	extra: IDataObject = {},
): IDataObject {
	return {
		malopId: malop.guid,
		machineGuid: machine.guid,
		machineName: machine.name,
		actionType,
		...(target ? { targetId: target.guid } : {}),
		...extra,
	};
}

/** A Malop with one machine, and a Start -> Remediate run that isolates it. */
export async function isolateOne(sim: Simulator, name: string, run: RunOptions = {}) {
	const malop = addMalop(sim, [{ name }]);
	const result = await runRemediate(
		engineFor(sim),
		[item(malop.malop, malop.machines[0], 'ISOLATE_MACHINE')],
		{ parameters: { actionType: 'ISOLATE_MACHINE' }, ...run },
	);
	return { malop, result };
}

/** results.timestamp as v2 gives it: ISO 8601, the console's epoch ms beside it. */
export const RESULT_TIME = {
	timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
	timestampMs: expect.any(Number),
};

/** Parameters that take the action type from each item, as after a Split Out of remediationTargets. */
export const ACTION_FROM_ITEM = { actionType: '={{ $json.actionType }}' };

export const posts = (sim: Simulator, path = '/rest/remediate'): RecordedRequest[] =>
	sim.requests.filter((r) => r.method === 'POST' && r.path === path);

export const reads = (sim: Simulator, prefix: string): RecordedRequest[] =>
	sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith(prefix));

export const json = (items: INodeExecutionData[]): IDataObject[] => items.map((i) => i.json);

export const results = (items: INodeExecutionData[]): IDataObject[] =>
	items.map((i) => i.json.results as IDataObject);

export function expectPairedInOrder(items: INodeExecutionData[], count: number) {
	expect(items).toHaveLength(count);
	items.forEach((out, index) => expect(out.pairedItem).toEqual({ item: index }));
}

/** No password, session cookie or cookie header anywhere in what n8n would store or log. */
export function expectNoSecrets(engine: Engine, result: RunResult) {
	const cookie = String(engine.store.read(engine.credentialId).sessionCookie ?? '').replace(
		/^JSESSIONID=/,
		'',
	);
	const secrets = [DEMO_USER.password, ...(cookie ? [cookie] : [])];
	for (const secret of secrets) {
		expect(result.serialized).not.toContain(secret);
		for (const entry of logs) expect(JSON.stringify(entry)).not.toContain(secret);
	}
	expect(result.serialized).not.toMatch(/JSESSIONID/i);
}

export { DEMO_USER, logs, transportLimits };
export type { Simulator };
