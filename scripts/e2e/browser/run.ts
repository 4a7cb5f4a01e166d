/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// `npm run test:e2e:browser`: the browser pass alone. Once: npm pack. Per line (N8N_E2E_LINES, default both):
// n8n from the e2e cache, a fresh user folder with the packed package in .n8n/nodes, a fresh simulator, the
// examples' credential imported, `n8n start`, then runBrowserPass. Prints a report; exit code 0 when all passed.
import { demoDataset } from '../../../simulator/dataset';
import { startSimulator } from '../../../simulator';
import { selectLines, type N8nLine } from '../lines';
import { cacheRoot, ensureN8n, N8nInstance } from '../n8n';
import { installPackageTarball, packPackage, type PackedPackage } from '../package';
import { Cleanup, formatMs } from '../proc';
import { detailed, log, Report } from '../report';
import { examplesCredential, readExampleFiles } from './fixtures';
import { BROWSER_SERVER_ENV, runBrowserPass } from './pass';

async function runLine(line: N8nLine, packed: PackedPackage, cleanup: Cleanup): Promise<Report> {
	const report = new Report(`${line.label} n8n@${line.n8nVersion} (browser)`);
	const lineLog = (m: string) => log(`[${line.label}] ${m}`);
	const server = await report.step(
		'n8n + package + simulator + credential, n8n start',
		async () => {
			const install = await ensureN8n(line, lineLog);
			const keep = process.env.N8N_E2E_KEEP === '1';
			const n8n = await N8nInstance.create(install, { log: lineLog, keep });
			cleanup.defer(`stop n8n, remove ${n8n.userFolder}`, () => n8n.dispose());
			const sim = await startSimulator({
				dataset: demoDataset(Date.now()),
				remediationStepMs: 300,
			});
			cleanup.defer(`stop the simulator ${sim.url}`, () => sim.close());
			await installPackageTarball(n8n.userFolder, packed.tarball);
			const { credential } = await readExampleFiles();
			await n8n.importCredentials([examplesCredential(sim, credential)]);
			const s = await n8n.startServer({ env: BROWSER_SERVER_ENV });
			return detailed({ s, sim, credential }, `${s.url}, simulator ${sim.url}, ${install.dir}`);
		},
	);
	if (!server) return report;
	const started = Date.now();
	await runBrowserPass(server.s, { line, sim: server.sim, report, credential: server.credential });
	report.note(`the pass on ${line.label} took ${formatMs(Date.now() - started)}`);
	await server.s.stop();
	return report;
}

async function main(): Promise<number> {
	const started = Date.now();
	const lines = selectLines(process.env.N8N_E2E_LINES);
	log(
		`e2e browser: n8n lines ${lines.map((l) => `${l.label}=${l.n8nVersion}`).join(', ')}; cache ${cacheRoot()}`,
	);
	const cleanup = new Cleanup();
	const reports: Report[] = [];
	const setup = new Report('setup');
	reports.push(setup);
	try {
		const packed = await setup.step('npm pack', async () => {
			const p = await packPackage({ build: process.env.N8N_E2E_BUILD === '1' });
			cleanup.defer('remove the tarball', () => p.cleanup());
			return detailed(p, `${p.name}@${p.version}, ${p.files.length} files`);
		});
		if (packed) for (const line of lines) reports.push(await runLine(line, packed, cleanup));
	} finally {
		for (const e of await cleanup.close()) log(`cleanup: ${e}`);
	}
	console.log('\n==== e2e browser report ====');
	for (const report of reports) report.print();
	const passed = reports.reduce((n, r) => n + r.counts.passed, 0);
	const failed = reports.reduce((n, r) => n + r.counts.failed, 0);
	console.log(`\ne2e browser: ${passed} passed, ${failed} failed`);
	console.log(`${failed ? 'FAIL' : 'PASS'} in ${formatMs(Date.now() - started)}`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
