import type { INodeProperties } from 'n8n-workflow';

/**
 * The Malop ID parameter, mapped by default from the `malopId` field that Get Malops and the Trigger output, so
 * nodes chained after them need no expression.
 */
export function malopIdProperty(
	description: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: 'Malop ID',
		name: 'malopId',
		type: 'string',
		default: '={{ $json.malopId }}',
		description,
		...extra,
	};
}
