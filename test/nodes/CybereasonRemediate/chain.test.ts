/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the shipped example workflow from disk */
// Get Malops -> split remediationTargets -> Remediate, in one workflow, as a user would build it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Cybereason } from '../../../nodes/Cybereason/Cybereason.node';
import { CybereasonGetMalops } from '../../../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import {
	registerFunction,
	registerNodeType,
	type Engine,
	type RunResult,
	type WorkflowSpec,
} from '../../../scripts/lib/engine';
import { generateDataset, type SimMalop } from '../../../simulator';
import {
	DEMO_USER,
	engineFor,
	expectNoSecrets,
	expectPairedInOrder,
	logs,
	posts,
	REMEDIATE_TYPE,
	RESULT_TIME,
	results,
	simulator,
	type Simulator,
} from './fixtures';

registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());
registerNodeType('cybereason', new Cybereason());

// Stands in for a Split Out of remediationTargets (keeping the Malop and machine fields) plus a Filter.
const WANTED = new Set(['KILL_PROCESS', 'QUARANTINE_FILE']);
registerFunction('splitTargets', (input: INodeExecutionData[]) =>
	input.flatMap((entry, index) =>
		((entry.json.remediationTargets as IDataObject[] | undefined) ?? [])
			.filter((target) => WANTED.has(String(target.actionType)))
			.map((target) => ({
				json: {
					malopId: entry.json.malopId,
					machineGuid: entry.json.machineGuid,
					machineName: entry.json.machineName,
					actionType: target.actionType,
					targetId: target.targetId,
					targetName: target.targetName,
				},
				pairedItem: { item: index },
			})),
	),
);

let sim: Simulator | undefined;

/** Start -> Get Malops (with these parameters) -> the nodes given, connected one after the other. */
async function afterGetMalops(
	engine: Engine,
	parameters: INodeParameters,
	then: WorkflowSpec['nodes'],
): Promise<RunResult> {
	const nodes: WorkflowSpec['nodes'] = [
		{ name: 'Start', type: 'test.start', parameters: { items: '[{}]' } },
		{ name: 'Get Malops', type: 'n8n-nodes-cybereason.cybereasonGetMalops', parameters },
		...then,
	];
	const connections = nodes.slice(1).map((n, i): [string, string] => [nodes[i].name, n.name]);
	return await engine.run({ nodes, connections });
}

/**
 * A simulator holding only these Malops, one per list of machine names, every sensor online (the generated
 * datasets have offline sensors that would wait for the timeout).
 */
async function onlyMalopsOf(
	...machineNames: string[][]
): Promise<{ sim: Simulator; malops: SimMalop[] }> {
	const made = await simulator({
		dataset: generateDataset({ malops: 0, eppMalops: 0, baseTime: Date.now() }),
	});
	sim = made;
	const malops = machineNames.map((names) =>
		made.state.addMalop({ machines: names.map((name) => ({ name, connected: true })) }),
	);
	return { sim: made, malops };
}

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	logs.length = 0;
});

it('remediates what Get Malops found: one POST per Malop with its machines and targets, every result SUCCESS', async () => {
	sim = await simulator({
		dataset: generateDataset({
			malops: 3,
			machinesPerMalop: 2,
			logonSessionShare: 0,
			seed: 7,
			baseTime: Date.now(),
		}),
	});
	// The generated dataset has offline sensors; here every sensor is up, so every action can finish.
	for (const machine of sim.state.machines.values())
		sim.state.setMachineConnected(machine.guid, true);
	const engine = engineFor(sim);
	const result = await afterGetMalops(
		engine,
		{
			returnAll: true,
			filters: { includeClosed: true },
			options: { includeRemediationTargets: true },
		},
		[
			{ name: 'Split', type: 'test.function', parameters: { fn: 'splitTargets' } },
			{
				name: 'Remediate',
				type: REMEDIATE_TYPE,
				parameters: {
					actionType: '={{ $json.actionType }}',
					options: { waitForCompletion: true, pollInterval: 0.05, timeout: 10 },
				},
			},
		],
	);
	expect(result.error).toBeUndefined();
	const split = result.output('Split').map((i) => i.json);
	expect(split.length).toBeGreaterThan(2);

	const malops = [...new Set(split.map((s) => s.malopId))];
	expect(malops.length).toBeGreaterThan(1);
	const sent = posts(sim);
	expect(sent).toHaveLength(malops.length);
	for (const request of sent) {
		const body = request.body as IDataObject;
		const expected: Record<string, IDataObject[]> = {};
		for (const s of split.filter((x) => x.malopId === body.malopId)) {
			const list = (expected[s.machineGuid as string] ??= []);
			if (!list.some((a) => a.targetId === s.targetId && a.actionType === s.actionType)) {
				list.push({ targetId: s.targetId, actionType: s.actionType });
			}
		}
		expect(body.actionsByMachine).toEqual(expected);
	}

	const out = result.output('Remediate');
	expectPairedInOrder(out, split.length);
	out.forEach((o, i) => {
		expect(o.json).toMatchObject({
			malopId: split[i].malopId,
			machineGuid: split[i].machineGuid,
			machineName: split[i].machineName,
			actionType: split[i].actionType,
			targetId: split[i].targetId,
		});
	});
	expect(results(out).every((r) => r.status === 'SUCCESS')).toBe(true);
	expectNoSecrets(engine, result);
});

it('example 1 is not blocked by a Malop without machines: its item is SKIPPED_NO_MACHINE, the others are isolated', async () => {
	const { sim, malops: withMachines } = await onlyMalopsOf(
		['desktop-e1', 'desktop-e2'],
		['desktop-e3'],
	);
	const empty = sim.state.addMalop({ machines: 0 });
	const example = JSON.parse(
		readFileSync(
			join(__dirname, '..', '..', '..', 'examples', '1-scheduled-isolation.json'),
			'utf8',
		),
	) as { nodes: INode[] };
	// The example's own node (name, parameters), with the test engine's credential.
	const pick = (type: string): INode => {
		const node = { ...example.nodes.find((n) => n.type === type)! };
		delete node.credentials;
		return node;
	};
	const getMalops = pick('n8n-nodes-cybereason.cybereasonGetMalops');
	const shipped = pick(REMEDIATE_TYPE);
	// As shipped, but polling faster than every 5 s.
	const options = { ...(shipped.parameters.options as IDataObject), pollInterval: 0.05 };
	const remediate = { ...shipped, parameters: { ...shipped.parameters, options } };
	const engine = engineFor(sim);
	const result = await engine.run({
		nodes: [
			{ name: 'Start', type: 'test.start', parameters: { items: '[{}]' } },
			getMalops,
			remediate,
		],
		connections: [
			['Start', getMalops.name],
			[getMalops.name, remediate.name],
		],
	});
	expect(result.error).toBeUndefined();
	const found = result.output(getMalops.name).map((i) => i.json);
	expect(found.find((i) => i.malopId === empty.guid)).toMatchObject({ machineGuid: null });
	const out = result.output(remediate.name);
	expectPairedInOrder(out, found.length);
	const skipped = out.map((o) => o.json).find((o) => o.malopId === empty.guid)!;
	expect(skipped).toEqual({
		malopId: empty.guid,
		machineGuid: null,
		machineName: null,
		actionType: 'ISOLATE_MACHINE',
		targetId: null,
		remediationId: null,
		initiatingUser: null,
		results: {
			status: 'SKIPPED_NO_MACHINE',
			message: `The item has no machine (machineGuid is null: Cybereason lists no affected machine for Malop ${empty.guid} yet); nothing was sent`,
			errorType: null,
			...RESULT_TIME,
		},
	});
	const others = out.map((o) => o.json).filter((o) => o.malopId !== empty.guid);
	expect(others).toHaveLength(3);
	expect(results(out.filter((o) => o.json.malopId !== empty.guid)).map((r) => r.status)).toEqual(
		Array(3).fill('SUCCESS'),
	);
	// The console got one remediation per Malop with machines, none for the empty one.
	expect(
		posts(sim)
			.map((r) => (r.body as IDataObject).malopId)
			.sort(),
	).toEqual(withMachines.map((m) => m.guid).sort());
	expect([...sim.state.remediations.values()].map((r) => r.malopId).sort()).toEqual(
		withMachines.map((m) => m.guid).sort(),
	);
	expectNoSecrets(engine, result);
});

it('Get Malops -> Remediate (Comment On Malop) -> Cybereason: close the investigation; the console holds it all', async () => {
	const { sim, malops } = await onlyMalopsOf(['desktop-k1', 'desktop-k2'], ['desktop-k3']);
	const engine = engineFor(sim);
	const result = await afterGetMalops(engine, { returnAll: true }, [
		// v2's default action: Isolate Machine, on Get Malops' items as they come.
		{
			name: 'Remediate',
			type: REMEDIATE_TYPE,
			parameters: {
				options: {
					commentOnMalop: true,
					waitForCompletion: true,
					pollInterval: 0.05,
					timeout: 10,
				},
			},
		},
		{
			name: 'Close',
			type: 'n8n-nodes-cybereason.cybereason',
			parameters: {
				resource: 'malop',
				operation: 'updateStatus',
				statusType: 'investigation',
				investigationStatus: 'Closed',
			},
		},
	]);
	expect(result.error).toBeUndefined();
	const remediated = result.output('Remediate').map((o) => o.json);
	expect(remediated.map((o) => o.machineName).sort()).toEqual([
		'desktop-k1',
		'desktop-k2',
		'desktop-k3',
	]);
	expect(results(result.output('Remediate')).map((r) => r.status)).toEqual([
		'SUCCESS',
		'SUCCESS',
		'SUCCESS',
	]);
	expect(result.output('Close')).toHaveLength(3);

	for (const malop of malops) {
		const state = sim.state.malops.get(malop.guid)!;
		// The remediation: one per Malop, isolating each of its machines, finished.
		const remediations = [...sim.state.remediations.values()].filter(
			(r) => r.malopId === malop.guid,
		);
		expect(remediations).toHaveLength(1);
		const [remediation] = remediations;
		expect(remediation.initiatingUser).toBe(DEMO_USER.username);
		expect(remediation.actions.map((a) => [a.machineId, a.actionType, a.status])).toEqual(
			malop.machines.map((m) => [m.guid, 'ISOLATE_MACHINE', 'SUCCESS']),
		);
		// The comment: one, by our user, saying exactly that.
		const comments = state.comments.filter((c) => c.username === DEMO_USER.username);
		expect(comments).toHaveLength(1);
		const [first, ...lines] = comments[0].message.split('\n');
		const n = malop.machines.length;
		expect(first).toMatch(
			new RegExp(
				`^n8n workflow "test workflow" \\(execution exec-\\d+\\) sent ${n} remediation actions? on ${n} machines?:$`,
			),
		);
		expect(lines).toEqual([
			...malop.machines.map(
				(m) => `- ISOLATE_MACHINE on ${m.name}: SUCCESS (remediation ${remediation.remediationId})`,
			),
			'Statuses are final, as the sensors reported them.',
		]);
		// The investigation status, closed by the last node.
		expect(state.investigationStatus).toBe('Closed');
	}
	expectNoSecrets(engine, result);
});
