// The hunting benchmark's client side (see bench/README.md, "Hunt"): one Visual Search for every process, Return
// All, as the Cybereason node does it in n8n's engine (node), through n8n's request helper alone (helper), with axios +
// JSON.parse (axios) and as bytes only (raw).
import { visualSearchBody } from '../nodes/shared/api/visualSearch';
import { benchEngine } from './bench-engine';
import type { Variant } from './worker';

export interface HuntTask {
	kind: 'hunt';
	/** node: the Cybereason node's process search; helper: n8n's request helper + JSON.parse only; axios; raw. */
	variant: 'node' | 'helper' | 'axios' | 'raw';
	url: string;
	cookie: string;
	warmRuns: number;
}

/** Byte for byte what the node sends: the run compares them on the simulator's request log. */
export const huntBody = (limit = 10_000) =>
	visualSearchBody({ find: 'processes', onlyWithSuspicions: false }, limit);

async function nodeVariant(task: HuntTask): Promise<Variant> {
	const { registerNodeType } = await import('../scripts/lib/engine');
	const floor = task.variant === 'helper';
	if (floor) {
		const { HuntFloor } = await import('./hunt-floor');
		registerNodeType('bench.huntFloor', new HuntFloor());
	} else {
		const { Cybereason } = await import('../nodes/Cybereason/Cybereason.node');
		registerNodeType('cybereason', new Cybereason());
	}
	const engine = await benchEngine(task);
	// Process search, every process (no name, no machine): Return All, or Limit 1 for the preflight.
	const spec = (limit?: number) => ({
		nodes: [
			floor
				? { name: 'Hunt', type: 'bench.huntFloor', parameters: { limit: limit ?? 10_000 } }
				: {
						name: 'Hunt',
						type: 'n8n-nodes-cybereason.cybereason',
						parameters: {
							resource: 'process',
							operation: 'search',
							...(limit === undefined ? { returnAll: true } : { limit }),
						},
					},
		],
	});
	return {
		preflight: async () => {
			await engine.run(spec(1));
		},
		run: async () => {
			const run = await engine.run(spec());
			if (run.error) throw new Error(`Hunt failed: ${run.error.message}`);
			return {
				keep: run,
				detail: () => {
					const items = run.output('Hunt');
					return {
						items: items.length,
						withMachine: floor
							? items.length
							: items.filter((i) => typeof i.json.machineName === 'string').length,
					};
				},
			};
		},
	};
}

export async function huntVariant(task: HuntTask): Promise<Variant> {
	if (task.variant === 'node' || task.variant === 'helper') return await nodeVariant(task);
	const { plainClient } = await import('./client');
	const client = await plainClient(task);
	const post = async (limit?: number) =>
		await client.post('/rest/visualsearch/query/simple', huntBody(limit));
	return {
		preflight: async () => {
			await post(1);
		},
		run: async () => {
			const answer = await post();
			if (task.variant === 'raw') {
				return { keep: answer.data, detail: () => ({ bytes: (answer.data as Buffer).length }) };
			}
			const parsed = JSON.parse(answer.data as string) as {
				data: { resultIdToElementDataMap: Record<string, unknown> };
			};
			const items = Object.keys(parsed.data.resultIdToElementDataMap).length;
			// The node's detail, so run.ts can compare the two.
			return { keep: parsed, detail: () => ({ items, withMachine: items }) };
		},
	};
}
