/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the shipped example workflow from disk */
// Get Malops -> split remediationTargets -> Remediate, in one workflow, as a user would build it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { CybereasonGetMalops } from '../../../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { registerFunction, registerNodeType } from '../../../scripts/lib/engine';
import { generateDataset } from '../../../simulator';
import {
	engineFor,
	expectNoSecrets,
	expectPairedInOrder,
	logs,
	posts,
	REMEDIATE_TYPE,
	results,
	simulator,
	type Simulator,
} from './fixtures';

registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());

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
	const result = await engine.run({
		nodes: [
			{ name: 'Start', type: 'test.start', parameters: { items: '[{}]' } },
			{
				name: 'Get Malops',
				type: 'n8n-nodes-cybereason.cybereasonGetMalops',
				parameters: {
					returnAll: true,
					filters: { includeClosed: true },
					options: { includeRemediationTargets: true },
				},
			},
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
		connections: [
			['Start', 'Get Malops'],
			['Get Malops', 'Split'],
			['Split', 'Remediate'],
		],
	});
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
	// Only the Malops made here (the demo dataset has offline sensors that would wait for the example's timeout).
	sim = await simulator({
		dataset: generateDataset({ malops: 0, eppMalops: 0, baseTime: Date.now() }),
	});
	const withMachines = [
		sim.state.addMalop({
			machines: [
				{ name: 'desktop-e1', connected: true },
				{ name: 'desktop-e2', connected: true },
			],
		}),
		sim.state.addMalop({ machines: [{ name: 'desktop-e3', connected: true }] }),
	];
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
			timestamp: expect.any(Number),
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
