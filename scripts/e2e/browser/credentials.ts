// The credential modal: Save tests the login. Right password: success; wrong password: the product's exact
// message; a Server URL pasted with /login.html: success (nodes and the credential's test share one URL rule).
import { DEMO_USER } from '../../../simulator';
import { check, detailed } from '../report';
import { CredentialModal, type TestOutcome } from './credential-modal';
import type { Scope } from './scope';

export const WRONG_PASSWORD_MESSAGE =
	'Cybereason rejected the login: check the username and password';

function describe(outcome: TestOutcome): string {
	return outcome.ok ? 'success' : `failure: ${outcome.shown.join(' | ')}`;
}

export async function checkCredentialModal(s: Scope): Promise<void> {
	const { sim, shots, editor } = s;
	const modal = await s.step(
		'browser: create a "Cybereason API" credential (sidebar + → Credential)',
		async () => {
			const m = await CredentialModal.create(editor, 'Cybereason API');
			await shots.take(editor.page, 'credential-modal');
			return m;
		},
	);
	if (!modal) return;

	await s.step('browser: credential Save with the right password reports success', async () => {
		await modal.fill({
			baseUrl: sim.url,
			username: DEMO_USER.username,
			password: DEMO_USER.password,
		});
		const outcome = await modal.save();
		await shots.take(editor.page, 'credential-saved-ok');
		check(
			outcome.ok,
			`expected "Connection tested successfully", the modal shows ${describe(outcome)}`,
		);
		return detailed(undefined, `Server URL ${sim.url}: Connection tested successfully`);
	});

	await s.step(
		'browser: credential Save with a wrong password shows the exact message',
		async () => {
			await modal.fill({ password: 'not-the-password' });
			const outcome = await modal.save();
			await shots.take(editor.page, 'credential-wrong-password');
			check(!outcome.ok, 'a wrong password was reported as a successful test');
			check(
				outcome.shown.includes(WRONG_PASSWORD_MESSAGE),
				`expected the line ${JSON.stringify(WRONG_PASSWORD_MESSAGE)}, the modal shows ${JSON.stringify(outcome.shown)}`,
			);
			return detailed(undefined, outcome.shown.join(' | '));
		},
	);

	await s.step(
		'browser: credential Save with a Server URL pasted as …/login.html reports success',
		async () => {
			const mark = sim.requests.length;
			const pasted = `${sim.url}/login.html`;
			await modal.fill({ baseUrl: pasted, password: DEMO_USER.password });
			const outcome = await modal.save();
			await shots.take(editor.page, 'credential-login-html-url');
			check(outcome.ok, `Server URL ${pasted}: the modal shows ${describe(outcome)}`);
			const logins = sim.requests
				.slice(mark)
				.filter((r) => r.method === 'POST' && r.path.endsWith('login.html'));
			check(
				logins.length > 0 && logins.every((r) => r.path === '/login.html'),
				`the console saw ${logins.map((r) => r.path).join(', ') || 'no login'}, expected POST /login.html`,
			);
			return detailed(undefined, `${pasted}: success; the console saw POST /login.html`);
		},
	);
}
