/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The real n8n application for end-to-end tests: installed from the npm registry into a cache folder
// outside the package, run through its CLI (import, execute, export) and as a server (`n8n start`) with a
// controlled environment in a throwaway user folder.
//
//   const install = await ensureN8n(line);                 // cached under ~/.cache/n8n-nodes-cybereason
//   const n8n = await N8nInstance.create(install, { env: line.env });
//   await installPackageTarball(n8n.userFolder, tarball);   // package.ts
//   await n8n.importCredentials([...]); const id = await n8n.importWorkflow(wf);
//   const result = await n8n.executeWorkflow(id);            // parsed run data
//   const server = await n8n.startServer(); await server.setupOwner(); ... await server.stop();
//   await n8n.dispose();
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import type { N8nLine } from './lines';
import {
	CommandError,
	cleanEnv,
	delay,
	freePort,
	keepTempDir,
	makeTempDir,
	pidAlive,
	removeDir,
	run,
	runChecked,
	spawnGroup,
	stopGroup,
	tail,
	type RunResult,
} from './proc';

/** Bumped when the install recipe changes, so old caches are rebuilt instead of trusted. */
const RECIPE_VERSION = 1;
const MARKER = '.n8n-e2e-complete.json';
/** Where installed packages may come from. Anything else (a CDN tarball, a git URL) fails the install. */
const ALLOWED_RESOLVED_PREFIXES = ['https://registry.npmjs.org/'];

export type Log = (message: string) => void;
const quiet: Log = () => undefined;

/** The cache root: $N8N_E2E_CACHE, else ~/.cache/n8n-nodes-cybereason. */
export function cacheRoot(): string {
	return process.env.N8N_E2E_CACHE || join(homedir(), '.cache', 'n8n-nodes-cybereason');
}

// ---------------------------------------------------------------------------------------------------------
// Node.js runtimes

export interface NodeRuntime {
	/** e.g. '24.22.3' */
	version: string;
	/** The node executable. */
	nodeBin: string;
	/** Folder with bin/, include/ (headers for node-gyp): the nodedir for native builds; undefined for the system Node. */
	nodeDir?: string;
	/** process.versions.modules of that runtime (the native addon ABI). */
	abi: string;
	cached: boolean;
	installMs: number;
}

export function systemNode(): NodeRuntime {
	return {
		version: process.versions.node,
		nodeBin: process.execPath,
		abi: process.versions.modules,
		cached: true,
		installMs: 0,
	};
}

interface Marker {
	recipe: number;
	key: string;
	installMs: number;
	diskBytes: number;
	finishedAt: string;
	[extra: string]: unknown;
}

async function readMarker(dir: string): Promise<Marker | undefined> {
	try {
		return JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as Marker;
	} catch {
		return undefined;
	}
}

/** Removes `<final>.partial-<pid>-*` folders whose process is gone (a killed run; SIGKILL skips finally). */
async function removeAbandonedStaging(finalDir: string, log: Log): Promise<void> {
	const prefix = `${basename(finalDir)}.partial-`;
	for (const entry of await readdir(dirname(finalDir))) {
		if (!entry.startsWith(prefix)) continue;
		const pid = Number.parseInt(entry.slice(prefix.length), 10);
		if (Number.isInteger(pid) && pidAlive(pid)) continue; // another run is installing right now
		log(`removing abandoned partial install ${entry}`);
		await removeDir(join(dirname(finalDir), entry));
	}
}

/**
 * Installs into `<final>.partial-<pid>-<random>` and renames it into place when complete, so a cache folder
 * either has a marker (complete and verified) or does not exist. A folder without a marker (an older,
 * interrupted attempt) is removed first.
 */
async function installOnce(
	finalDir: string,
	key: string,
	log: Log,
	build: (stagingDir: string) => Promise<Record<string, unknown>>,
): Promise<{ marker: Marker; cached: boolean }> {
	const existing = await readMarker(finalDir);
	if (existing && existing.recipe === RECIPE_VERSION && existing.key === key) {
		return { marker: existing, cached: true };
	}
	if (existsSync(finalDir)) {
		log(
			`cache ${finalDir} is incomplete or from another recipe (${existing?.key ?? 'no marker'}); reinstalling`,
		);
		await removeDir(finalDir);
	}
	await mkdir(dirname(finalDir), { recursive: true });
	await removeAbandonedStaging(finalDir, log);
	const staging = `${finalDir}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
	const started = Date.now();
	let done = false;
	try {
		await mkdir(staging, { recursive: true });
		const extra = await build(staging);
		const du = await run('du', ['-sk', staging]);
		const marker: Marker = {
			recipe: RECIPE_VERSION,
			key,
			installMs: Date.now() - started,
			diskBytes: Number.parseInt(du.stdout, 10) * 1024 || 0,
			finishedAt: new Date().toISOString(),
			...extra,
		};
		await writeFile(join(staging, MARKER), JSON.stringify(marker, null, 2));
		const moveError = await rename(staging, finalDir).then(
			() => undefined,
			(error: Error) => error,
		);
		if (!moveError) {
			done = true;
			return { marker, cached: false };
		}
		// Another run finished the same install first: use theirs.
		const theirs = await readMarker(finalDir);
		if (theirs?.key !== key)
			throw new Error(`cannot move ${staging} to ${finalDir}: ${moveError.message}`);
		return { marker: theirs, cached: true };
	} finally {
		// Failed or superseded: never leave a half-filled folder behind.
		if (!done) await removeDir(staging);
	}
}

/**
 * npm's environment for installs: no run-script leftovers (npm run exports the project's
 * ignore-scripts=true and the system nodedir); our node first on PATH; headers of that node;
 * N8N_E2E_NPM_CACHE as npm's cache if set (e.g. to measure a cold install).
 */
function npmEnv(runtime: NodeRuntime = systemNode()): NodeJS.ProcessEnv {
	const extra: Record<string, string> = {};
	if (process.env.N8N_E2E_NPM_CACHE) extra.npm_config_cache = process.env.N8N_E2E_NPM_CACHE;
	if (runtime.nodeDir) {
		extra.PATH = `${join(runtime.nodeDir, 'bin')}:${process.env.PATH ?? ''}`;
		// The machine's npmrc points nodedir at the system Node's headers; native builds for another
		// Node need that Node's own headers, which the node-<platform>-<arch> package ships.
		extra.npm_config_nodedir = runtime.nodeDir;
	}
	return cleanEnv(extra);
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

/** Installs (or reuses) Node.js <version> from the registry package node-<platform>-<arch>. */
export async function ensureNodeRuntime(version: string, log: Log = quiet): Promise<NodeRuntime> {
	const pkg = `node-${process.platform}-${process.arch}`;
	const dir = join(cacheRoot(), `node-${version}`);
	const nodeDir = join(dir, 'node_modules', pkg);
	const nodeBin = join(nodeDir, 'bin', 'node');
	const { marker, cached } = await installOnce(dir, `${pkg}@${version}`, log, async (staging) => {
		log(`installing ${pkg}@${version} into ${dir}`);
		await writeFile(
			join(staging, 'package.json'),
			JSON.stringify({ name: 'n8n-e2e-node-runtime', version: '0.0.0', private: true }, null, 2),
		);
		await runChecked(
			'npm',
			['install', '--ignore-scripts', '--no-save', ...NPM_QUIET, `${pkg}@${version}`],
			{ cwd: staging, env: npmEnv(), timeoutMs: 15 * 60_000 },
		);
		const stagedBin = join(staging, 'node_modules', pkg, 'bin', 'node');
		const probe = await runChecked(stagedBin, [
			'-p',
			'process.version + " " + process.versions.modules',
		]);
		const [reported, abi] = probe.stdout.trim().split(' ');
		if (reported !== `v${version}`)
			throw new Error(`${stagedBin} reports ${reported}, expected v${version}`);
		return { abi };
	});
	return {
		version,
		nodeBin,
		nodeDir,
		abi: String(marker.abi),
		cached,
		installMs: marker.installMs,
	};
}

// ---------------------------------------------------------------------------------------------------------
// n8n installs

export interface N8nInstall {
	line: N8nLine;
	version: string;
	/** The wrapper package folder (node_modules/n8n inside). */
	dir: string;
	/** node_modules/n8n/bin/n8n, to be run with runtime.nodeBin. */
	n8nBin: string;
	runtime: NodeRuntime;
	cached: boolean;
	/** Wall time of the install that filled the cache (not of this call when cached). */
	installMs: number;
	diskBytes: number;
	/** Time spent in this call (≈0 when cached). */
	elapsedMs: number;
}

/** Packages whose lockfile `resolved` URL is not on the registry (a cdn.sheetjs.com tarball, say). */
export async function findNonRegistryResolved(lockfilePath: string): Promise<string[]> {
	const lock = JSON.parse(await readFile(lockfilePath, 'utf8')) as {
		packages?: Record<string, { resolved?: string; link?: boolean }>;
	};
	const bad: string[] = [];
	for (const [path, entry] of Object.entries(lock.packages ?? {})) {
		if (path === '' || entry.link || !entry.resolved) continue;
		if (!ALLOWED_RESOLVED_PREFIXES.some((prefix) => entry.resolved?.startsWith(prefix))) {
			bad.push(`${path} -> ${entry.resolved}`);
		}
	}
	return bad;
}

async function checkNativeModules(
	runtime: NodeRuntime,
	dir: string,
	modules: string[],
): Promise<void> {
	if (modules.length === 0) return;
	const script = modules.map((m) => `require(${JSON.stringify(m)});`).join('');
	const result = await run(runtime.nodeBin, ['-e', script], {
		cwd: dir,
		env: cleanEnv(),
		timeoutMs: 60_000,
	});
	if (result.code !== 0) {
		throw new Error(
			`native modules ${modules.join(', ')} do not load with Node ${runtime.version} in ${dir} ` +
				`(delete that folder to reinstall):\n${tail(result.stderr, 15)}`,
		);
	}
}

/**
 * Installs n8n <line.n8nVersion> (or reuses the cache) the way that works with the registry alone:
 * a throwaway wrapper package.json with `overrides`, `npm install --ignore-scripts`, then
 * `npm rebuild <native addons>` against the runtime's headers. Verified before the cache marker is written:
 * every lockfile `resolved` URL is on the registry, the addons load, `n8n --version` answers.
 */
export async function ensureN8n(line: N8nLine, log: Log = quiet): Promise<N8nInstall> {
	const started = Date.now();
	const runtime = line.nodeVersion ? await ensureNodeRuntime(line.nodeVersion, log) : systemNode();
	const dir = join(cacheRoot(), `n8n-${line.n8nVersion}`);
	const key = JSON.stringify({
		n8n: line.n8nVersion,
		abi: runtime.abi,
		node: runtime.version,
		overrides: line.overrides,
		rebuild: line.rebuild,
	});
	const { marker, cached } = await installOnce(dir, key, log, async (staging) => {
		const wrapper = {
			name: 'n8n-e2e-host',
			version: '0.0.0',
			private: true,
			description: 'Throwaway wrapper that installs n8n for the n8n-nodes-cybereason e2e tests',
			dependencies: { n8n: line.n8nVersion },
			overrides: line.overrides,
		};
		await writeFile(join(staging, 'package.json'), JSON.stringify(wrapper, null, 2));
		const env = npmEnv(runtime);
		log(
			`installing n8n@${line.n8nVersion} (Node ${runtime.version}) into ${dir}; takes minutes when cold`,
		);
		const t0 = Date.now();
		await runChecked(
			'npm',
			['install', '--ignore-scripts', '--no-omit-lockfile-registry-resolved', ...NPM_QUIET],
			{ cwd: staging, env, timeoutMs: 40 * 60_000 },
		);
		const npmInstallMs = Date.now() - t0;
		const bad = await findNonRegistryResolved(join(staging, 'package-lock.json'));
		if (bad.length > 0) {
			throw new Error(
				`n8n@${line.n8nVersion} pulls packages from outside the registry:\n${bad.join('\n')}`,
			);
		}
		const t1 = Date.now();
		if (line.rebuild.length > 0) {
			log(`building ${line.rebuild.join(', ')} from source (node-gyp)`);
			await runChecked(
				'npm',
				[
					'rebuild',
					...line.rebuild,
					'--ignore-scripts=false',
					'--foreground-scripts',
					...NPM_QUIET,
				],
				{ cwd: staging, env, timeoutMs: 20 * 60_000 },
			);
		}
		const rebuildMs = Date.now() - t1;
		await checkNativeModules(runtime, staging, line.nativeModules);
		const version = await runChecked(
			runtime.nodeBin,
			[join(staging, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'],
			{
				cwd: staging,
				env: cleanEnv({ N8N_USER_FOLDER: staging }),
				timeoutMs: 120_000,
			},
		);
		if (!version.stdout.includes(line.n8nVersion)) {
			throw new Error(
				`n8n --version printed ${JSON.stringify(version.stdout.trim())}, expected ${line.n8nVersion}`,
			);
		}
		await rm(join(staging, '.n8n'), { recursive: true, force: true });
		return { n8nVersion: line.n8nVersion, nodeVersion: runtime.version, npmInstallMs, rebuildMs };
	});
	// Cheap (well under a second) and catches a cache built for another Node or a half-deleted tree.
	if (cached) await checkNativeModules(runtime, dir, line.nativeModules);
	return {
		line,
		version: line.n8nVersion,
		dir,
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		runtime,
		cached,
		installMs: marker.installMs,
		diskBytes: marker.diskBytes,
		elapsedMs: Date.now() - started,
	};
}

// ---------------------------------------------------------------------------------------------------------
// An n8n instance: one user folder (sqlite database, nodes/, config) and the CLI around it

export interface N8nInstanceOptions {
	/** Use this user folder (kept on dispose). Default: a new temp folder, removed on dispose. */
	userFolder?: string;
	/** Keep the temp user folder (dispose still stops the processes). */
	keep?: boolean;
	/**
	 * N8N_ENCRYPTION_KEY for every process of the instance (CLI, server; later the workers of a queue-mode
	 * setup must get the same one). Default: random per instance; n8n also writes it to <user folder>/.n8n/config.
	 */
	encryptionKey?: string;
	/** Extra environment, e.g. line.env, or DB_TYPE=postgresdb / EXECUTIONS_MODE=queue later. */
	env?: Record<string, string>;
	log?: Log;
}

/** A credential for `n8n import:credentials`: plaintext `data` is encrypted on import. */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** The parts of n8n's IRun that the harness reads (same shape in 1.123 and 2.41). */
export interface RunData {
	finished?: boolean;
	status?: string;
	mode?: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					executionStatus?: string;
					error?: Record<string, unknown>;
					data?: {
						main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }> | null>;
					};
				}>
			>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string; name?: string; [key: string]: unknown };
		};
	};
	[key: string]: unknown;
}

export interface ExecuteResult {
	/** Run data printed, no resultData.error, and exit code 0 (or a tolerated exit crash, see exitCrash). */
	ok: boolean;
	code: number | null;
	signal: NodeJS.Signals | null;
	/**
	 * Set when the process died from SIGSEGV *after* printing complete run data (the execution is finished
	 * and stored by then). n8n 2.41 with the `vm` expression engine does this on ~1 in 4 CLI exits on Node 24:
	 * its isolate pool starts a replacement isolate while the process exits (gdb: V8 Scavenge -> platform
	 * call into freed memory). Such a run is judged by its run data; a crash before the output is a failure.
	 */
	exitCrash?: NodeJS.Signals;
	/** The run data JSON n8n printed (undefined if none could be parsed, e.g. the workflow did not start). */
	run?: RunData;
	/** resultData.error.message, or a short reason when there is no run data. */
	error?: string;
	stdout: string;
	stderr: string;
	durationMs: number;
}

/** n8n-style id (16 alphanumerics). */
export function newId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Finds the JSON document(s) in CLI output that also holds log lines: every line that starts with `{` or
 * `[` is tried as the start of a balanced JSON value (strings and escapes respected). Returns them in order.
 */
export function extractJsonDocuments(text: string): unknown[] {
	const docs: unknown[] = [];
	let i = 0;
	while (i < text.length) {
		const lineStart = i === 0 || text[i - 1] === '\n';
		const ch = text[i];
		if (lineStart && (ch === '{' || ch === '[')) {
			const end = balancedEnd(text, i);
			if (end > 0) {
				try {
					docs.push(JSON.parse(text.slice(i, end)));
					i = end;
					continue;
				} catch {
					// not JSON after all (a log line that starts with a brace)
				}
			}
		}
		i++;
	}
	return docs;
}

function balancedEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
			continue;
		}
		if (ch === '"') inString = true;
		else if (ch === '{' || ch === '[') depth++;
		else if (ch === '}' || ch === ']') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

function isRunData(value: unknown): value is RunData {
	const data = (value as RunData | undefined)?.data;
	return typeof data === 'object' && data !== null && typeof data.resultData === 'object';
}

/** Parses `n8n execute --rawOutput` output: the last run-data JSON in stdout (log lines may precede it). */
export function parseExecuteOutput(
	result: Pick<RunResult, 'code' | 'signal' | 'stdout' | 'stderr' | 'durationMs'>,
): ExecuteResult {
	const docs = extractJsonDocuments(result.stdout).filter(isRunData);
	const run = docs[docs.length - 1];
	const runError = run?.data.resultData.error;
	const exitCrash = run !== undefined && result.signal === 'SIGSEGV' ? result.signal : undefined;
	const exitedCleanly = result.code === 0 || exitCrash !== undefined;
	let error: string | undefined;
	if (runError)
		error = String(runError.message ?? runError.description ?? JSON.stringify(runError));
	else if (!exitedCleanly) {
		error = `exit ${result.code ?? result.signal}: ${tail(`${result.stdout}\n${result.stderr}`, 15)}`;
	} else if (!run) error = `no run data in the output: ${tail(result.stdout, 15)}`;
	return {
		ok: exitedCleanly && run !== undefined && !runError,
		code: result.code,
		signal: result.signal,
		exitCrash,
		run,
		error,
		stdout: result.stdout,
		stderr: result.stderr,
		durationMs: result.durationMs,
	};
}

/** The output items (json) of a node's run (default: its last run, first output). */
export function nodeItems(
	run: RunData,
	nodeName: string,
	opts: { runIndex?: number; output?: number } = {},
) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const taskData = runs[opts.runIndex ?? runs.length - 1];
	return (taskData.data?.main?.[opts.output ?? 0] ?? []).map((item) => item.json);
}

export class N8nInstance {
	readonly n8nFolder: string;
	/** Where n8n (1.123 and 2.x) loads community packages from: <n8nFolder>/nodes/node_modules/n8n-nodes-*. */
	readonly nodesDir: string;
	private readonly processes = new Set<N8nProcess>();
	/** How many `execute` runs ended in a tolerated exit crash (see ExecuteResult.exitCrash). */
	exitCrashes = 0;

	private constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		private readonly ownsUserFolder: boolean,
		readonly encryptionKey: string,
		private readonly extraEnv: Record<string, string>,
		readonly log: Log,
	) {
		this.n8nFolder = join(userFolder, '.n8n');
		this.nodesDir = join(this.n8nFolder, 'nodes');
	}

	static async create(install: N8nInstall, opts: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const owns = opts.userFolder === undefined && !opts.keep;
		const userFolder = opts.userFolder ?? (await makeTempDir(`n8n-e2e-${install.version}-`));
		if (opts.keep) keepTempDir(userFolder);
		await mkdir(join(userFolder, '.n8n'), { recursive: true });
		return new N8nInstance(
			install,
			userFolder,
			owns,
			opts.encryptionKey ?? randomBytes(24).toString('base64url'),
			{ ...install.line.env, ...(opts.env ?? {}) },
			opts.log ?? quiet,
		);
	}

	/** The environment of every n8n process of this instance. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const runtimeBin = dirname(this.install.runtime.nodeBin);
		return cleanEnv({
			PATH: `${runtimeBin}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			// Manually installed packages load either way; 2.x warns that the default will flip to false (3.0).
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_LOG_LEVEL: 'info', // `execute` prints its result at info level
			N8N_LOG_OUTPUT: 'console',
			DB_TYPE: 'sqlite',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			...this.extraEnv,
			...extra,
		});
	}

	/** Runs `n8n <args>`; never throws for a non-zero exit (see cliChecked). */
	async cli(
		args: string[],
		opts: { timeoutMs?: number; env?: Record<string, string> } = {},
	): Promise<RunResult> {
		// 2.x starts a task broker in every command (default port 5679): give each process its own port.
		const brokerPort = String(await freePort());
		return await run(this.install.runtime.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: brokerPort, ...(opts.env ?? {}) }),
			timeoutMs: opts.timeoutMs ?? 5 * 60_000,
		});
	}

	async cliChecked(
		args: string[],
		opts: { timeoutMs?: number; env?: Record<string, string> } = {},
	): Promise<RunResult> {
		const result = await this.cli(args, opts);
		if (result.code !== 0) throw new CommandError(result);
		return result;
	}

	private async writeInput(name: string, content: unknown): Promise<string> {
		const dir = join(this.userFolder, 'e2e-input');
		await mkdir(dir, { recursive: true });
		const file = join(dir, `${Date.now()}-${randomBytes(3).toString('hex')}-${name}`);
		await writeFile(file, JSON.stringify(content, null, 2));
		return file;
	}

	/** `n8n import:credentials`; data is plaintext and gets encrypted with this instance's key. */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = await this.writeInput('credentials.json', credentials);
		await this.cliChecked(['import:credentials', `--input=${file}`]);
	}

	/** `n8n import:workflow`; gives the workflow an id if it has none and returns it. */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const id = workflow.id ?? newId();
		const file = await this.writeInput('workflow.json', {
			active: false,
			settings: {},
			...workflow,
			id,
		});
		await this.cliChecked(['import:workflow', `--input=${file}`]);
		return id;
	}

	/** `n8n execute --id=<id> --rawOutput`, parsed. ok=false on a failed run ("Execution error:", exit 1). */
	async executeWorkflow(id: string, opts: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			timeoutMs: opts.timeoutMs,
		});
		if (result.timedOut) throw new CommandError(result);
		const parsed = parseExecuteOutput(result);
		if (parsed.exitCrash) {
			this.exitCrashes++;
			this.log(
				`n8n execute --id=${id} died from ${parsed.exitCrash} after printing its run data (tolerated)`,
			);
		}
		return parsed;
	}

	/** `n8n export:credentials --all --decrypted`: every stored credential with plaintext data. */
	async exportCredentialsDecrypted(): Promise<CredentialImport[]> {
		const file = join(
			this.userFolder,
			'e2e-input',
			`export-${Date.now()}-${randomBytes(3).toString('hex')}.json`,
		);
		await mkdir(dirname(file), { recursive: true });
		await this.cliChecked(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
		try {
			return JSON.parse(await readFile(file, 'utf8')) as CredentialImport[];
		} finally {
			await rm(file, { force: true });
		}
	}

	/** `n8n export:workflow --all` (for static data, e.g. a trigger's cursor). */
	async exportWorkflows(): Promise<WorkflowJson[]> {
		const file = join(
			this.userFolder,
			'e2e-input',
			`export-wf-${Date.now()}-${randomBytes(3).toString('hex')}.json`,
		);
		await mkdir(dirname(file), { recursive: true });
		await this.cliChecked(['export:workflow', '--all', `--output=${file}`]);
		try {
			return JSON.parse(await readFile(file, 'utf8')) as WorkflowJson[];
		} finally {
			await rm(file, { force: true });
		}
	}

	/**
	 * A long-running n8n command (`start`, later `worker`, `webhook`) in its own process group, with its
	 * output collected. `ready` is polled until it returns true; the process is stopped if it never does.
	 */
	async startProcess(
		args: string[],
		opts: {
			env?: Record<string, string>;
			ready: (p: N8nProcess) => Promise<boolean>;
			timeoutMs?: number;
		},
	): Promise<N8nProcess> {
		const env = this.env({
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...(opts.env ?? {}),
		});
		const proc = new N8nProcess(this, args, env);
		this.processes.add(proc);
		let started = false;
		try {
			await proc.start(opts.ready, opts.timeoutMs ?? 180_000);
			started = true;
		} finally {
			if (!started) await proc.stop();
		}
		return proc;
	}

	/** `n8n start` on a free loopback port; resolves when /healthz and the REST API answer. */
	async startServer(
		opts: { env?: Record<string, string>; timeoutMs?: number } = {},
	): Promise<N8nServer> {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		let healthy = false;
		const proc = await this.startProcess(['start'], {
			timeoutMs: opts.timeoutMs,
			env: {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
				N8N_SECURE_COOKIE: 'false',
				...(opts.env ?? {}),
			},
			ready: async (p) => {
				// Our process must have bound the port (n8n prints this after listening and activating workflows):
				// between freePort() and n8n's listen another process can take the port and answer the probes.
				if (!p.logs().includes('Editor is now accessible via')) return false;
				if (!healthy) healthy = await fetchOk(`${url}/healthz`);
				// /healthz answers before the REST controllers are mounted; /rest/settings comes last.
				return healthy && (await fetchOk(`${url}/rest/settings`));
			},
		});
		return new N8nServer(proc, url);
	}

	forgetProcess(proc: N8nProcess): void {
		this.processes.delete(proc);
	}

	/** Stops every process still running and removes the user folder if this instance created it. */
	async dispose(): Promise<void> {
		for (const proc of [...this.processes]) await proc.stop();
		if (this.ownsUserFolder) await removeDir(this.userFolder);
	}
}

// ---------------------------------------------------------------------------------------------------------
// Long-running processes: `n8n start` with a small REST client for the internal API (/rest, cookie auth)

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** An owner for a throwaway instance, with a fresh password that meets n8n's rules (length, digit, capital). */
export function newOwnerAccount(): OwnerAccount {
	return {
		email: 'e2e-owner@n8n-nodes-cybereason.test',
		password: `E2e-${randomBytes(9).toString('base64url')}-9`,
		firstName: 'E2E',
		lastName: 'Owner',
	};
}

export interface HttpResult<T = unknown> {
	status: number;
	body: T;
	text: string;
	headers: Headers;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

async function fetchOk(url: string): Promise<boolean> {
	try {
		return (await fetch(url)).ok;
	} catch {
		return false; // not listening yet
	}
}

/** A long-running n8n process (its own process group); see N8nInstance.startProcess. */
export class N8nProcess {
	pid?: number;
	private output = '';
	private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };

	constructor(
		readonly instance: N8nInstance,
		readonly args: string[],
		readonly env: NodeJS.ProcessEnv,
	) {}

	/** Everything the process printed so far (the last 2-4 MB). */
	logs(): string {
		return this.output;
	}

	/** Exit code/signal once the process has ended by itself or been stopped. */
	get exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
		return this.exitInfo;
	}

	async start(ready: (p: N8nProcess) => Promise<boolean>, timeoutMs: number): Promise<void> {
		const { install } = this.instance;
		const child = spawnGroup(install.runtime.nodeBin, [install.n8nBin, ...this.args], {
			cwd: this.instance.userFolder,
			env: this.env,
		});
		this.pid = child.pid;
		const append = (chunk: Buffer) => {
			this.output += chunk.toString('utf8');
			if (this.output.length > 4_000_000) this.output = this.output.slice(-2_000_000);
		};
		child.stdout?.on('data', append);
		child.stderr?.on('data', append);
		child.once('exit', (code, signal) => {
			this.exitInfo = { code, signal };
		});
		const label = `n8n ${this.args.join(' ')}`;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exitInfo) {
				throw new Error(
					`${label} exited early (${this.exitInfo.code ?? this.exitInfo.signal}):\n${tail(this.output, 40)}`,
				);
			}
			if (await ready(this)) return;
			await delay(500);
		}
		throw new Error(`${label}: not ready after ${timeoutMs} ms:\n${tail(this.output, 40)}`);
	}

	/** SIGTERM to the whole process group, SIGKILL after 10 s. */
	async stop(): Promise<void> {
		if (this.pid !== undefined) await stopGroup(this.pid);
		this.pid = undefined;
		this.instance.forgetProcess(this);
	}
}

/** A running `n8n start`, with a small client for its internal REST API (/rest, cookie auth). */
export class N8nServer {
	private authCookie?: string;
	/** Sent on every request: n8n binds its auth cookie to this id. */
	private readonly browserId = `n8n-e2e-${randomBytes(6).toString('hex')}`;

	constructor(
		readonly proc: N8nProcess,
		/** http://127.0.0.1:<port> */
		readonly url: string,
	) {}

	get pid(): number | undefined {
		return this.proc.pid;
	}

	logs(): string {
		return this.proc.logs();
	}

	async stop(): Promise<void> {
		await this.proc.stop();
	}

	/** A request to the server; `path` starts with '/'. JSON in, JSON (or text) out; never throws on status. */
	async request<T = unknown>(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	) {
		const res = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.authCookie ? { cookie: this.authCookie } : {}),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const cookie of setCookie) {
			const pair = cookie.split(';')[0];
			if (pair.startsWith('n8n-auth=')) this.authCookie = pair === 'n8n-auth=' ? undefined : pair;
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text === '' ? undefined : JSON.parse(text);
		} catch {
			// keep the text
		}
		return {
			status: res.status,
			body: parsed as T,
			text,
			headers: res.headers,
		} satisfies HttpResult<T>;
	}

	/** A /rest call that must succeed; returns the `data` field n8n wraps responses in. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await this.request<{ data?: T }>(method, `/rest${path}`, body);
		if (res.status < 200 || res.status >= 300) {
			throw new Error(`${method} /rest${path} -> ${res.status}: ${res.text.slice(0, 500)}`);
		}
		return (
			res.body && typeof res.body === 'object' && 'data' in res.body ? res.body.data : res.body
		) as T;
	}

	/** Claims the instance (POST /rest/owner/setup) and keeps the session cookie. Returns the account. */
	async setupOwner(owner: OwnerAccount = newOwnerAccount()): Promise<OwnerAccount> {
		await this.rest('POST', '/owner/setup', owner);
		if (!this.authCookie) throw new Error('owner setup returned no n8n-auth cookie');
		return owner;
	}

	/** POST /rest/login (for an instance whose owner is already set up, e.g. by another server process). */
	async login(owner: OwnerAccount): Promise<void> {
		await this.rest('POST', '/login', {
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		});
		if (!this.authCookie) throw new Error('login returned no n8n-auth cookie');
	}

	/** Node type descriptions the editor gets (GET /types/nodes.json; needs a login). */
	async nodeTypes(): Promise<
		Array<{ name: string; displayName: string; version: number | number[] }>
	> {
		const res = await this.request<
			Array<{ name: string; displayName: string; version: number | number[] }>
		>('GET', '/types/nodes.json');
		if (res.status !== 200 || !Array.isArray(res.body))
			throw new Error(`GET /types/nodes.json -> ${res.status}`);
		return res.body;
	}

	/** Credential type descriptions the editor gets (GET /types/credentials.json; needs a login). */
	async credentialTypes(): Promise<
		Array<{ name: string; displayName: string; supportedNodes?: string[] }>
	> {
		const res = await this.request<
			Array<{ name: string; displayName: string; supportedNodes?: string[] }>
		>('GET', '/types/credentials.json');
		if (res.status !== 200 || !Array.isArray(res.body)) {
			throw new Error(`GET /types/credentials.json -> ${res.status}`);
		}
		return res.body;
	}

	/**
	 * The editor's "Test" button: POST /rest/credentials/test for a stored credential (imported or created),
	 * through n8n's own CredentialsTester (preAuthentication, authenticate, the type's test request).
	 * `data` is the plaintext data to test with (the stored data fills in redacted fields).
	 */
	async testCredential(credential: CredentialImport): Promise<CredentialTestResult> {
		return await this.rest<CredentialTestResult>('POST', '/credentials/test', {
			credentials: credential,
		});
	}

	/** Creates a credential through the internal API (what the editor does); returns its id. */
	async createCredential(credential: Omit<CredentialImport, 'id'>): Promise<string> {
		const created = await this.rest<{ id: string }>('POST', '/credentials', credential);
		return created.id;
	}

	/** Creates a public-API key for the logged-in user (POST /rest/api-keys) and returns the raw key. */
	async createApiKey(scopes: string[] = ['credential:read']): Promise<string> {
		const created = await this.rest<{ rawApiKey?: string; apiKey?: string }>('POST', '/api-keys', {
			label: `e2e ${randomBytes(3).toString('hex')}`,
			scopes,
			expiresAt: null,
		});
		const key = created.rawApiKey ?? created.apiKey;
		if (!key) throw new Error('POST /rest/api-keys returned no key');
		return key;
	}

	/** A public API call (/api/v1..., X-N8N-API-KEY); never throws on status. */
	async publicApi<T = unknown>(apiKey: string, method: string, path: string, body?: unknown) {
		return await this.request<T>(method, `/api/v1${path}`, body, { 'x-n8n-api-key': apiKey });
	}

	/**
	 * n8n 2.x only: POST /api/v1/credentials/{id}/test tests a *stored* credential with its stored data,
	 * the way an automation would. 1.x's public API has no credential test (404).
	 */
	async testCredentialById(apiKey: string, id: string): Promise<CredentialTestResult> {
		const res = await this.publicApi<CredentialTestResult>(
			apiKey,
			'POST',
			`/credentials/${id}/test`,
		);
		if (res.status !== 200)
			throw new Error(
				`POST /api/v1/credentials/${id}/test -> ${res.status}: ${res.text.slice(0, 300)}`,
			);
		return res.body;
	}
}
