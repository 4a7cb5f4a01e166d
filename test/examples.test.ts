/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the example workflows from disk */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INode, INodeProperties, INodeType } from 'n8n-workflow';

import { CybereasonGetMalops } from '../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { CybereasonRemediate } from '../nodes/CybereasonRemediate/CybereasonRemediate.node';
import { CybereasonTrigger } from '../nodes/CybereasonTrigger/CybereasonTrigger.node';
import { Engine, registerNodeType } from '../scripts/lib/engine';
import { DEMO_USER, generateDataset, startSimulator } from '../simulator';

const EXAMPLES = join(__dirname, '..', 'examples');
const ours: Record<string, INodeType> = {
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
		const property = properties.find((p) => p.name === name);
		if (!property) {
			unknown.push(`${path}${name}`);
			continue;
		}
		if (property.type === 'collection' && value && typeof value === 'object') {
			unknown.push(
				...unknownParameters(
					value as Record<string, unknown>,
					property.options as INodeProperties[],
					`${path}${name}.`,
				),
			);
		}
	}
	return unknown;
}

describe('example workflows', () => {
	it('are there, with the package type names and one shared credential', () => {
		expect(examples.map((e) => e.file)).toEqual([
			'1-scheduled-isolation.json',
			'2-trigger-isolate-notify.json',
			'3-dry-run-review.json',
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
			const engine = new Engine({ credentialId: 'CybereasonCred01' });
			engine.setCredential({
				baseUrl: sim.url,
				username: DEMO_USER.username,
				password: DEMO_USER.password,
			});
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
});
