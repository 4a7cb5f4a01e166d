/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
import * as https from 'node:https';

import { DEMO_USER, startSimulator, type Simulator } from '../../simulator';
import { loadTls } from '../../simulator/tls';

function request(
	url: string,
	options: https.RequestOptions & { body?: string },
): Promise<{
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}> {
	return new Promise((resolve, reject) => {
		const req = https.request(url, options, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

describe('TLS mode', () => {
	const ca = loadTls().cert;
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ tls: true });
	});
	afterAll(() => sim.close());

	it('serves https://localhost with the bundled certificate and a Secure cookie', async () => {
		expect(sim.url).toMatch(/^https:\/\/localhost:\d+$/);
		const form = new URLSearchParams({ ...DEMO_USER }).toString();
		const login = await request(`${sim.url}/login.html`, {
			method: 'POST',
			ca,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: form,
		});
		expect(login.status).toBe(302);
		const setCookie = String(login.headers['set-cookie']);
		expect(setCookie).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/; HttpOnly; Secure$/);
		const cookie = setCookie.split(';')[0];
		const inbox = await request(`${sim.url}/rest/detection/inbox`, {
			method: 'POST',
			ca,
			headers: { Cookie: cookie, 'Content-Type': 'application/json' },
			body: JSON.stringify({ startTime: 0, endTime: Date.now() }),
		});
		expect(inbox.status).toBe(200);
		expect(JSON.parse(inbox.text)).toHaveProperty('malops');
	});

	it('is refused by a client that trusts only the system CAs', async () => {
		await expect(request(`${sim.url}/login.html`, { method: 'GET' })).rejects.toThrow(
			/self[- ]signed|unable to verify/i,
		);
	});

	it('is accepted by a client that ignores TLS errors', async () => {
		const page = await request(`${sim.url}/login.html`, {
			method: 'GET',
			rejectUnauthorized: false,
		});
		expect(page.status).toBe(200);
		expect(page.text).toContain('Cybereason | Login');
	});
});
