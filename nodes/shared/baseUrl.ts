// The one rule for the console address, used by the nodes (through the transport) and by the credential's
// Test request (as an n8n expression built from the same patterns), so both accept the same Server URLs.

const HAS_SCHEME = /^https?:\/\//i;

/** What people paste besides the address, removed in this order: a deep link, the login page, trailing slashes. */
const STRIP: readonly RegExp[] = [/#.*$/, /\/login\.html.*$/i, /\/+$/];

export function normaliseBaseUrl(raw: unknown): string {
	let url = String(raw ?? '').trim();
	if (url === '') return url;
	if (!HAS_SCHEME.test(url)) url = `https://${url}`;
	for (const pattern of STRIP) url = url.replace(pattern, '');
	return url;
}

/** normaliseBaseUrl as an n8n expression over `$credentials.baseUrl`, for declarative credential requests. */
export const BASE_URL_EXPRESSION = `={{ ((url) => url === '' ? url : (${String(HAS_SCHEME)}.test(url) ? url : 'https://' + url)${STRIP.map(
	(pattern) => `.replace(${String(pattern)}, '')`,
).join('')})(String($credentials.baseUrl ?? '').trim()) }}`;
