// n8n's share of the hunting benchmark: the process search's request through n8n's request helper with the same
// credential, JSON.parse, and one item per element holding only its GUID. What the Cybereason node costs on top of
// it is our transport (secrets scrubbed), the envelope checks and the items.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { visualSearchBody } from '../nodes/shared/api/visualSearch';
import { testNodeDescription } from '../scripts/lib/engine';

export class HuntFloor implements INodeType {
	description = testNodeDescription({
		name: 'huntFloor',
		displayName: 'Hunt floor',
		description: 'Benchmark floor: the request and JSON.parse only',
		group: 'input',
		credential: true,
		properties: [{ displayName: 'Limit', name: 'limit', type: 'number', default: 10_000 }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('cybereasonApi');
		const text = (await this.helpers.httpRequestWithAuthentication.call(this, 'cybereasonApi', {
			method: 'POST',
			url: `${String(credentials.baseUrl)}/rest/visualsearch/query/simple`,
			body: visualSearchBody(
				{ find: 'processes', onlyWithSuspicions: false },
				this.getNodeParameter('limit', 0) as number,
			) as unknown as IDataObject,
			json: true,
			encoding: 'text',
		})) as string;
		const answer = JSON.parse(text) as { data: { resultIdToElementDataMap: object } };
		return [
			Object.keys(answer.data.resultIdToElementDataMap).map((processGuid) => ({
				json: { processGuid },
				pairedItem: { item: 0 },
			})),
		];
	}
}
