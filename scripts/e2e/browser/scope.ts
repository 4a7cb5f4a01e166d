// What every check of the browser pass gets: the editor, the simulator, the screenshots, n8n's node types,
// and `step`, a report step that leaves a screenshot of the page when it fails.
import type { Simulator } from '../../../simulator';
import type { N8nLine } from '../lines';
import type { N8nServer } from '../n8n';
import type { Report } from '../report';
import type { Editor } from './editor';
import type { Screenshots } from './screenshots';

/** The part of GET /types/nodes.json the pass reads. */
export interface NodeType {
	name: string;
	displayName: string;
	group?: string[];
	iconUrl?: string | { light?: string; dark?: string };
	properties?: Array<{ name: string; options?: Array<{ name: string; action?: string }> }>;
}

export interface Scope {
	line: N8nLine;
	server: N8nServer;
	sim: Simulator;
	report: Report;
	editor: Editor;
	shots: Screenshots;
	/** Our package's node types as n8n lists them to the editor. */
	types: NodeType[];
	/** The examples' credential, imported before the server started. */
	credential: { id: string; name: string };
	tmpDir: string;
	step: Report['step'];
}

export function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60);
}

/** report.step, plus a `FAILED-<step>` screenshot of the page when the step throws. */
export function screenshotOnFailure(
	report: Report,
	editor: Editor,
	shots: Screenshots,
): Scope['step'] {
	return async (name, fn) =>
		await report.step(
			name,
			async () =>
				await fn().catch(async (error: unknown) => {
					await shots.take(editor.page, `FAILED-${slug(name)}`).catch(() => undefined);
					return await Promise.reject(error);
				}),
		);
}
