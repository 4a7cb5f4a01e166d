/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
// `npm run demo`: the main job end to end on the built-in simulator, inside n8n's own engine with the real
// credential: Get Malops -> keep the Malops nobody has closed -> Remediate (isolate, wait for the sensors).
import type { IDataObject } from 'n8n-workflow';

import { CybereasonGetMalops } from '../nodes/CybereasonGetMalops/CybereasonGetMalops.node';
import { CybereasonRemediate } from '../nodes/CybereasonRemediate/CybereasonRemediate.node';
import { demoDataset } from '../simulator/dataset';
import { DEMO_USER, startSimulator } from '../simulator';
import { Engine, registerFunction, registerNodeType, shutdownEngine } from './lib/engine';

registerNodeType('cybereasonGetMalops', new CybereasonGetMalops());
registerNodeType('cybereasonRemediate', new CybereasonRemediate());

/** The Filter step of the example workflow: leave out Malops an analyst already marked as false positive. */
registerFunction('notFalsePositive', (items) => items.filter((item) => item.json.status !== 'FP'));

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ');
	return [
		line(rows[0]),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...rows.slice(1).map(line),
	].join('\n');
}

async function main() {
	const started = Date.now();
	const sim = await startSimulator({ dataset: demoDataset(started), remediationStepMs: 400 });
	// One sensor is offline: its isolation stays queued, as on a real console.
	const offline = [...sim.state.malops.values()]
		.flatMap((m) => m.machines)
		.find((m) => m.name !== 'dc01');
	if (offline) sim.state.setMachineConnected(offline.guid, false);
	try {
		console.log(`Cybereason simulator at ${sim.url} (user ${DEMO_USER.username})\n`);
		const engine = new Engine();
		engine.setCredential({
			baseUrl: sim.url,
			username: DEMO_USER.username,
			password: DEMO_USER.password,
		});
		const result = await engine.run({
			nodes: [
				{
					name: 'Cybereason Get Malops',
					type: 'n8n-nodes-cybereason.cybereasonGetMalops',
					parameters: {
						returnAll: true,
						filters: { statuses: ['UNREAD', 'TODO', 'OPEN', 'REOPEN'] },
					},
				},
				{
					name: 'Not False Positive',
					type: 'test.function',
					parameters: { fn: 'notFalsePositive' },
				},
				{
					name: 'Cybereason Remediate',
					type: 'n8n-nodes-cybereason.cybereasonRemediate',
					parameters: {
						actionType: 'ISOLATE_MACHINE',
						options: {
							waitForCompletion: true,
							pollInterval: 0.5,
							timeout: 6,
							protectedMachines: 'dc01',
						},
					},
				},
			],
			connections: [
				['Cybereason Get Malops', 'Not False Positive'],
				['Not False Positive', 'Cybereason Remediate'],
			],
		});
		if (result.error) throw new Error(`The workflow failed: ${result.error.message}`);

		const remediated = result.output('Cybereason Remediate');
		const inputs = result.output('Not False Positive');
		const out = remediated.map((item) => item.json);
		const rows = [['Malop', 'Name', 'Machine', 'Action', 'results.status']];
		for (const { json: item, pairedItem } of remediated) {
			const paired = Array.isArray(pairedItem) ? pairedItem[0] : pairedItem;
			const input = typeof paired === 'object' ? (inputs[paired.item]?.json ?? {}) : {};
			rows.push([
				String(item.malopId),
				String(input.displayName ?? ''),
				String(item.machineName ?? item.machineGuid),
				String(item.actionType),
				String((item.results as IDataObject | undefined)?.status ?? item.error),
			]);
		}
		console.log(table(rows));
		// What n8n's output pane shows above the items (a run from the editor that waited until the timeout).
		for (const hint of result.hints('Cybereason Remediate')) console.log(`\nHint: ${hint.message}`);

		const count = (status: string) =>
			out.filter((i) => (i.results as IDataObject)?.status === status).length;
		const malops = new Set(out.map((i) => i.malopId)).size;
		const posts = sim.requests.filter(
			(r) => r.method === 'POST' && r.path === '/rest/remediate',
		).length;
		const polls = sim.requests.filter((r) => r.path.startsWith('/rest/remediate/progress/')).length;
		console.log(
			`\n${out.length} machines in ${malops} Malops: ${count('SUCCESS')} isolated, ${count('SKIPPED_PROTECTED')} skipped (protected), ` +
				`${count('TIMEOUT')} still queued at the timeout (sensor offline), ${count('FAILURE')} failed; ` +
				`${posts} remediate calls (one per Malop; a machine in several Malops is isolated once), ${polls} progress reads, ${sim.state.logins} login, ` +
				`${((Date.now() - started) / 1000).toFixed(1)} s.`,
		);
	} finally {
		await sim.close();
		shutdownEngine();
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(`Demo failed: ${error.message}`);
		process.exit(1);
	},
);
