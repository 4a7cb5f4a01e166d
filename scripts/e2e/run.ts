/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// `npm run test:e2e`: the packed package inside the real n8n application, once per supported n8n line (see
// README.md). Once: the packaging checks. Per line: a fresh user folder and simulator, the scenario table's runs
// through `n8n execute --id`, example 2 (the trigger) activated in `n8n start`, and in the same server the node
// and credential listing and the credential test.
import { decodeMemory } from '../../nodes/CybereasonTrigger/cursor';
import type { Simulator } from '../../simulator';
import { BROWSER_SERVER_ENV, runBrowserPass } from './browser/pass';
import { isN8n2, selectLines, type N8nLine } from './lines';
import { installStep, N8nInstance, type N8nServer } from './n8n';
import {
	checkPackedFiles,
	installPackageTarball,
	packPackage,
	runCommunityScan,
	type PackedPackage,
} from './package';
import type { Cleanup } from './proc';
import { check, detailed, log, Report, runMain } from './report';
import {
	credentialFor,
	loadExamples,
	PACKAGE,
	runScenario,
	runScenarios,
	startConsole,
	TRIGGER_BATCHES,
	TriggerRun,
	withFastPolls,
	type Examples,
} from './scenarios';

/** The message both lines must show for a wrong password (n8n 2.x used to show the error's code instead). */
const WRONG_PASSWORD_MESSAGE = 'Cybereason rejected the login: check the username and password';
const BAD_CREDENTIAL_ID = 'e2eCybereasonBad';

/** Manual Trigger -> Stop and Error with an expression: the failure path of `n8n execute` (exit 1, "e2e-boom-42"). */
const FAILING_WORKFLOW = {
	id: 'e2eStopAndError1',
	name: 'e2e smoke: stop and error',
	nodes: [
		{
			id: 'a0000001-0000-4000-8000-000000000000',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'a0000002-0000-4000-8000-000000000000',
			name: 'Fail',
			type: 'n8n-nodes-base.stopAndError',
			typeVersion: 1,
			position: [220, 0],
			parameters: { errorType: 'errorMessage', errorMessage: '={{ "e2e-boom-" + (40 + 2) }}' },
		},
	],
	connections: { Start: { main: [[{ node: 'Fail', type: 'main', index: 0 }]] } },
};

async function runLine(
	line: N8nLine,
	packed: PackedPackage,
	examples: Examples,
	cleanup: Cleanup,
): Promise<Report> {
	const report = new Report(`${line.label} n8n@${line.n8nVersion}`);
	const install = await installStep(report, line);
	if (!install) return report;
	const keep = process.env.N8N_E2E_KEEP === '1';
	const n8n = await N8nInstance.create(install, { keep, env: BROWSER_SERVER_ENV });
	log(
		`[${line.label}] user folder ${n8n.userFolder}${keep ? ' (kept)' : ''}, expression engine ${line.env.N8N_EXPRESSION_ENGINE}`,
	);
	cleanup.defer('stop n8n processes, remove the user folder', () => n8n.dispose());

	// A console per line: line 2 must not meet line 1's remediations (the replay guard would hold them back).
	const sim: Simulator | undefined = await report.step(
		'start the simulator (a fresh console per line)',
		async () => {
			const s = await startConsole();
			cleanup.defer('stop the simulator', () => s.close());
			return detailed(s, s.url);
		},
	);
	if (!sim) return report;
	const installed = await report.step(
		'install the packed package into <user folder>/.n8n/nodes',
		async () =>
			detailed(
				true,
				`${await installPackageTarball(n8n.userFolder, packed)}; no n8n-workflow copy under nodes/`,
			),
	);
	if (!installed) return report;

	const credentials = [
		credentialFor(examples, sim.url),
		{
			...credentialFor(examples, sim.url, 'not-the-password'),
			id: BAD_CREDENTIAL_ID,
			name: 'Cybereason (wrong password)',
		},
	];
	const trigger = withFastPolls(examples.trigger);
	const imported = await report.step(
		"import:credentials (the examples' credential id) + import:workflow (examples/*.json)",
		async () => {
			await n8n.importCredentials(credentials);
			await n8n.importWorkflows([
				examples.scheduled.workflow,
				examples.dryRun.workflow,
				trigger,
				FAILING_WORKFLOW,
			]);
			return detailed(
				true,
				`credential ${examples.credential.id} {baseUrl, username, password} + a wrong-password one; ` +
					`${examples.scheduled.file}, ${examples.dryRun.file} as they are, ${examples.trigger.file} polling every 10 s`,
			);
		},
	);
	if (!imported) return report;

	await report.step(
		'CLI: a failing run is reported (exit 1, error parsed, expression evaluated)',
		async () => {
			const result = await n8n.executeWorkflow(FAILING_WORKFLOW.id);
			check(
				!result.ok && (result.code === 1 || result.exitCrash),
				`expected a failed run with exit 1, got code ${result.code}`,
			);
			check(result.data, `no run data parsed from the failure output: ${result.error}`);
			check(result.error?.includes('e2e-boom-42'), `unexpected error message: ${result.error}`);
			return detailed(undefined, `error "${result.error}"`);
		},
	);

	for (const scenario of runScenarios(examples)) {
		await report.step(scenario.name, async () => {
			let crash = '';
			const outcome = await runScenario(sim, scenario, n8n, examples.credential.id, async () => {
				const result = await n8n.executeWorkflow(scenario.example.workflow.id);
				check(result.ok && result.data, `execute failed: ${result.error}`);
				if (result.exitCrash)
					crash = `; exit ${result.exitCrash} after complete output (tolerated)`;
				return result.data;
			});
			return detailed(undefined, `${outcome}${crash}`);
		});
	}

	// Picked up by the next `n8n start`. Both commands log a failure ("Error updating database") and exit 0.
	const activated = await report.step(
		`example 2 (${examples.trigger.file}): activate`,
		async () => {
			const id = `--id=${trigger.id}`;
			const args = isN8n2(line)
				? ['publish:workflow', id]
				: ['update:workflow', id, '--active=true'];
			const result = await n8n.cli(args);
			const out = `${result.stdout}\n${result.stderr}`;
			check(
				!/Error updating database|GOT ERROR/.test(out),
				`n8n ${args.join(' ')} reported an error:\n${out.slice(-1500)}`,
			);
			return detailed(true, `n8n ${args.join(' ')}`);
		},
	);

	const mark = sim.requests.length;
	const server: N8nServer | undefined = await report.step(
		'n8n start (free loopback port, /healthz and /rest/settings answer)',
		async () => {
			const s = await n8n.startServer();
			return detailed(s, `${s.url} (pid ${s.proc.pid})`);
		},
	);
	if (!server) return report;
	// The owner is set up in the editor, as a user does; the pass leaves the REST client signed in as that owner.
	// Before the trigger batches: the pass checks that the console receives no remediation while it runs.
	if (process.env.N8N_E2E_SKIP_BROWSER === '1') {
		const owner = await report.step('owner setup + login cookie (POST /rest/owner/setup)', () =>
			server.setupOwner().then(() => true),
		);
		if (!owner) return report;
	} else {
		await runBrowserPass(server, { line, sim, report, credential: examples.credential });
	}
	const run = new TriggerRun(server, sim, examples.trigger);
	const baseline = activated
		? await report.step('example 2: active in the server, first poll is a baseline', async () =>
				detailed(true, await run.baseline(mark)),
			)
		: undefined;

	const loadErrors = () => {
		const lines = server.proc
			.logs()
			.split('\n')
			.filter((l) => l.includes(PACKAGE) || /error|fail/i.test(l));
		return `server log:\n${lines.slice(-20).join('\n')}`;
	};
	await report.step('n8n lists our node types (GET /types/nodes.json)', async () => {
		const types = await server.types('nodes');
		check(
			types.some((t) => t.name === 'n8n-nodes-base.noOp'),
			'built-in n8n-nodes-base.noOp missing: wrong endpoint?',
		);
		const ours = types.filter((t) => t.name.startsWith(`${PACKAGE}.`)).map((t) => t.name);
		for (const wanted of ['cybereasonGetMalops', 'cybereasonRemediate', 'cybereasonTrigger'])
			check(
				ours.includes(`${PACKAGE}.${wanted}`),
				`${PACKAGE}.${wanted} not loaded (${ours.join(', ') || 'none'})\n${loadErrors()}`,
			);
		check(
			ours.length >= packed.nodes.length,
			`${packed.nodes.length} nodes in package.json, ${ours.length} loaded`,
		);
		return detailed(undefined, ours.join(', '));
	});
	await report.step('n8n lists the credential type (GET /types/credentials.json)', async () => {
		const ours = (await server.types('credentials')).find((t) => t.name === 'cybereasonApi');
		check(ours, `cybereasonApi is not among the credential types\n${loadErrors()}`);
		check(ours.displayName === 'Cybereason API', `displayName is ${ours.displayName}`);
		return detailed(
			undefined,
			`"${ours.displayName}", supportedNodes ${JSON.stringify(ours.supportedNodes ?? [])}`,
		);
	});
	await report.step(
		'credential test passes (POST /rest/credentials/test, simulator login)',
		async () => {
			const before = sim.requests.length;
			const result = await server.testCredential(credentials[0]);
			check(result.status === 'OK', `credential test: ${JSON.stringify(result)}`);
			const hits = sim.requests
				.slice(before)
				.filter((r) => r.path === '/login.html' || r.path === '/rest/sensors/query');
			return detailed(
				undefined,
				`"${result.message}"; the console saw ${hits.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`,
			);
		},
	);
	const wrongPassword = (result: { status: string; message: string }) => {
		check(result.status === 'Error', `expected Error, got ${JSON.stringify(result)}`);
		check(
			result.message === WRONG_PASSWORD_MESSAGE,
			`message is ${JSON.stringify(result.message)}, expected ${WRONG_PASSWORD_MESSAGE}`,
		);
		return detailed(undefined, `"${result.message}"`);
	};
	await report.step(
		'credential test with a wrong password fails with the readable message',
		async () => wrongPassword(await server.testCredential(credentials[1])),
	);
	if (isN8n2(line)) {
		// The public API tests the *stored* credential with its stored data, the way an automation would.
		await report.step(
			'credential test through the public API (POST /api/v1/credentials/{id}/test)',
			async () => {
				const test = async (id: string) => {
					const res = await server.publicApi<{ status: string; message: string }>(
						'POST',
						`/credentials/${id}/test`,
					);
					check(
						res.status === 200,
						`POST /api/v1/credentials/${id}/test -> ${res.status}: ${res.text.slice(0, 300)}`,
					);
					return res.body;
				};
				const ok = await test(examples.credential.id);
				check(ok.status === 'OK', `stored credential: ${JSON.stringify(ok)}`);
				return wrongPassword(await test(BAD_CREDENTIAL_ID));
			},
		);
	} else
		report.skip(
			'credential test through the public API',
			'n8n 1.x has no public credential test endpoint',
		);

	let fired = baseline;
	for (const [index, batch] of TRIGGER_BATCHES.entries()) {
		if (!fired) break;
		const last = index === TRIGGER_BATCHES.length - 1;
		fired = await report.step(batch.name, async () => {
			const detail = await run.batch(index);
			return detailed(true, last ? `${detail}; ${await run.totals()}` : detail);
		});
	}
	await report.step('stop n8n (process group)', () => server.proc.stop());

	if (baseline) {
		await report.step(
			"example 2: the trigger's memory is in the workflow's static data",
			async () => {
				const wf = (await n8n.exportWorkflows()).find((w) => w.id === trigger.id);
				check(wf, 'trigger workflow not exported');
				const data = (
					typeof wf.staticData === 'string' ? JSON.parse(wf.staticData) : wf.staticData
				) as Record<string, { cursor?: { seen?: Record<string, string> } }> | undefined;
				const seen = data?.[`node:${run.settings.trigger}`]?.cursor?.seen;
				check(seen, `no cursor in the static data: ${JSON.stringify(data).slice(0, 300)}`);
				for (const pair of run.fired) {
					const [malop, machine] = pair.split('|');
					check(seen[`m:${malop}`], `Malop ${malop} not remembered`);
					check(
						decodeMemory(seen[`m:${malop}`])[1].includes(machine),
						`${pair} not remembered as emitted`,
					);
				}
				return detailed(
					undefined,
					`${Object.keys(seen).length} Malops remembered, with the ${run.fired.size} emitted machines`,
				);
			},
		);
	}
	if (n8n.exitCrashes > 0)
		report.note(
			`n8n execute died from SIGSEGV after printing its run data ${n8n.exitCrashes}x (vm expression engine exit race; tolerated)`,
		);
	return report;
}

runMain('e2e', async (setup, cleanup) => {
	const lines = selectLines();
	log(`e2e: n8n lines ${lines.map((l) => `${l.label}=${l.n8nVersion}`).join(', ')}`);
	const examples = await setup.step('read examples/*.json', async () => {
		const e = loadExamples();
		return detailed(
			e,
			[e.scheduled, e.trigger, e.dryRun].map((x) => `${x.file} (${x.workflow.id})`).join(', '),
		);
	});
	const packed = await setup.step('npm pack', async () => {
		const p = await packPackage();
		return detailed(p, `${p.name}@${p.version}`);
	});
	if (process.env.N8N_E2E_SKIP_PACKAGING === '1')
		setup.skip('packaging checks', 'N8N_E2E_SKIP_PACKAGING=1');
	else {
		await setup.step(
			'npm pack --dry-run: only dist/**, README.md, LICENSE.md, package.json',
			checkPackedFiles,
		);
		if (packed)
			await setup.step(
				'@n8n/scan-community-package: its ESLint checks on the source and the tarball (offline part)',
				() => runCommunityScan(packed.tarball, (m) => log(`[setup] ${m}`)),
			);
		setup.skip(
			'@n8n/scan-community-package: provenance + download by name',
			'needs the package published on npm with provenance, and codeload.github.com for the attested source (see scripts/e2e/README.md)',
		);
	}
	const reports: Report[] = [];
	if (examples && packed)
		for (const line of lines) reports.push(await runLine(line, packed, examples, cleanup));
	return reports;
});
