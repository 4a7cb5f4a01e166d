/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package */
// Child processes, temp folders and cleanup for the e2e harness.
// Every child runs in its own process group (detached), so stopping it also stops whatever it started
// (n8n's task runner, npm's node-gyp, ...). Live groups are remembered and killed when this process exits,
// also on Ctrl-C or an uncaught error, so a failed run leaves no n8n behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface RunOptions {
	cwd?: string;
	/** The complete environment of the child (not merged with process.env). */
	env?: NodeJS.ProcessEnv;
	/** Kill the whole process group after this long; the result then has timedOut = true. */
	timeoutMs?: number;
}

export interface RunResult {
	command: string;
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
}

const liveGroups = new Set<number>();
/** Temp folders to remove if the harness exits before its own cleanup ran (Ctrl-C, a crash). */
const liveTempDirs = new Set<string>();
let exitHooksInstalled = false;

function installExitHooks(): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
		for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true });
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			process.stderr.write(`\n${signal}: stopping child processes and removing temp folders\n`);
			process.exit(130); // runs the 'exit' hook above
		});
	}
}

/** Sends a signal to the process group led by pid. Returns false if the group is already gone. */
function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

/** Stops a process group: SIGTERM, then SIGKILL after graceMs if anything in it is still alive. */
export async function stopGroup(pid: number, graceMs = 10_000): Promise<void> {
	const deadline = Date.now() + graceMs;
	if (killGroup(pid, 'SIGTERM')) {
		while (Date.now() < deadline && killGroup(pid, 0)) await delay(100);
		killGroup(pid, 'SIGKILL');
		while (Date.now() < deadline + 5_000 && killGroup(pid, 0)) await delay(50);
	}
	liveGroups.delete(pid);
}

/** Starts a long-running child in its own process group; the caller stops it with stopGroup(child.pid). */
export function spawnGroup(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
	installExitHooks();
	const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	if (child.pid !== undefined) liveGroups.add(child.pid);
	return child;
}

/** Collects a child's output (the last 2-4 MB). */
export function collectOutput(child: ChildProcess): () => string {
	let out = '';
	const append = (chunk: Buffer) => {
		out += chunk.toString('utf8');
		if (out.length > 4_000_000) out = out.slice(-2_000_000);
	};
	child.stdout?.on('data', append);
	child.stderr?.on('data', append);
	return () => out;
}

/** Runs a command to completion and collects its output. Never rejects for a non-zero exit code. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	const command = [cmd, ...args].join(' ');
	return new Promise((resolve, reject) => {
		const child = spawnGroup(cmd, args, opts);
		const pid = child.pid;
		const output = { stdout: '', stderr: '' };
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
		let timedOut = false;
		const timer =
			opts.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						timedOut = true;
						if (pid !== undefined) killGroup(pid, 'SIGKILL');
					}, opts.timeoutMs);
		const done = () => {
			if (timer) clearTimeout(timer);
			if (pid !== undefined) liveGroups.delete(pid);
		};
		child.once('error', (error) => {
			done();
			reject(new Error(`cannot start ${command}: ${error.message}`));
		});
		child.once('close', (code, signal) => {
			// Anything the command left running in its group (a daemonised helper) goes with it.
			if (pid !== undefined) killGroup(pid, 'SIGKILL');
			done();
			resolve({ command, code, signal, ...output, durationMs: Date.now() - started, timedOut });
		});
	});
}

/** Like run(), but throws with the tail of the output when the command fails. */
export async function runChecked(cmd: string, args: string[], opts: RunOptions = {}) {
	const result = await run(cmd, args, opts);
	if (result.code !== 0) throw commandFailed(result);
	return result;
}

export function commandFailed(result: RunResult): Error {
	const how = result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`;
	return new Error(
		`command failed (${how}): ${result.command}\n${tail(result.stderr || result.stdout, 40)}`,
	);
}

/** The last `lines` lines of a text, for error messages. */
export function tail(text: string, lines = 30): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
	everyMs = 1000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${formatMs(timeoutMs)} waiting for ${what}`);
		await delay(everyMs);
	}
}

export async function fetchOk(url: string): Promise<boolean> {
	try {
		return (await fetch(url)).ok;
	} catch {
		return false; // not listening yet
	}
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** A temp folder, removed on exit (also after Ctrl-C) unless `keep`; removeDir removes it earlier. */
export async function makeTempDir(prefix: string, keep = false): Promise<string> {
	installExitHooks();
	const dir = await mkdtemp(join(tmpdir(), prefix));
	if (!keep) liveTempDirs.add(dir);
	return dir;
}

export async function removeDir(dir: string): Promise<void> {
	await rm(dir, { recursive: true, force: true, maxRetries: 3 });
	liveTempDirs.delete(dir);
}

/** Whether a process with this pid exists. */
export function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * LIFO list of cleanup steps (stop a server, remove a folder). close() runs all of them even when some fail,
 * and reports the failures instead of throwing, so it is safe in a finally block.
 */
export class Cleanup {
	private readonly steps: Array<{ label: string; fn: () => Promise<void> | void }> = [];

	defer(label: string, fn: () => Promise<void> | void): void {
		this.steps.push({ label, fn });
	}

	async close(): Promise<string[]> {
		const errors: string[] = [];
		for (let step = this.steps.pop(); step; step = this.steps.pop()) {
			try {
				await step.fn();
			} catch (error) {
				errors.push(`${step.label}: ${(error as Error).message}`);
			}
		}
		return errors;
	}
}

/**
 * The environment for a child process, without the variables that would leak this process's own setup:
 * npm's run-script variables (npm_config_*, npm_package_*, ...), any N8N_..., DB_..., QUEUE_... settings of the
 * developer's shell, and NODE_OPTIONS/NODE_PATH.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (
			/^(npm_|N8N_|DB_|QUEUE_|EXECUTIONS_|GENERIC_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$)/i.test(key)
		)
			continue;
		env[key] = value;
	}
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

export function formatMs(ms: number): string {
	if (ms < 1000) return `${ms} ms`;
	if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
	return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
