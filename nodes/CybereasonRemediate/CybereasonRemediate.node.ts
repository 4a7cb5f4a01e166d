import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTION_SUBTITLE, properties } from './description';
import { executeRemediate } from './execute';

export class CybereasonRemediate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybereason Remediate',
		name: 'cybereasonRemediate',
		icon: {
			light: 'file:../../icons/cybereason.svg',
			dark: 'file:../../icons/cybereason.dark.svg',
		},
		group: ['transform'],
		// v2: Isolate Machine by default, Dry Run on once added, results.timestamp in ISO 8601 (see description.ts).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: ACTION_SUBTITLE,
		description:
			'Run remediation actions on Malop machines (isolate, kill, quarantine) and report their results',
		defaults: { name: 'Cybereason Remediate' },
		// Destructive: never offered to AI agents. (n8n types only allow `true`; lint wants the field present.)
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeRemediate.call(this);
	}
}
