// API: POST /rest/crimes/comment/{malopGuid}, POST /rest/crimes/get-comments
// Both bodies are raw text (Splunk SOAR sends the comment as UTF-8 bytes, forensic-security and Vulture the
// GUID alone), usually under a JSON Content-Type, so they are read from the raw body: a legacy GUID such as
// 11.1882697476172655933 would otherwise parse as a (rounded) number. The comment is stored as sent; the
// console hands its message back HTML-escaped (forensic-security unescapes get-comments).
import { randomUUID } from 'node:crypto';

import type { SimComment } from './model';
import { badRequest, json, type SimRequest, type SimResponse } from './respond';
import type { Session } from './sessions';
import type { SimulatorState } from './state';

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** A comment as crimes/unified embeds it (sekoia-edr_malop_suspicions_result) and get-comments lists it. */
export function renderComment(c: SimComment) {
	return { ...c, message: escapeHtml(c.message), empty: false };
}

export function addComment(
	req: SimRequest,
	state: SimulatorState,
	session: Session,
	malopGuid: string,
): SimResponse {
	const malop = state.malops.get(malopGuid);
	if (!malop) return badRequest(`Unknown Malop ${malopGuid}`);
	if (req.rawBody.trim() === '') return badRequest('The comment is empty');
	const comment: SimComment = {
		commentId: randomUUID(),
		username: session.username ?? '',
		message: req.rawBody,
		timestamp: state.clock.now(),
	};
	state.updateMalopMetadata(malopGuid, { comments: [...malop.comments, comment] });
	return json(200, state.management.commentAnswer === 'comment' ? renderComment(comment) : {});
}

/** Oldest first, as in the SEKOIA capture. */
export function getComments(req: SimRequest, state: SimulatorState): SimResponse {
	const guid = req.rawBody.trim();
	const malop = state.malops.get(guid);
	if (!malop) return badRequest(`Unknown Malop ${guid}`);
	const comments = malop.comments.slice().sort((a, b) => a.timestamp - b.timestamp);
	return json(200, comments.map(renderComment));
}
