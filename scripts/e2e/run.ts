/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// `npm run test:e2e`: the package inside the real n8n application, once per supported n8n line.
//
// Once: npm pack (and the packaging checks: the tarball's file list, the offline part of
// @n8n/scan-community-package). Per line: install (or reuse) n8n, a fresh user folder with the packed package in
// .n8n/nodes, a fresh simulator on a free loopback port, then the example workflows from examples/ as users
// import them: example 1 and 3 through `n8n execute --id`, example 2 (the trigger) activated in `n8n start`;
// the node and credential listing and the credential test in the same server. Prints a report; exit code 0
// when everything passed.
//
// Environment: N8N_E2E_LINES (e.g. "1.x" or "2.x" or "1.x,2.41.1"; default all), N8N_E2E_CACHE (cache
// root), N8N_E2E_KEEP=1 (keep user folders for inspection), N8N_E2E_BUILD=1 (npm run build before packing),
// N8N_E2E_EXPRESSION_ENGINE=legacy|vm|quickjs (override the line's engine), N8N_E2E_SKIP_PACKAGING=1.
import { decodeMemory } from '../../nodes/CybereasonTrigger/cursor';
import { demoDataset } from '../../simulator/dataset';
import { startSimulator, type SimMalop, type Simulator } from '../../simulator';
import { loadExamples, type Examples } from './examples';
import { selectLines, type N8nLine } from './lines';
import { cacheRoot, ensureN8n, N8nInstance, type N8nInstall, type N8nServer } from './n8n';
import { installPackageTarball, packPackage, type PackedPackage } from './package';
import { checkPackedFiles, runCommunityScan } from './packaging';
import { Cleanup, formatMs } from './proc';
import { check, detailed, log, Report } from './report';
import {
	activateWorkflow,
	BAD_CREDENTIAL_ID,
	exampleCredentials,
	importWorkflows,
	isN8n2,
	isolationSettings,
	prepareConsole,
	runDryRun,
	runScheduledIsolation,
	TriggerScenario,
	triggerWorkflowForTest,
	waitFor,
	type IsolationRun,
} from './scenarios';
import { failingWorkflow } from './workflows';

/** The message both lines must show for a wrong password (n8n 2.x used to show the error's code instead). */
const WRONG_PASSWORD_MESSAGE = 'Cybereason rejected the login: check the username and password';

/** Simulator step time: remediations finish well within the Remediate node's first progress read (5 s). */
const REMEDIATION_STEP_MS = 300;

async function runLine(
	line: N8nLine,
	packed: PackedPackage,
	examples: Examples,
	cleanup: Cleanup,
): Promise<Report> {
	const report = new Report(`${line.label} n8n@${line.n8nVersion}`);
	const install = await report.step('install n8n (or reuse the cache)', async () => {
		const i: N8nInstall = await ensureN8n(line, (m) => log(`[${line.label}] ${m}`));
		return detailed(
			i,
			`${i.cached ? 'cached' : 'installed'} in ${i.dir}, Node ${i.runtime.version}` +
				(i.runtime.nodeDir
					? ` (${i.runtime.cached ? 'cached' : `installed in ${formatMs(i.runtime.installMs)}`})`
					: '') +
				`; cold install ${formatMs(i.installMs)}, ${(i.diskBytes / 2 ** 30).toFixed(2)} GiB; this call ${formatMs(i.elapsedMs)}`,
		);
	});
	if (!install) {
		report.skip('everything else', 'n8n is not installed');
		return report;
	}

	const engine = process.env.N8N_E2E_EXPRESSION_ENGINE;
	const keep = process.env.N8N_E2E_KEEP === '1';
	const n8n = await N8nInstance.create(install, {
		log: (m) => log(`[${line.label}] ${m}`),
		env: engine ? { N8N_EXPRESSION_ENGINE: engine } : {},
		keep,
	});
	log(
		`[${line.label}] user folder ${n8n.userFolder}${keep ? ' (kept)' : ''}, expression engine ${n8n.env().N8N_EXPRESSION_ENGINE ?? 'default'}`,
	);
	cleanup.defer(`stop n8n processes${keep ? '' : `, remove ${n8n.userFolder}`}`, () =>
		n8n.dispose(),
	);

	// A console per line: line 2 must not meet line 1's remediations (the replay guard would hold them back).
	const sim: Simulator | undefined = await report.step(
		'start the simulator and prepare its Malops for the examples',
		async () => {
			const s = await startSimulator({
				dataset: demoDataset(Date.now()),
				remediationStepMs: REMEDIATION_STEP_MS,
			});
			cleanup.defer(`stop the simulator ${s.url}`, () => s.close());
			return detailed(
				s,
				`${s.url}; ${prepareConsole(s, isolationSettings(examples.scheduledIsolation))}`,
			);
		},
	);
	if (!sim) return report;

	const installed = await report.step(
		'install the packed package into <user folder>/.n8n/nodes',
		async () => {
			const p = await installPackageTarball(n8n.userFolder, packed.tarball);
			return detailed(p, `${p.dir}; no n8n-workflow copy under nodes/`);
		},
	);
	if (!installed) return report;

	const failing = failingWorkflow();
	const imported = await report.step(
		"import:credentials (the examples' credential id) + import:workflow (examples/*.json)",
		async () => {
			await n8n.importCredentials(exampleCredentials(sim, examples));
			const trigger = triggerWorkflowForTest(examples.triggerIsolateNotify, line);
			await importWorkflows(n8n, [
				examples.scheduledIsolation.workflow,
				examples.dryRunReview.workflow,
				trigger,
				failing,
			]);
			const poll = JSON.stringify(
				(
					trigger.nodes.find((n) => n.name === 'Cybereason Trigger')?.parameters as Record<
						string,
						unknown
					>
				).pollTimes,
			);
			return detailed(
				true,
				`credential ${examples.credential.id} {baseUrl, username, password} + a wrong-password one; ` +
					`${examples.scheduledIsolation.file}, ${examples.dryRunReview.file} as they are, ${examples.triggerIsolateNotify.file} with pollTimes ${poll}`,
			);
		},
	);
	if (!imported) return report;

	await report.step(
		'CLI: a failing run is reported (exit 1, error parsed, expression evaluated)',
		async () => {
			const result = await n8n.executeWorkflow(failing.id as string);
			check(
				!result.ok && (result.code === 1 || result.exitCrash),
				`expected a failed run with exit 1, got ok=${result.ok} code=${result.code} signal=${result.signal}`,
			);
			check(result.run, `no run data parsed from the failure output: ${result.error}`);
			check(result.error?.includes('e2e-boom-42'), `unexpected error message: ${result.error}`);
			return detailed(undefined, `error "${result.error}"`);
		},
	);

	const first: IsolationRun | undefined = await report.step(
		`example 1 (${examples.scheduledIsolation.file}): n8n execute --id`,
		() => runScheduledIsolation(n8n, sim, examples, {}),
	);

	let added: SimMalop | undefined;
	await report.step(
		'example 1 again after the console expired the session (+ one new Malop)',
		async () => {
			check(first, 'the first run failed');
			const expired = sim.state.expireSession();
			added = sim.state.addMalop({
				managementStatus: 'UNREAD',
				status: 'Active',
				machines: [{ connected: true }, { connected: true }],
			});
			const second = await runScheduledIsolation(n8n, sim, examples, { previous: first });
			return detailed(
				second.value,
				`${expired} session(s) expired, Malop ${added.guid} added; ${second.detail}`,
			);
		},
	);

	await report.step(`example 3 (${examples.dryRunReview.file}): dry run`, () =>
		runDryRun(n8n, sim, examples),
	);

	const activated = await report.step(
		`example 2 (${examples.triggerIsolateNotify.file}): activate`,
		async () =>
			detailed(true, await activateWorkflow(n8n, line, examples.triggerIsolateNotify.workflow.id)),
	);

	const serverMark = sim.requests.length;
	const server: N8nServer | undefined = await report.step(
		'n8n start (free loopback port, /healthz and /rest/settings answer)',
		async () => {
			const attempt = async () =>
				await n8n.startServer().then(
					(s) => ({ s, error: undefined }),
					(error: Error) => ({ s: undefined, error }),
				);
			let started = await attempt();
			// The free port was taken between freePort() and n8n's listen (other tests run n8n next to us): once more.
			const retried =
				started.error !== undefined && /is already in use/.test(started.error.message);
			if (retried) started = await attempt();
			const { s, error } = started;
			if (!s) throw error;
			cleanup.defer(`stop n8n ${s.url}`, () => s.stop());
			return detailed(
				s,
				`${s.url} (pid ${s.pid})${retried ? '; the first port was taken meanwhile, started again on another' : ''}`,
			);
		},
	);
	if (!server) {
		report.skip('server checks', 'n8n start failed');
		return report;
	}
	await report.step('owner setup + login cookie (POST /rest/owner/setup)', async () => {
		await server.setupOwner();
	});

	const trigger = new TriggerScenario(server, sim, examples.triggerIsolateNotify, line);
	const triggerActive = activated
		? await report.step('example 2: active in the server, first poll is a baseline', async () =>
				detailed(true, await trigger.activated(serverMark)),
			)
		: undefined;

	// Batch A, added right after the baseline poll; the checks below run while the trigger's next tick comes.
	const tickMs = isN8n2(line) ? 150_000 : 45_000;
	let batchA: { malops: SimMalop[]; pairs: string[]; mark: number } | undefined;
	const dc01 = [...sim.state.machines.values()].find((m) => m.name === 'dc01');
	if (triggerActive) {
		const online = { connected: true };
		const mark = sim.requests.length;
		const h1 = sim.state.addMalop({
			severity: 'High',
			status: 'Active',
			managementStatus: 'UNREAD',
			machines: [online, online],
		});
		const h2 = sim.state.addMalop({
			severity: 'High',
			status: 'Active',
			managementStatus: 'UNREAD',
			machines: [{ guid: dc01?.guid }, online],
		});
		const m1 = sim.state.addMalop({
			severity: 'Medium',
			status: 'Active',
			managementStatus: 'UNREAD',
			machines: [online],
		});
		// Not Active: the trigger's status filter leaves it out.
		sim.state.addMalop({
			severity: 'High',
			status: 'Remediated',
			managementStatus: 'OPEN',
			machines: [online],
		});
		const malops = [h1, h2, m1];
		batchA = {
			malops,
			pairs: malops.flatMap((m) => m.machines.map((x) => `${m.guid}|${x.guid}`)),
			mark,
		};
		log(
			`[${line.label}] trigger batch A: ${malops.map((m) => `${m.guid} (${m.severity}, ${m.machines.map((x) => x.name).join('+')})`).join(', ')} + one Remediated (left out)`,
		);
	}

	const pkgName = installed.packageJson.name;
	const expectedNodes = installed.packageJson.n8n?.nodes?.length ?? 0;
	await report.step('n8n lists our node types (GET /types/nodes.json)', async () => {
		const types = await server.nodeTypes();
		check(
			types.some((t) => t.name === 'n8n-nodes-base.noOp'),
			'built-in n8n-nodes-base.noOp missing: wrong endpoint?',
		);
		const ours = types.filter((t) => t.name.startsWith(`${pkgName}.`)).map((t) => t.name);
		for (const wanted of ['cybereasonGetMalops', 'cybereasonRemediate', 'cybereasonTrigger']) {
			check(
				ours.includes(`${pkgName}.${wanted}`),
				`${pkgName}.${wanted} not loaded (loaded: ${ours.join(', ') || 'none'})\n${packageLoadErrors(server.logs(), pkgName)}`,
			);
		}
		check(
			ours.length >= expectedNodes,
			`${expectedNodes} nodes in package.json, ${ours.length} loaded`,
		);
		return detailed(undefined, ours.join(', '));
	});

	await report.step('n8n lists the credential type (GET /types/credentials.json)', async () => {
		const types = await server.credentialTypes();
		const ours = types.find((t) => t.name === 'cybereasonApi');
		check(
			ours,
			`cybereasonApi not among ${types.length} credential types\n${packageLoadErrors(server.logs(), pkgName)}`,
		);
		check(ours.displayName === 'Cybereason API', `displayName is ${ours.displayName}`);
		return detailed(
			undefined,
			`"${ours.displayName}", supportedNodes ${JSON.stringify(ours.supportedNodes ?? [])}`,
		);
	});

	const creds = exampleCredentials(sim, examples);
	await report.step(
		'credential test passes (POST /rest/credentials/test, simulator login)',
		async () => {
			const before = sim.requests.length;
			const result = await server.testCredential(creds[0]);
			check(result.status === 'OK', `credential test: ${JSON.stringify(result)}`);
			// Only the tester's requests (the trigger polls the same console meanwhile).
			const hits = sim.requests
				.slice(before)
				.filter((r) => r.path === '/login.html' || r.path === '/rest/sensors/query')
				.map((r) => `${r.method} ${r.path} ${r.status}`);
			return detailed(undefined, `"${result.message}"; the console saw ${hits.join(', ')}`);
		},
	);

	await report.step(
		'credential test with a wrong password fails with the readable message',
		async () => {
			const result = await server.testCredential(creds[1]);
			check(result.status === 'Error', `expected Error, got ${JSON.stringify(result)}`);
			check(
				result.message === WRONG_PASSWORD_MESSAGE,
				`message is ${JSON.stringify(result.message)}, expected ${JSON.stringify(WRONG_PASSWORD_MESSAGE)}`,
			);
			return detailed(undefined, `"${result.message}"`);
		},
	);

	if (isN8n2(line)) {
		await report.step(
			'credential test through the public API (POST /api/v1/credentials/{id}/test)',
			async () => {
				const apiKey = await trigger.key();
				const ok = await server.testCredentialById(apiKey, examples.credential.id);
				check(ok.status === 'OK', `stored credential: ${JSON.stringify(ok)}`);
				const bad = await server.testCredentialById(apiKey, BAD_CREDENTIAL_ID);
				check(
					bad.status === 'Error',
					`stored credential with a wrong password: ${JSON.stringify(bad)}`,
				);
				check(
					bad.message === WRONG_PASSWORD_MESSAGE,
					`message is ${JSON.stringify(bad.message)}, expected ${JSON.stringify(WRONG_PASSWORD_MESSAGE)}`,
				);
				return detailed(undefined, `OK / Error "${bad.message}"`);
			},
		);
	} else {
		report.skip(
			'credential test through the public API',
			'n8n 1.x has no public credential test endpoint',
		);
	}

	if (batchA) {
		const a = batchA;
		const firstBatch = await report.step(
			'example 2: new Malops fire once per (Malop, machine); high severity isolated',
			async () => {
				const executions = await trigger.waitForPairs(a.pairs, tickMs);
				return detailed(true, trigger.checkBatch(executions, a.pairs, a.malops, a.mark));
			},
		);
		if (firstBatch) {
			await report.step(
				'example 2: a machine added to a known Malop fires alone; re-read Malops do not fire again',
				async () => {
					const [h1, , m1] = a.malops;
					const mark = sim.requests.length;
					const machine = sim.state.addMachineToMalop(h1.guid, { connected: true });
					sim.state.updateMalop(m1.guid, { labels: ['e2e-updated'] }); // an update without a new machine
					const low = sim.state.addMalop({
						severity: 'Low',
						status: 'Active',
						managementStatus: 'UNREAD',
						machines: [{ connected: true }],
					});
					const pairs = [
						`${h1.guid}|${machine.guid}`,
						...low.machines.map((x) => `${low.guid}|${x.guid}`),
					];
					const executions = await trigger.waitForPairs(pairs, tickMs);
					const detail = trigger.checkBatch(executions, pairs, [h1, low], mark);
					const all = await trigger.executions();
					check(
						all.length === 2,
						`${all.length} executions of the trigger workflow in total, expected 2`,
					);
					const isolated = [...a.malops, h1]
						.filter((m) => m.severity === 'High')
						.flatMap((m) => m.machines)
						.filter((x) => x.name !== 'dc01');
					// The simulator moves a remediation on when it is read (as the console's progress API would show it).
					await waitFor(
						'the isolations to finish on the console',
						10_000,
						() => {
							for (const id of [...sim.state.remediations.keys()]) sim.state.remediation(id);
							return isolated.every((x) => x.isolated) ? true : undefined;
						},
						200,
					);
					check(dc01 && !dc01.isolated, 'dc01 (protected) was isolated');
					return detailed(
						true,
						`${detail}; 2 executions in total; ${isolated.length} machines isolated on the console, dc01 not`,
					);
				},
			);
		}
	}

	await report.step('stop n8n (process group)', async () => {
		await server.stop();
	});

	if (triggerActive) {
		await report.step(
			"example 2: the trigger's memory is in the workflow's static data",
			async () => {
				const workflows = await n8n.exportWorkflows();
				const wf = workflows.find((w) => w.id === examples.triggerIsolateNotify.workflow.id);
				check(wf, 'trigger workflow not exported');
				const staticData = (
					typeof wf.staticData === 'string' ? JSON.parse(wf.staticData) : wf.staticData
				) as Record<string, { cursor?: { seen?: Record<string, string> } }> | undefined;
				const cursor = staticData?.['node:Cybereason Trigger']?.cursor;
				check(
					cursor?.seen,
					`no cursor in the static data: ${JSON.stringify(staticData).slice(0, 300)}`,
				);
				for (const m of batchA?.malops ?? []) {
					const entry = cursor.seen[`m:${m.guid}`];
					check(entry, `Malop ${m.guid} not remembered`);
					const [, emitted] = decodeMemory(entry);
					const diff = [...m.machines.map((x) => x.guid)].filter((g) => !emitted.includes(g));
					check(
						diff.length === 0,
						`Malop ${m.guid}: machines ${diff.join(', ')} not remembered as emitted`,
					);
				}
				return detailed(
					undefined,
					`${Object.keys(cursor.seen).length} Malops remembered with their emitted machines`,
				);
			},
		);
	}

	if (n8n.exitCrashes > 0) {
		report.note(
			`n8n execute died from SIGSEGV after printing its run data ${n8n.exitCrashes}x (vm expression engine exit race; tolerated)`,
		);
	}
	return report;
}

/** Log lines of a server that mention the package, to explain why its types are missing. */
function packageLoadErrors(logs: string, pkgName: string): string {
	const lines = logs.split('\n').filter((l) => l.includes(pkgName) || /error|fail/i.test(l));
	return lines.length
		? `server log:\n${lines.slice(-20).join('\n')}`
		: 'server log has nothing about the package';
}

async function main(): Promise<number> {
	const started = Date.now();
	const lines = selectLines(process.env.N8N_E2E_LINES);
	log(
		`e2e: n8n lines ${lines.map((l) => `${l.label}=${l.n8nVersion}`).join(', ')}; cache ${cacheRoot()}`,
	);
	const cleanup = new Cleanup();
	const reports: Report[] = [];
	const setup = new Report('setup + packaging');
	reports.push(setup);
	try {
		const examples = await setup.step('read examples/*.json', async () => {
			const e = await loadExamples();
			return detailed(
				e,
				[e.scheduledIsolation, e.triggerIsolateNotify, e.dryRunReview]
					.map((x) => `${x.file} (${x.workflow.id})`)
					.join(', '),
			);
		});
		const packed = await setup.step('npm pack', async () => {
			const p = await packPackage({ build: process.env.N8N_E2E_BUILD === '1' });
			cleanup.defer('remove the tarball', () => p.cleanup());
			return detailed(p, `${p.name}@${p.version}, ${p.files.length} files`);
		});
		if (process.env.N8N_E2E_SKIP_PACKAGING === '1') {
			setup.skip('packaging checks', 'N8N_E2E_SKIP_PACKAGING=1');
		} else {
			await setup.step(
				'npm pack --dry-run: only dist/**, README.md, LICENSE.md, package.json',
				() => checkPackedFiles(),
			);
			if (packed) {
				await setup.step(
					'@n8n/scan-community-package: its ESLint checks on the source and the tarball (offline part)',
					() => runCommunityScan(packed.tarball, (m) => log(`[setup] ${m}`)),
				);
			}
			setup.skip(
				'@n8n/scan-community-package: provenance + download by name',
				'needs the package published on npm with provenance, and codeload.github.com for the attested source (see scripts/e2e/README.md)',
			);
		}
		if (examples && packed) {
			for (const line of lines) reports.push(await runLine(line, packed, examples, cleanup));
		}
	} finally {
		const errors = await cleanup.close();
		for (const e of errors) log(`cleanup: ${e}`);
	}

	console.log('\n==== e2e report ====');
	for (const report of reports) report.print();
	const failed = reports.some((r) => r.failed);
	const total = reports.reduce((sum, r) => sum + r.counts.passed, 0);
	const fails = reports.reduce((sum, r) => sum + r.counts.failed, 0);
	console.log(`\ne2e: ${total} passed, ${fails} failed`);
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
