// API: POST /rest/visualsearch/query/simple
// Where a file is: File elements by hash (one query per hash type, XSOAR's query_file) or by name, each with its
// owner machine; one item per file × machine.
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { Hunt } from '../../../shared/api/visualSearch';
import { fileItems } from '../../../shared/hunting/files';
import { runHunt } from '../../../shared/hunting/search';
import { huntOperation, limitProperties, readLimit, reported } from '../hunt';
import { textParameter } from '../operation';
import { hashProperty, readHashes } from './hash';

const properties: INodeProperties[] = [
	{
		displayName: 'Search By',
		name: 'searchBy',
		type: 'options',
		options: [
			{ name: 'File Name', value: 'fileName', description: 'The exact file name' },
			{ name: 'Hash', value: 'hash', description: 'MD5 or SHA-1 of the file' },
		],
		default: 'hash',
	},
	{ ...hashProperty, displayOptions: { show: { searchBy: ['hash'] } } },
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. mimikatz.exe',
		description:
			'The file name exactly as Cybereason shows it, with its extension and without a folder, e.g. mimikatz.exe',
		displayOptions: { show: { searchBy: ['fileName'] } },
	},
	...limitProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['search'] } },
	properties,
);

export const execute = huntOperation('file search', async (ctx, client, itemIndex, report) => {
	const limit = readLimit(ctx, itemIndex);
	const hunts: Hunt[] = [];
	if (ctx.getNodeParameter('searchBy', itemIndex, 'hash') === 'fileName') {
		const fileName = textParameter(ctx, 'fileName', itemIndex);
		if (!fileName) {
			throw new NodeOperationError(ctx.getNode(), `No file name in item ${itemIndex}`, {
				itemIndex,
				description: 'Set File Name, e.g. mimikatz.exe, or search by hash.',
			});
		}
		hunts.push({ find: 'filesByName', fileNames: [fileName] });
	} else {
		const hashes = readHashes(ctx, itemIndex);
		for (const hashType of ['md5', 'sha1'] as const) {
			const same = hashes.filter((h) => h.hashType === hashType).map((h) => h.hash);
			if (same.length > 0) hunts.push({ find: 'filesByHash', hashType, hashes: same });
		}
	}
	const items: IDataObject[] = [];
	for (const hunt of hunts) {
		const result = await runHunt(
			client,
			{ hunt, limit, noun: 'file' },
			{ itemIndex, operation: `search for the file (item ${itemIndex})` },
		);
		const found = fileItems(result.facts, hunt.find === 'filesByHash' ? hunt.hashType : undefined);
		items.push(...reported(found, result, report));
	}
	if (limit === undefined || items.length <= limit) return items;
	report({
		warnings: [],
		notices: [
			`${items.length} files matched MD5 and SHA-1 hashes together: Limit ${limit} reached. Turn on Return All or raise Limit to see more.`,
		],
	});
	return items.slice(0, limit);
});
