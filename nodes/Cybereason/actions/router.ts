import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CybereasonApiClient } from '../../shared/transport';
import { fileOperations, fileProperties } from './file';
import { machineOperations, machineProperties } from './machine';
import { malopOperations, malopProperties } from './malop';
import type { Operation } from './operation';
import { processOperations, processProperties } from './process';

const RESOURCES: Record<string, Record<string, Operation>> = {
	malop: malopOperations,
	machine: machineOperations,
	file: fileOperations,
	process: processOperations,
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'File', value: 'file' },
			{ name: 'Machine', value: 'machine' },
			{ name: 'Malop', value: 'malop' },
			{ name: 'Process', value: 'process' },
		],
		default: 'malop',
	},
	...malopProperties,
	...machineProperties,
	...fileProperties,
	...processProperties,
];

/** Resource and operation are the same for every item (they take no expressions). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = RESOURCES[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	// One client per run: the run's calls share one re-login after a session expiry.
	return [await handler.execute(this, new CybereasonApiClient(this))];
}
