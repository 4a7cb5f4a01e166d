// API: POST /login.html, POST / (two-factor step), POST /rest/sensors/query (session probe)
// Form login as the console's web UI does it; called from the credential's preAuthentication, which only has
// helpers.httpRequest. Success is a redirect away from the login page plus a JSESSIONID that the REST API
// accepts: the login page can set a cookie too, so a cookie alone proves nothing.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { normaliseBaseUrl } from '../baseUrl';
import { CybereasonLoginError, describeBody } from '../errors';
import { generateTotp, invalidBase32Character } from '../totp';
import { headerValue, isLoginPage, isSessionExpiredAnswer, setCookies } from './http';
import { hostOf, networkCode, networkHint, TLS_CODES } from './network';
import { Redactor } from './redact';

type HttpRequest = IHttpRequestHelper['helpers']['httpRequest'];

const LOGIN_TIMEOUT_MS = 30_000;
/** The login flow takes at most a two-factor page and a landing page; more hops than this are a loop. */
const MAX_LOGIN_REDIRECTS = 5;

interface LoginAnswer {
	status: number;
	location: string;
	body: string;
	/** The last redirect target followed, if any. */
	url: string;
}

type Outcome = 'success' | 'twoFactor' | 'failure';

/** One login attempt: the console's address, TLS choice and the cookie jar of the flow. */
class LoginFlow {
	readonly host: string;

	private readonly jar = new Map<string, string>();

	constructor(
		private readonly httpRequest: HttpRequest,
		readonly baseUrl: string,
		private readonly insecure: boolean,
		private readonly redactor: Redactor,
	) {
		this.host = hostOf(baseUrl);
	}

	/** Every answer as it is: a redirect or a login page is what the flow reads, never an error to throw. */
	private asIs() {
		return {
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			skipSslCertificateValidation: this.insecure,
			timeout: LOGIN_TIMEOUT_MS,
		} as const;
	}

	session(): string | undefined {
		return this.jar.get('JSESSIONID');
	}

	private async send(method: IHttpRequestMethods, path: string, form?: Record<string, string>) {
		const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
		const headers: IDataObject = {};
		if (cookie) headers.Cookie = cookie;
		if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
		const response = (await this.httpRequest({
			method,
			url: `${this.baseUrl}${path}`,
			headers,
			// Pre-encoded: the same bytes on every n8n line (`@` becomes %40, as the console expects).
			body: form ? new URLSearchParams(form).toString() : undefined,
			...this.asIs(),
		}).catch((error: unknown) => {
			const code = networkCode(error);
			throw new CybereasonLoginError(
				'unreachable',
				`Could not reach the Cybereason console at ${this.host}: ${networkHint(code)}`,
				TLS_CODES.has(code ?? '')
					? 'The Server URL uses HTTPS with a certificate n8n does not trust.'
					: undefined,
			);
		})) as IN8nHttpFullResponse;
		for (const raw of setCookies(response.headers)) {
			const [pair] = raw.split(';');
			const eq = pair.indexOf('=');
			if (eq > 0) this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
		}
		return {
			status: response.statusCode,
			location: headerValue(response.headers, 'location') ?? '',
			// A login error page may echo the submitted form.
			body: this.redactor.scrub(
				typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
			),
			url: '',
		};
	}

	/** Posts a form, then follows redirects that stay on the login flow, so the page behind them can be read. */
	async post(path: string, form: Record<string, string>): Promise<LoginAnswer> {
		let answer = await this.send('POST', path, form);
		let url = '';
		for (let hop = 0; answer.status >= 300 && answer.status < 400; hop++) {
			url = answer.location;
			if (/error|reset|expired/i.test(url) || !/login|tfa|two.?factor|totp/i.test(url)) break;
			if (hop === MAX_LOGIN_REDIRECTS) {
				throw new CybereasonLoginError(
					'redirectLoop',
					`The Cybereason console at ${this.host} keeps redirecting the login to itself (last to ${url})`,
				);
			}
			const target = new URL(url, `${this.baseUrl}/`);
			answer = await this.send('GET', `${target.pathname}${target.search}`);
		}
		return { ...answer, url };
	}

	classify(answer: LoginAnswer): Outcome {
		if (answer.status >= 300 && answer.status < 400) {
			return /error|reset|expired/i.test(answer.url) ? 'failure' : 'success';
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
			`The Cybereason console at ${this.host} answered the login with HTTP ${answer.status}`,
			describeBody(answer.body) || undefined,
		);
	}

	rejected(answer: LoginAnswer, step: 'password' | 'code'): CybereasonLoginError {
		if (/reset|expired/i.test(answer.url)) {
			return new CybereasonLoginError(
				'passwordExpired',
				`The Cybereason password of this user has expired: log in to ${this.host} in a browser to change it, then update the credential`,
			);
		}
		return step === 'code'
			? new CybereasonLoginError(
					'twoFactorRejected',
					'Cybereason rejected the two-factor code: check the 2FA secret in the credential and that the n8n host clock is right',
				)
			: new CybereasonLoginError(
					'rejected',
					'Cybereason rejected the login: check the username and password',
				);
	}

	/** Proof: a REST call with the new cookie must not come back as the login page. */
	async probe(cookie: string): Promise<void> {
		const probe = (await this.httpRequest({
			method: 'POST',
			url: `${this.baseUrl}/rest/sensors/query`,
			headers: { Cookie: cookie, 'Content-Type': 'application/json' },
			body: { limit: 1, offset: 0 },
			json: true,
			...this.asIs(),
		}).catch((error: unknown) => {
			throw new CybereasonLoginError(
				'unreachable',
				`Logged in to ${this.host}, but checking the session failed: ${networkHint(networkCode(error))}`,
			);
		})) as IN8nHttpFullResponse;
		if (isSessionExpiredAnswer(probe)) {
			throw new CybereasonLoginError(
				'sessionNotAccepted',
				'Cybereason accepted the login, but its REST API did not accept the new session',
			);
		}
	}
}

function twoFactorSecret(credentials: ICredentialDataDecryptedObject): string {
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
	return secret;
}

/** Logs in and returns the `JSESSIONID=…` cookie the REST API accepted. */
export async function cybereasonApiLogin(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
	now: () => number = Date.now,
): Promise<string> {
	const baseUrl = normaliseBaseUrl(credentials.baseUrl);
	if (!baseUrl) {
		throw new CybereasonLoginError('unexpectedAnswer', 'The credential has no Server URL');
	}
	const flow = new LoginFlow(
		httpRequest,
		baseUrl,
		credentials.ignoreSslIssues === true,
		Redactor.of(credentials),
	);
	let answer = await flow.post('/login.html', {
		username: String(credentials.username ?? ''),
		password: String(credentials.password ?? ''),
	});
	let outcome = flow.classify(answer);
	if (outcome === 'failure') throw flow.rejected(answer, 'password');
	if (outcome === 'twoFactor') {
		const code = generateTotp(twoFactorSecret(credentials), now());
		// The code goes to the site root on the same cookie jar, as the web UI does.
		answer = await flow.post('/', { totpCode: code, submit: 'Login' });
		outcome = flow.classify(answer);
		if (outcome !== 'success') throw flow.rejected(answer, 'code');
	}
	const session = flow.session();
	if (!session) {
		throw new CybereasonLoginError(
			'noSession',
			`The Cybereason console at ${flow.host} accepted the login but sent no JSESSIONID cookie`,
		);
	}
	const cookie = `JSESSIONID=${session}`;
	await flow.probe(cookie);
	return cookie;
}
