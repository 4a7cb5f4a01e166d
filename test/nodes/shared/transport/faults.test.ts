// What the transport tells a user when the console or the network misbehaves: consoles that echo secrets,
// TLS against a plain-HTTP port, a login that redirects to itself, a console that hangs.
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { version } from 'n8n-workflow/package.json';

import { CybereasonGetMalops } from '../../../../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { transportLimits } from '../../../../nodes/shared/transport/client';
import { Redactor } from '../../../../nodes/shared/transport/redact';
import { Engine, logs, registerNodeType } from '../../../../scripts/lib/engine';
import { DEMO_USER, startSimulator, type Fault, type Simulator } from '../../../../simulator';

registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());

const N8N_2 = Number(version.split('.')[0]) >= 2;
const PASSWORD = 'S3cret&"<pass> word!';
const TWO_FACTOR = 'JBSWY3DPEHPK3PXP';
const NODE = 'Get Malops';

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	logs.length = 0;
	transportLimits.timeoutCapMs = Infinity;
});

async function console(options: Parameters<typeof startSimulator>[0] = {}) {
	sim = await startSimulator({
		users: [{ username: DEMO_USER.username, password: PASSWORD }],
		...options,
	});
	return sim;
}

async function getMalops(simulator: Simulator, baseUrl = simulator.url, extra: IDataObject = {}) {
	const engine = new Engine();
	engine.setCredential({
		baseUrl,
		username: DEMO_USER.username,
		password: PASSWORD,
		...extra,
	});
	// The engine fails the run itself if a secret reaches the execution data or the log.
	const result = await engine.run({
		nodes: [
			{
				name: NODE,
				type: 'n8n-nodes-cybereason.cybereasonGetMalops',
				parameters: { limit: 5 } as INodeParameters,
			},
		],
	});
	const error = result.error as { message?: string; description?: string } | undefined;
	return { engine, result, error, text: `${error?.message ?? ''} ${error?.description ?? ''}` };
}

function fault(f: Fault) {
	sim!.state.addFault(f);
}

describe('secrets a console echoes', () => {
	it('scrubs every spelling of the password and session cookies from a text', () => {
		const redactor = Redactor.of({
			password: PASSWORD,
			totpSecret: TWO_FACTOR,
			sessionCookie: 'JSESSIONID=ABCDEF0123456789',
		});
		const echoed = [
			PASSWORD,
			encodeURIComponent(PASSWORD),
			new URLSearchParams({ p: PASSWORD }).toString(),
			JSON.stringify({ p: PASSWORD }),
			'S3cret&amp;&quot;&lt;pass&gt; word!',
			TWO_FACTOR,
			'Cookie: JSESSIONID=ABCDEF0123456789; other=1',
			'JSESSIONID=FFFF0000FFFF0000FFFF0000FFFF0000',
		].join(' | ');
		const scrubbed = redactor.scrub(echoed);
		expect(scrubbed).not.toContain('S3cret');
		expect(scrubbed).not.toContain('pass');
		expect(scrubbed).not.toContain(TWO_FACTOR);
		expect(scrubbed).not.toContain('ABCDEF0123456789');
		expect(scrubbed).not.toContain('FFFF0000');
		expect(scrubbed).toContain('JSESSIONID=***; other=1');
	});

	it.each<[string, Fault]>([
		[
			'a login error page that echoes the form',
			{ method: 'POST', path: '/login.html', status: 500, echo: 'html' },
		],
		[
			'a login JSON error that quotes the body',
			{ method: 'POST', path: '/login.html', status: 502, echo: 'json' },
		],
	])('keeps the password out of the login error: %s', async (_, f) => {
		await console();
		fault({ ...f, times: Infinity });
		const { error, text } = await getMalops(sim!);
		expect(error?.message).toContain('answered the login with HTTP');
		expect(text).not.toContain('S3cret');
		// n8n 1.x keeps only the message of a login error; 2.x also shows the page, scrubbed.
		if (N8N_2) expect(error?.description).toContain('***');
	});

	it.each<[string, Omit<Fault, 'path'>]>([
		['a 400 JSON message', { status: 400, echo: 'json' }],
		['a 403 HTML page', { status: 403, echo: 'html' }],
		['a 500 HTML page, after the retries', { status: 500, echo: 'html' }],
	])('keeps the password and the cookie out of a REST error: %s', async (_, f) => {
		await console();
		fault({ ...f, path: '/rest/crimes/unified', times: Infinity });
		const { text, engine } = await getMalops(sim!);
		expect(text).toContain('Could not query');
		expect(text).toContain('JSESSIONID=***');
		const cookie = String(engine.store.read(engine.credentialId).sessionCookie).split('=')[1];
		expect(text).not.toContain(cookie);
	});

	it('fails the run itself when a secret reaches the execution data (the guard every engine test runs under)', async () => {
		await console();
		const engine = new Engine();
		engine.setCredential({ baseUrl: sim!.url, username: DEMO_USER.username, password: PASSWORD });
		await expect(
			engine.run({
				nodes: [
					{
						name: 'Start',
						type: 'test.start',
						parameters: { items: JSON.stringify([{ note: PASSWORD }]) },
					},
				],
			}),
		).rejects.toThrow('A secret of the credential appears in the execution data');
	});
});

describe('connections that cannot work', () => {
	it('says so when https:// points at a port that speaks plain HTTP', async () => {
		await console();
		const { text } = await getMalops(sim!, sim!.url.replace('http://', 'https://'));
		expect(text).toContain('it does not speak HTTPS on this port');
		expect(sim!.requests).toHaveLength(0);
	});

	it('says the login redirects to itself instead of following it forever', async () => {
		await console();
		fault({
			method: 'POST',
			path: '/login.html',
			status: 302,
			headers: { Location: '/login.html?step=2' },
		});
		fault({
			method: 'GET',
			path: '/login.html',
			status: 302,
			headers: { Location: '/login.html?step=2' },
			times: Infinity,
		});
		const { error } = await getMalops(sim!);
		expect(error?.message).toMatch(
			/keeps redirecting the login to itself \(last to \/login\.html\?step=2\)/,
		);
		expect(error?.description).toContain('single sign-on');
		expect(sim!.requests.filter((r) => r.path === '/login.html')).toHaveLength(6);
	});

	it('tries a read that timed out once more, not three times more', async () => {
		await console();
		transportLimits.timeoutCapMs = 200;
		fault({ path: '/rest/crimes/unified', latencyMs: 1_000, times: Infinity });
		const { error } = await getMalops(sim!);
		expect(error?.message).toMatch(
			/Could not query Malop\w+ Malops: the request timed out \(tried 2 times\)/,
		);
		// Each element type is tried twice at most (the other type's query may stop earlier, when the first fails).
		const tries = (type: string) =>
			sim!.requests.filter(
				(r) => r.path === '/rest/crimes/unified' && JSON.stringify(r.body).includes(type),
			).length;
		expect(tries('"MalopProcess"')).toBe(2);
		expect(tries('"MalopLogonSession"')).toBeLessThanOrEqual(2);
	});
});
