/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test fixtures, not secrets */
import type { IDataObject, IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CybereasonApiClient } from '../../../nodes/shared/transport';
import { Engine, logs, registerNodeType } from '../../../scripts/lib/engine';
import { DEMO_USER, startSimulator, totp, type Simulator } from '../../../simulator';

/** A bare node that sends one (or several concurrent) calls through the transport, to test it in the engine. */
class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'test',
		defaults: { name: 'Probe' },
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cybereasonApi', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'POST' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/rest/sensors/query' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '{"limit":1,"offset":0}' },
			{ displayName: 'Idempotent', name: 'idempotent', type: 'boolean', default: true },
			{ displayName: 'Parallel', name: 'parallel', type: 'number', default: 1 },
		],
	};

	async execute(this: IExecuteFunctions) {
		const client = new CybereasonApiClient(this);
		const parallel = this.getNodeParameter('parallel', 0) as number;
		const method = this.getNodeParameter('method', 0) as 'GET' | 'POST';
		const rawBody = this.getNodeParameter('body', 0) as string;
		const calls = Array.from({ length: parallel }, async () =>
			client.request<IDataObject>({
				method,
				path: this.getNodeParameter('path', 0) as string,
				body: method === 'POST' ? (JSON.parse(rawBody) as IDataObject) : undefined,
				idempotent: this.getNodeParameter('idempotent', 0) as boolean,
				operation: 'run the probe',
				itemIndex: 0,
			}),
		);
		const results = await Promise.all(calls);
		return [results.map((json) => ({ json: json ?? {}, pairedItem: { item: 0 } }))];
	}
}
registerNodeType('test.transportProbe', new TransportProbe());

const PROBE = { name: 'Probe', type: 'test.transportProbe', parameters: {} };

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	logs.length = 0;
});

function engineFor(simulator: Simulator, extra: IDataObject = {}) {
	const engine = new Engine();
	engine.setCredential({
		baseUrl: `${simulator.url}/`,
		username: DEMO_USER.username,
		password: DEMO_USER.password,
		...extra,
	});
	return engine;
}

const sessionCookieOf = (engine: Engine) =>
	String(engine.store.read(engine.credentialId).sessionCookie);
const restCalls = (simulator: Simulator, path = '/rest/sensors/query') =>
	simulator.requests.filter((r) => r.path === path);

function expectNoSecrets(serialized: string, ...secrets: string[]) {
	for (const secret of secrets) {
		expect(serialized).not.toContain(secret);
	}
	for (const entry of logs) {
		const text = JSON.stringify(entry);
		for (const secret of secrets) expect(text).not.toContain(secret);
	}
}

describe('login through the credential', () => {
	it('logs in once, persists the JSESSIONID in the credential and reuses it on later runs', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);

		const first = await engine.run({ nodes: [PROBE] });
		expect(first.error).toBeUndefined();
		expect(first.output('Probe')[0].json).toHaveProperty('sensors');
		expect(sessionCookieOf(engine)).toMatch(/^JSESSIONID=[0-9A-F]{32}$/);

		const second = await engine.run({ nodes: [PROBE] });
		expect(second.error).toBeUndefined();
		expect(sim.state.logins).toBe(1);
		const cookie = sessionCookieOf(engine).split('=')[1];
		expect(restCalls(sim).every((r) => r.cookie === cookie)).toBe(true);
		const login = sim.requests.find((r) => r.path === '/login.html');
		expect(login?.body).toEqual({ username: DEMO_USER.username, password: DEMO_USER.password });
	});

	it('says plainly that the console rejected a wrong password, and leaks no secret', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim, { password: 'wrong-password-123' });

		const result = await engine.run({ nodes: [PROBE] });
		expect(result.error?.message).toBe(
			'Cybereason rejected the login: check the username and password',
		);
		expect(sim.state.logins).toBe(0);
		// A login page that sets a cookie is not a session: nothing was persisted, no REST call was made with it.
		expect(engine.store.updates).toHaveLength(0);
		expect(restCalls(sim)).toHaveLength(0);
		expectNoSecrets(result.serialized, 'wrong-password-123');
	});

	it('answers the two-factor step with a code generated from the secret', async () => {
		const secret = 'JBSWY3DPEHPK3PXP';
		sim = await startSimulator({ users: [{ ...DEMO_USER, totpSecret: secret }] });
		const engine = engineFor(sim, { totpSecret: secret });

		const result = await engine.run({ nodes: [PROBE] });
		expect(result.error).toBeUndefined();
		expect(sim.state.logins).toBe(1);
		const step = sim.requests.find((r) => r.method === 'POST' && r.path === '/');
		expect((step?.body as IDataObject).totpCode).toMatch(/^\d{6}$/);
		expect([totp(secret, Date.now()), totp(secret, Date.now() - 30_000)]).toContain(
			(step?.body as IDataObject).totpCode,
		);
		expectNoSecrets(
			result.serialized,
			secret,
			DEMO_USER.password,
			sessionCookieOf(engine).split('=')[1],
		);
	});

	it('asks for the 2FA secret when the console wants a code and the credential has none', async () => {
		sim = await startSimulator({ users: [{ ...DEMO_USER, totpSecret: 'JBSWY3DPEHPK3PXP' }] });
		const result = await engineFor(sim).run({ nodes: [PROBE] });
		expect(result.error?.message).toBe(
			'The Cybereason console asks for a two-factor code, but the credential has no 2FA secret',
		);
	});

	it('reports a wrong 2FA secret as a rejected code', async () => {
		sim = await startSimulator({ users: [{ ...DEMO_USER, totpSecret: 'JBSWY3DPEHPK3PXP' }] });
		const result = await engineFor(sim, { totpSecret: 'GEZDGNBVGY3TQOJQ' }).run({ nodes: [PROBE] });
		expect(result.error?.message).toMatch(/^Cybereason rejected the two-factor code/);
		expect(sim.state.logins).toBe(0);
	});

	it('refuses a self-signed certificate by default and accepts it with Ignore SSL Issues', async () => {
		sim = await startSimulator({ tls: true });
		const refused = await engineFor(sim).run({ nodes: [PROBE] });
		expect(refused.error?.message).toMatch(
			/^Could not reach the Cybereason console at localhost:\d+: its TLS certificate/,
		);
		expect(refused.error?.message).toContain("'Ignore SSL Issues'");
		expect(sim.state.logins).toBe(0);

		const accepted = await engineFor(sim, { ignoreSslIssues: true }).run({ nodes: [PROBE] });
		expect(accepted.error).toBeUndefined();
		expect(sim.state.logins).toBe(1);
	});
});

describe('session expiry', () => {
	for (const mode of ['redirect', 'loginPage', 'unauthorized'] as const) {
		it(`renews an expired session answered as "${mode}" with exactly one login and replays the call`, async () => {
			sim = await startSimulator({ expiredSession: mode });
			const engine = engineFor(sim);
			await engine.run({ nodes: [PROBE] });
			const oldCookie = sessionCookieOf(engine);
			sim.state.expireSession();

			const result = await engine.run({ nodes: [PROBE] });
			expect(result.error).toBeUndefined();
			expect(result.output('Probe')[0].json).toHaveProperty('sensors');
			expect(sim.state.logins).toBe(2);
			expect(sessionCookieOf(engine)).not.toBe(oldCookie);
			// The refused call, then the replay with the new cookie.
			const calls = restCalls(sim);
			const refused = calls.filter((r) => `JSESSIONID=${r.cookie}` === oldCookie);
			expect(refused.at(-1)?.status).toBe(
				{ redirect: 302, loginPage: 200, unauthorized: 401 }[mode],
			);
			expect(calls.at(-1)?.cookie).toBe(sessionCookieOf(engine).split('=')[1]);
		});
	}

	it('logs in once for several concurrent calls that all hit the expired session', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		await engine.run({ nodes: [PROBE] });
		sim.state.expireSession();

		const result = await engine.run({ nodes: [{ ...PROBE, parameters: { parallel: 5 } }] });
		expect(result.error).toBeUndefined();
		expect(result.output('Probe')).toHaveLength(5);
		expect(sim.state.logins).toBe(2);
	});

	it('replays a non-idempotent call after a session-expiry answer (the console did not process it)', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		await engine.run({ nodes: [PROBE] });
		sim.state.expireSession();
		const result = await engine.run({
			nodes: [{ ...PROBE, parameters: { idempotent: false } }],
		});
		expect(result.error).toBeUndefined();
		expect(sim.state.logins).toBe(2);
	});

	it('gives up with a clear message when the console keeps answering with the login page', async () => {
		sim = await startSimulator({ expiredSession: 'loginPage' });
		const engine = engineFor(sim);
		sim.state.addFault({
			path: '/rest/sensors/query',
			times: Infinity,
			status: 200,
			headers: { 'content-type': 'text/html' },
			body: '<html><title>Cybereason | Login</title><app-login></app-login></html>',
		});
		const result = await engine.run({ nodes: [PROBE] });
		// The login's own proof call hits the same fault, so the login is refused as not accepted by the REST API.
		expect(result.error?.message).toBe(
			'Cybereason accepted the login, but its REST API did not accept the new session',
		);
		expect(result.error?.description).toContain('Another login with the same user may have ended the session');
	});
});

describe('retries', () => {
	it('retries a read after 429, waiting as long as Retry-After says', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		await engine.run({ nodes: [PROBE] });
		sim.state.addFault({ path: '/rest/sensors/query', status: 429, retryAfter: 1 });
		const started = Date.now();
		const result = await engine.run({ nodes: [PROBE] });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(
			restCalls(sim)
				.slice(-2)
				.map((r) => r.status),
		).toEqual([429, 200]);
	});

	it('retries 500/503 and network drops on reads a bounded number of times, then explains', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		await engine.run({ nodes: [PROBE] });
		sim.state.addFault({ path: '/rest/sensors/query', status: 503, times: 1 });
		sim.state.addFault({ path: '/rest/sensors/query', drop: 'beforeProcessing', times: 1 });
		const recovered = await engine.run({ nodes: [PROBE] });
		expect(recovered.error).toBeUndefined();

		const before = restCalls(sim).length;
		sim.state.addFault({
			path: '/rest/sensors/query',
			status: 500,
			times: Infinity,
			body: { message: 'db down' },
		});
		const failed = await engine.run({ nodes: [PROBE] });
		expect(restCalls(sim).length - before).toBe(4);
		expect(failed.error?.message).toBe(
			'Could not run the probe: the Cybereason console failed with HTTP 500 (tried 4 times)',
		);
	});

	it('never retries an action: 500 and a dropped connection are reported as an unknown outcome', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		await engine.run({ nodes: [PROBE] });
		const action = { ...PROBE, parameters: { idempotent: false } };

		sim.state.addFault({ path: '/rest/sensors/query', status: 500 });
		let before = restCalls(sim).length;
		const failed = await engine.run({ nodes: [action] });
		expect(restCalls(sim).length - before).toBe(1);
		expect(failed.error?.message).toBe(
			'Could not run the probe: the Cybereason console failed with HTTP 500',
		);
		expect(failed.error?.description).toContain('not sent again');

		sim.state.addFault({ path: '/rest/sensors/query', drop: 'afterProcessing' });
		before = restCalls(sim).length;
		const dropped = await engine.run({ nodes: [action] });
		expect(restCalls(sim).length - before).toBe(1);
		expect(dropped.error?.message).toBe(
			'Could not run the probe: the connection was closed before the console answered',
		);
	});
});

describe('answers', () => {
	it('treats a 200 whose envelope says FAILURE as an error', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		sim.state.addFault({ path: '/rest/crimes/unified', envelopeStatus: 'FAILURE' });
		const result = await engine.run({
			nodes: [
				{
					...PROBE,
					parameters: {
						path: '/rest/crimes/unified',
						body: JSON.stringify({
							totalResultLimit: 1,
							perGroupLimit: 1,
							perFeatureLimit: 1,
							templateContext: 'OVERVIEW',
							queryPath: [{ requestedType: 'MalopProcess', result: true }],
						}),
					},
				},
			],
		});
		expect(result.error?.message).toMatch(/^Could not run the probe: Cybereason reported FAILURE/);
	});

	it('names the HTTP problem for 403 without any cookie in the error', async () => {
		sim = await startSimulator();
		const engine = engineFor(sim);
		await engine.run({ nodes: [PROBE] });
		sim.state.addFault({
			path: '/rest/sensors/query',
			status: 403,
			body: { message: 'Access denied' },
		});
		const forbidden = await engine.run({ nodes: [PROBE] });
		expect(forbidden.error?.message).toBe(
			'Could not run the probe: the Cybereason user is not allowed to (HTTP 403)',
		);
		expectNoSecrets(
			forbidden.serialized,
			sessionCookieOf(engine).split('=')[1],
			DEMO_USER.password,
		);
		expect(forbidden.error).toMatchObject({
			httpCode: '403',
			description: expect.stringContaining('Access denied'),
		});
	});
});
