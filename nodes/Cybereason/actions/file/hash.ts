// The Hash parameter of the file operations, and reading it: MD5 or SHA-1, typed by length, errors naming the item.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseHashes, type TypedHash } from '../../../shared/hunting/hashes';

export const HASH_DESCRIPTION =
	'MD5 (32 hexadecimal characters, e.g. 4778901e54f55d54435b2626923054a8) or SHA-1 (40 hexadecimal characters) of the file; which one is told from the length. Several: separated by commas, or a list. Cybereason does not look files up by SHA-256.';

export const hashProperty: INodeProperties = {
	displayName: 'Hash',
	name: 'hash',
	type: 'string',
	required: true,
	default: '={{ $json.hash }}',
	placeholder: 'e.g. 4778901e54f55d54435b2626923054a8',
	description: HASH_DESCRIPTION,
};

/** The item's hashes, lower case, each once; not a list of MD5/SHA-1 hashes: an input mistake naming the item. */
export function readHashes(ctx: IExecuteFunctions, itemIndex: number): TypedHash[] {
	const parsed = parseHashes(ctx.getNodeParameter('hash', itemIndex, ''), itemIndex);
	if ('error' in parsed) {
		throw new NodeOperationError(ctx.getNode(), parsed.error, {
			itemIndex,
			description: HASH_DESCRIPTION,
		});
	}
	return parsed;
}
