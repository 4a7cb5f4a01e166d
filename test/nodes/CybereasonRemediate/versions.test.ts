// Node versions: n8n stores only the parameters that differ from their defaults, so a v1 workflow saved before v2
// existed must run exactly as it did; v2 is what a node added today gets.
import type { IDataObject, INode, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CybereasonRemediate } from '../../../nodes/CybereasonRemediate/CybereasonRemediate.node';
import {
	addMalop,
	engineFor,
	isolateOne,
	json,
	posts,
	RESULT_TIME,
	results,
	runRemediate,
	simulatorPerTest,
} from './fixtures';

const start = simulatorPerTest();
const { description } = new CybereasonRemediate();

function node(typeVersion: number, parameters: INodeParameters = {}): INode {
	return {
		id: 'r',
		name: 'Remediate',
		type: 'n8n-nodes-cybereason.cybereasonRemediate',
		typeVersion,
		position: [0, 0],
		parameters,
	};
}

/** What the editor saves for a node of this version set up with `parameters`: only what differs from a default. */
function stored(typeVersion: number, parameters: INodeParameters): INodeParameters {
	const full = NodeHelpers.getNodeParameters(
		description.properties,
		parameters,
		true,
		false,
		node(typeVersion),
		description,
	)!;
	return NodeHelpers.getNodeParameters(
		description.properties,
		full,
		false,
		false,
		node(typeVersion),
		description,
	)!;
}

/** The options the editor's Add Option list offers for this version (a parameter may exist once per version). */
function optionsOffered(typeVersion: number): INodeProperties[] {
	const options = description.properties.find((p) => p.name === 'options')!;
	return (options.options as INodeProperties[]).filter((o) =>
		NodeHelpers.displayParameter({}, o, node(typeVersion), description),
	);
}

describe('versions', () => {
	it('adds new nodes as v2 and keeps v1 loadable', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	it('a v1 workflow with the old default action (stored without actionType) still kills the process, with epoch-ms times', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-v1' }]);
		// The v1 user picked nothing: Kill Process was the default, so n8n stored no actionType.
		const parameters = stored(1, { actionType: 'KILL_PROCESS' });
		expect(parameters).toEqual({ options: {} });
		const [machine] = a.machines;
		const input = [
			{ malopId: a.malop.guid, machineGuid: machine.guid, targetId: a.targets[0].process.guid },
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters,
			node: { typeVersion: 1 },
		});
		expect(result.error).toBeUndefined();
		expect(posts(sim).map((r) => (r.body as IDataObject).actionsByMachine)).toEqual([
			{
				[a.machines[0].guid]: [{ targetId: a.targets[0].process.guid, actionType: 'KILL_PROCESS' }],
			},
		]);
		const [out] = json(result.output('Remediate'));
		expect(out.actionType).toBe('KILL_PROCESS');
		// v1 readers compute with the number (e.g. {{ $json.results.timestamp + 60000 }}): it stays a number.
		const [res] = results(result.output('Remediate'));
		expect(typeof res.timestamp).toBe('number');
		expect(res).not.toHaveProperty('timestampMs');
	});

	it('the same stored parameters in v2 isolate the machine: the action that works on Get Malops items', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-v2' }]);
		const parameters = stored(2, { actionType: 'ISOLATE_MACHINE' });
		expect(parameters).toEqual({ options: {} });
		const input = [{ malopId: a.malop.guid, machineGuid: a.machines[0].guid }];
		const result = await runRemediate(engineFor(sim), input, { parameters });
		expect(result.error).toBeUndefined();
		expect(posts(sim).map((r) => (r.body as IDataObject).actionsByMachine)).toEqual([
			{ [a.machines[0].guid]: [{ actionType: 'ISOLATE_MACHINE' }] },
		]);
		const [res] = results(result.output('Remediate'));
		expect(res).toEqual({
			status: 'PENDING',
			message: expect.any(String),
			errorType: null,
			...RESULT_TIME,
		});
		expect(Date.parse(res.timestamp as string)).toBe(res.timestampMs);
	});

	it("an action that is not the version's default is stored, so it is kept", () => {
		expect(stored(2, { actionType: 'KILL_PROCESS' })).toEqual({
			actionType: 'KILL_PROCESS',
			options: {},
		});
		expect(stored(1, { actionType: 'ISOLATE_MACHINE' })).toEqual({
			actionType: 'ISOLATE_MACHINE',
			options: {},
		});
	});

	it('Dry Run starts on once added in v2 (off in v1), and a stored Dry Run keeps its value in both', () => {
		const dryRun = (v: number) => optionsOffered(v).filter((o) => o.name === 'dryRun');
		expect(dryRun(2).map((o) => o.default)).toEqual([true]);
		expect(dryRun(1).map((o) => o.default)).toEqual([false]);
		// Every other option is offered once per version.
		const names = (v: number) => optionsOffered(v).map((o) => o.name);
		expect(new Set(names(1)).size).toBe(names(1).length);
		expect(names(2)).toEqual(names(1));
		// A collection option is stored with its value once added, whatever its default.
		for (const v of [1, 2]) {
			for (const value of [true, false]) {
				expect(stored(v, { options: { dryRun: value } })).toEqual({ options: { dryRun: value } });
			}
		}
	});

	it('a v1 dry run still sends nothing', async () => {
		const sim = await start();
		const { result } = await isolateOne(sim, 'desktop-v3', {
			options: { dryRun: true },
			node: { typeVersion: 1 },
		});
		expect(results(result.output('Remediate')).map((r) => [r.status, typeof r.timestamp])).toEqual([
			['DRY_RUN', 'number'],
		]);
		expect(posts(sim)).toHaveLength(0);
	});
});
