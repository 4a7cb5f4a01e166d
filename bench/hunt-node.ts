// The measured side of the hunting benchmark until the Cybereason node's process search exists: the path an
// operation takes (our transport through n8n's request helper, runHunt, processItems, paired items), as a
// bench-only node in n8n's engine. `floor` is n8n's share: the same request through n8n's request helper,
// JSON.parse, and one item per element holding only its GUID.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { visualSearchBody } from '../nodes/shared/api/visualSearch';
import { withWarnings } from '../nodes/shared/hunting/notices';
import { processItems } from '../nodes/shared/hunting/processes';
import { runHunt } from '../nodes/shared/hunting/search';
import { CybereasonApiClient } from '../nodes/shared/transport';

async function floor(ctx: IExecuteFunctions, limit: number | undefined): Promise<IDataObject[]> {
	const credentials = await ctx.getCredentials('cybereasonApi');
	const text = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'cybereasonApi', {
		method: 'POST',
		url: `${String(credentials.baseUrl)}/rest/visualsearch/query/simple`,
		body: visualSearchBody({ find: 'processes' }, limit ?? 10_000) as unknown as IDataObject,
		json: true,
		encoding: 'text',
	})) as string;
	const answer = JSON.parse(text) as { data: { resultIdToElementDataMap: object } };
	return Object.keys(answer.data.resultIdToElementDataMap).map((processGuid) => ({ processGuid }));
}

export class HuntNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hunt',
		name: 'hunt',
		group: ['input'],
		version: 1,
		description: 'Benchmark: every process, one item each',
		defaults: { name: 'Hunt' },
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties: [
			{ displayName: 'Limit', name: 'limit', type: 'number', default: 0 },
			{ displayName: 'Floor', name: 'floor', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const given = this.getNodeParameter('limit', 0) as number;
		const limit = given > 0 ? given : undefined;
		let items: IDataObject[];
		if (this.getNodeParameter('floor', 0) === true) {
			items = await floor(this, limit);
		} else {
			const result = await runHunt(new CybereasonApiClient(this), {
				hunt: { find: 'processes' },
				limit,
				noun: 'process',
			});
			items = withWarnings(processItems(result.facts), result.warnings);
		}
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}
