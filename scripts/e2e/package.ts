/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// This package as n8n users get it: `npm pack` of the built package, installed into an n8n user folder's
// nodes/ the way n8n's manual installation does (`cd ~/.n8n/nodes && npm install <pkg>`), but without the
// peer dependency: n8n resolves n8n-workflow from the host (NODE_PATH), and a second copy next to the
// package would give the nodes other error classes than the engine (n8n's own installer strips
// peerDependencies for the same reason).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { cleanEnv, makeTempDir, removeDir, runChecked } from './proc';

export interface PackageJson {
	name: string;
	version: string;
	n8n?: { nodes?: string[]; credentials?: string[]; n8nNodesApiVersion?: number };
	[key: string]: unknown;
}

export interface PackedPackage {
	name: string;
	version: string;
	/** Absolute path of the .tgz. */
	tarball: string;
	/** Files in the tarball, as npm reports them. */
	files: string[];
	/** Removes the temp folder holding the tarball. */
	cleanup(): Promise<void>;
}

/** The repository root (scripts/e2e is compiled to build/scripts/e2e, next to a copy of package.json). */
export function repoRoot(): string {
	let dir = __dirname;
	for (let i = 0; i < 6; i++) {
		if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.tools.json')))
			return dir;
		dir = resolve(dir, '..');
	}
	return process.cwd();
}

export async function readPackageJson(dir: string): Promise<PackageJson> {
	return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * `npm pack` of the package at repoDir into a temp folder. With build = true, runs `npm run build` first
 * (the npm test:e2e script already builds, so run.ts passes false unless asked).
 */
export async function packPackage(
	opts: { repoDir?: string; build?: boolean } = {},
): Promise<PackedPackage> {
	const repoDir = opts.repoDir ?? repoRoot();
	const env = cleanEnv();
	if (opts.build)
		await runChecked('npm', ['run', 'build', '--silent'], {
			cwd: repoDir,
			env,
			timeoutMs: 10 * 60_000,
		});
	const pkg = await readPackageJson(repoDir);
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!existsSync(join(repoDir, file)))
			throw new Error(`${file} is listed in package.json but not built (npm run build)`);
	}
	const dir = await makeTempDir('n8n-e2e-pack-');
	let packedOk = false;
	try {
		const packed = await runChecked(
			'npm',
			['pack', '--json', '--ignore-scripts', '--no-update-notifier', `--pack-destination=${dir}`],
			{ cwd: repoDir, env, timeoutMs: 5 * 60_000 },
		);
		const start = packed.stdout.indexOf('[');
		const info = JSON.parse(packed.stdout.slice(start)) as Array<{
			filename: string;
			files: Array<{ path: string }>;
		}>;
		const tarball = join(dir, info[0].filename);
		if (!existsSync(tarball))
			throw new Error(`npm pack reported ${info[0].filename}, not found in ${dir}`);
		packedOk = true;
		return {
			name: pkg.name,
			version: pkg.version,
			tarball,
			files: info[0].files.map((f) => f.path),
			cleanup: () => removeDir(dir),
		};
	} finally {
		if (!packedOk) await removeDir(dir);
	}
}

export interface InstalledPackage {
	/** <userFolder>/.n8n/nodes/node_modules/<name> */
	dir: string;
	packageJson: PackageJson;
}

/** Every n8n-workflow folder under dir (there must be none under nodes/: the host's copy is used). */
async function findPackageDirs(dir: string, name: string, depth = 6): Promise<string[]> {
	const found: string[] = [];
	const walk = async (current: string, level: number): Promise<void> => {
		if (level > depth) return;
		let entries;
		try {
			entries = await readdir(current, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			if (!entry.isDirectory()) continue;
			const full = join(current, entry.name);
			if (entry.name === name && current.endsWith('node_modules')) found.push(full);
			await walk(full, level + 1);
		}
	};
	await walk(dir, 0);
	return found;
}

/**
 * Installs the tarball into <userFolder>/.n8n/nodes (n8n ≥1.0 loads nodes/node_modules/n8n-nodes-* and
 * @scope/n8n-nodes-* at startup, as "<package>.<node>" types). Peers and scripts are skipped, and the result
 * is checked: the package is in place, its n8n files exist, and there is no n8n-workflow under nodes/.
 */
export async function installPackageTarball(
	userFolder: string,
	tarball: string,
): Promise<InstalledPackage> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	await mkdir(nodesDir, { recursive: true });
	if (!existsSync(join(nodesDir, 'package.json'))) {
		// What n8n's CommunityPackagesService writes on first use.
		await writeFile(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	await runChecked(
		'npm',
		[
			'install',
			tarball,
			'--legacy-peer-deps',
			'--omit=peer',
			'--omit=dev',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--no-update-notifier',
			'--bin-links=false',
			'--install-strategy=shallow',
		],
		{ cwd: nodesDir, env: cleanEnv(), timeoutMs: 5 * 60_000 },
	);
	const packageJson = await readPackageJson(
		join(nodesDir, 'node_modules', await packageNameOf(tarball)),
	);
	const dir = join(nodesDir, 'node_modules', packageJson.name);
	for (const file of [...(packageJson.n8n?.nodes ?? []), ...(packageJson.n8n?.credentials ?? [])]) {
		if (!existsSync(join(dir, file))) throw new Error(`installed package lacks ${file}`);
	}
	const workflowCopies = await findPackageDirs(nodesDir, 'n8n-workflow');
	if (workflowCopies.length > 0) {
		throw new Error(
			`a second n8n-workflow was installed next to the package: ${workflowCopies.join(', ')}`,
		);
	}
	return { dir, packageJson };
}

/** The package name inside a tarball (package/package.json), without unpacking it to disk. */
async function packageNameOf(tarball: string): Promise<string> {
	const out = await runChecked('tar', ['-xzOf', tarball, 'package/package.json']);
	return (JSON.parse(out.stdout) as PackageJson).name;
}
