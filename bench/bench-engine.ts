// What the measured clients run on: n8n's engine for our nodes, a plain axios client for the baselines.
/**
 * The engine a measured node runs in, with a credential logged in already, like any run after an n8n instance's
 * first: the login is not what is measured. The suite's leak check is off: it serialises the whole run, which is
 * test tooling, not what n8n costs.
 */
export async function benchEngine(task: { url: string; cookie: string }) {
	const { Engine } = await import('../scripts/lib/engine');
	const { DEMO_USER } = await import('../simulator');
	const engine = new Engine({ leakCheck: false });
	engine.setCredential({
		baseUrl: task.url,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
		sessionCookie: task.cookie,
	});
	return engine;
}

/** The baselines' client: the same session, the answer as bytes (`raw`) or text, nothing parsed by axios. */
export async function benchAxios(task: { url: string; cookie: string }, raw: boolean) {
	const { default: axios } = await import('axios');
	return axios.create({
		baseURL: task.url,
		headers: {
			Cookie: task.cookie,
			'Content-Type': 'application/json',
			Accept: 'application/json',
		},
		responseType: raw ? 'arraybuffer' : 'text',
		// Bytes or text as they came: the parse is the only work on them.
		transformResponse: (data: unknown) => data,
		maxContentLength: Infinity,
		maxBodyLength: Infinity,
	});
}
