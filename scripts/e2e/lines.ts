/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The n8n release lines the e2e harness runs against, and what each one needs to install and run here
// (npm registry only, Node 20 on the machine). See scripts/e2e/README.md for how these were found.

export interface N8nLine {
	/** Short label used in reports and in N8N_E2E_LINES, e.g. '1.x'. */
	label: string;
	/** Exact n8n version from the npm registry. */
	n8nVersion: string;
	/**
	 * Exact Node.js version to run this n8n with, taken from the registry package node-<platform>-<arch>
	 * (the binary the `node` npm package installs). Undefined: the Node.js that runs the harness.
	 */
	nodeVersion?: string;
	/** npm `overrides` for the throwaway wrapper package.json (keeps the install on the registry). */
	overrides: Record<string, string>;
	/** Native addons to build after the scripts-free install (`npm rebuild <pkg>`, node-gyp from source). */
	rebuild: string[];
	/** Native modules that must load with the line's Node (checked after install and on every cache reuse). */
	nativeModules: string[];
	/** Environment for every n8n command of this line (on top of the harness's fixed settings). */
	env: Record<string, string>;
}

/**
 * xlsx: n8n depends on a tarball URL on cdn.sheetjs.com, which is not reachable here. 0.18.5 is the last
 * xlsx release on the npm registry; n8n only uses it in the Spreadsheet File / Extract From File nodes.
 *
 * Expression engine: both lines default to `vm`, which runs expressions in the native isolated-vm module.
 * 1.123 on Node 20: isolated-vm 6 needs Node >= 22 and is not built by --ignore-scripts, so `legacy`.
 * 2.41 on Node 24: isolated-vm 7 ships a linux-x64 prebuild that loads without install scripts, so the
 * production default `vm` runs (set explicitly: if isolated-vm breaks, n8n exits instead of falling back).
 *
 * Task runners: 1.x honours N8N_RUNNERS_ENABLED=false. 2.x always starts its task broker and an internal
 * JS runner (N8N_RUNNERS_ENABLED is deprecated there, "safe to remove"); the harness gives every process
 * its own N8N_RUNNERS_BROKER_PORT so parallel commands do not fight over 5679. They only matter for Code nodes.
 */
const SUPPORTED_LINES: N8nLine[] = [
	{
		label: '1.x',
		n8nVersion: '1.123.81',
		overrides: { xlsx: '0.18.5' },
		rebuild: ['sqlite3'],
		nativeModules: ['sqlite3'],
		// DB_SQLITE_POOL_SIZE: 1.x defaults to 0, the deprecated single-connection "legacy" SQLite mode
		// (a warning in every command); 3 is the 2.x default.
		env: {
			N8N_EXPRESSION_ENGINE: 'legacy',
			N8N_RUNNERS_ENABLED: 'false',
			DB_SQLITE_POOL_SIZE: '3',
		},
	},
	{
		label: '2.x',
		// 2.41.3 (latest) depends on n8n-core 2.41.2, which is not on the registry; 2.41.1 resolves.
		n8nVersion: '2.41.1',
		nodeVersion: '24.22.3',
		overrides: { xlsx: '0.18.5' },
		rebuild: ['sqlite3'],
		nativeModules: ['sqlite3', 'isolated-vm'],
		env: { N8N_EXPRESSION_ENGINE: 'vm' },
	},
];

/** 2.x changed the CLI (publish:workflow), the manual-run body and the public API (credential test). */
export function isN8n2(line: N8nLine): boolean {
	return Number(line.n8nVersion.split('.')[0]) >= 2;
}

/**
 * The lines selected by N8N_E2E_LINES (comma-separated labels or versions, e.g. "1.x" or "1.x,2.41.1"; all when
 * unset); an unknown exact version is installed like the line of its major. N8N_E2E_EXPRESSION_ENGINE
 * overrides every line's engine.
 */
export function selectLines(): N8nLine[] {
	const spec = process.env.N8N_E2E_LINES?.trim() || 'all';
	const engine = process.env.N8N_E2E_EXPRESSION_ENGINE;
	const wanted =
		spec === 'all' ? SUPPORTED_LINES.map((l) => l.label) : spec.split(',').map((s) => s.trim());
	return wanted.filter(Boolean).map((w) => {
		const known = SUPPORTED_LINES.find((l) => l.label === w || l.n8nVersion === w);
		const base = SUPPORTED_LINES.find((l) => l.n8nVersion.split('.')[0] === w.split('.')[0]);
		if (!known && (!base || !/^\d+\.\d+\.\d+/.test(w)))
			throw new Error(`N8N_E2E_LINES: unknown n8n line or version "${w}"`);
		const line = known ?? { ...(base as N8nLine), label: w, n8nVersion: w };
		return engine ? { ...line, env: { ...line.env, N8N_EXPRESSION_ENGINE: engine } } : line;
	});
}
