import { findPostedComment, normaliseComment, unescapeHtml } from '../../../nodes/shared/comments';

describe('unescapeHtml', () => {
	it('undoes the console’s escaping, named and numeric, and leaves unknown entities alone', () => {
		expect(unescapeHtml('a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27; &apos;f&apos;')).toBe(
			`a & b <c> "d" 'e' 'f'`,
		);
		expect(unescapeHtml('&#233;t&#xE9; &nbsp;&bogus; &#0; &amp;lt;')).toBe(
			'été \u00a0&bogus; &#0; &lt;',
		);
	});
});

describe('normaliseComment', () => {
	it('gives ISO times and unescaped messages, from numbers or numeric strings', () => {
		expect(
			normaliseComment({
				commentId: 'c1',
				username: 'analyst@example.org',
				message: 'Closed &amp; done',
				timestamp: 1661864254061,
				empty: false,
			}),
		).toEqual({
			commentId: 'c1',
			message: 'Closed & done',
			username: 'analyst@example.org',
			timestamp: '2022-08-30T12:57:34.061Z',
		});
		expect(normaliseComment({ timestamp: '1661864254061' })).toEqual({
			commentId: null,
			message: null,
			username: null,
			timestamp: '2022-08-30T12:57:34.061Z',
		});
	});
});

describe('findPostedComment', () => {
	const sent = { message: 'a <b>', username: 'N8N@x', since: 1000 };

	it('finds the newest comment with the same text by the same user since the send', () => {
		const comments = [
			{ commentId: 'old', message: 'a &lt;b&gt;', username: 'n8n@x', timestamp: 500 },
			{ commentId: 'other', message: 'a &lt;b&gt;', username: 'someone', timestamp: 2000 },
			{ commentId: 'mine', message: 'a &lt;b&gt;', username: 'n8n@x', timestamp: 1500 },
			{ commentId: 'text', message: 'a b', username: 'n8n@x', timestamp: 1600 },
		];
		expect(findPostedComment(comments, sent)?.commentId).toBe('mine');
		expect(findPostedComment(comments.slice(0, 2), sent)).toBeUndefined();
	});
});
