// API: POST /rest/crimes/comment/{malopGuid}, POST /rest/crimes/get-comments
import type { AnswerShape, CybereasonApiClient } from '../transport';
import type { MalopComment } from '../types';
import { segment, type ApiCall } from './call';

const COMMENTS_ANSWER: AnswerShape = {
	what: 'a comment list',
	test: (body) => Array.isArray(body),
};

/**
 * The body is the comment itself as UTF-8 text (Splunk SOAR), not JSON. Sent once: a lost answer is resolved by
 * reading the comments back. The answer is the stored comment, or `{}` (XSOAR's test mock).
 */
export async function cybereasonApiAddComment(
	client: CybereasonApiClient,
	malopId: string,
	comment: string,
	call: ApiCall = {},
): Promise<MalopComment | undefined> {
	return await client.request<MalopComment | undefined>({
		method: 'POST',
		path: `/rest/crimes/comment/${segment(malopId)}`,
		body: comment,
		bodyType: 'text',
		idempotent: false,
		operation: call.operation ?? `comment on Malop ${malopId}`,
		itemIndex: call.itemIndex,
	});
}

/** The body is the bare GUID as text (forensic-security, Vulture); oldest first, messages HTML-escaped. */
export async function cybereasonApiGetComments(
	client: CybereasonApiClient,
	malopId: string,
	call: ApiCall = {},
): Promise<MalopComment[]> {
	const answer = await client.request<unknown>({
		method: 'POST',
		path: '/rest/crimes/get-comments',
		body: malopId,
		bodyType: 'text',
		idempotent: true,
		operation: call.operation ?? `read the comments of Malop ${malopId}`,
		itemIndex: call.itemIndex,
		expect: COMMENTS_ANSWER,
	});
	return Array.isArray(answer)
		? answer.filter((c): c is MalopComment => typeof c === 'object' && c !== null)
		: [];
}
