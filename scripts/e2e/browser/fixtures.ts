/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// What the browser pass imports and what it expects: examples/*.json read at run time, the workflow it runs
// from the editor, a workflow that must show warnings (so the warning check is known to see them), and the
// item counts derived from the simulator's state with the product's own rule for a closed Malop.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { isClosedStatus } from '../../../nodes/shared/malops/record';
import type { RecordedRequest, Simulator } from '../../../simulator';
import { repoRoot } from '../package';
import { PACKAGE, REMEDIATE } from '../scenarios';

export const GET_MALOPS = `${PACKAGE}.cybereasonGetMalops`;
export const TRIGGER = `${PACKAGE}.cybereasonTrigger`;
/** The resource/operation node (nodes/Cybereason): n8n shows it and the trigger as one "Cybereason" row. */
export const CYBEREASON_NODE = `${PACKAGE}.cybereason`;

interface FixtureNode {
	name: string;
	type: string;
}

export interface ExampleFile {
	file: string;
	path: string;
	nodes: FixtureNode[];
}

/** Every examples/*.json as shipped (scenarios.ts models examples 1-3; the editor imports them all). */
export async function readExampleFiles(): Promise<ExampleFile[]> {
	const dir = join(repoRoot(), 'examples');
	const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
	const examples: ExampleFile[] = [];
	for (const file of files) {
		const path = join(dir, file);
		const { nodes } = JSON.parse(await readFile(path, 'utf8')) as { nodes: FixtureNode[] };
		examples.push({ file, path, nodes });
	}
	return examples;
}

type Json = Record<string, unknown>;
type Workflow = { name: string; nodes: Json[]; connections: Json; settings: Json };

function node(
	name: string,
	type: string,
	x: number,
	parameters: Json,
	cred?: Json,
	typeVersion = 1,
): Json {
	return {
		id: `b0e2e000-0000-4000-8000-00000000000${x / 240}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...(cred ? { credentials: { cybereasonApi: cred } } : {}),
	};
}

function chain(name: string, nodes: Json[]): Workflow {
	const connections: Json = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[String(nodes[i].name)] = {
			main: [[{ node: String(nodes[i + 1].name), type: 'main', index: 0 }]],
		};
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

export const RUN_NODES = { get: 'Cybereason Get Malops', remediate: 'Cybereason Remediate' };

/**
 * Manual Trigger → Get Malops (every open Malop) → Remediate with Dry Run on. The parameters are explicit and
 * the node versions pinned (Remediate at 2, what the nodes panel adds today, as the README's images show it):
 * other changes may move defaults to new versions, not this expectation.
 */
export function runWorkflow(cred: { id: string; name: string }): Workflow {
	return chain('e2e browser: Get Malops, then a Remediate dry run', [
		node('Run now', 'n8n-nodes-base.manualTrigger', 0, {}),
		node(RUN_NODES.get, GET_MALOPS, 240, { source: 'crimesUnified', returnAll: true }, cred),
		node(
			RUN_NODES.remediate,
			REMEDIATE,
			480,
			{ actionType: 'ISOLATE_MACHINE', options: { dryRun: true } },
			cred,
			2,
		),
	]);
}

/** A node type that is not installed and a credential that does not exist: both must show as warnings. */
export function warningWorkflow(): Workflow {
	return chain('e2e browser: must show warnings', [
		node('Run now', 'n8n-nodes-base.manualTrigger', 0, {}),
		node(RUN_NODES.get, GET_MALOPS, 240, {}, { id: 'e2eNoSuchCred01', name: 'Gone' }),
		node('Not installed', `${PACKAGE}.cybereasonNoSuchNode`, 480, {}),
	]);
}

export async function writeWorkflowFile(dir: string, file: string, wf: Workflow): Promise<string> {
	const path = join(dir, file);
	await writeFile(path, JSON.stringify(wf, null, 2));
	return path;
}

/**
 * Get Malops' items for runWorkflow: crimes/unified serves the MalopProcess and MalopLogonSession Malops, the
 * node leaves out the closed ones (the product's isClosedStatus), and gives one item per affected machine
 * (one item for a Malop without machines).
 */
export function openMalopMachineItems(sim: Simulator): { items: number; malops: number } {
	const open = [...sim.state.malops.values()].filter(
		(m) =>
			(m.kind === 'MalopProcess' || m.kind === 'MalopLogonSession') &&
			!isClosedStatus('crimesUnified', m.managementStatus),
	);
	return {
		items: open.reduce((n, m) => n + Math.max(1, m.machines.length), 0),
		malops: open.length,
	};
}

/** Requests that would change an endpoint: any /rest/remediate* call or an isolation request. */
export function actionRequests(requests: RecordedRequest[]): string[] {
	return requests
		.filter((r) => r.path.startsWith('/rest/remediate') || /isolat/i.test(r.path))
		.map((r) => `${r.method} ${r.path} ${r.status}`);
}
