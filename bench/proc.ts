/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package */
// Parent-side process plumbing: the simulator and each measured client run in their own child processes.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import axios from 'axios';

import { DEMO_USER } from '../simulator';
import type { RemediationItemSpec, SimStartOptions } from './sim-process';
import type { Task, TaskResult } from './worker';

function rpcChannel(child: ChildProcess) {
	let next = 0;
	const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
		const entry = waiting.get(message.id);
		if (!entry) return;
		waiting.delete(message.id);
		if (message.error !== undefined) entry.reject(new Error(message.error));
		else entry.resolve(message.result);
	});
	child.on('exit', (code) => {
		for (const entry of waiting.values()) entry.reject(new Error(`child exited with ${code}`));
		waiting.clear();
	});
	return async <T>(cmd: string, args?: unknown): Promise<T> =>
		await new Promise<T>((resolve, reject) => {
			const id = ++next;
			waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			child.send({ id, cmd, args });
		});
}

export interface SimHandle {
	url: string;
	pid: number;
	/** A logged-in JSESSIONID cookie, shared by every client of this simulator. */
	cookie: string;
	items(malops: number, perMalop: number): Promise<RemediationItemSpec[]>;
	requestsByRoute(): Promise<Record<string, number>>;
	requests(): Promise<Array<{ method: string; path: string; body: unknown }>>;
	resetRequests(): Promise<void>;
	/** A logged-in REST call whose answer is dropped (to warm the simulator's caches). */
	post(path: string, body: unknown): Promise<void>;
	/** New Malops, created and updated now, through the control endpoint. */
	addMalops(count: number, malop: Record<string, unknown>): Promise<void>;
	/** CPU time (ms) the simulator process has used so far. */
	cpuMs(): Promise<number>;
	/** Every Malop's GUID and last update time. */
	malopTimes(): Promise<Array<{ guid: string; lastUpdateTime: number }>>;
	close(): Promise<void>;
}

/** Form login as the console's web UI does it (the nodes do the same through the credential). */
export async function login(url: string): Promise<string> {
	const answer = await axios.post(
		`${url}/login.html`,
		new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password }).toString(),
		{
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			maxRedirects: 0,
			validateStatus: () => true,
		},
	);
	const cookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
	const session = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('JSESSIONID='));
	if (!session || answer.status !== 302)
		throw new Error(`simulator login failed: HTTP ${answer.status}`);
	return session;
}

export async function startSim(options: SimStartOptions, warm = true): Promise<SimHandle> {
	const child = fork(join(__dirname, 'sim-process.js'), [], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const call = rpcChannel(child);
	const started = await call<{ url: string }>('start', options);
	if (warm) await call('warm', 100);
	const url = started.url;
	const cookie = await login(url);
	const control = axios.create({ baseURL: url, validateStatus: () => true });
	return {
		url,
		pid: child.pid!,
		cookie,
		items: async (malops, perMalop) =>
			await call<RemediationItemSpec[]>('items', { malops, perMalop }),
		requestsByRoute: async () =>
			(await control.get('/__sim/state')).data.requestsByRoute as Record<string, number>,
		requests: async () => (await control.get('/__sim/requests')).data,
		resetRequests: async () => {
			await control.post('/__sim/reset-requests');
		},
		post: async (path, body) => {
			const answer = await control.post(path, body, { headers: { Cookie: cookie } });
			if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status}`);
		},
		cpuMs: async () => await call<number>('cpu'),
		addMalops: async (count, malop) => {
			const answer = await control.post('/__sim/malops', { action: 'add', count, malop });
			if (answer.status !== 200)
				throw new Error(`adding Malops failed: ${JSON.stringify(answer.data)}`);
		},
		malopTimes: async () =>
			(
				(await control.get('/__sim/malops')).data.malops as Array<{
					guid: string;
					lastUpdateTime: number;
				}>
			).map((m) => ({
				guid: m.guid,
				lastUpdateTime: m.lastUpdateTime,
			})),
		close: async () => {
			await call('close').catch(() => undefined);
			if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}

/** Runs one task in a fresh client process (its own heap, its own maxRSS) and returns what it measured. */
export async function runWorker(task: Task, execArgv: string[] = []): Promise<TaskResult> {
	const child = fork(join(__dirname, 'worker.js'), [], {
		execArgv: ['--expose-gc', ...execArgv],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const call = rpcChannel(child);
	try {
		return await call<TaskResult>('run', task);
	} finally {
		if (child.exitCode === null) {
			child.send({ id: 0, cmd: 'exit' });
			await new Promise((resolve) => child.once('exit', resolve));
		}
	}
}
