// Cybereason's answer envelopes: HTTP 200 whose body says FAILURE or PARTIAL_SUCCESS, and safe excerpts of bodies.
const FAILED_ENVELOPES = new Set([
	'FAILURE',
	'NO_SERVERS_CONFIGURED',
	'QUERY_LIMIT_CROSSED',
	'TIMEOUT_ERROR',
]);

function envelopeText(body: Record<string, unknown>): string {
	// classification/update says why it refused a change in `data` (`{"outcome":"failed","data":"<why>"}`).
	for (const key of ['message', 'errorMessage', 'error', 'data']) {
		const value = body[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return '';
}

/**
 * Query endpoints answer HTTP 200 with `status: FAILURE` when they failed; classification endpoints with
 * `outcome: failure` (the reference's spelling) or `outcome: failed` (what Netskope's client checks).
 */
export function envelopeFailure(body: unknown): { status: string; message: string } | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const record = body as Record<string, unknown>;
	const status = typeof record.status === 'string' ? record.status : undefined;
	if (status && FAILED_ENVELOPES.has(status)) {
		return { status, message: envelopeText(record) };
	}
	if (typeof record.outcome === 'string' && /^fail(ure|ed)$/i.test(record.outcome)) {
		return { status: 'FAILURE', message: envelopeText(record) };
	}
	return undefined;
}

/** PARTIAL_SUCCESS: some console servers did not answer; the data is incomplete but usable. */
export function envelopeWarning(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const record = body as Record<string, unknown>;
	if (record.status !== 'PARTIAL_SUCCESS') return undefined;
	const text = envelopeText(record);
	const failures =
		typeof record.failures === 'number' ? ` (${record.failures} server(s) failed)` : '';
	const servers = failedServerNames(record.failedServersInfo);
	return `Cybereason answered PARTIAL_SUCCESS${failures}: some console servers did not answer, so results may be incomplete${text ? `: ${text}` : ''}${servers ? ` (${servers})` : ''}`;
}

/** Visual Search names the servers that did not answer: `failedServersInfo.{onlineFailedServers,offlineServers}`. */
function failedServerNames(info: unknown): string {
	if (!info || typeof info !== 'object') return '';
	const names = (key: string) => {
		const list = (info as Record<string, unknown>)[key];
		return Array.isArray(list) ? list.filter((n) => typeof n === 'string' && n !== '') : [];
	};
	const failed = names('onlineFailedServers');
	const offline = names('offlineServers');
	return [
		failed.length > 0 ? `failed: ${failed.join(', ')}` : '',
		offline.length > 0 ? `offline: ${offline.join(', ')}` : '',
	]
		.filter(Boolean)
		.join('; ');
}

/** A short, safe excerpt of a non-JSON answer for error descriptions. */
export function describeBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return '';
	if (typeof body === 'string') {
		const text = body
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		return text.length > 200 ? `${text.slice(0, 200)}…` : text;
	}
	if (typeof body === 'object') {
		const text = envelopeText(body as Record<string, unknown>);
		if (text) return text;
		const json = JSON.stringify(body);
		return json.length > 200 ? `${json.slice(0, 200)}…` : json;
	}
	return String(body);
}
