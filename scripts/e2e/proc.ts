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

export interface RunOptions {
	cwd?: string;
	/** The complete environment of the child (not merged with process.env). */
	env?: NodeJS.ProcessEnv;
	/** Kill the whole process group after this long; the result then has timedOut = true. */
	timeoutMs?: number;
	/** Written to the child's stdin, which is then closed. */
	input?: string;
	/** Called with each chunk of output, e.g. to stream npm's progress into a log. */
	onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
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
		for (const dir of liveTempDirs) {
			try {
				rmSync(dir, { recursive: true, force: true });
			} catch {
				// best effort while exiting
			}
		}
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			process.stderr.write(`\n${signal}: stopping child processes and removing temp folders\n`);
			process.exit(130); // runs the 'exit' hook above
		});
	}
}

/** Sends a signal to the process group led by pid. Returns false if the group is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM'): boolean {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Stops a process group: SIGTERM, then SIGKILL after graceMs if anything in it is still alive. */
export async function stopGroup(pid: number, graceMs = 10_000): Promise<void> {
	if (!killGroup(pid, 'SIGTERM')) {
		liveGroups.delete(pid);
		return;
	}
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && groupAlive(pid)) await delay(100);
	if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
	const hardDeadline = Date.now() + 5_000;
	while (Date.now() < hardDeadline && groupAlive(pid)) await delay(50);
	liveGroups.delete(pid);
}

/** Starts a long-running child in its own process group; the caller stops it with stopGroup(child.pid). */
export function spawnGroup(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
	installExitHooks();
	const child = spawn(cmd, args, {
		cwd: opts.cwd,
		env: opts.env ?? process.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (child.pid !== undefined) {
		const pid = child.pid;
		liveGroups.add(pid);
		child.once('exit', () => {
			// The leader is gone; its group may still hold children, so only forget it once they are gone too.
			if (!groupAlive(pid)) liveGroups.delete(pid);
		});
	}
	return child;
}

/** Runs a command to completion and collects its output. Never rejects for a non-zero exit code. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	const command = [cmd, ...args].join(' ');
	return new Promise((resolve, reject) => {
		installExitHooks();
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			detached: true,
			stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		const pid = child.pid;
		if (pid !== undefined) liveGroups.add(pid);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			opts.onOutput?.(chunk, 'stdout');
		});
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			opts.onOutput?.(chunk, 'stderr');
		});
		if (opts.input !== undefined) child.stdin?.end(opts.input);
		const timer =
			opts.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						timedOut = true;
						if (pid !== undefined) killGroup(pid, 'SIGKILL');
					}, opts.timeoutMs);
		child.once('error', (error) => {
			if (timer) clearTimeout(timer);
			if (pid !== undefined) liveGroups.delete(pid);
			reject(new Error(`cannot start ${command}: ${error.message}`));
		});
		child.once('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			// Anything the command left running in its group (a daemonised helper) goes with it.
			if (pid !== undefined) {
				killGroup(pid, 'SIGKILL');
				liveGroups.delete(pid);
			}
			resolve({
				command,
				code,
				signal,
				stdout,
				stderr,
				durationMs: Date.now() - started,
				timedOut,
			});
		});
	});
}

/** Like run(), but throws with the tail of the output when the command fails. */
export async function runChecked(
	cmd: string,
	args: string[],
	opts: RunOptions = {},
): Promise<RunResult> {
	const result = await run(cmd, args, opts);
	if (result.code !== 0) throw new CommandError(result);
	return result;
}

export class CommandError extends Error {
	constructor(readonly result: RunResult) {
		super(
			`command failed (${result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`}): ${result.command}\n` +
				tail(result.stderr || result.stdout, 40),
		);
		this.name = 'CommandError';
	}
}

/** The last `lines` lines of a text, for error messages. */
export function tail(text: string, lines = 30): string {
	const all = text.trimEnd().split('\n');
	return all.slice(Math.max(0, all.length - lines)).join('\n');
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
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

/**
 * Creates a temp folder; remove it with removeDir (or register it on a Cleanup). If the harness is killed
 * first, it is removed on exit, unless keepTempDir was called for it.
 */
export async function makeTempDir(prefix: string): Promise<string> {
	installExitHooks();
	const dir = await mkdtemp(join(tmpdir(), prefix));
	liveTempDirs.add(dir);
	return dir;
}

/** Leave this temp folder behind on exit (for inspection). */
export function keepTempDir(dir: string): void {
	liveTempDirs.delete(dir);
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
		while (this.steps.length > 0) {
			const step = this.steps.pop();
			if (!step) break;
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
		if (value === undefined) continue;
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
