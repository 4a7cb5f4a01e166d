// Login failures: what the credential's login throws, how it survives n8n's wrapping on both lines, and what a
// request waiting for a login says when it failed.
import { UserError } from 'n8n-workflow';

import type { RequestFacts } from './answers';
import type { CybereasonErrorDetails } from './apiError';

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
