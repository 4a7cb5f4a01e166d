/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The real n8n application: installed from the npm registry into a cache folder outside the package, run
// through its CLI (import, execute, export) and as long-running processes (`n8n start`, `n8n worker`) with a
// controlled environment in a throwaway user folder.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import type { N8nLine } from './lines';
import {
	cleanEnv,
	collectOutput,
	commandFailed,
	delay,
	fetchOk,
	formatMs,
	freePort,
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
import { detailed, log, type Report } from './report';

/** Bumped when the install recipe changes, so old caches are rebuilt instead of trusted. */
const RECIPE_VERSION = 1;
const MARKER = '.n8n-e2e-complete.json';
const NPM_QUIET = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

export type Log = (message: string) => void;

/** The cache root: $N8N_E2E_CACHE, else ~/.cache/n8n-nodes-cybereason. */
export function cacheRoot(): string {
	return process.env.N8N_E2E_CACHE || join(homedir(), '.cache', 'n8n-nodes-cybereason');
}

interface NodeRuntime {
	version: string;
	nodeBin: string;
	/** bin/ and include/ (headers for node-gyp) of a registry Node; undefined for the system Node. */
	nodeDir?: string;
	/** process.versions.modules: the native addon ABI. */
	abi: string;
}

type Marker = { recipe: number; key: string; installMs: number; diskBytes: number } & Record<
	string,
	unknown
>;

const readMarker = async (dir: string) =>
	JSON.parse(await readFile(join(dir, MARKER), 'utf8').catch(() => 'null')) as Marker | null;

/**
 * Installs into `<final>.partial-<pid>-<random>` and renames it into place when complete, so a cache folder
 * either has a marker with this recipe key (complete and verified) or is removed and installed again.
 */
async function installOnce(
	finalDir: string,
	key: string,
	log: Log,
	build: (stagingDir: string) => Promise<Record<string, unknown>>,
): Promise<{ marker: Marker; cached: boolean }> {
	const existing = await readMarker(finalDir);
	if (existing?.recipe === RECIPE_VERSION && existing.key === key)
		return { marker: existing, cached: true };
	if (existsSync(finalDir)) log(`cache ${finalDir} is incomplete or from another recipe`);
	await removeDir(finalDir);
	await mkdir(dirname(finalDir), { recursive: true });
	// Partial installs of killed runs (SIGKILL skips finally), unless their process still runs.
	const prefix = `${basename(finalDir)}.partial-`;
	for (const entry of await readdir(dirname(finalDir)))
		if (entry.startsWith(prefix) && !pidAlive(Number.parseInt(entry.slice(prefix.length), 10)))
			await removeDir(join(dirname(finalDir), entry));
	const staging = `${finalDir}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
	const started = Date.now();
	try {
		await mkdir(staging, { recursive: true });
		const extra = await build(staging);
		const diskBytes = Number.parseInt((await run('du', ['-sk', staging])).stdout, 10) * 1024 || 0;
		const installMs = Date.now() - started;
		const finishedAt = new Date().toISOString();
		// The extras are part of what callers read back (the runtime's ABI goes into n8n's recipe key).
		const marker: Marker = {
			recipe: RECIPE_VERSION,
			key,
			installMs,
			diskBytes,
			finishedAt,
			...extra,
		};
		await writeFile(join(staging, MARKER), JSON.stringify(marker, null, 2));
		if (
			await rename(staging, finalDir).then(
				() => true,
				() => false,
			)
		)
			return { marker, cached: false };
		// Another run finished the same install first: use theirs.
		const theirs = await readMarker(finalDir);
		if (theirs?.key !== key) throw new Error(`cannot move ${staging} to ${finalDir}`);
		return { marker: theirs, cached: true };
	} finally {
		await removeDir(staging);
	}
}

/**
 * npm's environment for installs: no run-script leftovers (npm run exports the project's ignore-scripts=true and
 * the system nodedir), the registry Node first on PATH with its own headers, N8N_E2E_NPM_CACHE as npm's cache.
 */
function npmEnv(runtime?: NodeRuntime): NodeJS.ProcessEnv {
	return cleanEnv({
		npm_config_cache: process.env.N8N_E2E_NPM_CACHE || undefined,
		...(runtime?.nodeDir && {
			PATH: `${join(runtime.nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
			npm_config_nodedir: runtime.nodeDir,
		}),
	});
}

/** Node.js <version> from the registry package node-<platform>-<arch>, installed once into the cache. */
async function ensureNodeRuntime(version: string, log: Log): Promise<NodeRuntime> {
	const pkg = `node-${process.platform}-${process.arch}`;
	const dir = join(cacheRoot(), `node-${version}`);
	const nodeDir = join(dir, 'node_modules', pkg);
	const { marker } = await installOnce(dir, `${pkg}@${version}`, log, async (staging) => {
		log(`installing ${pkg}@${version} into ${dir}`);
		await writeFile(
			join(staging, 'package.json'),
			'{"name":"n8n-e2e-node-runtime","private":true}',
		);
		const args = ['install', '--ignore-scripts', '--no-save', ...NPM_QUIET, `${pkg}@${version}`];
		await runChecked('npm', args, { cwd: staging, env: npmEnv(), timeoutMs: 15 * 60_000 });
		const bin = join(staging, 'node_modules', pkg, 'bin', 'node');
		const probe = await runChecked(bin, ['-p', 'process.version+" "+process.versions.modules']);
		const [reported, abi] = probe.stdout.trim().split(' ');
		if (reported !== `v${version}`) throw new Error(`${bin} reports ${reported}`);
		return { abi };
	});
	return { version, nodeBin: join(nodeDir, 'bin', 'node'), nodeDir, abi: String(marker.abi) };
}

export interface N8nInstall {
	line: N8nLine;
	/** The wrapper package folder (node_modules/n8n inside). */
	dir: string;
	n8nBin: string;
	runtime: NodeRuntime;
	cached: boolean;
	/** Wall time of the install that filled the cache, and its size. */
	installMs: number;
	diskBytes: number;
}

async function checkNativeModules(runtime: NodeRuntime, dir: string, modules: string[]) {
	const script = modules.map((m) => `require(${JSON.stringify(m)});`).join('');
	const result = await run(runtime.nodeBin, ['-e', script], { cwd: dir, env: cleanEnv() });
	if (result.code !== 0)
		throw new Error(
			`native modules ${modules.join(', ')} do not load with Node ${runtime.version} in ${dir} ` +
				`(delete that folder to reinstall):\n${tail(result.stderr, 15)}`,
		);
}

/**
 * n8n <line.n8nVersion> installed (or reused from the cache) the way that works with the registry alone: a
 * throwaway wrapper package.json with `overrides`, `npm install --ignore-scripts`, then `npm rebuild <native
 * addons>` against the runtime's headers. Verified before the marker is written: every lockfile `resolved` URL is
 * on the registry, the addons load, `n8n --version` answers.
 */
export async function ensureN8n(line: N8nLine, log: Log): Promise<N8nInstall> {
	const runtime: NodeRuntime = line.nodeVersion
		? await ensureNodeRuntime(line.nodeVersion, log)
		: { version: process.versions.node, nodeBin: process.execPath, abi: process.versions.modules };
	const dir = join(cacheRoot(), `n8n-${line.n8nVersion}`);
	const { n8nVersion, overrides, rebuild } = line;
	const key = JSON.stringify({
		n8n: n8nVersion,
		abi: runtime.abi,
		node: runtime.version,
		overrides,
		rebuild,
	});
	const { marker, cached } = await installOnce(dir, key, log, async (staging) => {
		const wrapper = {
			name: 'n8n-e2e-host',
			private: true,
			dependencies: { n8n: n8nVersion },
			overrides,
		};
		await writeFile(join(staging, 'package.json'), JSON.stringify(wrapper, null, 2));
		const npm = async (args: string[]) =>
			await runChecked('npm', [...args, ...NPM_QUIET], {
				cwd: staging,
				env: npmEnv(runtime),
				timeoutMs: 40 * 60_000,
			});
		log(
			`installing n8n@${n8nVersion} (Node ${runtime.version}) into ${dir}; takes minutes when cold`,
		);
		const t0 = Date.now();
		// The machine's npmrc omits `resolved` from lockfiles; it is what proves the registry-only install.
		await npm(['install', '--ignore-scripts', '--no-omit-lockfile-registry-resolved']);
		const t1 = Date.now();
		const lock = JSON.parse(await readFile(join(staging, 'package-lock.json'), 'utf8')) as {
			packages: Record<string, { resolved?: string; link?: boolean }>;
		};
		const bad = Object.entries(lock.packages)
			.filter(
				([, e]) => e.resolved && !e.link && !e.resolved.startsWith('https://registry.npmjs.org/'),
			)
			.map(([path, e]) => `${path} -> ${e.resolved}`);
		if (bad.length)
			throw new Error(`n8n pulls packages from outside the registry:\n${bad.join('\n')}`);
		log(`building ${rebuild.join(', ')} from source (node-gyp)`);
		await npm(['rebuild', ...rebuild, '--ignore-scripts=false', '--foreground-scripts']);
		const rebuildMs = Date.now() - t1;
		await checkNativeModules(runtime, staging, line.nativeModules);
		const n8nBin = join(staging, 'node_modules', 'n8n', 'bin', 'n8n');
		const env = cleanEnv({ N8N_USER_FOLDER: staging });
		const version = await runChecked(runtime.nodeBin, [n8nBin, '--version'], { cwd: staging, env });
		if (!version.stdout.includes(n8nVersion)) throw new Error(`n8n --version: ${version.stdout}`);
		await rm(join(staging, '.n8n'), { recursive: true, force: true });
		return { n8nVersion, nodeVersion: runtime.version, npmInstallMs: t1 - t0, rebuildMs };
	});
	// Cheap (well under a second) and catches a cache built for another Node or a half-deleted tree.
	if (cached) await checkNativeModules(runtime, dir, line.nativeModules);
	const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	return {
		line,
		dir,
		n8nBin,
		runtime,
		cached,
		installMs: marker.installMs,
		diskBytes: marker.diskBytes,
	};
}

/** The first step of every line in both suites: install n8n, or reuse the cache. */
export async function installStep(report: Report, line: N8nLine): Promise<N8nInstall | undefined> {
	return await report.step('install n8n (or reuse the cache)', async () => {
		const i = await ensureN8n(line, (m) => log(`[${line.label}] ${m}`));
		const size = `${(i.diskBytes / 2 ** 30).toFixed(2)} GiB`;
		const how = `${i.cached ? 'cached' : 'installed'} in ${i.dir}, Node ${i.runtime.version}`;
		return detailed(i, `${how}; cold install ${formatMs(i.installMs)}, ${size}`);
	});
}

/** A credential for `n8n import:credentials`: plaintext `data` is encrypted on import. */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

type WorkflowJson = { id?: string; name: string; nodes: unknown[]; connections: unknown } & Record<
	string,
	unknown
>;

/** The parts of n8n's run data the harness reads (same shape in 1.123 and 2.41). */
export interface RunData {
	resultData: {
		runData: Record<
			string,
			Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
		>;
		error?: { message?: string; description?: string };
	};
}

/** The output items (json) of a node's last run, first output. */
export function nodeItems(data: RunData, nodeName: string): Array<Record<string, unknown>> {
	const runs = data.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/**
 * `n8n execute --rawOutput` prints log lines, then `JSON.stringify(run, null, 2)` (a failed run: "Execution
 * error:", the same JSON, then the error and its stack, and exit 1): the run data is the last `{` line up to the
 * next `}` line that parses and holds `data.resultData`.
 *
 * n8n 2.41 with the `vm` expression engine dies from SIGSEGV on ~1 in 4 CLI exits on Node 24, *after* printing
 * complete run data (see README.md); the execution is finished and stored by then, so such a run is judged by its
 * run data (`exitCrash`). A crash before the output is a failure.
 */
function parseExecuteOutput(result: RunResult) {
	const blocks = `\n${result.stdout}`.split('\n{\n').slice(1);
	const data = blocks
		.map((b) => {
			try {
				return (JSON.parse(`{\n${b.slice(0, b.indexOf('\n}') + 2)}`) as { data?: RunData }).data;
			} catch {
				return undefined; // a log line that starts with a brace
			}
		})
		.filter((d) => typeof d?.resultData === 'object')
		.pop();
	const exitCrash = data && result.signal === 'SIGSEGV' ? result.signal : undefined;
	const exited = result.code === 0 || exitCrash !== undefined;
	const runError = data?.resultData.error;
	const error = runError
		? String(runError.message ?? runError.description ?? JSON.stringify(runError))
		: !exited
			? `exit ${result.code ?? result.signal}: ${tail(`${result.stdout}\n${result.stderr}`, 15)}`
			: !data
				? `no run data in the output: ${tail(result.stdout, 15)}`
				: undefined;
	return { ok: exited && !!data && !runError, code: result.code, exitCrash, data, error };
}

/** One user folder (database, nodes/, config) and the processes and CLI commands that use it. */
export class N8nInstance {
	private readonly processes: N8nProcess[] = [];
	/** How many `execute` runs ended in a tolerated exit crash. */
	exitCrashes = 0;

	private constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		private readonly keep: boolean,
		private readonly extraEnv: Record<string, string>,
	) {}

	/**
	 * A new temp user folder. Every process of the instance gets `encryptionKey` (default: random; the instances of
	 * a queue-mode cluster must share one) and `env` on top of the line's env.
	 */
	static async create(
		install: N8nInstall,
		opts: { env?: Record<string, string>; encryptionKey?: string; keep?: boolean } = {},
	): Promise<N8nInstance> {
		const userFolder = await makeTempDir(`n8n-e2e-${install.line.n8nVersion}-`, opts.keep);
		await mkdir(join(userFolder, '.n8n'), { recursive: true });
		const key = opts.encryptionKey ?? randomBytes(24).toString('base64url');
		const env = { ...install.line.env, ...opts.env, N8N_ENCRYPTION_KEY: key };
		return new N8nInstance(install, userFolder, opts.keep === true, env);
	}

	/** The environment of every n8n process of this instance. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return cleanEnv({
			PATH: `${dirname(this.install.runtime.nodeBin)}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
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

	/** `n8n <args>`; a non-zero exit throws unless `checked` is false. */
	async cli(args: string[], checked = true): Promise<RunResult> {
		// 2.x starts a task broker in every command (default port 5679): each process gets its own port.
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		const bin = [this.install.n8nBin, ...args];
		const result = await run(this.install.runtime.nodeBin, bin, {
			cwd: this.userFolder,
			env,
			timeoutMs: 5 * 60_000,
		});
		if (result.timedOut || (checked && result.code !== 0)) throw commandFailed(result);
		return result;
	}

	private async inputFile(content?: unknown): Promise<string> {
		await mkdir(join(this.userFolder, 'e2e-input'), { recursive: true });
		const file = join(this.userFolder, 'e2e-input', `${randomBytes(6).toString('hex')}.json`);
		if (content !== undefined) await writeFile(file, JSON.stringify(content, null, 2));
		return file;
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		await this.cli(['import:credentials', `--input=${await this.inputFile(credentials)}`]);
	}

	/** One `n8n import:workflow` for several workflows (a JSON array), instead of one CLI start each. */
	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		const list = workflows.map((w) => ({ active: false, settings: {}, ...w }));
		await this.cli(['import:workflow', `--input=${await this.inputFile(list)}`]);
	}

	/** `n8n execute --id=<id> --rawOutput`, parsed. ok=false on a failed run. */
	async executeWorkflow(id: string) {
		const parsed = parseExecuteOutput(
			await this.cli(['execute', `--id=${id}`, '--rawOutput'], false),
		);
		if (parsed.exitCrash) this.exitCrashes++;
		return parsed;
	}

	private async exportAll<T>(args: string[]): Promise<T[]> {
		const file = await this.inputFile();
		await this.cli([...args, '--all', `--output=${file}`]);
		try {
			return JSON.parse(await readFile(file, 'utf8')) as T[];
		} finally {
			await rm(file, { force: true });
		}
	}

	/** The credential's data as n8n stored it (e.g. the persisted `sessionCookie`). */
	async storedCredential(id: string): Promise<Record<string, unknown> | undefined> {
		const all = await this.exportAll<CredentialImport>(['export:credentials', '--decrypted']);
		return all.find((c) => c.id === id)?.data;
	}

	/** `n8n export:workflow --all` (for static data, e.g. a trigger's cursor). */
	async exportWorkflows(): Promise<WorkflowJson[]> {
		return await this.exportAll<WorkflowJson>(['export:workflow']);
	}

	/** A long-running n8n command (`start`, `worker`), stopped if it exits or is not `ready` in 4 minutes. */
	async startProcess(
		args: string[],
		env: Record<string, string>,
		ready: (p: N8nProcess) => Promise<boolean>,
	): Promise<N8nProcess> {
		const brokerPort = String(await freePort());
		const proc = new N8nProcess(
			this,
			args,
			this.env({ N8N_RUNNERS_BROKER_PORT: brokerPort, ...env }),
		);
		this.processes.push(proc);
		for (const deadline = Date.now() + 240_000; !(await ready(proc)); await delay(500)) {
			const failed =
				proc.exited ?? (Date.now() > deadline ? 'not ready after 4 minutes' : undefined);
			if (!failed) continue;
			await proc.stop();
			throw new Error(`n8n ${args.join(' ')}: ${failed}:\n${tail(proc.logs(), 40)}`);
		}
		return proc;
	}

	/**
	 * `n8n start` on a free loopback port, ready once its own log says it listens (between freePort() and n8n's
	 * listen another process once took the port and answered the probes) and /healthz and /rest/settings answer
	 * (/healthz answers before the REST controllers are mounted). Started once more if the port was taken.
	 */
	async startServer(): Promise<N8nServer> {
		for (let attempt = 1; ; attempt++) {
			const port = String(await freePort());
			const url = `http://127.0.0.1:${port}`;
			const env = {
				N8N_PORT: port,
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
				N8N_SECURE_COOKIE: 'false',
			};
			const proc = await this.startProcess(
				['start'],
				env,
				async (p) =>
					p.logs().includes('Editor is now accessible via') &&
					(await fetchOk(`${url}/healthz`)) &&
					(await fetchOk(`${url}/rest/settings`)),
			).catch((error: Error) => error);
			if (proc instanceof N8nProcess) return new N8nServer(proc, url);
			if (attempt > 1 || !/is already in use/.test(proc.message)) throw proc;
		}
	}

	/** Stops every process still running and removes the user folder (unless kept). */
	async dispose(): Promise<void> {
		for (const proc of this.processes) await proc.stop();
		if (!this.keep) await removeDir(this.userFolder);
	}
}

/** A long-running n8n process in its own process group; see N8nInstance.startProcess. */
export class N8nProcess {
	readonly pid?: number;
	readonly logs: () => string;
	/** How the process ended by itself (a crash), if it did. */
	exited?: string;

	constructor(instance: N8nInstance, args: string[], env: NodeJS.ProcessEnv) {
		const { install, userFolder } = instance;
		const command = [install.n8nBin, ...args];
		const child = spawnGroup(install.runtime.nodeBin, command, { cwd: userFolder, env });
		this.pid = child.pid;
		this.logs = collectOutput(child);
		child.once('exit', (code, signal) => (this.exited ??= `exited (${code ?? signal})`));
	}

	/** SIGTERM to the whole process group, SIGKILL after 10 s. */
	async stop(): Promise<void> {
		this.exited ??= 'stopped';
		if (this.pid !== undefined) await stopGroup(this.pid);
	}
}

/** An execution as the public API returns it. */
export interface PublicExecution {
	id: string;
	status?: string;
	finished?: boolean;
	mode?: string;
	startedAt?: string;
	stoppedAt?: string;
	data?: RunData;
}

/** A running `n8n start` (also a queue-mode main), with a small client for its REST and public APIs. */
export class N8nServer {
	private authCookie?: string;
	/** Sent on every request: n8n binds its auth cookie to this id. */
	private readonly browserId = `n8n-e2e-${randomBytes(6).toString('hex')}`;
	private apiKey?: Promise<string>;

	constructor(
		readonly proc: N8nProcess,
		readonly url: string,
	) {}

	/** JSON in, JSON (or text) out; never throws on status. */
	async request<T = unknown>(method: string, path: string, body?: unknown, apiKey?: string) {
		const res = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				accept: 'application/json',
				...(body !== undefined && { 'content-type': 'application/json' }),
				...(this.authCookie && { cookie: this.authCookie }),
				...(apiKey && { 'x-n8n-api-key': apiKey }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const auth = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (auth) this.authCookie = auth.split(';')[0];
		const text = await res.text();
		const parsed = await Promise.resolve(text)
			.then(JSON.parse)
			.catch(() => text);
		return { status: res.status, body: parsed as T, text };
	}

	/** A /rest call that must succeed; returns the `data` field n8n wraps answers in. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await this.request<{ data?: T }>(method, `/rest${path}`, body);
		if (res.status < 200 || res.status >= 300)
			throw new Error(`${method} /rest${path} -> ${res.status}: ${res.text.slice(0, 500)}`);
		return (
			res.body && typeof res.body === 'object' && 'data' in res.body ? res.body.data : res.body
		) as T;
	}

	/** Claims the fresh instance (POST /rest/owner/setup); the answer sets the n8n-auth cookie. */
	async setupOwner(): Promise<void> {
		const password = `E2e-${randomBytes(9).toString('base64url')}-9`; // n8n's rules: length, digit, capital
		const owner = {
			email: 'e2e-owner@n8n-nodes-cybereason.test',
			firstName: 'E2E',
			lastName: 'Owner',
		};
		await this.rest('POST', '/owner/setup', { ...owner, password });
		if (!this.authCookie) throw new Error('owner setup returned no n8n-auth cookie');
	}

	/** What the editor loads: GET /types/nodes.json or /types/credentials.json (behind the login). */
	async types(kind: 'nodes' | 'credentials') {
		type Type = { name: string; displayName: string; supportedNodes?: string[] };
		const res = await this.request<Type[]>('GET', `/types/${kind}.json`);
		if (!Array.isArray(res.body)) throw new Error(`GET /types/${kind}.json -> ${res.status}`);
		return res.body;
	}

	/**
	 * The editor's "Test" button: POST /rest/credentials/test for a stored credential, through n8n's own
	 * CredentialsTester (preAuthentication, authenticate, the type's test request).
	 */
	async testCredential(credential: CredentialImport) {
		return await this.rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: credential,
		});
	}

	/** A public-API call with a key for the scopes the harness needs (of those this n8n offers). */
	async publicApi<T = unknown>(method: string, path: string) {
		this.apiKey ??= (async () => {
			const offered = await this.rest<string[]>('GET', '/api-keys/scopes');
			const scopes = ['workflow:read', 'execution:read', 'execution:list', 'credential:read'];
			const label = `e2e ${randomBytes(3).toString('hex')}`;
			const body = { label, scopes: scopes.filter((s) => offered.includes(s)), expiresAt: null };
			const created = await this.rest<{ rawApiKey?: string; apiKey?: string }>(
				'POST',
				'/api-keys',
				body,
			);
			return created.rawApiKey ?? created.apiKey ?? '';
		})();
		return await this.request<T>(method, `/api/v1${path}`, undefined, await this.apiKey);
	}

	/** A workflow's executions, by default with their data; the public API leaves out those still running. */
	async executions(workflowId: string, includeData = true): Promise<PublicExecution[]> {
		const query = `workflowId=${encodeURIComponent(workflowId)}&includeData=${includeData}&limit=250`;
		const res = await this.publicApi<{ data?: PublicExecution[] }>('GET', `/executions?${query}`);
		if (!Array.isArray(res.body.data))
			throw new Error(`GET /api/v1/executions -> ${res.status}: ${res.text.slice(0, 300)}`);
		return res.body.data.map((e) => ({ ...e, id: String(e.id) }));
	}
}
