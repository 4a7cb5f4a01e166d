import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, router } from './actions/router';

export class Cybereason implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybereason',
		name: 'cybereason',
		icon: {
			light: 'file:../../icons/cybereason.svg',
			dark: 'file:../../icons/cybereason.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Manage Cybereason Malops (status, comments, labels, remediation history, processes) and machines (details, processes, isolation); hunt files and processes; block file hashes org-wide',
		defaults: { name: 'Cybereason' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
