import type { INodeProperties } from 'n8n-workflow';

/** Return All and Limit (default 50), as n8n's own nodes word them. */
export function returnAllProperties(
	limit: { max?: number; hint?: string } = {},
): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, ...(limit.max === undefined ? {} : { maxValue: limit.max }) },
			default: 50,
			description: 'Max number of results to return',
			...(limit.hint === undefined ? {} : { hint: limit.hint }),
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}
