import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, UserError } from 'n8n-workflow';

export type LoginFailure =
	| 'rejected'
	| 'passwordExpired'
	| 'twoFactorMissing'
	| 'twoFactorRejected'
	| 'badTwoFactorSecret'
	| 'noSession'
	| 'sessionNotAccepted'
	| 'unreachable'
	| 'unexpectedAnswer';

const LOGIN_CODE_PREFIX = 'CYBEREASON_LOGIN_';

/** What to do about a login failure; kept here so n8n 1.x, which loses the original error, can show it too. */
const LOGIN_DESCRIPTIONS: Partial<Record<LoginFailure, string>> = {
	rejected: 'The console sent its login page back instead of a session.',
	twoFactorMissing:
		"Add the user's TOTP secret (the base32 key shown when two-factor authentication was set up) to the credential.",
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
	for (const key of ['message', 'errorMessage', 'error']) {
		const value = body[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return '';
}

/** Query endpoints answer HTTP 200 with `status: FAILURE` (or `outcome: failure`) when they failed. */
export function envelopeFailure(body: unknown): { status: string; message: string } | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const record = body as Record<string, unknown>;
	const status = typeof record.status === 'string' ? record.status : undefined;
	if (status && FAILED_ENVELOPES.has(status)) {
		return { status, message: envelopeText(record) };
	}
	if (typeof record.outcome === 'string' && record.outcome.toLowerCase() === 'failure') {
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
	return `Cybereason answered PARTIAL_SUCCESS${failures}: some console servers did not answer, so results may be incomplete${text ? `: ${text}` : ''}`;
}

const LOGIN_PAGE_MARKERS = ['<app-login', 'Cybereason | Login', 'Two factor authentication'];

/** The console answers a dead session with its Angular login page (`<app-login>`), often as HTTP 200. */
export function isLoginPage(body: unknown): boolean {
	return typeof body === 'string' && LOGIN_PAGE_MARKERS.some((marker) => body.includes(marker));
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
