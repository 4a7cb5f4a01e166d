/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// The example workflows as users import them: read from examples/ at run time (no copies that could drift),
// with the few facts the e2e assertions derive from them (filters, protected machines, wait or not).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { WorkflowJson } from './n8n';
import { repoRoot } from './package';

export const PACKAGE_PREFIX = 'n8n-nodes-cybereason.';
export const GET_MALOPS_TYPE = `${PACKAGE_PREFIX}cybereasonGetMalops`;
export const REMEDIATE_TYPE = `${PACKAGE_PREFIX}cybereasonRemediate`;
export const TRIGGER_TYPE = `${PACKAGE_PREFIX}cybereasonTrigger`;

export interface ExampleNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface ExampleWorkflow extends WorkflowJson {
	id: string;
	nodes: ExampleNode[];
}

export interface Example {
	/** File name in examples/, e.g. 1-scheduled-isolation.json */
	file: string;
	workflow: ExampleWorkflow;
}

export interface Examples {
	scheduledIsolation: Example;
	triggerIsolateNotify: Example;
	dryRunReview: Example;
	/** The credential every example refers to: { id, name } of the `cybereasonApi` entry. */
	credential: { id: string; name: string };
}

/** Reads examples/1-*, 2-* and 3-*.json. Fails if one is missing or has no id (n8n would assign a random one). */
export async function loadExamples(dir = join(repoRoot(), 'examples')): Promise<Examples> {
	const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
	const byPrefix = async (prefix: string): Promise<Example> => {
		const file = files.find((f) => f.startsWith(prefix));
		if (!file) throw new Error(`no examples/${prefix}*.json (found: ${files.join(', ')})`);
		const workflow = JSON.parse(await readFile(join(dir, file), 'utf8')) as ExampleWorkflow;
		if (typeof workflow.id !== 'string' || workflow.id === '')
			throw new Error(`examples/${file} has no id`);
		return { file, workflow };
	};
	const scheduledIsolation = await byPrefix('1-');
	const triggerIsolateNotify = await byPrefix('2-');
	const dryRunReview = await byPrefix('3-');
	const refs = [scheduledIsolation, triggerIsolateNotify, dryRunReview].flatMap((e) =>
		e.workflow.nodes.flatMap((n) =>
			n.credentials?.cybereasonApi ? [n.credentials.cybereasonApi] : [],
		),
	);
	const ids = [...new Set(refs.map((r) => r.id))];
	if (ids.length !== 1)
		throw new Error(
			`the examples should share one cybereasonApi credential, found ids ${ids.join(', ')}`,
		);
	return { scheduledIsolation, triggerIsolateNotify, dryRunReview, credential: refs[0] };
}

/** The one node of a type in an example (fails if there is not exactly one). */
export function nodeOfType(example: Example, type: string): ExampleNode {
	const nodes = example.workflow.nodes.filter((n) => n.type === type);
	if (nodes.length !== 1)
		throw new Error(
			`examples/${example.file} has ${nodes.length} nodes of type ${type}, expected 1`,
		);
	return nodes[0];
}

/** The nodes connected to `from`'s main output, in order (follows the single main chain of the examples). */
export function nextNodes(example: Example, from: string): string[] {
	const out =
		(example.workflow.connections[from] as { main?: Array<Array<{ node: string }>> } | undefined)
			?.main ?? [];
	return out.flat().map((c) => c.node);
}

/** A deep copy (the imported workflow may get a changed poll time; the file stays as it is). */
export function copyOf(example: Example): ExampleWorkflow {
	return JSON.parse(JSON.stringify(example.workflow)) as ExampleWorkflow;
}

/** "dc01, dc02\nsrv" -> ['dc01', 'dc02', 'srv'] (lower case): names or GUIDs, as the README describes the option. */
export function protectedList(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[,;\n]/)
		.map((s) => s.trim().toLowerCase())
		.filter((s) => s !== '');
}

/**
 * The Updated After filter of example 1, `={{ $now.minus({ days: 1 }).toISO() }}`, as a duration in ms.
 * Any other form fails loudly so the test is taught the new expression instead of guessing.
 */
export function updatedWithinMs(expression: unknown): number | undefined {
	if (expression === undefined || expression === '') return undefined;
	const match =
		/^=\{\{\s*\$now\.minus\(\{\s*(days|hours|minutes)\s*:\s*(\d+)\s*\}\)\.toISO\(\)\s*\}\}$/.exec(
			String(expression),
		);
	if (!match)
		throw new Error(
			`Updated After is ${JSON.stringify(expression)}: the e2e test only knows "$now.minus({ <unit>: N })"`,
		);
	const unit = { days: 86_400_000, hours: 3_600_000, minutes: 60_000 }[
		match[1] as 'days' | 'hours' | 'minutes'
	];
	return Number(match[2]) * unit;
}
