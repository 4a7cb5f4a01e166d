import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as get from './get';
import * as getProcesses from './getProcesses';
import { isolate, unisolate } from './isolate';
import { machineLookupProperties } from './lookup';
import * as search from './search';

export const machineOperations: Record<string, Operation> = {
	get,
	getProcesses,
	search,
	isolate,
	unisolate,
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['machine'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a machine',
			description: "Get a machine's sensor: status, isolation, OS, group, policy, last seen",
		},
		{
			name: 'Get Processes',
			value: 'getProcesses',
			action: 'Get the processes of a machine',
			description:
				'List the processes running or recently run on the machine, with user, command line, parent and image hashes',
		},
		{
			name: 'Isolate',
			value: 'isolate',
			action: 'Isolate a machine',
			description: 'Cut the machine off the network, except for the Cybereason console',
		},
		{
			name: 'Search',
			value: 'search',
			action: 'Search machines',
			description: 'Find machines by name, status, isolation, OS, group or policy',
		},
		{
			name: 'Un-Isolate',
			value: 'unisolate',
			action: 'Release a machine from isolation',
			description: 'Give an isolated machine its network back',
		},
	],
	default: 'get',
};

export const machineProperties: INodeProperties[] = [
	operation,
	...updateDisplayOptions(
		{ show: { resource: ['machine'], operation: ['get', 'getProcesses', 'isolate', 'unisolate'] } },
		machineLookupProperties,
	),
	...Object.values(machineOperations).flatMap((operation) => operation.description),
];
