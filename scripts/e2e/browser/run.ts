/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// `npm run test:e2e:browser`: the browser pass alone. Once: npm pack. Per line (N8N_E2E_LINES, default both):
// n8n from the e2e cache, a fresh user folder with the packed package in .n8n/nodes, a fresh simulator, the
// examples' credential imported, `n8n start`, then runBrowserPass. Ends with `e2e-browser: N passed, N failed`.
import { selectLines, type N8nLine } from '../lines';
import { installStep, N8nInstance } from '../n8n';
import { installPackageTarball, packPackage, type PackedPackage } from '../package';
import { formatMs, type Cleanup } from '../proc';
import { detailed, Report, runMain } from '../report';
import { credentialFor, loadExamples, startConsole } from '../scenarios';
import { BROWSER_SERVER_ENV, runBrowserPass } from './pass';

async function runLine(line: N8nLine, packed: PackedPackage, cleanup: Cleanup): Promise<Report> {
	const report = new Report(`${line.label} n8n@${line.n8nVersion} (browser)`);
	const install = await installStep(report, line);
	if (!install) return report;
	const examples = loadExamples();
	const ready = await report.step('package + simulator + credential, n8n start', async () => {
		const keep = process.env.N8N_E2E_KEEP === '1';
		const n8n = await N8nInstance.create(install, { keep, env: BROWSER_SERVER_ENV });
		cleanup.defer('stop n8n, remove the user folder', () => n8n.dispose());
		const sim = await startConsole();
		cleanup.defer('stop the simulator', () => sim.close());
		await installPackageTarball(n8n.userFolder, packed);
		await n8n.importCredentials([credentialFor(examples, sim.url)]);
		const server = await n8n.startServer();
		return detailed({ server, sim }, `${server.url}, simulator ${sim.url}, ${n8n.userFolder}`);
	});
	if (!ready) return report;
	const started = Date.now();
	await runBrowserPass(ready.server, {
		line,
		sim: ready.sim,
		report,
		credential: examples.credential,
	});
	report.note(`the pass on ${line.label} took ${formatMs(Date.now() - started)}`);
	await ready.server.proc.stop();
	return report;
}

runMain('e2e-browser', async (setup, cleanup) => {
	const packed = await setup.step('npm pack', async () => {
		const p = await packPackage();
		return detailed(p, `${p.name}@${p.version}`);
	});
	const reports: Report[] = [];
	if (packed) {
		for (const line of selectLines()) reports.push(await runLine(line, packed, cleanup));
	}
	return reports;
});
