// P1's plain clients for the Malops management source (POST /rest/mmng/v2/malops): the same pages as the node,
// with axios. The baseline parses each page and takes the next one as the node does (oldest first, from the last
// update time reached, offset 0; offset steps only inside one millisecond); the floor replays the node's bodies
// and reads bytes only.
import { MMNG_PAGE_SIZE } from '../nodes/shared/malopQuery/mmng';
import { plainClient } from './client';
import type { GetMalopsTask, Outcome, Variant } from './worker';

const PATH = '/rest/mmng/v2/malops';

/** Byte for byte what the node sends (malopsManagementBody); run.ts checks it on the wire. */
function mmngBody(order: 'asc' | 'desc', from: number, pageSize: number, offset: number) {
	return {
		search: {},
		range: { from, to: 9_999_999_999_999 },
		pagination: { pageSize, offset },
		federation: { groups: [] },
		sort: [{ field: 'LastUpdateTime', order }],
		filter: {},
	};
}

interface Page {
	data: {
		totalHits: number;
		data: Array<{ guid: string; lastUpdateTime: number; machines: unknown[] }>;
	};
}

/** Distinct (Malop, machine) pairs of the pages: a Malop read again at a page's edge counts once. */
function pairs(pages: Page[]): { items: number; malops: number } {
	const machines = new Map<string, number>();
	for (const page of pages)
		for (const malop of page.data.data) machines.set(malop.guid, malop.machines.length);
	let items = 0;
	for (const count of machines.values()) items += count;
	return { items, malops: machines.size };
}

export async function mmngClientVariant(task: GetMalopsTask): Promise<Variant> {
	const client = await plainClient(task);
	// Get Malops with limit 1: newest first, one Malop.
	const preflight = async () => {
		await client.post(PATH, mmngBody('desc', 0, 1, 0));
	};
	if (task.variant === 'raw') {
		return {
			preflight,
			run: async (): Promise<Outcome> => {
				const answers: Buffer[] = [];
				for (const body of task.bodies ?? []) answers.push((await client.post(PATH, body)).data);
				return {
					keep: answers,
					detail: () => ({ bytes: answers.reduce((n, a) => n + a.length, 0) }),
				};
			},
		};
	}
	return {
		preflight,
		run: async (): Promise<Outcome> => {
			const pages: Page[] = [];
			let from = 0;
			let offset = 0;
			for (;;) {
				const page = JSON.parse(
					(await client.post(PATH, mmngBody('asc', from, MMNG_PAGE_SIZE, offset))).data as string,
				) as Page;
				pages.push(page);
				const served = page.data.data.length;
				if (offset + served >= page.data.totalHits || served === 0) break;
				const edge = Math.max(...page.data.data.map((m) => m.lastUpdateTime));
				if (edge === from) offset += served;
				else [from, offset] = [edge, 0];
			}
			return { keep: pages, detail: () => pairs(pages) };
		},
	};
}
