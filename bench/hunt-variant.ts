// The hunting benchmark's client side (see bench/README.md, "Hunt"): one Visual Search for every process, Return
// All, as the node does it in n8n's engine (node), through n8n's request helper alone (helper), with axios +
// JSON.parse (axios) and as bytes only (raw).
import { visualSearchBody } from '../nodes/shared/api/visualSearch';
import { benchEngine } from './bench-engine';
import type { Variant } from './worker';

export interface HuntTask {
	kind: 'hunt';
	/** node: our code in n8n's engine; helper: n8n's request helper + JSON.parse only; axios; raw: bytes. */
	variant: 'node' | 'helper' | 'axios' | 'raw';
	url: string;
	cookie: string;
	warmRuns: number;
}

/** Byte for byte what the node sends: the run compares them on the simulator's request log. */
export const huntBody = (limit = 10_000) => visualSearchBody({ find: 'processes' }, limit);

async function nodeVariant(task: HuntTask): Promise<Variant> {
	const { HuntNode } = await import('./hunt-node');
	const { registerNodeType } = await import('../scripts/lib/engine');
	registerNodeType('bench.hunt', new HuntNode());
	const engine = await benchEngine(task);
	const floor = task.variant === 'helper';
	const spec = (limit: number) => ({
		nodes: [{ name: 'Hunt', type: 'bench.hunt', parameters: { limit, floor } }],
	});
	return {
		preflight: async () => {
			await engine.run(spec(1));
		},
		run: async () => {
			const run = await engine.run(spec(0));
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
	const { default: axios } = await import('axios');
	const client = axios.create({
		baseURL: task.url,
		headers: {
			Cookie: task.cookie,
			'Content-Type': 'application/json',
			Accept: 'application/json',
		},
		responseType: task.variant === 'raw' ? 'arraybuffer' : 'text',
		transformResponse: (data: unknown) => data,
		maxContentLength: Infinity,
		maxBodyLength: Infinity,
	});
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
