// Client-side helpers for the simulator tests: plain fetch on loopback, redirects never followed,
// so every assertion is about what a real client would see on the wire.
import { DEMO_USER, startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed body when it is JSON, else undefined. */
	json: unknown;
}

export class ManualClock {
	constructor(public time = 1_717_000_000_000) {}

	now(): number {
		return this.time;
	}

	advance(ms: number): void {
		this.time += ms;
	}
}

export async function call(
	sim: Simulator,
	method: string,
	path: string,
	options: {
		cookie?: string;
		body?: unknown;
		form?: Record<string, string>;
		/** Sent as is, under `contentType` (default application/json, as XSOAR and Splunk SOAR do). */
		raw?: string;
		contentType?: string;
	} = {},
): Promise<Answer> {
	const headers: Record<string, string> = {};
	let body: string | undefined;
	if (options.cookie) headers.Cookie = `JSESSIONID=${options.cookie}`;
	if (options.form) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(options.form).toString();
	} else if (options.raw !== undefined) {
		headers['Content-Type'] = options.contentType ?? 'application/json';
		body = options.raw;
	} else if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const res = await fetch(sim.url + path, { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/** JSESSIONID value from a Set-Cookie header, if any. */
export function cookieOf(answer: Answer): string | undefined {
	const all = answer.headers.getSetCookie();
	for (const c of all) {
		const m = /^JSESSIONID=([^;]*)/.exec(c);
		if (m) return m[1];
	}
	return undefined;
}

export async function login(sim: Simulator, user = DEMO_USER): Promise<string> {
	const answer = await call(sim, 'POST', '/login.html', {
		form: { username: user.username, password: user.password },
	});
	const cookie = cookieOf(answer);
	if (answer.status !== 302 || answer.headers.get('location') !== '/' || !cookie) {
		throw new Error(`login failed: ${answer.status} ${answer.headers.get('location')}`);
	}
	return cookie;
}

/** Starts a simulator and logs in the demo user; remember to close it. */
export async function started(
	options: SimulatorOptions = {},
): Promise<{ sim: Simulator; cookie: string }> {
	const sim = await startSimulator(options);
	const cookie = await login(sim);
	return { sim, cookie };
}

export function asRecord(value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new Error('not an object');
	return value as Record<string, unknown>;
}
