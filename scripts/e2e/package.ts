/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// This package as n8n users get it: `npm pack` of the built package, its file list and the offline part of
// @n8n/scan-community-package, and the install into an n8n user folder's nodes/ the way n8n's manual
// installation does it (`cd ~/.n8n/nodes && npm install <pkg>`).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { cacheRoot, type Log } from './n8n';
import { cleanEnv, makeTempDir, removeDir, run, runChecked, tail } from './proc';
import { check, detailed } from './report';

interface PackageJson {
	name: string;
	version: string;
	main?: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/** The repository root (scripts/e2e is compiled to build/scripts/e2e). */
export function repoRoot(): string {
	let dir = __dirname;
	while (!existsSync(join(dir, 'tsconfig.tools.json')) && dir !== resolve(dir, '..'))
		dir = resolve(dir, '..');
	return dir;
}

async function readPackageJson(dir: string): Promise<PackageJson> {
	return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

const n8nFiles = (pkg: PackageJson) => [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];

/** `npm pack --json [--dry-run]` of the checkout: the tarball's name, size and file list. */
async function npmPack(args: string[]) {
	const packed = await runChecked(
		'npm',
		['pack', '--json', '--ignore-scripts', '--no-update-notifier', ...args],
		{ cwd: repoRoot(), env: cleanEnv(), timeoutMs: 5 * 60_000 },
	);
	return (
		JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
			filename: string;
			size: number;
			unpackedSize: number;
			files: Array<{ path: string }>;
		}>
	)[0];
}

export interface PackedPackage {
	name: string;
	version: string;
	/** Absolute path of the .tgz in a temp folder. */
	tarball: string;
	/** The package.json nodes and credentials, as n8n will load them. */
	nodes: string[];
}

/** `npm pack` of the built checkout into a temp folder (removed on exit); N8N_E2E_BUILD=1 builds first. */
export async function packPackage(): Promise<PackedPackage> {
	if (process.env.N8N_E2E_BUILD === '1')
		await runChecked('npm', ['run', 'build', '--silent'], { cwd: repoRoot(), env: cleanEnv() });
	const pkg = await readPackageJson(repoRoot());
	for (const file of n8nFiles(pkg))
		check(
			existsSync(join(repoRoot(), file)),
			`${file} is listed in package.json but not built (npm run build)`,
		);
	const dir = await makeTempDir('n8n-e2e-pack-');
	const info = await npmPack([`--pack-destination=${dir}`]);
	return { ...pkg, tarball: join(dir, info.filename), nodes: pkg.n8n?.nodes ?? [] };
}

/** The tarball would hold only dist/**, README.md, LICENSE.md, package.json, and what package.json names. */
export async function checkPackedFiles() {
	const info = await npmPack(['--dry-run']);
	const files = info.files.map((f) => f.path);
	const topLevel = ['README.md', 'LICENSE.md', 'package.json'];
	const outside = files.filter((f) => !f.startsWith('dist/') && !topLevel.includes(f));
	check(outside.length === 0, `the tarball would also ship: ${outside.join(', ')}`);
	for (const required of topLevel) check(files.includes(required), `the tarball lacks ${required}`);
	const pkg = await readPackageJson(repoRoot());
	const missing = n8nFiles(pkg).filter((f) => !files.includes(f));
	check(
		missing.length === 0,
		`package.json's n8n section names files the tarball lacks: ${missing.join(', ')}`,
	);
	check(
		files.some((f) => /^dist\/icons\/.+\.svg$/.test(f)),
		'no icons under dist/icons',
	);
	// Starter defaults, noted rather than failed: n8n does not use "main"; the build by-products are harmless.
	const notes: string[] = [];
	if (pkg.main && !files.includes(pkg.main.replace(/^\.\//, '')))
		notes.push(`"main": "${pkg.main}" is not in the tarball (n8n does not use it)`);
	const extras = files.filter((f) => f === 'dist/package.json' || f.endsWith('.tsbuildinfo'));
	if (extras.length) notes.push(`build by-products shipped: ${extras.join(', ')}`);
	const kinds = (re: RegExp) => files.filter((f) => re.test(f)).length;
	return detailed(
		files,
		`${files.length} files (${kinds(/\.js$/)} .js, ${kinds(/\.d\.ts$/)} .d.ts, ${kinds(/\.map$/)} .map), ` +
			`${(info.size / 1024).toFixed(0)} kB packed / ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked` +
			(notes.length ? `; notes: ${notes.join('; ')}` : ''),
	);
}

const SCANNER = '@n8n/scan-community-package';
/** Pinned: the scan's rules change between releases. */
const SCANNER_VERSION = '0.32.0';

/** Installs the scanner into the e2e cache once; returns the path of its scanner.mjs. */
async function ensureScanner(log: Log): Promise<string> {
	const dir = join(cacheRoot(), `scan-community-package-${SCANNER_VERSION}`);
	const scanner = join(dir, 'node_modules', SCANNER, 'scanner', 'scanner.mjs');
	if (existsSync(join(dir, '.e2e-complete')) && existsSync(scanner)) return scanner;
	await removeDir(dir);
	const staging = `${dir}.partial-${process.pid}`;
	await mkdir(staging, { recursive: true });
	try {
		log(`installing ${SCANNER}@${SCANNER_VERSION} into ${dir}`);
		await writeFile(join(staging, 'package.json'), '{"name":"e2e-scanner","private":true}');
		const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
		await runChecked('npm', [...args, `${SCANNER}@${SCANNER_VERSION}`], {
			cwd: staging,
			env: cleanEnv(),
			timeoutMs: 10 * 60_000,
		});
		await writeFile(join(staging, '.e2e-complete'), new Date().toISOString());
		await rename(staging, dir);
	} finally {
		await removeDir(staging);
	}
	return scanner;
}

// Runs in a child Node (the scanner is an ES module with process-wide side effects: a tmp dir at import).
const SCAN_SCRIPT = `
import { createRequire } from 'node:module';
const [scanner, repo, tarballDir, canaryDir] = process.argv.slice(1);
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scanner);
const glob = createRequire(scanner)('fast-glob');
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
const legs = { source: [repo, SOURCE_FILE_PATTERNS], tarball: [tarballDir, TARBALL_PATTERNS], canary: [canaryDir, TARBALL_PATTERNS] };
const out = {};
for (const [name, [dir, patterns]] of Object.entries(legs)) {
	const { passed, message, details } = await analyzePackage(dir, patterns);
	const files = glob.sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] }).length;
	out[name] = { passed, message, details, files };
}
console.log('SCAN-RESULT ' + JSON.stringify(out));
`;

/**
 * The scanner's ESLint gate as `npx @n8n/scan-community-package <name>` applies it after its network steps: the
 * source leg (package.json, nodes/, credentials/) on this checkout, the tarball leg (compiled .js and
 * package.json) on the packed tarball, and a canary with a console.log in a node that must fail, so a silently
 * empty lint cannot pass.
 */
export async function runCommunityScan(tarball: string, log: Log) {
	const scanner = await ensureScanner(log);
	const tmp = await makeTempDir('n8n-e2e-scan-');
	try {
		const tarballDir = join(tmp, 'package');
		const canaryNode = join(tmp, 'canary', 'dist', 'nodes', 'Canary');
		await mkdir(tarballDir, { recursive: true });
		await mkdir(canaryNode, { recursive: true });
		await mkdir(join(tmp, 'tmp'));
		await runChecked('tar', ['-xzf', tarball, '-C', tarballDir, '--strip-components=1']);
		await writeFile(
			join(tmp, 'canary', 'package.json'),
			await readFile(join(tarballDir, 'package.json')),
		);
		await writeFile(
			join(canaryNode, 'Canary.node.js'),
			"console.log('the scan must flag this');\n",
		);
		const result = await run(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				SCAN_SCRIPT,
				scanner,
				repoRoot(),
				tarballDir,
				join(tmp, 'canary'),
			],
			{ cwd: tmp, env: cleanEnv({ TMPDIR: join(tmp, 'tmp') }), timeoutMs: 5 * 60_000 },
		);
		const line = result.stdout.split('\n').find((l) => l.startsWith('SCAN-RESULT '));
		check(
			line,
			`the scanner did not run (exit ${result.code ?? result.signal}):\n${tail(result.stderr || result.stdout, 20)}`,
		);
		type Leg = { passed: boolean; message?: string; details?: string; files: number };
		const out = JSON.parse(line.slice('SCAN-RESULT '.length)) as Record<
			'source' | 'tarball' | 'canary',
			Leg
		>;
		for (const leg of ['source', 'tarball'] as const) {
			check(out[leg].files > 0, `${leg} leg: no files to lint`);
			check(
				out[leg].passed,
				`${leg} leg failed: ${out[leg].message ?? ''}\n${out[leg].details ?? ''}`,
			);
		}
		check(
			!out.canary.passed && /no-console/.test(out.canary.details ?? ''),
			`the canary (console.log in a node) was not flagged: ${JSON.stringify(out.canary)}`,
		);
		return detailed(
			undefined,
			`${SCANNER}@${SCANNER_VERSION}: source leg ${out.source.files} files clean, tarball leg ${out.tarball.files} files clean; canary flagged (no-console)`,
		);
	} finally {
		await removeDir(tmp);
	}
}

/**
 * Installs the tarball into <userFolder>/.n8n/nodes, where n8n (1.123 and 2.41) loads nodes/node_modules/n8n-nodes-*
 * at startup, as "<package>.<node>" types. Without the peer dependency: n8n resolves n8n-workflow from the host
 * (NODE_PATH), and a second copy next to the package would give the nodes other error classes than the engine
 * (n8n's own installer strips peerDependencies for the same reason).
 */
export async function installPackageTarball(
	userFolder: string,
	packed: PackedPackage,
): Promise<string> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	await mkdir(nodesDir, { recursive: true });
	// What n8n's CommunityPackagesService writes on first use.
	await writeFile(
		join(nodesDir, 'package.json'),
		'{"name":"installed-nodes","private":true,"dependencies":{}}',
	);
	await runChecked(
		'npm',
		[
			...[
				'install',
				packed.tarball,
				'--legacy-peer-deps',
				'--omit=peer',
				'--omit=dev',
				'--ignore-scripts',
			],
			...[
				'--no-audit',
				'--no-fund',
				'--no-update-notifier',
				'--bin-links=false',
				'--install-strategy=shallow',
			],
		],
		{ cwd: nodesDir, env: cleanEnv(), timeoutMs: 5 * 60_000 },
	);
	const dir = join(nodesDir, 'node_modules', packed.name);
	for (const file of n8nFiles(await readPackageJson(dir)))
		check(existsSync(join(dir, file)), `installed package lacks ${file}`);
	const find = ['-path', '*/node_modules/n8n-workflow', '-type', 'd'];
	const copies = (await runChecked('find', [nodesDir, ...find])).stdout.trim();
	check(copies === '', `a second n8n-workflow was installed next to the package: ${copies}`);
	return dir;
}
