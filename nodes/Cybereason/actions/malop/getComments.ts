// API: POST /rest/crimes/get-comments
import { updateDisplayOptions } from 'n8n-workflow';

import { cybereasonApiGetComments } from '../../../shared/api/comments';
import { normaliseComment } from '../../../shared/comments';
import { MALOP_ID_HINT, perItem, requiredId } from '../operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['malop'], operation: ['getComments'] } },
	[],
);

/** One item per comment, oldest first; a Malop without comments gives none. */
export const execute = perItem(async (ctx, client, itemIndex) => {
	const malopId = requiredId(ctx, 'malopId', itemIndex, 'Malop ID', MALOP_ID_HINT);
	const comments = await cybereasonApiGetComments(client, malopId, {
		itemIndex,
		operation: `read the comments of Malop ${malopId} (item ${itemIndex})`,
	});
	return comments.map((comment) => ({ malopId, ...normaliseComment(comment) }));
});
