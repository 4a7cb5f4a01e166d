// API: POST /login.html, POST / (TOTP step), GET /, GET /login.html, GET /logout
// The console's form login: success and failure are both 302s, told apart only by Location; any
// visitor may hold a JSESSIONID, so a cookie alone never proves a login (reference §1.2).
import { randomBytes } from 'node:crypto';

import type { Clock, ExpiredSessionMode, SimUserAccount } from './model';
import { html, json, redirect, type SimRequest, type SimResponse } from './respond';
import { verifyTotp } from './totp';

type SessionState = 'anonymous' | 'pending' | 'authenticated';

export interface Session {
	id: string;
	username: string | undefined;
	state: SessionState;
	createdAt: number;
	/** Absolute expiry: the console's cookie lives 8 h from login, activity does not extend it. */
	expiresAt: number;
}

export const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cybereason | Login</title>
<base href="/">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<app-login></app-login>
<script src="login.bundle.js" defer></script>
</body>
</html>
`;

// Not public: the text "Two factor authentication" is what clients detect ([FS-PY], [CF]); the
// form posts totpCode + submit to the site root.
export const TFA_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cybereason | Login</title>
</head>
<body>
<h2>Two factor authentication</h2>
<p>Enter the 6-digit code from your authenticator app.</p>
<form method="POST" action="/">
<input type="text" name="totpCode" autocomplete="one-time-code" maxlength="6">
<input type="submit" name="submit" value="Login">
</form>
</body>
</html>
`;

const APP_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cybereason</title>
<base href="/">
</head>
<body>
<app-root></app-root>
<script src="main.bundle.js" defer></script>
</body>
</html>
`;

export const TFA_REDIRECT_LOCATION = '/login.html?tfa';

export interface AuthConfig {
	users: SimUserAccount[];
	sessionTtlMs: number;
	expiredSession: ExpiredSessionMode;
	loginErrorLocation: string;
	twoFactorStep: 'page' | 'redirect';
	/** Secure is only added on https: a client would not send a Secure cookie back over plain http. */
	secureCookie: boolean;
	clock: Clock;
}

export class SessionStore {
	readonly sessions = new Map<string, Session>();
	logins = 0;
	failedLogins = 0;

	constructor(private readonly config: AuthConfig) {}

	private create(state: SessionState, username: string | undefined): Session {
		const now = this.config.clock.now();
		const session: Session = {
			id: randomBytes(16).toString('hex').toUpperCase(),
			username,
			state,
			createdAt: now,
			expiresAt: now + this.config.sessionTtlMs,
		};
		this.sessions.set(session.id, session);
		return session;
	}

	get(id: string | undefined): Session | undefined {
		if (!id) return undefined;
		const session = this.sessions.get(id);
		if (!session) return undefined;
		if (this.config.clock.now() >= session.expiresAt) {
			this.sessions.delete(id);
			return undefined;
		}
		return session;
	}

	authenticated(id: string | undefined): Session | undefined {
		const session = this.get(id);
		return session?.state === 'authenticated' ? session : undefined;
	}

	/** Expires one session (by cookie value) or every session; returns how many were dropped. */
	expire(id?: string): number {
		if (id === undefined) {
			const n = this.sessions.size;
			this.sessions.clear();
			return n;
		}
		return this.sessions.delete(id) ? 1 : 0;
	}

	counts(): { authenticated: number; pending: number; anonymous: number } {
		const out = { authenticated: 0, pending: 0, anonymous: 0 };
		for (const s of this.sessions.values()) {
			if (this.config.clock.now() < s.expiresAt) out[s.state]++;
		}
		return out;
	}

	private setCookie(session: Session): string {
		return `JSESSIONID=${session.id}; Path=/; HttpOnly${this.config.secureCookie ? '; Secure' : ''}`;
	}

	private fail(): SimResponse {
		this.failedLogins++;
		// A failed login still hands out a (useless) session cookie, as Java consoles do.
		const anonymous = this.create('anonymous', undefined);
		return redirect(this.config.loginErrorLocation, { 'Set-Cookie': this.setCookie(anonymous) });
	}

	/** Answers the login/logout pages; undefined when the request is not one of them. */
	handle(req: SimRequest): SimResponse | undefined {
		const { method, path } = req;
		if (path === '/login.html' && method === 'GET') {
			if ('tfa' in req.query && this.get(req.cookie)?.state === 'pending')
				return html(200, TFA_PAGE);
			return html(200, LOGIN_PAGE);
		}
		if (path === '/login.html' && method === 'POST') return this.passwordStep(req);
		if (path === '/' && method === 'POST') return this.totpStep(req);
		if (path === '/' && method === 'GET') {
			return this.authenticated(req.cookie) ? html(200, APP_PAGE) : redirect('/login.html');
		}
		if (path === '/logout' && (method === 'GET' || method === 'POST')) {
			if (req.cookie) this.sessions.delete(req.cookie);
			return redirect('/login.html');
		}
		return undefined;
	}

	private passwordStep(req: SimRequest): SimResponse {
		const form = formOf(req);
		const user = this.config.users.find((u) => u.username === form.username);
		if (!user || user.password !== form.password) return this.fail();
		if (user.totpSecret) {
			const pending = this.create('pending', user.username);
			const cookie = { 'Set-Cookie': this.setCookie(pending) };
			return this.config.twoFactorStep === 'redirect'
				? redirect(TFA_REDIRECT_LOCATION, cookie)
				: html(200, TFA_PAGE, cookie);
		}
		this.logins++;
		const session = this.create('authenticated', user.username);
		return redirect('/', { 'Set-Cookie': this.setCookie(session) });
	}

	private totpStep(req: SimRequest): SimResponse {
		const pending = this.get(req.cookie);
		if (!pending || pending.state !== 'pending') return this.fail();
		const user = this.config.users.find((u) => u.username === pending.username);
		const code = String(formOf(req).totpCode ?? '').trim();
		this.sessions.delete(pending.id);
		if (!user?.totpSecret || !verifyTotp(user.totpSecret, code, this.config.clock.now()))
			return this.fail();
		this.logins++;
		// The session id is rotated on completion (session-fixation hygiene): clients must take the new cookie.
		const session = this.create('authenticated', user.username);
		return redirect('/', { 'Set-Cookie': this.setCookie(session) });
	}

	/** How a /rest call without a valid session is answered (reference §1.3 lists all three in the field). */
	unauthorized(): SimResponse {
		switch (this.config.expiredSession) {
			case 'loginPage':
				return html(200, LOGIN_PAGE);
			case 'unauthorized':
				return json(401, { status: 'FAILURE', message: 'Unauthorized' });
			default:
				return redirect('/login.html');
		}
	}
}

function formOf(req: SimRequest): Record<string, string> {
	const body = req.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(body)) out[k] = String(v);
	return out;
}
