/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// Redis and PostgreSQL for queue mode: Debian's packages, installed with apt-get only when their binaries are
// missing, started as our own child processes (not the system services) on free loopback ports, with their
// data in a temp folder that goes away with them.
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
	cleanEnv,
	collectOutput,
	delay,
	freePort,
	run,
	runChecked,
	spawnGroup,
	stopGroup,
	tail,
	waitFor,
} from './proc';

const APT_PACKAGES = ['redis-server', 'postgresql'];

async function findBinaries(): Promise<{ redisServer?: string; pgBin?: string }> {
	const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin'];
	const redisServer = dirs.map((d) => join(d, 'redis-server')).find((f) => existsSync(f));
	// The newest /usr/lib/postgresql/<major>/bin that has initdb and postgres.
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root) ? (await readdir(root)).filter((v) => /^\d+$/.test(v)) : [];
	const pgBin = majors
		.sort((a, b) => Number(b) - Number(a))
		.map((major) => join(root, major, 'bin'))
		.find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres')));
	return { redisServer, pgBin };
}

/**
 * Finds redis-server and PostgreSQL's binaries; installs the Debian packages (`apt-get update`, then
 * `apt-get install -y --no-install-recommends redis-server postgresql`) only when one is missing, as root. On
 * images with the usual /usr/sbin/policy-rc.d (exit 101) the packages' own system services are not started.
 */
export async function ensureServicePackages(log: (message: string) => void) {
	let found = await findBinaries();
	let installed = 'already installed';
	if (!found.redisServer || !found.pgBin) {
		const apt = `apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`;
		if (process.getuid?.() !== 0)
			throw new Error(`Redis or PostgreSQL is missing and this is not root: run "sudo ${apt}"`);
		const started = Date.now();
		const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
		log(`installing ${APT_PACKAGES.join(', ')} from Debian's packages (apt-get update + install)`);
		await runChecked('apt-get', ['update', '-q'], { env, timeoutMs: 10 * 60_000 });
		await runChecked(
			'apt-get',
			['install', '-y', '-q', '--no-install-recommends', ...APT_PACKAGES],
			{ env, timeoutMs: 15 * 60_000 },
		);
		found = await findBinaries();
		installed = `${apt} in ${Math.round((Date.now() - started) / 1000)} s`;
	}
	const { redisServer, pgBin } = found;
	if (!redisServer || !pgBin)
		throw new Error('redis-server or /usr/lib/postgresql/*/bin/postgres is still missing');
	return { redisServer, pgBin, installed };
}

/** Starts a server in its own process group, ready once `ready` holds. */
async function startService(
	what: string,
	cmd: string,
	args: string[],
	opts: { cwd?: string; env: NodeJS.ProcessEnv },
	ready: () => Promise<boolean>,
) {
	const child = spawnGroup(cmd, args, opts);
	const output = collectOutput(child);
	let exit: string | undefined;
	child.once('exit', (code, signal) => (exit = String(code ?? signal)));
	const pid = child.pid as number;
	// If it never gets ready, its process group is killed when the harness exits.
	await waitFor(
		what,
		60_000,
		async () => {
			if (exit) throw new Error(`${what} exited early (${exit}):\n${tail(output(), 30)}`);
			return (await ready()) || undefined;
		},
		200,
	);
	return { pid, exited: () => exit };
}

/** redis-server in the foreground on a free loopback port, without persistence. */
export async function startRedis(redisServer: string, dir: string) {
	const port = await freePort();
	await mkdir(join(dir, 'redis'), { recursive: true });
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	const more = ['--dir', join(dir, 'redis'), '--daemonize', 'no', '--logfile', ''];
	// redis-cli comes with redis-server (Debian's redis-tools).
	const ping = async () =>
		(await run('redis-cli', ['-p', String(port), 'ping'])).stdout.includes('PONG');
	const { pid } = await startService(
		'redis-server',
		redisServer,
		[...args, ...more],
		{ env: cleanEnv() },
		ping,
	);
	return { port, pid, stop: () => stopGroup(pid, 5000) };
}

export type Redis = Awaited<ReturnType<typeof startRedis>>;

/**
 * initdb and postgres refuse to run as root. As root, they run as the `postgres` account the Debian package
 * creates (else `nobody`) through `setpriv --reuid --regid --init-groups`, which execs (same pid, same process
 * group, so stopping the group stops the server). Not root: as ourselves.
 */
async function unprivileged(): Promise<{
	prefix: string[];
	uid?: number;
	gid?: number;
	label: string;
}> {
	if (process.getuid?.() !== 0) return { prefix: [], label: 'the current user (not root)' };
	const passwd = (await readFile('/etc/passwd', 'utf8')).split('\n').map((l) => l.split(':'));
	const account =
		passwd.find(([name]) => name === 'postgres') ?? passwd.find(([name]) => name === 'nobody');
	if (!account)
		throw new Error(
			'no postgres or nobody account to run PostgreSQL as (it refuses to run as root)',
		);
	const [name, , uid, gid] = account;
	return {
		prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--'],
		uid: Number(uid),
		gid: Number(gid),
		label: `${name} (uid ${uid}) via setpriv`,
	};
}

export async function startPostgres(pgBin: string, dir: string) {
	const port = await freePort();
	const base = join(dir, 'postgres');
	const dataDir = join(base, 'data');
	await mkdir(base, { recursive: true });
	const who = await unprivileged();
	if (who.uid !== undefined && who.gid !== undefined) {
		// The unprivileged user must reach <dir>/postgres: traverse-only on the parents, owner of its own folder.
		await chmod(dir, 0o711);
		await chown(base, who.uid, who.gid);
	}
	await chmod(base, 0o700);
	// HOME: setpriv keeps root's, which the postgres user cannot read (psql/initdb look there for rc files).
	const env = cleanEnv({ LC_ALL: 'C', LANG: 'C', HOME: base, PGTZ: 'UTC' });
	const as = (bin: string, args: string[]): [string, string[]] =>
		who.prefix.length
			? [who.prefix[0], [...who.prefix.slice(1), join(pgBin, bin), ...args]]
			: [join(pgBin, bin), args];
	const initdb = [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	];
	await runChecked(...as('initdb', initdb), { env, cwd: base, timeoutMs: 120_000 });
	// Throwaway data: no durability needed, and fewer fsyncs keep a 2-core machine free for n8n.
	const settings = [
		'listen_addresses=127.0.0.1',
		'fsync=off',
		'synchronous_commit=off',
		'full_page_writes=off',
		'max_connections=200',
	];
	const args = [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		base,
		...settings.flatMap((s) => ['-c', s]),
	];
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];
	const { pid, exited } = await startService(
		'postgres',
		...as('postgres', args),
		{ env, cwd: base },
		async () =>
			(await run(join(pgBin, 'pg_isready'), connection, { env: cleanEnv(), timeoutMs: 10_000 }))
				.code === 0,
	);
	/** `psql -At -c <sql>` against a database; returns stdout. */
	const query = async (database: string, sql: string) => {
		const args = [...connection, '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql];
		return (
			await runChecked(join(pgBin, 'psql'), args, {
				env: cleanEnv({ PGCONNECT_TIMEOUT: '5' }),
				timeoutMs: 60_000,
			})
		).stdout;
	};
	return {
		port,
		pid,
		runsAs: who.label,
		query,
		stop: async () => {
			// SIGINT = "fast" shutdown (disconnects clients); SIGTERM would wait for them. Then the group.
			try {
				process.kill(pid, 'SIGINT');
			} catch {
				// already gone
			}
			for (let waited = 0; waited < 10_000 && exited() === undefined; waited += 100)
				await delay(100);
			await stopGroup(pid, 5000);
		},
	};
}

export type Postgres = Awaited<ReturnType<typeof startPostgres>>;
