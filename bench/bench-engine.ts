// n8n's engine as the benchmarks run the measured nodes in it.
/**
 * The engine a measured node runs in, with a credential logged in already, like any run after an n8n instance's
 * first: the login is not what is measured. The suite's secret-leak check is off: it serialises the whole run,
 * which is test tooling, not what n8n costs.
 */
export async function benchEngine(task: { url: string; cookie: string }) {
	const { Engine } = await import('../scripts/lib/engine');
	const { DEMO_USER } = await import('../simulator');
	const engine = new Engine({ checkSecrets: false });
	engine.setCredential({
		baseUrl: task.url,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
		sessionCookie: task.cookie,
	});
	return engine;
}
