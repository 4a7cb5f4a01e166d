/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// `npm run simulator -- [--port N] [--tls] [--malops N] [--machines M] [--seed S]
//   [--expired-session redirect|loginPage|unauthorized] [--latency ms] [--step ms] [--totp-secret BASE32]
//   [--python-quirks] [--status-shape array|map] [--initial-status-log empty|pending]
//   [--processes-per-machine N] [--files-per-machine N] [--servers N]`
import { demoDataset, generateDataset } from './dataset';
import { DEMO_USER, startSimulator, totp } from './index';
import type { ExpiredSessionMode, SimulatorOptions } from './model';

const FLAGS = new Set(['tls', 'python-quirks', 'help']);

function parseArgs(argv: string[]): Map<string, string> {
	const args = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument: ${arg}`);
		const [name, inline] = arg.slice(2).split('=', 2);
		if (FLAGS.has(name)) {
			args.set(name, 'true');
		} else {
			const value = inline ?? argv[++i];
			if (value === undefined) throw new Error(`--${name} needs a value`);
			args.set(name, value);
		}
	}
	return args;
}

function int(args: Map<string, string>, name: string): number | undefined {
	const raw = args.get(name);
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
	return n;
}

function oneOf<T extends string>(
	args: Map<string, string>,
	name: string,
	allowed: readonly T[],
): T | undefined {
	const raw = args.get(name);
	if (raw === undefined) return undefined;
	if (!allowed.includes(raw as T))
		throw new Error(`--${name} must be one of ${allowed.join(', ')}`);
	return raw as T;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.has('help')) {
		console.log(
			'Usage: npm run simulator -- [--port N] [--tls] [--malops N] [--machines M] [--seed S] [--expired-session redirect|loginPage|unauthorized] [--latency ms] [--step ms] [--totp-secret BASE32] [--python-quirks] [--status-shape array|map] [--initial-status-log empty|pending] [--processes-per-machine N] [--files-per-machine N] [--servers N]',
		);
		return;
	}
	const now = Date.now();
	const malops = int(args, 'malops');
	const machines = int(args, 'machines');
	const seed = int(args, 'seed');
	const custom = malops !== undefined || machines !== undefined || seed !== undefined;
	const totpSecret = args.get('totp-secret');
	const options: SimulatorOptions = {
		port: int(args, 'port') ?? 0,
		tls: args.has('tls'),
		dataset: custom
			? generateDataset({
					malops: malops ?? 20,
					machinesPerMalop: machines ?? 2,
					seed: seed ?? 1,
					eppMalops: Math.ceil((malops ?? 20) / 5),
					sharedMachines: Math.max(10, Math.ceil(((malops ?? 20) * (machines ?? 2)) / 3)),
					baseTime: now,
				})
			: demoDataset(now),
		expiredSession: oneOf<ExpiredSessionMode>(args, 'expired-session', [
			'redirect',
			'loginPage',
			'unauthorized',
		]),
		latencyMs: int(args, 'latency'),
		remediationStepMs: int(args, 'step'),
		pythonQuirks: args.has('python-quirks'),
		statusShape: oneOf(args, 'status-shape', ['array', 'map'] as const),
		initialStatusLog: oneOf(args, 'initial-status-log', ['empty', 'pending'] as const),
		users: [{ ...DEMO_USER, ...(totpSecret ? { totpSecret } : {}) }],
		hunting: {
			processesPerMachine: int(args, 'processes-per-machine'),
			filesPerMachine: int(args, 'files-per-machine'),
			servers: int(args, 'servers'),
		},
	};
	const sim = await startSimulator(options);
	console.log(`Cybereason simulator listening on ${sim.url}`);
	console.log(`  username: ${DEMO_USER.username}`);
	console.log(`  password: ${DEMO_USER.password}`);
	if (totpSecret) console.log(`  TOTP secret: ${totpSecret} (current code ${totp(totpSecret)})`);
	console.log(
		`  ${sim.state.malops.size} Malops on ${sim.state.machines.size} machines; control endpoints under ${sim.url}/__sim/`,
	);
	if (options.tls) console.log('  self-signed certificate: simulator/tls/localhost.crt');

	const stop = (signal: string) => {
		console.log(`\n${signal}: shutting down`);
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
