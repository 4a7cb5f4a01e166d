// Get Malops in n8n's engine against a simulated console, as its engine tests use it.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CybereasonGetMalops } from '../../../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { Engine, logs, registerNodeType } from '../../../scripts/lib/engine';
import {
	DEMO_USER,
	generateDataset,
	startSimulator,
	type DatasetOptions,
	type Simulator,
	type SimulatorOptions,
} from '../../../simulator';

registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());

export const NODE = 'Get Malops';

/** `simulator()` starts a console for the current test; it is closed (and the log cleared) after each test. */
export function consoles() {
	let sim: Simulator | undefined;
	afterEach(async () => {
		await sim?.close();
		sim = undefined;
		logs.length = 0;
	});
	return async function simulator(
		dataset: DatasetOptions = {},
		options: SimulatorOptions = {},
	): Promise<Simulator> {
		sim = await startSimulator({
			dataset: generateDataset({
				malops: 12,
				machinesPerMalop: 2,
				seed: 7,
				baseTime: Date.now(),
				...dataset,
			}),
			...options,
		});
		return sim;
	};
}

export function engineFor(simulator: Simulator): Engine {
	const engine = new Engine();
	engine.setCredential({
		baseUrl: simulator.url,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
	});
	return engine;
}

export async function run(
	simulator: Simulator,
	parameters: IDataObject,
	extra: { input?: IDataObject[]; continueOnFail?: boolean; engine?: Engine } = {},
) {
	const engine = extra.engine ?? engineFor(simulator);
	const result = await engine.run({
		nodes: [
			{
				name: NODE,
				type: 'n8n-nodes-cybereason.cybereasonGetMalops',
				parameters: parameters as INodeParameters,
				...(extra.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		input: extra.input,
	});
	return {
		...result,
		items: result.output(NODE).map((item) => item.json),
		raw: result.output(NODE),
	};
}

export const bodiesOf = (simulator: Simulator, path: string) =>
	simulator.requests.filter((r) => r.path === path).map((r) => r.body as IDataObject);
export const ids = (items: IDataObject[]) => [...new Set(items.map((i) => i.malopId as string))];
export const warnLogs = () => logs.filter((l) => l.level === 'warn').map((l) => l.message);
