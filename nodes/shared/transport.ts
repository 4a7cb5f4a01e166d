// API: POST /login.html, POST / (two-factor step) and every /rest call the nodes make.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	CybereasonApiError,
	CybereasonLoginError,
	describeBody,
	envelopeFailure,
	findLoginError,
	isLoginPage,
} from './errors';
import { generateTotp, invalidBase32Character } from './totp';

export const CREDENTIAL_TYPE = 'cybereasonApi';

export type CybereasonContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** Reads are retried this many times after the first try; actions never are. */
export const READ_RETRIES = 3;
const BACKOFF_BASE_MS = 500;
/** A console that asks for more than this in Retry-After gets an error instead of a stalled workflow. */
const MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 120_000;

export function normaliseBaseUrl(raw: unknown): string {
	let url = String(raw ?? '').trim();
	if (url === '') return url;
	if (!/^https?:\/\//i.test(url)) url = `https://${url}`;
	// People paste the login page or a deep link; the API lives at the root.
	url = url.replace(/#.*$/, '').replace(/\/login\.html.*$/i, '');
	return url.replace(/\/+$/, '');
}

function hostOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	if (key === undefined) return undefined;
	const value = headers[key];
	if (Array.isArray(value)) return value.map(String).join(', ');
	return value === undefined || value === null ? undefined : String(value);
}

function setCookies(headers: IDataObject | undefined): string[] {
	if (!headers) return [];
	const key = Object.keys(headers).find((k) => k.toLowerCase() === 'set-cookie');
	if (key === undefined) return [];
	const value = headers[key];
	return Array.isArray(value) ? value.map(String) : [String(value)];
}

// ---------------------------------------------------------------------------------------------
// Login (called from the credential's preAuthentication, which only has helpers.httpRequest)
// ---------------------------------------------------------------------------------------------

type HttpRequest = IHttpRequestHelper['helpers']['httpRequest'];

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
	DEPTH_ZERO_SELF_SIGNED_CERT:
		"its TLS certificate is self-signed: turn on 'Ignore SSL Issues' in the credential only if you trust this console",
	SELF_SIGNED_CERT_IN_CHAIN:
		"its TLS certificate chain is self-signed: turn on 'Ignore SSL Issues' in the credential only if you trust this console",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		"its TLS certificate cannot be verified: turn on 'Ignore SSL Issues' in the credential only if you trust this console",
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		"its TLS certificate cannot be verified: turn on 'Ignore SSL Issues' in the credential only if you trust this console",
	CERT_HAS_EXPIRED: 'its TLS certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

/** Codes that prove the request never reached the console. */
const NOT_DELIVERED = new Set([
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
]);

const TLS_CODES = new Set(
	[...NOT_DELIVERED].filter((code) => NETWORK_HINTS[code]?.includes('certificate')),
);

/** Codes n8n may carry that are not about the connection. */
const NOT_NETWORK = new Set(['ERR_BAD_RESPONSE', 'ERR_BAD_REQUEST']);

/** Retrying these cannot help. */
const PERMANENT = new Set([...TLS_CODES, 'ENOTFOUND']);

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

function networkHint(code: string | undefined): string {
	return (code && NETWORK_HINTS[code]) ?? `the connection failed${code ? ` (${code})` : ''}`;
}

interface LoginAnswer {
	status: number;
	location: string;
	body: string;
}

/**
 * Form login as the console's web UI does it. Success is a redirect away from the login page plus a
 * JSESSIONID that the REST API accepts; the login page can set a cookie too, so a cookie alone proves nothing.
 */
export async function cybereasonApiLogin(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
	now: () => number = Date.now,
): Promise<string> {
	const baseUrl = normaliseBaseUrl(credentials.baseUrl);
	if (!baseUrl) {
		throw new CybereasonLoginError('unexpectedAnswer', 'The credential has no Server URL');
	}
	const host = hostOf(baseUrl);
	const insecure = credentials.ignoreSslIssues === true;
	const jar = new Map<string, string>();

	const send = async (method: IHttpRequestMethods, path: string, form?: Record<string, string>) => {
		const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
		const headers: IDataObject = {};
		if (cookie) headers.Cookie = cookie;
		if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
		const response = (await httpRequest({
			method,
			url: `${baseUrl}${path}`,
			headers,
			// Pre-encoded: the same bytes on every n8n line (`@` becomes %40, as the console expects).
			body: form ? new URLSearchParams(form).toString() : undefined,
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			skipSslCertificateValidation: insecure,
			timeout: 30_000,
		}).catch((error: unknown) => {
			const code = networkCode(error);
			throw new CybereasonLoginError(
				'unreachable',
				`Could not reach the Cybereason console at ${host}: ${networkHint(code)}`,
				TLS_CODES.has(code ?? '')
					? 'The Server URL uses HTTPS with a certificate n8n does not trust.'
					: undefined,
			);
		})) as IN8nHttpFullResponse;
		for (const raw of setCookies(response.headers)) {
			const [pair] = raw.split(';');
			const eq = pair.indexOf('=');
			if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
		}
		const answer: LoginAnswer = {
			status: response.statusCode,
			location: headerValue(response.headers, 'location') ?? '',
			body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
		};
		return answer;
	};

	/** Follows redirects that stay on the login flow, so the page behind them can be read. */
	const settle = async (first: LoginAnswer): Promise<LoginAnswer & { url: string }> => {
		let answer = first;
		let url = '';
		for (let hop = 0; hop < 5 && answer.status >= 300 && answer.status < 400; hop++) {
			url = answer.location;
			if (/error|reset|expired/i.test(url) || !/login|tfa|two.?factor|totp/i.test(url)) break;
			const target = new URL(url, `${baseUrl}/`);
			answer = await send('GET', `${target.pathname}${target.search}`);
		}
		return { ...answer, url };
	};

	const fail = (answer: LoginAnswer & { url: string }, step: 'password' | 'code'): never => {
		if (/reset|expired/i.test(answer.url)) {
			throw new CybereasonLoginError(
				'passwordExpired',
				`The Cybereason password of this user has expired: log in to ${host} in a browser to change it, then update the credential`,
			);
		}
		if (step === 'code') {
			throw new CybereasonLoginError(
				'twoFactorRejected',
				'Cybereason rejected the two-factor code: check the 2FA secret in the credential and that the n8n host clock is right',
			);
		}
		throw new CybereasonLoginError(
			'rejected',
			'Cybereason rejected the login: check the username and password',
		);
	};

	const classify = (answer: LoginAnswer & { url: string }): 'success' | 'twoFactor' | 'failure' => {
		if (answer.status >= 300 && answer.status < 400) {
			if (/error|reset|expired/i.test(answer.url)) return 'failure';
			return 'success';
		}
		if (answer.status === 200) {
			if (
				/two.?factor authentication/i.test(answer.body) ||
				/name=["']?totpCode/i.test(answer.body)
			) {
				return 'twoFactor';
			}
			if (isLoginPage(answer.body) || /error/i.test(answer.url)) return 'failure';
			return 'success';
		}
		if (answer.status === 401 || answer.status === 403) return 'failure';
		throw new CybereasonLoginError(
			'unexpectedAnswer',
			`The Cybereason console at ${host} answered the login with HTTP ${answer.status}`,
			describeBody(answer.body) || undefined,
		);
	};

	let answer = await settle(
		await send('POST', '/login.html', {
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
		}),
	);
	let outcome = classify(answer);
	if (outcome === 'failure') fail(answer, 'password');

	if (outcome === 'twoFactor') {
		const secret = String(credentials.totpSecret ?? '').trim();
		if (!secret) {
			throw new CybereasonLoginError(
				'twoFactorMissing',
				'The Cybereason console asks for a two-factor code, but the credential has no 2FA secret',
			);
		}
		const badCharacter = invalidBase32Character(secret);
		if (badCharacter !== undefined) {
			throw new CybereasonLoginError(
				'badTwoFactorSecret',
				`The 2FA secret in the credential is not valid: "${badCharacter}" is not a base32 character`,
			);
		}
		const code = generateTotp(secret, now());
		// The code goes to the site root on the same cookie jar, as the web UI does.
		answer = await settle(await send('POST', '/', { totpCode: code, submit: 'Login' }));
		outcome = classify(answer);
		if (outcome !== 'success') fail(answer, 'code');
	}

	const session = jar.get('JSESSIONID');
	if (!session) {
		throw new CybereasonLoginError(
			'noSession',
			`The Cybereason console at ${host} accepted the login but sent no JSESSIONID cookie`,
		);
	}
	const cookie = `JSESSIONID=${session}`;

	// Proof: a REST call with the cookie must not come back as the login page.
	const probe = (await httpRequest({
		method: 'POST',
		url: `${baseUrl}/rest/sensors/query`,
		headers: { Cookie: cookie, 'Content-Type': 'application/json' },
		body: { limit: 1, offset: 0 },
		json: true,
		disableFollowRedirect: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		skipSslCertificateValidation: insecure,
		timeout: 30_000,
	}).catch((error: unknown) => {
		throw new CybereasonLoginError(
			'unreachable',
			`Logged in to ${host}, but checking the session failed: ${networkHint(networkCode(error))}`,
		);
	})) as IN8nHttpFullResponse;
	if (isSessionExpiredAnswer(probe)) {
		throw new CybereasonLoginError(
			'sessionNotAccepted',
			'Cybereason accepted the login, but its REST API did not accept the new session',
		);
	}
	return cookie;
}

// ---------------------------------------------------------------------------------------------
// REST calls
// ---------------------------------------------------------------------------------------------

/**
 * Cybereason never says 401 for a dead session by default: it redirects to the login page (302), or, behind
 * some proxies, serves that page with 200. n8n only re-logs in by itself on 401, so all three count here.
 */
export function isSessionExpiredAnswer(response: IN8nHttpFullResponse): boolean {
	const { statusCode, body } = response;
	if (statusCode === 401) return true;
	if (statusCode >= 300 && statusCode < 400) return true;
	if (statusCode >= 200 && statusCode < 300) {
		const type = headerValue(response.headers, 'content-type') ?? '';
		return isLoginPage(body) || (typeof body === 'string' && type.includes('text/html'));
	}
	return false;
}

export function retryAfterMs(
	headers: IDataObject | undefined,
	now: number = Date.now(),
): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(retry: number): number {
	return BACKOFF_BASE_MS * 2 ** (retry - 1);
}

export interface CybereasonRequest {
	method: 'GET' | 'POST';
	/** Path below the Server URL, e.g. `/rest/crimes/unified`. */
	path: string;
	body?: IDataObject | IDataObject[] | string;
	/**
	 * Reads (queries, progress, status, sensors) are retried on network errors, 429 and 5xx.
	 * Actions (remediate, isolate, abort) are sent once; the only replay is after a session-expiry answer,
	 * which means the console did not process them.
	 */
	idempotent: boolean;
	/** What the call does, for messages: "query MalopProcess Malops". */
	operation: string;
	itemIndex?: number;
	timeoutMs?: number;
}

interface Deferred {
	promise: Promise<void>;
	resolve: () => void;
}

function deferred(): Deferred {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

/**
 * One per node run. Holds what concurrent calls of that run share: after a session expiry, exactly one call
 * logs in again (n8n persists the new cookie in the credential, so other executions and workers get it too)
 * and the others wait for it and replay with the fresh cookie.
 */
export class CybereasonApiClient {
	private generation = 0;

	private renewal?: Deferred;

	private renewalError?: unknown;

	/** Credential data with the cookie from our own renewal, used for the rest of the run. */
	private fresh?: ICredentialDataDecryptedObject;

	private credentials?: ICredentialDataDecryptedObject;

	constructor(private readonly ctx: CybereasonContext) {}

	private async baseCredentials(): Promise<ICredentialDataDecryptedObject> {
		this.credentials ??= await this.ctx.getCredentials(CREDENTIAL_TYPE);
		return this.credentials;
	}

	/** The Cybereason user the credential logs in as (the default remediation initiator). */
	async username(): Promise<string> {
		return String((await this.baseCredentials()).username ?? '');
	}

	async baseUrl(): Promise<string> {
		return normaliseBaseUrl((await this.baseCredentials()).baseUrl);
	}

	private error(
		request: CybereasonRequest,
		details: Omit<ConstructorParameters<typeof CybereasonApiError>[1], 'itemIndex'>,
	) {
		return new CybereasonApiError(this.ctx.getNode(), { ...details, itemIndex: request.itemIndex });
	}

	private async send(
		request: CybereasonRequest,
		credentials: ICredentialDataDecryptedObject | undefined,
	): Promise<IN8nHttpFullResponse> {
		const base = await this.baseCredentials();
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${normaliseBaseUrl(base.baseUrl)}${request.path}`,
			headers: request.body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: request.body,
			json: true,
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			skipSslCertificateValidation: base.ignoreSslIssues === true,
			timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
		const node = this.ctx.getNode();
		const reference = node.credentials?.[CREDENTIAL_TYPE];
		const additional = credentials
			? {
					credentialsDecrypted: {
						id: reference?.id ?? '',
						name: reference?.name ?? '',
						type: CREDENTIAL_TYPE,
						data: credentials,
					},
				}
			: undefined;
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			CREDENTIAL_TYPE,
			options,
			additional,
		)) as IN8nHttpFullResponse;
	}

	async request<T = unknown>(request: CybereasonRequest): Promise<T> {
		const maxAttempts = request.idempotent ? 1 + READ_RETRIES : 1;
		const host = hostOf(await this.baseUrl());
		let attempt = 1;
		let renewed = false;
		let expiredAt = -1;

		for (;;) {
			let carrier: Deferred | undefined;
			let credentials = this.fresh;
			if (renewed) {
				if (this.generation <= expiredAt && this.renewal) await this.renewal.promise;
				if (this.renewalError) throw this.loginFailed(request, this.renewalError);
				if (this.generation <= expiredAt) {
					// Nobody has logged in again since our call was refused: this call carries the new login,
					// because n8n runs preAuthentication when the expirable cookie field is empty.
					carrier = deferred();
					this.renewal = carrier;
					credentials = { ...(await this.baseCredentials()), sessionCookie: '' };
				} else {
					credentials = this.fresh;
				}
			} else if (!this.fresh && !(await this.baseCredentials()).sessionCookie) {
				// No session yet: n8n would log in once per concurrent call. The first call carries the login,
				// the others wait for it and use its cookie.
				if (this.renewal) {
					await this.renewal.promise;
					if (this.renewalError) throw this.loginFailed(request, this.renewalError);
					credentials = this.fresh;
				} else {
					carrier = deferred();
					this.renewal = carrier;
					credentials = { ...(await this.baseCredentials()) };
				}
			}
			const sentAt = this.generation;

			let response: IN8nHttpFullResponse;
			try {
				response = await this.send(request, credentials);
			} catch (error) {
				const login = findLoginError(error);
				if (login) {
					if (carrier) this.renewalError = login;
					throw this.loginFailed(request, login);
				}
				const code = networkCode(error);
				// The user stopped the execution: n8n already wrapped the abort in a NodeApiError, pass it on.
				if (code === 'ERR_CANCELED')
					throw new NodeApiError(this.ctx.getNode(), error as JsonObject);
				if (request.idempotent && attempt < maxAttempts && !PERMANENT.has(code ?? '')) {
					await sleep(backoffMs(attempt));
					attempt++;
					continue;
				}
				const delivered = !NOT_DELIVERED.has(code ?? '');
				throw this.error(request, {
					message: `Could not ${request.operation}: ${networkHint(code)}${
						request.idempotent && attempt > 1 ? ` (tried ${attempt} times)` : ''
					}`,
					description: !request.idempotent
						? delivered
							? 'The request may have reached the console. It was not sent again, so that no action runs twice.'
							: 'Nothing reached the console.'
						: `Cybereason console: ${host}`,
					httpCode: code,
					outcomeUnknown: !request.idempotent && delivered,
				});
			} finally {
				if (carrier) {
					// n8n wrote the new cookie into the object we passed (and persisted it in the credential).
					if (credentials?.sessionCookie) {
						this.fresh = credentials;
						this.generation++;
					}
					this.renewal = undefined;
					carrier.resolve();
				}
			}

			if (isSessionExpiredAnswer(response)) {
				if (renewed) {
					throw this.error(request, {
						message: `Could not ${request.operation}: the Cybereason session expired and a fresh login did not help`,
						description: `Right after logging in again, the console at ${host} still answered HTTP ${response.statusCode}${
							response.statusCode === 200 ? ' with a web page instead of JSON' : ''
						}. Check that the Server URL is the console's address and that the user may use the REST API.`,
						httpCode: '401',
					});
				}
				renewed = true;
				expiredAt = sentAt;
				continue;
			}

			const status = response.statusCode;
			if (status === 429 || status >= 500) {
				const wait = status === 429 ? retryAfterMs(response.headers) : undefined;
				if (request.idempotent && attempt < maxAttempts && (wait ?? 0) <= MAX_RETRY_AFTER_MS) {
					await sleep(wait ?? backoffMs(attempt));
					attempt++;
					continue;
				}
				throw this.error(request, this.statusError(request, response, attempt));
			}
			if (status >= 400) {
				throw this.error(request, this.statusError(request, response, attempt));
			}
			if (status === 204 || response.body === undefined || response.body === '') {
				return undefined as T;
			}
			if (typeof response.body === 'string') {
				throw this.error(request, {
					message: `Could not ${request.operation}: the console answered with something that is not JSON`,
					description: describeBody(response.body),
					httpCode: String(status),
				});
			}
			const failure = envelopeFailure(response.body);
			if (failure) {
				throw this.error(request, {
					message: `Could not ${request.operation}: Cybereason reported ${failure.status}${
						failure.message ? `: ${failure.message}` : ''
					}`,
					description: 'The console answered HTTP 200, but its answer says the query failed.',
					httpCode: String(status),
					cybereasonStatus: failure.status,
				});
			}
			return response.body as T;
		}
	}

	private loginFailed(request: CybereasonRequest, error: unknown) {
		const login = findLoginError(error);
		if (!login) {
			return this.error(request, {
				message: `Could not ${request.operation}: logging in to Cybereason again failed`,
				httpCode: '401',
			});
		}
		return this.error(request, {
			message: login.message,
			description: login.description ?? undefined,
			httpCode: login.failure === 'unreachable' ? undefined : '401',
		});
	}

	private statusError(
		request: CybereasonRequest,
		response: IN8nHttpFullResponse,
		attempts: number,
	) {
		const status = response.statusCode;
		const detail = describeBody(response.body);
		const tried = attempts > 1 ? ` (tried ${attempts} times)` : '';
		const base = { httpCode: String(status), description: detail || undefined };
		if (status === 429) {
			const wait = retryAfterMs(response.headers);
			return {
				...base,
				message: `Could not ${request.operation}: Cybereason is rate-limiting requests (HTTP 429)${tried}`,
				description:
					wait !== undefined && wait > MAX_RETRY_AFTER_MS
						? `The console asked to wait ${Math.round(wait / 1000)} s, longer than n8n waits inside one run.`
						: request.idempotent
							? detail || undefined
							: 'Nothing was done: the console refused the request before acting on it. Run it again later.',
			};
		}
		if (status >= 500) {
			return {
				...base,
				message: `Could not ${request.operation}: the Cybereason console failed with HTTP ${status}${tried}`,
				description: request.idempotent
					? detail || undefined
					: `${detail ? `${detail}. ` : ''}It may or may not have acted; the request was not sent again, so that no action runs twice.`,
				outcomeUnknown: !request.idempotent,
			};
		}
		if (status === 403) {
			return {
				...base,
				message: `Could not ${request.operation}: the Cybereason user is not allowed to (HTTP 403)`,
				description: `Give the API user a role with this permission.${detail ? ` Console said: ${detail}` : ''}`,
			};
		}
		if (status === 404) {
			return {
				...base,
				message: `Could not ${request.operation}: the console has no ${request.path.split('/').slice(0, 4).join('/')} endpoint (HTTP 404)`,
				description: `Check the Server URL and that the console version supports this call.${
					detail ? ` Console said: ${detail}` : ''
				}`,
			};
		}
		return {
			...base,
			message: `Could not ${request.operation}: Cybereason rejected the request (HTTP ${status})${
				detail ? `: ${detail}` : ''
			}`,
			description: undefined,
		};
	}
}
