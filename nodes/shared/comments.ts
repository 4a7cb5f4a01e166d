// Pure: Malop comments as the console answers them (get-comments, the add-comment answer, crimes/unified's
// `comments` simpleValue) -> the item fields. The console HTML-escapes `message` (forensic-security unescapes it).
import type { IDataObject } from 'n8n-workflow';

import { isoTime, parseEpochMs, parseText } from './malops/values';
import type { MalopComment } from './types';

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0',
};

/** `&amp; &lt; &gt; &quot; &#39; &#x27;` and the like back to text; an unknown entity stays as it is. */
export function unescapeHtml(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
		if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
		const code =
			name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
		return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
	});
}

export interface CommentFields extends IDataObject {
	commentId: string | null;
	message: string | null;
	username: string | null;
	timestamp: string | null;
}

export function normaliseComment(comment: MalopComment): CommentFields {
	const message = typeof comment.message === 'string' ? unescapeHtml(comment.message) : null;
	return {
		commentId: parseText(comment.commentId),
		message,
		username: parseText(comment.username),
		timestamp: isoTime(parseEpochMs(comment.timestamp)),
	};
}

/**
 * After a lost add-comment answer: the comment we sent, if the console stored it. Same text, same user (when the
 * console says), no older than `since` (epoch ms, the console's clock allowing for skew); the newest such one.
 */
export function findPostedComment(
	comments: readonly MalopComment[],
	sent: { message: string; username: string; since: number },
): MalopComment | undefined {
	let found: MalopComment | undefined;
	for (const comment of comments) {
		if (typeof comment.message !== 'string' || unescapeHtml(comment.message) !== sent.message)
			continue;
		const user = parseText(comment.username);
		if (user !== null && user.toLowerCase() !== sent.username.toLowerCase()) continue;
		const at = parseEpochMs(comment.timestamp);
		if (at === null || at < sent.since) continue;
		if (!found || at >= (parseEpochMs(found.timestamp) ?? 0)) found = comment;
	}
	return found;
}
