// Workflows in the editor: every example imports with no warning (and a workflow that must warn does, so the
// check is known to see warnings), then Get Malops and a Remediate dry run executed from the canvas.
import { check, detailed } from '../report';
import { tid } from './editor';
import {
	actionRequests,
	openMalopMachineItems,
	readExampleFiles,
	RUN_NODES,
	runWorkflow,
	warningWorkflow,
	writeWorkflowFile,
} from './fixtures';
import type { Scope } from './scope';

/** The example shown on the canvas in the README. */
const README_EXAMPLE = '1-';

async function importsCleanly(
	s: Scope,
	file: string,
	path: string,
	names: string[],
): Promise<string> {
	await s.editor.importFile(path);
	const markers = await s.editor.nodeMarkers();
	const toasts = await s.editor.toasts();
	const missing = names.filter((n) => !markers.some((m) => m.name === n));
	check(missing.length === 0, `not on the canvas after the import: ${missing.join(', ')}`);
	const warned = markers.filter((m) => m.markers.length > 0);
	check(
		warned.length === 0 && toasts.length === 0,
		`warnings after importing examples/${file}: ${warned.map((m) => `${m.name}: ${m.markers.join(', ')}`).join('; ')}` +
			(toasts.length ? `; toasts: ${toasts.join(' / ')}` : ''),
	);
	const shot = `example-${file.replace(/\.json$/, '')}`;
	await s.editor.tidyForScreenshot();
	if (file.startsWith(README_EXAMPLE))
		await s.shots.takeForReadme(s.editor.page, shot, 'example-workflow-canvas.png');
	else await s.shots.take(s.editor.page, shot);
	return `${markers.length} nodes, no issue marker, no toast`;
}

async function warningsAreSeen(s: Scope): Promise<string> {
	const wf = warningWorkflow();
	await s.editor.importFile(await writeWorkflowFile(s.tmpDir, 'must-warn.json', wf));
	const markers = await s.editor.nodeMarkers();
	const toasts = await s.editor.toasts();
	await s.shots.take(s.editor.page, 'control-must-warn');
	const of = (name: string) => markers.find((m) => m.name === name)?.markers ?? [];
	check(
		of('Not installed').includes('node-not-installed'),
		`an unknown node type shows ${JSON.stringify(of('Not installed'))}`,
	);
	if (s.editor.ui.autoAssignsCredentials) {
		check(
			toasts.some((t) => /credentials? auto-added/i.test(t)),
			`no "Credentials auto-added" toast: ${toasts.join(' / ')}`,
		);
	} else {
		check(
			of(RUN_NODES.get).includes('node-issues'),
			`a missing credential shows ${JSON.stringify(of(RUN_NODES.get))}`,
		);
	}
	await s.editor.tidyForScreenshot();
	return (
		markers.map((m) => `${m.name}: ${m.markers.join('+') || '-'}`).join('; ') +
		(toasts.length ? `; toast "${toasts[0]}"` : '')
	);
}

export async function checkExamples(s: Scope): Promise<void> {
	await s.step(
		'browser: the warning check sees an unknown node and a missing credential',
		async () => detailed(undefined, await warningsAreSeen(s)),
	);
	const examples = await readExampleFiles();
	for (const e of examples) {
		await s.step(`browser: examples/${e.file} imports with no warning on any node`, async () =>
			detailed(
				undefined,
				await importsCleanly(
					s,
					e.file,
					e.path,
					e.nodes.map((n) => n.name),
				),
			),
		);
	}
}

export async function checkRunFromEditor(s: Scope): Promise<void> {
	const { editor, sim, shots } = s;
	const ran = await s.step(
		'browser: Get Malops run from the editor: one item per open Malop × machine',
		async () => {
			await editor.importFile(
				await writeWorkflowFile(s.tmpDir, 'run.json', runWorkflow(s.credential)),
			);
			const mark = sim.requests.length;
			const isolatedBefore = [...sim.state.machines.values()].filter((m) => m.isolated).length;
			const started = Date.now();
			await editor.execute(RUN_NODES.remediate);
			const ms = Date.now() - started;
			await shots.take(editor.page, 'run-canvas');
			const expected = openMalopMachineItems(sim);
			const out = await editor.openNode(RUN_NODES.get);
			const shown = await editor.outputItemCount(out);
			await editor.tidyForScreenshot();
			await shots.takeForReadme(out, 'get-malops-output', 'get-malops-output.png');
			check(
				shown === expected.items,
				`the output shows ${shown} items, the console has ${expected.items} open Malop × machine pairs (${expected.malops} Malops)`,
			);
			await editor.closeNode();
			return detailed(
				{ mark, isolatedBefore, items: shown },
				`${shown} items = ${expected.malops} open Malops' machines; run took ${ms} ms`,
			);
		},
	);
	if (!ran) return;

	await s.step(
		'browser: Remediate dry run shows DRY_RUN on every item, the console received no action',
		async () => {
			const out = await editor.openNode(RUN_NODES.remediate);
			const shown = await editor.outputItemCount(out);
			const statuses = await editor.outputFieldValues(out, 'results.status');
			await out
				.locator(`${tid('ndv-data-container')} th`)
				.filter({ hasText: /^\s*results\s*$/ })
				.first()
				.scrollIntoViewIfNeeded();
			await editor.tidyForScreenshot();
			await shots.takeForReadme(out, 'remediate-dry-run-output', 'remediate-dry-run-output.png');
			check(shown === ran.items, `Remediate shows ${shown} items for ${ran.items} inputs`);
			check(
				statuses.length === shown,
				`${statuses.length} results.status cells in the table for ${shown} items`,
			);
			const other = statuses.filter((st) => st !== 'DRY_RUN');
			check(other.length === 0, `results.status other than DRY_RUN: ${other.join(', ')}`);
			const actions = actionRequests(sim.requests.slice(ran.mark));
			check(actions.length === 0, `the console received ${actions.join(', ')}`);
			const isolated = [...sim.state.machines.values()].filter((m) => m.isolated).length;
			check(
				isolated === ran.isolatedBefore,
				`${isolated - ran.isolatedBefore} machines were isolated by a dry run`,
			);
			await editor.closeNode();
			return detailed(undefined, `${shown} × DRY_RUN; no /rest/remediate* or isolation request`);
		},
	);
}
