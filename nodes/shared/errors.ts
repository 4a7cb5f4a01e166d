// The one translator from a Cybereason answer (or its absence) to the error the user sees.
import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, UserError } from 'n8n-workflow';

import { MAX_RETRY_AFTER_MS, retryAfterMs } from './transport/http';

export type LoginFailure =
	| 'rejected'
	| 'passwordExpired'
	| 'twoFactorMissing'
	| 'twoFactorRejected'
	| 'badTwoFactorSecret'
	| 'noSession'
	| 'sessionNotAccepted'
	| 'unreachable'
	| 'redirectLoop'
	| 'unexpectedAnswer';

const LOGIN_CODE_PREFIX = 'CYBEREASON_LOGIN_';

/** What to do about a login failure; kept here so n8n 1.x, which loses the original error, can show it too. */
const LOGIN_DESCRIPTIONS: Partial<Record<LoginFailure, string>> = {
	rejected: 'The console sent its login page back instead of a session.',
	twoFactorMissing:
		"Add the user's TOTP secret (the base32 key shown when two-factor authentication was set up) to the credential.",
	redirectLoop:
		'Check the Server URL: it must be the console itself. A proxy or a single sign-on page in front of the console can cause this loop; this credential needs a user that logs in with a password.',
	sessionNotAccepted:
		'Right after logging in, the console answered a REST call with its login page. Another login with the same user may have ended the session (consoles that allow one session per user: give each n8n deployment its own Cybereason user), or the user may not be allowed to use the REST API.',
};

/** Thrown by the credential's login; the transport turns it into a NodeApiError with HTTP 401. */
export class CybereasonLoginError extends UserError {
	readonly failure: LoginFailure;

	/**
	 * n8n 1.x keeps neither the class nor the cause of an error thrown by preAuthentication, only its message and
	 * a status-like field (as the NodeApiError's httpCode), so the kind of failure travels in `errorCode`. Not in
	 * `code`: n8n 2.x's credential test shows a cause's `code` instead of its message.
	 */
	readonly errorCode: string;

	constructor(failure: LoginFailure, message: string, description = LOGIN_DESCRIPTIONS[failure]) {
		super(message, { description, level: 'warning' });
		this.name = 'CybereasonLoginError';
		this.failure = failure;
		this.errorCode = `${LOGIN_CODE_PREFIX}${failure}`;
	}
}

/** The login failure behind an error from n8n's request helper, on both n8n lines. */
export function findLoginError(error: unknown): CybereasonLoginError | undefined {
	type Wrapped = {
		cause?: unknown;
		httpCode?: unknown;
		errorCode?: unknown;
		messages?: unknown;
		message?: string;
	};
	const chain: Wrapped[] = [];
	for (
		let e = error as Wrapped | undefined;
		e && chain.length < 4;
		e = e.cause as Wrapped | undefined
	) {
		// n8n 2.x keeps the original as `cause`, with its description.
		if (e instanceof CybereasonLoginError) return e;
		chain.push(e);
	}
	for (const e of chain) {
		const code = [e.errorCode, e.httpCode].find(
			(value): value is string => typeof value === 'string' && value.startsWith(LOGIN_CODE_PREFIX),
		);
		if (!code) continue;
		const messages = Array.isArray(e.messages) ? (e.messages as unknown[]) : [];
		const message =
			typeof messages[0] === 'string' ? messages[0] : (e.message ?? 'Cybereason login failed');
		return new CybereasonLoginError(code.slice(LOGIN_CODE_PREFIX.length) as LoginFailure, message);
	}
	return undefined;
}

export interface CybereasonErrorDetails {
	message: string;
	description?: string;
	httpCode?: string;
	itemIndex?: number;
	/** A remediation/isolation POST whose answer was lost: the console may or may not have acted. */
	outcomeUnknown?: boolean;
	/** The console's own error kind, e.g. the envelope status or INVALID_ARGUMENT. */
	cybereasonStatus?: string;
}

/**
 * The one error type the nodes raise for console answers. Built from a plain object, never from an axios
 * error, so request headers (the session cookie) cannot end up in the execution data.
 */
export class CybereasonApiError extends NodeApiError {
	readonly outcomeUnknown: boolean;

	readonly cybereasonStatus?: string;

	constructor(node: INode, details: CybereasonErrorDetails) {
		const { message, description, httpCode, itemIndex } = details;
		super(node, { message, httpCode: httpCode ?? null } as JsonObject, {
			message,
			description,
			httpCode,
			itemIndex,
		});
		// NodeApiError replaces some messages with generic HTTP texts; keep ours.
		this.message = message;
		if (description !== undefined) this.description = description;
		this.outcomeUnknown = details.outcomeUnknown === true;
		this.cybereasonStatus = details.cybereasonStatus;
	}
}

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
function envelopeFailure(body: unknown): { status: string; message: string } | undefined {
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

/** What replaces an endpoint that newer consoles drop, for the error of a console where it is gone. */
export interface Successor {
	/** Appended to the message: what to switch to. */
	hint: string;
	/** Why, in the description. */
	description: string;
}

/** What the translators need to know of a request. */
export interface RequestFacts {
	operation: string;
	path: string;
	idempotent: boolean;
	successor?: Successor;
	/** A bare-text answer is expected (see CybereasonRequest.textAnswer). */
	textAnswer?: boolean;
}

/** How a console answers for an endpoint it no longer has: unknown path, or its old route refusing the method. */
const GONE_STATUSES = new Set([404, 405, 410]);

/** The error of a retired endpoint names its successor; `said` is what the console's answer said. */
function withSuccessor(
	details: CybereasonErrorDetails,
	successor: Successor,
	said: string,
): CybereasonErrorDetails {
	return {
		...details,
		message: `${details.message}. ${successor.hint}`,
		description: `${successor.description}${said ? ` Console said: ${said}` : ''}`,
	};
}

/** The console's own error kind in a 4xx body (`{"status":"NO_MATCHING_SENSORS",...}`), if it names one. */
function bodyStatus(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const status = (body as Record<string, unknown>).status;
	return typeof status === 'string' && /^[A-Z][A-Z_]+$/.test(status) ? status : undefined;
}

function statusFailure(
	request: RequestFacts,
	response: IN8nHttpFullResponse,
	attempts: number,
): CybereasonErrorDetails {
	const status = response.statusCode;
	const detail = describeBody(response.body);
	const tried = attempts > 1 ? ` (tried ${attempts} times)` : '';
	const base = {
		httpCode: String(status),
		description: detail || undefined,
		cybereasonStatus: bodyStatus(response.body),
	};
	const could = `Could not ${request.operation}`;
	if (status === 429) {
		const wait = retryAfterMs(response.headers);
		return {
			...base,
			message: `${could}: Cybereason is rate-limiting requests (HTTP 429)${tried}`,
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
			message: `${could}: the Cybereason console failed with HTTP ${status}${tried}`,
			description: request.idempotent
				? detail || undefined
				: `${detail ? `${detail}. ` : ''}It may or may not have acted; the request was not sent again, so that no action runs twice.`,
			outcomeUnknown: !request.idempotent,
		};
	}
	if (status === 403) {
		return {
			...base,
			message: `${could}: the Cybereason user is not allowed to (HTTP 403)`,
			description: `Give the API user a role with this permission.${detail ? ` Console said: ${detail}` : ''}`,
		};
	}
	if (request.successor && GONE_STATUSES.has(status)) {
		return withSuccessor(
			{
				...base,
				message: `${could}: the console has no ${request.path} endpoint (HTTP ${status})`,
			},
			request.successor,
			detail,
		);
	}
	if (status === 404) {
		return {
			...base,
			message: `${could}: the console has no ${request.path.split('/').slice(0, 4).join('/')} endpoint (HTTP 404)`,
			description: `Check the Server URL and that the console version supports this call.${
				detail ? ` Console said: ${detail}` : ''
			}`,
		};
	}
	return {
		...base,
		message: `${could}: Cybereason rejected the request (HTTP ${status})${detail ? `: ${detail}` : ''}`,
		description: undefined,
	};
}

/** Why an answer that is not a session expiry fails the request, or undefined when its body can be used. */
export function answerFailure(
	request: RequestFacts,
	response: IN8nHttpFullResponse,
	attempts: number,
): CybereasonErrorDetails | undefined {
	const status = response.statusCode;
	if (status >= 400) return statusFailure(request, response, attempts);
	if (typeof response.body === 'string' && response.body !== '' && request.textAnswer !== true) {
		const detail = describeBody(response.body);
		// An action's answer that cannot be read says nothing about whether the console acted on it.
		return {
			message: `Could not ${request.operation}: the console answered with something that is not JSON`,
			description: request.idempotent
				? detail
				: `${detail ? `${detail}. ` : ''}It may or may not have acted; the request was not sent again, so that no action runs twice.`,
			httpCode: String(status),
			outcomeUnknown: !request.idempotent,
		};
	}
	const failure = envelopeFailure(response.body);
	if (failure) {
		const details = {
			message: `Could not ${request.operation}: Cybereason reported ${failure.status}${
				failure.message ? `: ${failure.message}` : ''
			}`,
			description: 'The console answered HTTP 200, but its answer says the query failed.',
			httpCode: String(status),
			cybereasonStatus: failure.status,
		};
		// A console that dropped an endpoint may keep its route and answer every call with a FAILURE envelope.
		return request.successor ? withSuccessor(details, request.successor, '') : details;
	}
	return undefined;
}

/**
 * A 2xx answer without what the endpoint always sends (no body, `null`, `{}`, `[]`, a SUCCESS envelope with
 * `data: null`): read as "nothing found" it would hide a console or proxy fault.
 */
export function shapelessAnswer(
	request: RequestFacts,
	status: number,
	body: unknown,
	expected: string,
): CybereasonErrorDetails {
	const json = JSON.stringify(body) ?? '';
	const got =
		body === undefined
			? status === 204
				? 'HTTP 204 (no content)'
				: `HTTP ${status} and an empty body`
			: `HTTP ${status} and ${json.length > 200 ? `${json.slice(0, 200)}…` : json}`;
	const message = `Could not ${request.operation}: the console answered ${request.path} with ${got} instead of ${expected}`;
	if (!request.idempotent) {
		// A state change whose answer is not the one success looks like: the console may have carried it out.
		return {
			message,
			description:
				'The console may or may not have made the change. It was not sent again: read the state back before running it again.',
			httpCode: String(status),
			outcomeUnknown: true,
		};
	}
	return {
		message,
		description:
			'An answer without its data is not taken for "none found". Nothing was changed: run it again (a trigger asks again at its next poll); if it persists, check what answers in front of the console (a proxy or load balancer).',
		httpCode: String(status),
	};
}

/** A request that got no answer at all. */
export function networkFailure(
	request: RequestFacts,
	code: string | undefined,
	attempts: number,
	host: string,
	hint: string,
	delivered: boolean,
): CybereasonErrorDetails {
	return {
		message: `Could not ${request.operation}: ${hint}${
			request.idempotent && attempts > 1 ? ` (tried ${attempts} times)` : ''
		}`,
		description: !request.idempotent
			? delivered
				? 'The request may have reached the console. It was not sent again, so that no action runs twice.'
				: 'Nothing reached the console.'
			: `Cybereason console: ${host}`,
		httpCode: code,
		outcomeUnknown: !request.idempotent && delivered,
	};
}

/** A login (first or renewed) that failed while a request waited for it. */
export function loginFailure(operation: string, error: unknown): CybereasonErrorDetails {
	const login = findLoginError(error);
	if (!login) {
		return {
			message: `Could not ${operation}: logging in to Cybereason again failed`,
			httpCode: '401',
		};
	}
	return {
		message: login.message,
		description: login.description ?? undefined,
		httpCode: login.failure === 'unreachable' ? undefined : '401',
	};
}

/** The console still said "session over" right after a fresh login. */
export function expiredAfterLogin(
	request: RequestFacts,
	host: string,
	status: number,
): CybereasonErrorDetails {
	return {
		message: `Could not ${request.operation}: the Cybereason session expired and a fresh login did not help`,
		description: `Right after logging in again, the console at ${host} still answered HTTP ${status}${
			status === 200 ? ' with a web page instead of JSON' : ''
		}. Check that the Server URL is the console's address and that the user may use the REST API.`,
		httpCode: '401',
	};
}
