// Why an answer (or its absence) fails a request: HTTP statuses, bodies that are not what the endpoint answers,
// network failures.
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../transport/http';
import type { CybereasonErrorDetails } from './apiError';
import { describeBody, envelopeFailure } from './envelope';

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
