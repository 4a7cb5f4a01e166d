import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { executePerItem } from '../shared/items';
import { buildMalopQuery, type MalopQueryParameters } from '../shared/malopQuery/parameters';
import { queryMalops } from '../shared/malopQuery/query';
import { toMachineItems, toMalopItems } from '../shared/malops/items';
import { CybereasonApiClient } from '../shared/transport';
import { getMalopsProperties } from './description';

async function getMalops(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// One client per run: concurrent calls share one re-login after a session expiry.
	const client = new CybereasonApiClient(ctx);
	const node = ctx.getNode();
	const notices: string[] = [];
	const items = await executePerItem(ctx, async (itemIndex) => {
		const param = (name: string, fallback: unknown) =>
			ctx.getNodeParameter(name, itemIndex, fallback);
		const options = param('options', {}) as IDataObject;
		const source = param('source', 'crimesUnified');
		const query = buildMalopQuery(
			{
				source,
				malopTypes: source === 'crimesUnified' ? param('malopTypes', []) : undefined,
				returnAll: param('returnAll', false),
				limit: param('limit', 50),
				filters: param('filters', {}) as MalopQueryParameters['filters'],
				options,
			},
			ctx.getTimezone(),
		);
		if ('error' in query) throw new NodeOperationError(node, query.error, { itemIndex });

		const result = await queryMalops(client, query, { itemIndex });
		for (const notice of result.notices) {
			ctx.logger.warn(`Cybereason Get Malops: ${notice}`, { node: node.name, itemIndex });
			if (!notices.includes(notice)) notices.push(notice);
		}
		const itemOptions = {
			includeRaw: options.includeRaw === true,
			includeRemediationTargets: query.includeRemediationTargets,
			warnings: result.warnings,
		};
		return param('outputMode', 'perMachine') === 'perMalop'
			? toMalopItems(result.malops, itemOptions)
			: toMachineItems(result.malops, itemOptions);
	});
	if (notices.length > 0) {
		ctx.addExecutionHints(
			...notices.map((message) => ({ message, location: 'outputPane' as const })),
		);
	}
	return items;
}

export class CybereasonGetMalops implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybereason Get Malops',
		name: 'cybereasonGetMalops',
		icon: {
			light: 'file:../../icons/cybereason.svg',
			dark: 'file:../../icons/cybereason.dark.svg',
		},
		group: ['input'],
		version: 1,
		subtitle:
			'={{ $parameter["source"] === "detectionInbox" ? "Detection inbox" : $parameter["source"] === "malopsManagement" ? "Malops management" : "AI Hunting Malops" }}',
		description: 'Get Malops from Cybereason, one item per Malop and affected machine',
		defaults: { name: 'Cybereason Get Malops' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties: getMalopsProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await getMalops(this)];
	}
}
