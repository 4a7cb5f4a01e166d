/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// Redis and PostgreSQL for the queue-mode e2e run: Debian's packages, installed with apt-get only when
// their binaries are missing, started as our own child processes (not the system services) on free
// loopback ports, with their data in a temp folder that goes away with them.
//
//   await ensureServicePackages(log);
//   const redis = await startRedis(dir);            // redis-server --port N --bind 127.0.0.1 --save ''
//   const pg = await startPostgres(dir);            // initdb + postgres -p N -k <dir>, as an unprivileged user
//   await pg.createDatabase('n8n_1x');
//   ... await pg.stop(); await redis.stop();
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';

import { cleanEnv, delay, freePort, run, runChecked, spawnGroup, stopGroup, tail } from './proc';

export type Log = (message: string) => void;

const APT_PACKAGES = ['redis-server', 'postgresql'];

/** `redis-server` on PATH (or in /usr/bin). */
function findRedisServer(): string | undefined {
	for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin']) {
		if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
	}
	return undefined;
}

/** The newest /usr/lib/postgresql/<major>/bin that has initdb and postgres. */
async function findPostgresBin(): Promise<string | undefined> {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = (await readdir(root))
		.filter((v) => /^\d+$/.test(v))
		.sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const bin = join(root, major, 'bin');
		if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
	}
	return undefined;
}

export interface ServiceBinaries {
	redisServer: string;
	pgBin: string;
	/** What ensureServicePackages did: "already installed" or the apt-get run and its duration. */
	installed: string;
	installMs: number;
}

/**
 * Finds redis-server and PostgreSQL's binaries; installs the Debian packages (`apt-get install -y
 * --no-install-recommends redis-server postgresql`, after `apt-get update`) only when one is missing.
 * Needs root for that. On images with the usual /usr/sbin/policy-rc.d (exit 101) the packages' own
 * system services are not started; ours run on other, free ports anyway.
 */
export async function ensureServicePackages(log: Log): Promise<ServiceBinaries> {
	let redisServer = findRedisServer();
	let pgBin = await findPostgresBin();
	if (redisServer && pgBin)
		return { redisServer, pgBin, installed: 'already installed', installMs: 0 };
	const missing = [!redisServer && 'redis-server', !pgBin && 'postgresql']
		.filter(Boolean)
		.join(', ');
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${missing} not installed and this is not root: run "sudo apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}" first`,
		);
	}
	const started = Date.now();
	const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
	log(`installing ${missing} from Debian's packages (apt-get update + install)`);
	await runChecked('apt-get', ['update', '-q'], { env, timeoutMs: 10 * 60_000 });
	await runChecked('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...APT_PACKAGES], {
		env,
		timeoutMs: 15 * 60_000,
	});
	redisServer = findRedisServer();
	pgBin = await findPostgresBin();
	if (!redisServer || !pgBin) {
		throw new Error(
			`apt-get installed ${APT_PACKAGES.join(' ')}, but redis-server or /usr/lib/postgresql/*/bin/postgres is still missing`,
		);
	}
	const installMs = Date.now() - started;
	return { redisServer, pgBin, installed: `apt-get install ${APT_PACKAGES.join(' ')}`, installMs };
}

// ---------------------------------------------------------------------------------------------------------

/** Collects a child's output (the last 1 MB) for error messages. */
function collect(child: ReturnType<typeof spawnGroup>): () => string {
	let out = '';
	const append = (chunk: Buffer) => {
		out += chunk.toString('utf8');
		if (out.length > 2_000_000) out = out.slice(-1_000_000);
	};
	child.stdout?.on('data', append);
	child.stderr?.on('data', append);
	return () => out;
}

async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	opts: { timeoutMs: number; exited: () => string | undefined; output: () => string },
): Promise<void> {
	const deadline = Date.now() + opts.timeoutMs;
	while (Date.now() < deadline) {
		const exit = opts.exited();
		if (exit) throw new Error(`${what} exited early (${exit}):\n${tail(opts.output(), 30)}`);
		if (await check()) return;
		await delay(200);
	}
	throw new Error(`${what}: not ready after ${opts.timeoutMs} ms:\n${tail(opts.output(), 30)}`);
}

export interface RedisService {
	host: string;
	port: number;
	pid: number;
	output(): string;
	stop(): Promise<void>;
}

/** Sends PING over a fresh connection; true on +PONG. */
export function redisPing(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ port, host });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
	});
}

/** redis-server in the foreground on a free loopback port, no persistence, working dir inside `dir`. */
export async function startRedis(redisServer: string, dir: string): Promise<RedisService> {
	const port = await freePort();
	const dataDir = join(dir, 'redis');
	await mkdir(dataDir, { recursive: true });
	const child = spawnGroup(
		redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dataDir,
			'--daemonize',
			'no',
			'--logfile',
			'',
		],
		{ env: cleanEnv() },
	);
	const output = collect(child);
	let exit: string | undefined;
	child.once('exit', (code, signal) => (exit = String(code ?? signal)));
	if (child.pid === undefined) throw new Error(`cannot start ${redisServer}`);
	const pid = child.pid;
	let ready = false;
	try {
		await waitFor('redis-server', () => redisPing(port), {
			timeoutMs: 30_000,
			exited: () => exit,
			output,
		});
		ready = true;
	} finally {
		if (!ready) await stopGroup(pid, 2000);
	}
	return { host: '127.0.0.1', port, pid, output, stop: () => stopGroup(pid, 5000) };
}

// ---------------------------------------------------------------------------------------------------------

export interface PostgresService {
	host: string;
	port: number;
	/** Superuser (trust authentication on loopback, this throwaway cluster only). */
	user: string;
	pid: number;
	dataDir: string;
	/** Who the server runs as, e.g. "postgres (uid 101), via setpriv". */
	runsAs: string;
	output(): string;
	createDatabase(name: string): Promise<void>;
	/** `psql -At -c <sql>` against a database; returns stdout. */
	query(database: string, sql: string): Promise<string>;
	stop(): Promise<void>;
}

interface Account {
	name: string;
	uid: number;
	gid: number;
}

async function lookupAccount(name: string): Promise<Account | undefined> {
	const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
	for (const line of passwd.split('\n')) {
		const [user, , uid, gid] = line.split(':');
		if (user === name) return { name, uid: Number(uid), gid: Number(gid) };
	}
	return undefined;
}

/**
 * initdb and postgres refuse to run as root. As root, they run as the `postgres` system user that the
 * Debian package creates (else `nobody`), through `setpriv --reuid --regid --init-groups`, which execs
 * (same pid, same process group, so stopping the group stops the server). Not root: as ourselves.
 */
async function unprivileged(): Promise<{ prefix: string[]; account?: Account; label: string }> {
	if (process.getuid?.() !== 0)
		return { prefix: [], label: `${process.env.USER ?? 'the current user'} (not root)` };
	const account = (await lookupAccount('postgres')) ?? (await lookupAccount('nobody'));
	if (!account)
		throw new Error(
			'no postgres or nobody account to run PostgreSQL as (it refuses to run as root)',
		);
	return {
		prefix: ['setpriv', `--reuid=${account.uid}`, `--regid=${account.gid}`, '--init-groups', '--'],
		account,
		label: `${account.name} (uid ${account.uid}) via setpriv`,
	};
}

export async function startPostgres(pgBin: string, dir: string): Promise<PostgresService> {
	const port = await freePort();
	const base = join(dir, 'postgres');
	const dataDir = join(base, 'data');
	await mkdir(base, { recursive: true });
	const who = await unprivileged();
	if (who.account) {
		// The unprivileged user must reach <dir>/postgres: traverse-only on the parents, owner of its own folder.
		await chmod(dir, 0o711);
		await chown(base, who.account.uid, who.account.gid);
	}
	await chmod(base, 0o700);
	// HOME: setpriv keeps root's, which the postgres user cannot read (psql/initdb look there for rc files).
	const env = cleanEnv({ LC_ALL: 'C', LANG: 'C', HOME: base, PGTZ: 'UTC' });
	const as = (bin: string, args: string[]) =>
		(who.prefix.length ? [who.prefix[0], [...who.prefix.slice(1), bin, ...args]] : [bin, args]) as [
			string,
			string[],
		];

	const [initCmd, initArgs] = as(join(pgBin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	]);
	await runChecked(initCmd, initArgs, { env, cwd: base, timeoutMs: 120_000 });

	const [cmd, args] = as(join(pgBin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		base,
		'-c',
		'listen_addresses=127.0.0.1',
		// Throwaway data: no durability needed, and fewer fsyncs keep a 2-core CI machine free for n8n.
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	const child = spawnGroup(cmd, args, { env, cwd: base });
	const output = collect(child);
	let exit: string | undefined;
	child.once('exit', (code, signal) => (exit = String(code ?? signal)));
	if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
	const pid = child.pid;
	const psql = async (database: string, sql: string) =>
		(
			await runChecked(
				join(pgBin, 'psql'),
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(port),
					'-U',
					'postgres',
					'-d',
					database,
					'-v',
					'ON_ERROR_STOP=1',
					'-At',
					'-c',
					sql,
				],
				{
					env: cleanEnv({ PGCONNECT_TIMEOUT: '5' }),
					timeoutMs: 60_000,
				},
			)
		).stdout;
	let ready = false;
	try {
		await waitFor(
			'postgres',
			async () =>
				(
					await run(
						join(pgBin, 'pg_isready'),
						['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'],
						{ env: cleanEnv(), timeoutMs: 10_000 },
					)
				).code === 0,
			{ timeoutMs: 60_000, exited: () => exit, output },
		);
		ready = true;
	} finally {
		if (!ready) await stopGroup(pid, 2000);
	}
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		pid,
		dataDir,
		runsAs: who.label,
		output,
		createDatabase: async (name) => {
			await psql('postgres', `CREATE DATABASE "${name.replace(/"/g, '')}"`);
		},
		query: psql,
		stop: async () => {
			// SIGINT = "fast" shutdown (disconnects clients); SIGTERM would wait for them. Then the group.
			try {
				process.kill(pid, 'SIGINT');
			} catch {
				// already gone
			}
			const deadline = Date.now() + 10_000;
			while (Date.now() < deadline && exit === undefined) await delay(100);
			await stopGroup(pid, 5000);
		},
	};
}
