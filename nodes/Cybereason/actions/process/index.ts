import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as search from './search';

export const processOperations: Record<string, Operation> = { search };

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['process'] } },
	options: [
		{
			name: 'Search',
			value: 'search',
			action: 'Search processes',
			description:
				'Find processes by name, on one machine or everywhere, with their machine, user, command line, parent and image hashes',
		},
	],
	default: 'search',
};

export const processProperties: INodeProperties[] = [operation, ...search.description];
