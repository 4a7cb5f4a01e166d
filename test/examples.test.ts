/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the example workflows from disk */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IExecuteFunctions, INode, INodeProperties, INodeType } from 'n8n-workflow';

import { Cybereason } from '../nodes/Cybereason/Cybereason.node';
import { CybereasonGetMalops } from '../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { CybereasonRemediate } from '../nodes/CybereasonRemediate/CybereasonRemediate.node';
import { CybereasonTrigger } from '../nodes/CybereasonTrigger/CybereasonTrigger.node';
import {
	Engine,
	registerFunction,
	registerNodeType,
	testNodeDescription,
} from '../scripts/lib/engine';
import { DEMO_USER, generateDataset, startSimulator, type Simulator } from '../simulator';

const EXAMPLES = join(__dirname, '..', 'examples');
const ours: Record<string, INodeType> = {
	'n8n-nodes-cybereason.cybereason': new Cybereason(),
	'n8n-nodes-cybereason.cybereasonGetMalops': new CybereasonGetMalops(),
	'n8n-nodes-cybereason.cybereasonRemediate': new CybereasonRemediate(),
	'n8n-nodes-cybereason.cybereasonTrigger': new CybereasonTrigger(),
};
for (const [type, node] of Object.entries(ours)) registerNodeType(type, node);

interface Workflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const examples = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({
		file,
		workflow: JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow,
	}));

/** Parameter names (and collection option names) the workflow uses that the node does not define. */
function unknownParameters(
	values: Record<string, unknown>,
	properties: INodeProperties[],
	path = '',
): string[] {
	const unknown: string[] = [];
	for (const [name, value] of Object.entries(values)) {
		// n8n adds pollTimes to every polling node.
		if (name === 'pollTimes') continue;
		// A resource/operation node has one property of a name per operation (e.g. each one's Options).
		const same = properties.filter((p) => p.name === name);
		if (same.length === 0) {
			unknown.push(`${path}${name}`);
			continue;
		}
		const collections = same.filter((p) => p.type === 'collection');
		if (collections.length > 0 && value && typeof value === 'object') {
			unknown.push(
				...unknownParameters(
					value as Record<string, unknown>,
					collections.flatMap((p) => p.options as INodeProperties[]),
					`${path}${name}.`,
				),
			);
		}
	}
	return unknown;
}

/** The engine with the examples' one credential, logged in to `sim`. */
function exampleEngine(sim: Simulator): Engine {
	const engine = new Engine({ credentialId: 'CybereasonCred01' });
	engine.setCredential({
		baseUrl: sim.url,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
	});
	return engine;
}

describe('example workflows', () => {
	it('are there, with the package type names and one shared credential', () => {
		expect(examples.map((e) => e.file)).toEqual([
			'1-scheduled-isolation.json',
			'2-trigger-isolate-notify.json',
			'3-dry-run-review.json',
			'4-isolate-wait-for-analyst.json',
			'5-hunt-block-isolate.json',
		]);
		for (const { workflow } of examples) {
			const cybereason = workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-cybereason.'));
			expect(cybereason.length).toBeGreaterThan(0);
			for (const node of cybereason) {
				expect(Object.keys(ours)).toContain(node.type);
				expect(node.credentials?.cybereasonApi?.id).toBe('CybereasonCred01');
				// Imported as the version a node added today gets (not an outdated one).
				const { version, defaultVersion } = ours[node.type].description;
				expect(node.typeVersion).toBe(defaultVersion ?? Math.max(...[version].flat()));
			}
			for (const [from, { main }] of Object.entries(workflow.connections)) {
				expect(workflow.nodes.map((n) => n.name)).toContain(from);
				for (const target of main.flat())
					expect(workflow.nodes.map((n) => n.name)).toContain(target.node);
			}
		}
	});

	it('use only parameters our nodes define', () => {
		for (const { file, workflow } of examples) {
			for (const node of workflow.nodes.filter((n) => ours[n.type])) {
				const unknown = unknownParameters(node.parameters, ours[node.type].description.properties);
				expect({ file, node: node.name, unknown }).toEqual({ file, node: node.name, unknown: [] });
			}
		}
	});

	it('the dry-run review runs in the engine and sends nothing', async () => {
		const sim = await startSimulator({
			dataset: generateDataset({ malops: 5, machinesPerMalop: 2, baseTime: Date.now() }),
		});
		try {
			const { workflow } = examples.find((e) => e.file === '3-dry-run-review.json')!;
			const engine = exampleEngine(sim);
			const nodes = workflow.nodes.map((n) =>
				n.type === 'n8n-nodes-base.manualTrigger'
					? { ...n, type: 'test.start', parameters: { items: '[{}]' } }
					: n,
			);
			const result = await engine.run({
				nodes,
				connections: [
					['Run now', 'Cybereason Get Malops'],
					['Cybereason Get Malops', 'Cybereason Remediate (dry run)'],
				],
			});
			expect(result.error).toBeUndefined();
			const out = result.output('Cybereason Remediate (dry run)').map((i) => i.json);
			expect(out.length).toBe(result.output('Cybereason Get Malops').length);
			expect(new Set(out.map((i) => (i.results as { status: string }).status))).toEqual(
				new Set(
					out.some((i) => i.machineName === 'dc01')
						? ['DRY_RUN', 'SKIPPED_PROTECTED']
						: ['DRY_RUN'],
				),
			);
			expect(sim.requests.filter((r) => r.path.startsWith('/rest/remediate'))).toHaveLength(0);
		} finally {
			await sim.close();
		}
	});

	describe('hunt the root-cause file, then block and isolate everywhere or isolate the one', () => {
		const { workflow } = examples.find((e) => e.file === '5-hunt-block-isolate.json')!;
		const node = (name: string) => workflow.nodes.find((n) => n.name === name)!;
		const next = (name: string, output = 0) =>
			workflow.connections[name].main[output].map((c) => c.node);
		const IF = 'On more than 3 machines?';
		const condition = (
			node(IF).parameters as {
				conditions: { conditions: Array<{ leftValue: string; rightValue: number }> };
			}
		).conditions.conditions[0];

		it('goes trigger -> Malop details -> file search -> IF -> block + isolate all, or isolate the one', () => {
			expect(next('Cybereason Trigger')).toEqual(['Root-cause process']);
			expect(next('Root-cause process')).toEqual(['Where else is the file?']);
			expect(next('Where else is the file?')).toEqual([IF]);
			expect([next(IF, 0), next(IF, 1)]).toEqual([
				['Block the file org-wide', 'Isolate every machine with it'],
				["Isolate the Malop's machine"],
			]);
			expect(node(IF).type).toBe('n8n-nodes-base.if');
			expect(condition.rightValue).toBe(3);
		});

		// n8n's IF is not part of this package: a stand-in evaluates the example's own condition expression per item
		// (n8n resolves it) and keeps the items of one branch.
		class Threshold implements INodeType {
			description = testNodeDescription({
				name: 'threshold',
				displayName: 'Threshold',
				description: 'Test IF',
				properties: [
					{ displayName: 'Count', name: 'count', type: 'number', default: 0 },
					{ displayName: 'Above', name: 'above', type: 'boolean', default: true },
				],
			});

			async execute(this: IExecuteFunctions) {
				const keep = this.getInputData().flatMap((json, index) => {
					const above = Number(this.getNodeParameter('count', index)) > condition.rightValue;
					return above === this.getNodeParameter('above', 0)
						? [{ ...json, pairedItem: { item: index } }]
						: [];
				});
				return [keep];
			}
		}
		registerNodeType('test.threshold', new Threshold());

		for (const [machines, branch] of [
			[5, 'Block the file org-wide'],
			[2, "Isolate the Malop's machine"],
		] as const) {
			it(`runs its Cybereason nodes as imported: a Malop file on ${machines} machines`, async () => {
				const sim = await startSimulator({
					dataset: generateDataset({
						malops: 1,
						machinesPerMalop: machines,
						logonSessionShare: 0,
						baseTime: Date.now(),
					}),
				});
				try {
					const [malop] = sim.state.malops.values();
					for (const m of malop.machines) sim.state.setMachineConnected(m.guid, true);
					// The dataset's first machine is dc01, which the example protects.
					const machine = malop.machines.find((m) => m.name !== 'dc01')!;
					const engine = exampleEngine(sim);
					const trigger = {
						malopId: malop.guid,
						machineGuid: machine.guid,
						machineName: machine.name,
					};
					const widespread = machines > 3;
					const after = widespread
						? ['Block the file org-wide', 'Isolate every machine with it']
						: [branch];
					const result = await engine.run({
						nodes: [
							{
								name: 'Cybereason Trigger',
								type: 'test.start',
								parameters: { items: JSON.stringify([trigger]) },
							},
							node('Root-cause process'),
							node('Where else is the file?'),
							{
								name: IF,
								type: 'test.threshold',
								parameters: { count: condition.leftValue, above: widespread },
							},
							...after.map(node),
						],
						connections: [
							['Cybereason Trigger', 'Root-cause process'],
							['Root-cause process', 'Where else is the file?'],
							['Where else is the file?', IF],
							...after.map((to): [string, string] => [IF, to]),
						],
					});
					expect(result.error).toBeUndefined();
					const found = result.output('Where else is the file?').map((i) => i.json);
					expect(new Set(found.map((i) => i.machineGuid))).toEqual(
						new Set(malop.machines.map((m) => m.guid)),
					);
					const hash = String(found[0].hash);
					const requests = (path: string) =>
						sim.requests.filter((r) => r.path === path).map((r) => r.body);
					const isolations = requests('/rest/monitor/global/commands/isolate');
					if (widespread) {
						expect(requests('/rest/classification/update')).toEqual([
							[
								{
									keys: [hash],
									maliciousType: 'blacklist',
									remove: false,
									prevent: true,
									comment: `Blocked by n8n: on more than 3 machines, Malop ${malop.guid}`,
								},
							],
						]);
						expect(sim.state.hunting.reputations.lookup(hash)?.prevent).toBe(true);
						const others = malop.machines.filter((m) => m.name !== 'dc01');
						expect(isolations).toEqual([
							{ pylumIds: others.map((m) => m.pylumId), malopId: malop.guid },
						]);
						const statuses = result
							.output('Isolate every machine with it')
							.map((i) => (i.json.results as { status: string }).status);
						expect(statuses.sort()).toEqual(
							[...others.map(() => 'SUCCESS'), 'SKIPPED_PROTECTED'].sort(),
						);
					} else {
						expect(requests('/rest/classification/update')).toEqual([]);
						expect(isolations).toEqual([{ pylumIds: [machine.pylumId], malopId: malop.guid }]);
						expect(result.output(branch).map((i) => i.json.machineGuid)).toEqual(
							found.map(() => machine.guid),
						);
					}
				} finally {
					await sim.close();
				}
			});
		}
	});

	describe('isolate, wait for an analyst, then release or close', () => {
		const { workflow } = examples.find((e) => e.file === '4-isolate-wait-for-analyst.json')!;
		const node = (name: string) => workflow.nodes.find((n) => n.name === name)!;
		const next = (name: string, output = 0) =>
			workflow.connections[name].main[output].map((c) => c.node);

		it('goes trigger -> isolate -> notify -> wait (form) -> release or close, with n8n’s own nodes between ours', () => {
			expect(next('Cybereason Trigger')).toEqual(['Isolate machine']);
			expect(next('Isolate machine')).toEqual(['Notify SOC (replace with Slack or e-mail)']);
			expect(next('Notify SOC (replace with Slack or e-mail)')).toEqual(['Wait for the analyst']);
			expect(node('Wait for the analyst')).toEqual(
				expect.objectContaining({ type: 'n8n-nodes-base.wait', webhookId: expect.any(String) }),
			);
			expect(node('Wait for the analyst').parameters.resume).toBe('form');
			expect(next('Wait for the analyst')).toEqual(['Release?']);
			expect([next('Release?', 0), next('Release?', 1)]).toEqual([
				['Un-isolate machine'],
				['Close?'],
			]);
			expect([next('Close?', 0), next('Close?', 1)]).toEqual([['Close the Malop'], []]);
			// No answer in time (no Decision): neither branch acts.
			for (const name of ['Release?', 'Close?'])
				expect(JSON.stringify(node(name).parameters)).toContain('{{ $json.Decision }}');
		});

		// The n8n-nodes-base nodes in between are not part of this package: a function stands in for notify, the form
		// and the IF, passing each item on with the analyst's decision, paired, as the Wait node does.
		for (const [decision, branch] of [
			['Release the machine', 'Un-isolate machine'],
			['Keep isolated and close the Malop', 'Close the Malop'],
		] as const) {
			registerFunction(`analyst:${branch}`, (items) =>
				items.map((item, index) => ({ json: { Decision: decision }, pairedItem: { item: index } })),
			);

			it(`runs its Cybereason nodes as imported: isolate, then "${decision}"`, async () => {
				const sim = await startSimulator({
					dataset: generateDataset({ malops: 1, machinesPerMalop: 2, baseTime: Date.now() }),
				});
				try {
					const [malop] = sim.state.malops.values();
					// The dataset's first machine is dc01, which the example protects.
					const machine = malop.machines.find((m) => m.name !== 'dc01')!;
					sim.state.setMachineConnected(machine.guid, true);
					const engine = exampleEngine(sim);
					const trigger = {
						malopId: malop.guid,
						machineGuid: machine.guid,
						machineName: machine.name,
					};
					const result = await engine.run({
						nodes: [
							{
								name: 'Trigger',
								type: 'test.start',
								parameters: { items: JSON.stringify([trigger]) },
							},
							node('Isolate machine'),
							{ name: 'Analyst', type: 'test.function', parameters: { fn: `analyst:${branch}` } },
							node(branch),
						],
						connections: [
							['Trigger', 'Isolate machine'],
							['Isolate machine', 'Analyst'],
							['Analyst', branch],
						],
					});
					expect(result.error).toBeUndefined();
					const isolated = result.output('Isolate machine').map((i) => i.json);
					expect(isolated).toEqual([
						expect.objectContaining({
							machineGuid: machine.guid,
							malopId: malop.guid,
							results: expect.objectContaining({ status: 'SUCCESS' }),
						}),
					]);
					const commands = (path: string) => sim.requests.filter((r) => r.path === path);
					expect(commands('/rest/monitor/global/commands/isolate')).toHaveLength(1);
					if (branch === 'Un-isolate machine') {
						expect(commands('/rest/monitor/global/commands/un-isolate').map((r) => r.body)).toEqual(
							[{ pylumIds: [machine.pylumId], malopId: malop.guid }],
						);
						expect(machine.isolated).toBe(false);
					} else {
						expect(result.output(branch)[0].json).toEqual(
							expect.objectContaining({ malopId: malop.guid, investigationStatus: 'Closed' }),
						);
						expect(sim.state.malops.get(malop.guid)?.status).toBe('Closed');
						expect(machine.isolated).toBe(true);
					}
				} finally {
					await sim.close();
				}
			});
		}
	});
});
