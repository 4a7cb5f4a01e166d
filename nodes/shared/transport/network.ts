// Socket-level failures: which code n8n's error wrapping carries, what it means for the user, and whether the
// request can have reached the console (which decides whether an action's outcome is unknown).
import type { IDataObject } from 'n8n-workflow';

const UNTRUSTED_TLS =
	"turn on 'Ignore SSL Issues' in the credential only if you trust this console";

const NETWORK_HINTS: Record<string, string> = {
	ECONNREFUSED:
		'the connection was refused: check the Server URL and port, and that the console is up',
	ENOTFOUND: 'the host name was not found: check the Server URL',
	EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
	EHOSTUNREACH: 'the host is unreachable',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	ECONNRESET: 'the connection was closed before the console answered',
	EPIPE: 'the connection was closed while sending',
	DEPTH_ZERO_SELF_SIGNED_CERT: `its TLS certificate is self-signed: ${UNTRUSTED_TLS}`,
	SELF_SIGNED_CERT_IN_CHAIN: `its TLS certificate chain is self-signed: ${UNTRUSTED_TLS}`,
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: `its TLS certificate cannot be verified: ${UNTRUSTED_TLS}`,
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `its TLS certificate cannot be verified: ${UNTRUSTED_TLS}`,
	CERT_HAS_EXPIRED: 'its TLS certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
	// OpenSSL's "wrong version number": the port answers plain HTTP to our TLS handshake.
	EPROTO:
		'it does not speak HTTPS on this port: check the Server URL (http:// or https://, and the port)',
	ERR_SSL_WRONG_VERSION_NUMBER:
		'it does not speak HTTPS on this port: check the Server URL (http:// or https://, and the port)',
};

/** Codes that prove the request never reached the console. */
export const NOT_DELIVERED = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'EPROTO',
	'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export const TLS_CODES = new Set(
	[...NOT_DELIVERED].filter((code) => NETWORK_HINTS[code]?.includes('certificate')),
);

/** Codes n8n may carry that are not about the connection. */
const NOT_NETWORK = new Set(['ERR_BAD_RESPONSE', 'ERR_BAD_REQUEST']);

/** Retrying these cannot help. */
export const PERMANENT = new Set([
	...TLS_CODES,
	'ENOTFOUND',
	'EPROTO',
	'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** A request that timed out: the console may be hung, so a read is tried once more at most, not READ_RETRIES times. */
export const TIMED_OUT = 'ECONNABORTED';

/** The socket-level error code somewhere in n8n's error wrapping (NodeApiError → AxiosError → Error). */
export function networkCode(error: unknown): string | undefined {
	for (let e = error as IDataObject | undefined, depth = 0; e && depth < 5; depth++) {
		// n8n 2.x keeps the axios error as `cause`; 1.x keeps only its code, as the NodeApiError's httpCode.
		for (const code of [e.code, e.httpCode]) {
			if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) && !NOT_NETWORK.has(code))
				return code;
		}
		const message = typeof e.message === 'string' ? e.message : '';
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
		if (/timeout of \d+ms exceeded/i.test(message)) return 'ECONNABORTED';
		e = (e.cause ?? e.reason) as IDataObject | undefined;
	}
	return undefined;
}

export function networkHint(code: string | undefined): string {
	return (code && NETWORK_HINTS[code]) ?? `the connection failed${code ? ` (${code})` : ''}`;
}

export function hostOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}
