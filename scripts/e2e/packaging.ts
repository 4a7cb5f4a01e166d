/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// Packaging checks, once per e2e run:
// * `npm pack --dry-run`: the tarball holds only dist/**, README.md, LICENSE.md and package.json, and everything
//   package.json's n8n section points at;
// * @n8n/scan-community-package, the part that runs without the package being published: its ESLint gate
//   (`analyzePackage`, the exact config it uses) on the source checkout and on the unpacked tarball, plus a canary
//   package that must fail (proves the gate is live). The by-name scan (registry metadata, npm provenance, the
//   attested GitHub source) cannot run here; see README.md.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { cacheRoot, type Log } from './n8n';
import { readPackageJson, repoRoot } from './package';
import { cleanEnv, makeTempDir, removeDir, run, runChecked, tail } from './proc';
import { check, detailed, type Detailed } from './report';

export const SCANNER_PACKAGE = '@n8n/scan-community-package';
/** Pinned: the scan's rules change between releases. */
export const SCANNER_VERSION = '0.32.0';

const ALLOWED_TOP_LEVEL = new Set(['README.md', 'LICENSE.md', 'package.json']);

interface PackDryRun {
	filename: string;
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

export async function checkPackedFiles(repoDir = repoRoot()): Promise<Detailed<string[]>> {
	const result = await runChecked(
		'npm',
		['pack', '--dry-run', '--json', '--ignore-scripts', '--no-update-notifier'],
		{
			cwd: repoDir,
			env: cleanEnv(),
			timeoutMs: 120_000,
		},
	);
	const info = (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as PackDryRun[])[0];
	const files = info.files.map((f) => f.path);
	const outside = files.filter((f) => !f.startsWith('dist/') && !ALLOWED_TOP_LEVEL.has(f));
	check(outside.length === 0, `the tarball would also ship: ${outside.join(', ')}`);
	for (const required of ALLOWED_TOP_LEVEL)
		check(files.includes(required), `the tarball lacks ${required}`);
	const pkg = await readPackageJson(repoDir);
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((f) => !files.includes(f));
	check(
		missing.length === 0,
		`package.json's n8n section names files the tarball lacks: ${missing.join(', ')}`,
	);
	check(
		files.some((f) => /^dist\/icons\/.+\.svg$/.test(f)),
		'no icons under dist/icons',
	);
	const notes: string[] = [];
	const main = typeof pkg.main === 'string' ? pkg.main : undefined;
	if (main && !files.includes(main.replace(/^\.\//, '')))
		notes.push(`"main": "${main}" is not in the tarball (n8n does not use it)`);
	const extras = files.filter((f) => f === 'dist/package.json' || f.endsWith('.tsbuildinfo'));
	if (extras.length) notes.push(`build by-products shipped: ${extras.join(', ')}`);
	const kinds = (re: RegExp) => files.filter((f) => re.test(f)).length;
	return detailed(
		files,
		`${files.length} files (${kinds(/\.js$/)} .js, ${kinds(/\.d\.ts$/)} .d.ts, ${kinds(/\.map$/)} .map), ` +
			`${(info.size / 1024).toFixed(0)} kB packed / ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked; nothing outside dist/ but README.md, LICENSE.md, package.json` +
			(notes.length ? `; notes: ${notes.join('; ')}` : ''),
	);
}

/** Installs the scanner (pinned) into the e2e cache, once; returns the path of scanner/scanner.mjs. */
async function ensureScanner(log: Log): Promise<string> {
	const dir = join(cacheRoot(), `scan-community-package-${SCANNER_VERSION}`);
	const scanner = join(
		dir,
		'node_modules',
		'@n8n',
		'scan-community-package',
		'scanner',
		'scanner.mjs',
	);
	const marker = join(dir, '.e2e-complete');
	if (existsSync(marker) && existsSync(scanner)) return scanner;
	await removeDir(dir);
	const staging = `${dir}.partial-${process.pid}`;
	await removeDir(staging);
	await mkdir(staging, { recursive: true });
	try {
		log(`installing ${SCANNER_PACKAGE}@${SCANNER_VERSION} into ${dir}`);
		await writeFile(
			join(staging, 'package.json'),
			JSON.stringify({ name: 'e2e-scanner', version: '0.0.0', private: true }),
		);
		await runChecked(
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--no-update-notifier',
				'--loglevel=error',
				`${SCANNER_PACKAGE}@${SCANNER_VERSION}`,
			],
			{ cwd: staging, env: cleanEnv(), timeoutMs: 10 * 60_000 },
		);
		await writeFile(join(staging, '.e2e-complete'), new Date().toISOString());
		await rename(staging, dir);
	} finally {
		await removeDir(staging);
	}
	return scanner;
}

interface AnalyzeResult {
	passed: boolean;
	message?: string;
	details?: string;
	files: number;
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
 * The scanner's ESLint gate as `npx @n8n/scan-community-package <name>` applies it after its network steps:
 * the source leg (package.json, nodes/ and credentials/ sources) on this checkout, the tarball leg (compiled .js
 * and package.json) on the packed tarball. A canary with a console.log in a node must fail.
 */
export async function runCommunityScan(tarball: string, log: Log): Promise<Detailed<void>> {
	const scanner = await ensureScanner(log);
	const tmp = await makeTempDir('n8n-e2e-scan-');
	try {
		const tarballDir = join(tmp, 'package');
		const canaryDir = join(tmp, 'canary');
		await mkdir(tarballDir, { recursive: true });
		await runChecked('tar', ['-xzf', tarball, '-C', tarballDir, '--strip-components=1']);
		await mkdir(join(canaryDir, 'dist', 'nodes', 'Canary'), { recursive: true });
		await writeFile(
			join(canaryDir, 'package.json'),
			await readFile(join(tarballDir, 'package.json')),
		);
		await writeFile(
			join(canaryDir, 'dist', 'nodes', 'Canary', 'Canary.node.js'),
			"'use strict';\nconsole.log('the scan must flag this');\nmodule.exports = {};\n",
		);
		await mkdir(join(tmp, 'tmp'), { recursive: true });
		const result = await run(
			process.execPath,
			['--input-type=module', '-e', SCAN_SCRIPT, scanner, repoRoot(), tarballDir, canaryDir],
			{
				cwd: tmp,
				env: cleanEnv({ TMPDIR: join(tmp, 'tmp') }),
				timeoutMs: 5 * 60_000,
			},
		);
		const line = result.stdout.split('\n').find((l) => l.startsWith('SCAN-RESULT '));
		check(
			line,
			`the scanner did not run (exit ${result.code ?? result.signal}):\n${tail(result.stderr || result.stdout, 20)}`,
		);
		const out = JSON.parse(line.slice('SCAN-RESULT '.length)) as Record<
			'source' | 'tarball' | 'canary',
			AnalyzeResult
		>;
		for (const leg of ['source', 'tarball'] as const) {
			const r = out[leg];
			check(r.files > 0, `${leg} leg: no files to lint`);
			check(r.passed, `${leg} leg failed: ${r.message ?? ''}\n${r.details ?? ''}`);
		}
		check(
			!out.canary.passed && /no-console/.test(out.canary.details ?? ''),
			`the canary (console.log in a node) was not flagged: ${JSON.stringify(out.canary)}`,
		);
		return detailed(
			undefined,
			`${SCANNER_PACKAGE}@${SCANNER_VERSION}: source leg ${out.source.files} files clean, tarball leg ${out.tarball.files} files clean; canary flagged (no-console)`,
		);
	} finally {
		await removeDir(tmp);
	}
}
