import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { pollTrigger } from './poll';

export class CybereasonTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybereason Trigger',
		name: 'cybereasonTrigger',
		icon: {
			light: 'file:../../icons/cybereason.svg',
			dark: 'file:../../icons/cybereason.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["event"] === "malopUpdated" ? "Malop updated" : "New Malop machine" }}',
		description:
			'Starts the workflow when Cybereason reports a new Malop machine or a Malop update',
		defaults: { name: 'Cybereason Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger(this);
	}
}
