// API: POST /rest/crimes/comment/{malopGuid}, POST /rest/crimes/get-comments
import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { postMalopComment } from '../../../shared/malopComment';
import { MALOP_ID_HINT, perItem, requiredId } from '../operation';

const properties: INodeProperties[] = [
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. Isolated desktop-01 from n8n; ticket INC-1234',
		description:
			'The text to add to the Malop, as analysts will read it in the console. Plain text; line breaks are kept.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['malop'], operation: ['addComment'] } },
	properties,
);

export const execute = perItem(async (ctx, client, itemIndex) => {
	const malopId = requiredId(ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
	const raw = ctx.getNodeParameter('comment', itemIndex, '') as unknown;
	const comment =
		typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw);
	if (comment.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), `The comment of item ${itemIndex} is empty`, {
			itemIndex,
			description: `Nothing was sent to Malop ${malopId}. Give the comment a text, or check the expression that builds it.`,
		});
	}
	const posted = await postMalopComment(client, malopId, comment, {
		itemIndex,
		operation: `comment on Malop ${malopId} (item ${itemIndex})`,
	});
	return [{ malopId, ...posted.comment, ...(posted.note ? { note: posted.note } : {}) }];
});
