// The only HTTP of the nodes: every REST call goes through CybereasonApiClient.request, which knows the base URL,
// the TLS option, Cybereason's session-expiry signals, retries and the translation of answers into errors.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { normaliseBaseUrl } from '../baseUrl';
import {
	answerFailure,
	CybereasonApiError,
	expiredAfterLogin,
	findLoginError,
	loginFailure,
	networkFailure,
	shapelessAnswer,
	type CybereasonErrorDetails,
	type Successor,
} from '../errors';
import {
	backoffMs,
	headerValue,
	isSessionExpiredAnswer,
	MAX_RETRY_AFTER_MS,
	retryAfterMs,
} from './http';
import { hostOf, networkCode, networkHint, NOT_DELIVERED, PERMANENT, TIMED_OUT } from './network';
import { Redactor } from './redact';
import { SessionRenewal, type SessionTicket } from './session';

export const CREDENTIAL_TYPE = 'cybereasonApi';

export type CybereasonContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** Reads are retried this many times after the first try; actions never are. */
export const READ_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Upper bound on every request's timeout. Tests lower it so that a hung console times out in milliseconds; in
 * n8n it stays unbounded and each endpoint's own timeout applies.
 */
export const transportLimits = { timeoutCapMs: Infinity };

/** The body as text, scrubbed of secrets, then parsed when it is JSON (Cybereason sends JSON without saying so). */
function readBody(raw: unknown, redactor: Redactor): unknown {
	if (typeof raw !== 'string') return raw;
	const text = redactor.scrub(raw);
	if (text === '') return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

export interface CybereasonRequest {
	method: 'GET' | 'POST' | 'PUT';
	/** Path below the Server URL, e.g. `/rest/crimes/unified`. */
	path: string;
	body?: IDataObject | IDataObject[] | string;
	/**
	 * `text`: the body is a string sent as it is, as UTF-8 `text/plain` (a comment, a bare Malop GUID). As JSON a
	 * comment would arrive with its quotes, and a legacy GUID such as `11.1882697476172655933` reads as a number.
	 */
	bodyType?: 'json' | 'text';
	/** The console answers this call with bare text (update-labels: `success`): that text is the answer, not an error. */
	textAnswer?: boolean;
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
	/** A deprecated endpoint: what replaces it, named in the error when the console no longer serves it. */
	successor?: Successor;
	/**
	 * What a usable answer looks like (each endpoint's typed answer, in api/). Any other 2xx answer (no body,
	 * `null`, `{}`, a SUCCESS envelope without its data) fails naming the endpoint, instead of reading as "none".
	 */
	expect?: AnswerShape;
}

export interface AnswerShape {
	/** For the message: "a Malop list". */
	what: string;
	test(body: unknown): boolean;
}

interface Tries {
	attempt: number;
	max: number;
	/** Tries that ended in our timeout. */
	timeouts: number;
}

/** What one try of a request led to. */
type Try =
	| { kind: 'answer'; body: unknown }
	| { kind: 'expired'; status: number }
	| { kind: 'retry'; waitMs: number };

/**
 * One per node run: it holds what the run's concurrent calls share, the one re-login after a session expiry
 * (see session.ts).
 */
export class CybereasonApiClient {
	private credentials?: ICredentialDataDecryptedObject;

	private readonly session = new SessionRenewal(async () => await this.baseCredentials());

	/** The console's clock minus ours, from the Date header of its latest answer. */
	private clockOffsetMs?: number;

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

	/**
	 * The console's present, as the Date header of its latest answer showed it and our clock carried it forward;
	 * undefined before the first answer or when the console sends no Date header. Whole seconds: the header has
	 * no more, so callers allow a second or two.
	 */
	consoleNow(now: number = Date.now()): number | undefined {
		return this.clockOffsetMs === undefined ? undefined : now + this.clockOffsetMs;
	}

	private noteConsoleClock(response: IN8nHttpFullResponse) {
		const date = Date.parse(headerValue(response.headers, 'date') ?? '');
		if (!Number.isNaN(date)) this.clockOffsetMs = date - Date.now();
	}

	private error(request: CybereasonRequest, details: Omit<CybereasonErrorDetails, 'itemIndex'>) {
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
			headers:
				request.body === undefined
					? {}
					: {
							'Content-Type':
								request.bodyType === 'text' ? 'text/plain;charset=UTF-8' : 'application/json',
						},
			body: request.body,
			json: true,
			// Read as text: scrubbed of secrets before anything parses or shows it.
			encoding: 'text',
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			skipSslCertificateValidation: base.ignoreSslIssues === true,
			timeout: Math.min(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, transportLimits.timeoutCapMs),
		};
		const reference = this.ctx.getNode().credentials?.[CREDENTIAL_TYPE];
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
		const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			CREDENTIAL_TYPE,
			options,
			additional,
		)) as IN8nHttpFullResponse;
		response.body = readBody(
			response.body,
			Redactor.of(base, credentials),
		) as IN8nHttpFullResponse['body'];
		return response;
	}

	async request<T = unknown>(request: CybereasonRequest): Promise<T> {
		const tries: Tries = {
			attempt: 1,
			timeouts: 0,
			max: request.idempotent ? 1 + READ_RETRIES : 1,
		};
		let expiredAt: number | undefined;
		for (;;) {
			const ticket = await this.session.ticket(expiredAt).catch((failure: unknown) => {
				throw this.error(request, loginFailure(request.operation, failure));
			});
			const outcome = await this.tryOnce(request, ticket, tries);
			if (outcome.kind === 'answer') return outcome.body as T;
			if (outcome.kind === 'expired') {
				if (expiredAt !== undefined) {
					const host = hostOf(await this.baseUrl());
					throw this.error(request, expiredAfterLogin(request, host, outcome.status));
				}
				expiredAt = ticket.generation;
				continue;
			}
			await sleep(outcome.waitMs);
			tries.attempt++;
		}
	}

	/** One send and what its answer means; errors that end the request are thrown from here. */
	private async tryOnce(
		request: CybereasonRequest,
		ticket: SessionTicket,
		tries: Tries,
	): Promise<Try> {
		const { attempt, max: maxAttempts } = tries;
		let response: IN8nHttpFullResponse;
		try {
			response = await this.send(request, ticket.credentials);
			this.session.settle(ticket);
		} catch (error) {
			const login = findLoginError(error);
			this.session.settle(ticket, login);
			if (login) throw this.error(request, loginFailure(request.operation, login));
			const code = networkCode(error);
			// The user stopped the execution. Not n8n's wrapped error: it may carry the request and its cookie.
			if (code === 'ERR_CANCELED') {
				throw new NodeApiError(this.ctx.getNode(), {
					message: 'The execution was cancelled',
					code,
				});
			}
			if (code === TIMED_OUT) tries.timeouts++;
			// A hung console: one more try at most, so a read fails in two timeouts, not four.
			const hung = tries.timeouts >= 2;
			if (request.idempotent && attempt < maxAttempts && !PERMANENT.has(code ?? '') && !hung) {
				return { kind: 'retry', waitMs: backoffMs(attempt) };
			}
			const host = hostOf(await this.baseUrl());
			const delivered = !NOT_DELIVERED.has(code ?? '');
			throw this.error(
				request,
				networkFailure(request, code, attempt, host, networkHint(code), delivered),
			);
		}
		this.noteConsoleClock(response);
		if (isSessionExpiredAnswer(response)) return { kind: 'expired', status: response.statusCode };
		const status = response.statusCode;
		if (status === 429 || status >= 500) {
			const wait = status === 429 ? retryAfterMs(response.headers) : undefined;
			if (request.idempotent && attempt < maxAttempts && (wait ?? 0) <= MAX_RETRY_AFTER_MS) {
				return { kind: 'retry', waitMs: wait ?? backoffMs(attempt) };
			}
		}
		const empty =
			status < 400 && (status === 204 || response.body === undefined || response.body === '');
		const failure = empty ? undefined : answerFailure(request, response, attempt);
		if (failure) throw this.error(request, failure);
		const body: unknown = empty ? undefined : response.body;
		if (request.expect && !request.expect.test(body)) {
			throw this.error(request, shapelessAnswer(request, status, body, request.expect.what));
		}
		return { kind: 'answer', body };
	}
}
