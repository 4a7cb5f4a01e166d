import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { block, unblock } from './block';
import * as getReputation from './getReputation';
import * as search from './search';

export const fileOperations: Record<string, Operation> = { search, getReputation, block, unblock };

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['file'] } },
	options: [
		{
			name: 'Block',
			value: 'block',
			action: 'Block a file hash org wide',
			description:
				'Put file hashes on the blacklist and prevent them from running on every machine',
		},
		{
			name: 'Get Reputation',
			value: 'getReputation',
			action: 'Get the reputation of a file hash',
			description: "The console's classification of a file hash, and whether it is blocked",
		},
		{
			name: 'Search',
			value: 'search',
			action: 'Search files',
			description:
				'Find the machines where a file is, by hash or name: one item per file and machine',
		},
		{
			name: 'Unblock',
			value: 'unblock',
			action: 'Unblock a file hash org wide',
			description: 'Take file hashes off the custom reputation list, so they may run again',
		},
	],
	default: 'search',
};

export const fileProperties: INodeProperties[] = [
	operation,
	...Object.values(fileOperations).flatMap((operation) => operation.description),
];
