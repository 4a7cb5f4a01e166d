import {
	DEMO_USER,
	startSimulator,
	totp,
	TFA_REDIRECT_LOCATION,
	type Simulator,
} from '../../simulator';

import { call, cookieOf, login, ManualClock } from './helpers';

// Not a credential: the RFC 6238 test key ("12345678901234567890" in base32).
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const TFA_SEED = 'JBSWY3DPEHPK3PXP';
const INBOX = { startTime: 0, endTime: 9_999_999_999_999 };

describe('totp (RFC 6238, SHA-1, 6 digits)', () => {
	it.each([
		[59_000, '287082'],
		[1_111_111_109_000, '081804'],
		[1_111_111_111_000, '050471'],
		[1_234_567_890_000, '005924'],
		[2_000_000_000_000, '279037'],
	])('at %i ms gives %s', (time, code) => {
		expect(totp(RFC_SEED, time)).toBe(code);
	});

	it('ignores case, spaces and padding in the secret', () => {
		expect(totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq====', 59_000)).toBe('287082');
	});
});

describe('form login', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.close());

	it('serves the login page', async () => {
		const page = await call(sim, 'GET', '/login.html');
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		expect(page.text).toContain('<title>Cybereason | Login</title>');
		expect(page.text).toContain('<app-login></app-login>');
	});

	it('answers a good login with 302 to / and a 32-hex JSESSIONID', async () => {
		const before = sim.state.logins;
		const answer = await call(sim, 'POST', '/login.html', { form: { ...DEMO_USER } });
		expect(answer.status).toBe(302);
		expect(answer.headers.get('location')).toBe('/');
		const setCookie = answer.headers.getSetCookie().join('\n');
		expect(setCookie).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly$/);
		expect(sim.state.logins).toBe(before + 1);
		const home = await call(sim, 'GET', '/', { cookie: cookieOf(answer) });
		expect(home.status).toBe(200);
		expect(home.text).not.toContain('app-login');
	});

	it('decodes the percent-encoded @ of the username', async () => {
		const raw = await fetch(`${sim.url}/login.html`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `username=${encodeURIComponent(DEMO_USER.username)}&password=${encodeURIComponent(DEMO_USER.password)}`,
			redirect: 'manual',
		});
		expect(raw.status).toBe(302);
		expect(raw.headers.get('location')).toBe('/');
	});

	it('answers a bad password with 302 to the error page and a useless fresh cookie', async () => {
		const before = sim.state.failedLogins;
		const answer = await call(sim, 'POST', '/login.html', {
			form: { username: DEMO_USER.username, password: 'wrong' },
		});
		expect(answer.status).toBe(302);
		expect(answer.headers.get('location')).toBe('/login.html?error');
		expect(sim.state.failedLogins).toBe(before + 1);
		const cookie = cookieOf(answer);
		expect(cookie).toMatch(/^[0-9A-F]{32}$/);
		// The cookie is not a login: /rest still bounces to the login page.
		const probe = await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX });
		expect(probe.status).toBe(302);
		const followed = await call(sim, 'GET', '/login.html?error');
		expect(followed.status).toBe(200);
		expect(followed.text).toContain('Cybereason | Login');
	});

	it('rejects an unknown user the same way', async () => {
		const answer = await call(sim, 'POST', '/login.html', {
			form: { username: 'nobody@demo.local', password: 'x' },
		});
		expect(answer.headers.get('location')).toBe('/login.html?error');
	});

	it('logs out', async () => {
		const cookie = await login(sim);
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			200,
		);
		const out = await call(sim, 'GET', '/logout', { cookie });
		expect(out.status).toBe(302);
		expect(out.headers.get('location')).toBe('/login.html');
		expect((await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status).toBe(
			302,
		);
	});
});

describe('two-factor login', () => {
	const clock = new ManualClock(1_717_000_000_000);
	const user = { username: 'tfa@demo.local', password: 'Tfa-Demo-Login-1!', totpSecret: TFA_SEED };
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ clock, users: [DEMO_USER, user], twoFactorStep: 'page' });
	});
	afterAll(() => sim.close());

	async function passwordStep(s: Simulator) {
		return call(s, 'POST', '/login.html', {
			form: { username: user.username, password: user.password },
		});
	}

	it('asks for the code on a page, then accepts it on POST / with a new cookie', async () => {
		const before = sim.state.logins;
		const step1 = await passwordStep(sim);
		expect(step1.status).toBe(200);
		expect(step1.text).toContain('Two factor authentication');
		expect(step1.text).toContain('name="totpCode"');
		const pending = cookieOf(step1);
		expect(pending).toBeDefined();
		// A pending session is not a login.
		expect(
			(await call(sim, 'POST', '/rest/detection/inbox', { cookie: pending, body: INBOX })).status,
		).toBe(302);
		expect(sim.state.logins).toBe(before);

		const step2 = await call(sim, 'POST', '/', {
			cookie: pending,
			form: { totpCode: totp(TFA_SEED, clock.now()), submit: 'Login' },
		});
		expect(step2.status).toBe(302);
		expect(step2.headers.get('location')).toBe('/');
		const session = cookieOf(step2);
		expect(session).toMatch(/^[0-9A-F]{32}$/);
		expect(session).not.toBe(pending);
		expect(sim.state.logins).toBe(before + 1);
		expect(
			(await call(sim, 'POST', '/rest/detection/inbox', { cookie: session, body: INBOX })).status,
		).toBe(200);
		expect(
			(await call(sim, 'POST', '/rest/detection/inbox', { cookie: pending, body: INBOX })).status,
		).toBe(302);
	});

	it('accepts the code of the previous 30 s step', async () => {
		const pending = cookieOf(await passwordStep(sim));
		const step2 = await call(sim, 'POST', '/', {
			cookie: pending,
			form: { totpCode: totp(TFA_SEED, clock.now() - 30_000), submit: 'Login' },
		});
		expect(step2.headers.get('location')).toBe('/');
	});

	it('rejects a wrong code with 302 to the error page', async () => {
		const failed = sim.state.failedLogins;
		const pending = cookieOf(await passwordStep(sim));
		const wrong = totp(TFA_SEED, clock.now() + 5 * 30_000);
		const step2 = await call(sim, 'POST', '/', {
			cookie: pending,
			form: { totpCode: wrong, submit: 'Login' },
		});
		expect(step2.status).toBe(302);
		expect(step2.headers.get('location')).toBe('/login.html?error');
		expect(sim.state.failedLogins).toBe(failed + 1);
		// The pending session is spent: the right code no longer helps.
		const retry = await call(sim, 'POST', '/', {
			cookie: pending,
			form: { totpCode: totp(TFA_SEED, clock.now()), submit: 'Login' },
		});
		expect(retry.headers.get('location')).toBe('/login.html?error');
	});

	it('rejects a code without a pending session', async () => {
		const step2 = await call(sim, 'POST', '/', {
			form: { totpCode: totp(TFA_SEED, clock.now()), submit: 'Login' },
		});
		expect(step2.headers.get('location')).toBe('/login.html?error');
	});

	it('can redirect to the code page instead', async () => {
		const other = await startSimulator({
			clock,
			users: [user],
			twoFactorStep: 'redirect',
			loginErrorLocation: '/login.html?error=true',
		});
		try {
			const step1 = await passwordStep(other);
			expect(step1.status).toBe(302);
			expect(step1.headers.get('location')).toBe(TFA_REDIRECT_LOCATION);
			const pending = cookieOf(step1);
			const page = await call(other, 'GET', TFA_REDIRECT_LOCATION, { cookie: pending });
			expect(page.text).toContain('Two factor authentication');
			const bad = await call(other, 'POST', '/', {
				cookie: pending,
				form: { totpCode: '000000', submit: 'Login' },
			});
			expect(bad.headers.get('location')).toBe('/login.html?error=true');
		} finally {
			await other.close();
		}
	});
});

describe('session expiry', () => {
	it.each([
		['redirect', 302],
		['loginPage', 200],
		['unauthorized', 401],
	] as const)('%s mode answers %i without a valid session', async (mode, status) => {
		const clock = new ManualClock();
		const sim = await startSimulator({ clock, expiredSession: mode, sessionTtlMs: 60_000 });
		try {
			const check = async (cookie?: string) => {
				const answer = await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX });
				expect(answer.status).toBe(status);
				if (mode === 'redirect') expect(answer.headers.get('location')).toBe('/login.html');
				if (mode === 'loginPage') {
					expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
					expect(answer.text).toContain('<app-login></app-login>');
				}
			};
			await check(undefined);
			await check('0123456789ABCDEF0123456789ABCDEF');

			const cookie = await login(sim);
			expect(
				(await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status,
			).toBe(200);
			clock.advance(59_999);
			expect(
				(await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status,
			).toBe(200);
			clock.advance(1);
			await check(cookie);

			const again = await login(sim);
			sim.state.expireSession(again);
			await check(again);

			const a = await login(sim);
			const b = await login(sim);
			sim.state.expireSession();
			await check(a);
			await check(b);
		} finally {
			await sim.close();
		}
	});

	it('defaults to an 8 h absolute lifetime', async () => {
		const clock = new ManualClock();
		const sim = await startSimulator({ clock });
		try {
			const cookie = await login(sim);
			clock.advance(8 * 3_600_000 - 1);
			expect(
				(await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status,
			).toBe(200);
			clock.advance(1);
			expect(
				(await call(sim, 'POST', '/rest/detection/inbox', { cookie, body: INBOX })).status,
			).toBe(302);
		} finally {
			await sim.close();
		}
	});
});
