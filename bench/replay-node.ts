// The floor for P2: the very calls the Remediate node makes (same bodies, same order, same 5 Malops in flight),
// sent straight through n8n's httpRequestWithAuthentication with the same credential, and nothing else. What n8n
// and the simulator cost per call shows here; the Remediate node's own cost is what it takes on top.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { mapWithConcurrency } from '../nodes/shared/items';

export interface ReplayPlan {
	baseUrl: string;
	user: string;
	concurrency: number;
	/** Read each Malop's remediation status before its POST (the replay guard's read). */
	statusRead: boolean;
	/** After every POST: wait this long, then read each remediation's progress once. */
	pollMs?: number;
	/** Status reads only (the preflight). */
	readOnly?: boolean;
	batches: Array<{ malopId: string; body: IDataObject }>;
}

export class ReplayNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Replay',
		name: 'replay',
		group: ['transform'],
		version: 1,
		description: 'Benchmark floor',
		defaults: { name: 'Replay' },
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties: [{ displayName: 'Plan', name: 'plan', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const plan = JSON.parse(this.getNodeParameter('plan', 0) as string) as ReplayPlan;
		const call = async (method: 'GET' | 'POST', path: string, body?: IDataObject) =>
			(await this.helpers.httpRequestWithAuthentication.call(this, 'cybereasonApi', {
				method,
				url: `${plan.baseUrl}${path}`,
				body,
				json: true,
			})) as IDataObject;
		const started = await mapWithConcurrency(
			plan.batches,
			plan.concurrency,
			async ({ malopId, body }) => {
				if (plan.statusRead || plan.readOnly)
					await call('GET', `/rest/remediate/status/${encodeURIComponent(malopId)}`);
				if (plan.readOnly) return { malopId, remediationId: '' };
				const answer = await call('POST', '/rest/remediate', body);
				return { malopId, remediationId: String(answer.remediationId) };
			},
		);
		if (plan.pollMs !== undefined) {
			await sleep(plan.pollMs);
			await mapWithConcurrency(started, plan.concurrency, async ({ malopId, remediationId }) => {
				await call(
					'GET',
					`/rest/remediate/progress/${encodeURIComponent(plan.user).replace(/%40/g, '@')}/${encodeURIComponent(malopId)}/${remediationId}`,
				);
			});
		}
		return [started.map((json, index) => ({ json, pairedItem: { item: 0 }, index }))];
	}
}
