// The nodes panel: searching "Cybereason" lists our nodes with their icons, the trigger is offered as a
// trigger with its events, and (once the resource/operation node exists) its actions sit with the trigger.
import type { Locator, Response } from 'playwright-core';

import { check, detailed } from '../report';
import { tid } from './editor';
import { PACKAGE, REMEDIATE } from '../scenarios';
import { CYBEREASON_NODE, GET_MALOPS, TRIGGER } from './fixtures';
import type { NodeType, Scope } from './scope';

const SEARCH = 'Cybereason';

function lightIcon(type: NodeType | undefined): string | undefined {
	const url = type?.iconUrl;
	return typeof url === 'string' ? url : url?.light;
}

/** The result row of a node type: n8n keys each row by "<type>-<uuid>" for keyboard navigation. */
function rowOf(s: Scope, type: string): Locator {
	return s.editor
		.t('node-creator')
		.locator(`${tid('item-iterator-item')}[data-keyboard-nav-id^="${type}-"]`);
}

async function attributes(list: Locator, name: string): Promise<string[]> {
	const values = await Promise.all((await list.all()).map(async (i) => await i.getAttribute(name)));
	return values.filter((v): v is string => v !== null);
}

async function navIds(items: Locator): Promise<string[]> {
	return await attributes(items, 'data-keyboard-nav-id');
}

async function listsOurNodes(s: Scope): Promise<string> {
	const { page } = s.editor;
	const icons = new Map<string, string>();
	const onResponse = (r: Response) => {
		if (r.url().includes(`/icons/${PACKAGE}/`))
			icons.set(new URL(r.url()).pathname, `${r.status()} ${r.headers()['content-type'] ?? ''}`);
	};
	page.on('response', onResponse);
	try {
		const items = await s.editor.searchNodes(SEARCH);
		const ids = await navIds(items);
		const listed = (type: string) => ids.some((id) => id.startsWith(`${type}-`));
		// The resource/operation node and the trigger share one row once both exist (n8n merges "X" and "X Trigger").
		const merged = s.types.some((t) => t.name === CYBEREASON_NODE);
		const ours = [GET_MALOPS, REMEDIATE, TRIGGER, ...(merged ? [CYBEREASON_NODE] : [])];
		for (const type of ours) {
			const ok = listed(type) || (merged && [CYBEREASON_NODE, TRIGGER].some(listed));
			check(ok, `searching "${SEARCH}" does not list ${type} (rows: ${ids.join(', ')})`);
		}
		const srcs = (await attributes(items.locator('img'), 'src')).filter((src) =>
			src.includes(`/icons/${PACKAGE}/`),
		);
		for (const type of ours) {
			const icon = lightIcon(s.types.find((t) => t.name === type));
			check(icon, `nodes.json gives ${type} no iconUrl`);
			check(
				srcs.includes(`/${icon}`),
				`no row shows ${type}'s icon /${icon} (shown: ${srcs.join(', ')})`,
			);
		}
		const deadline = Date.now() + 10_000;
		while ([...new Set(srcs)].some((src) => !icons.has(src)) && Date.now() < deadline)
			await page.waitForTimeout(200);
		for (const src of new Set(srcs)) {
			const seen = icons.get(src);
			check(seen, `the browser never loaded ${src}`);
			check(
				/^200 image\/svg\+xml/.test(seen),
				`${src} answered ${seen}, expected 200 image/svg+xml`,
			);
		}
		await s.shots.take(page, 'nodes-panel-search');
		const names = await items.locator(tid('node-creator-item-name')).allInnerTexts();
		return `rows ${names.map((n) => n.trim()).join(', ')}; icons ${[...icons].map(([u, r]) => `${u} ${r}`).join(', ')}`;
	} finally {
		page.off('response', onResponse);
	}
}

/** The trigger's row; once the resource/operation node exists, n8n shows both as one "Cybereason" row. */
function triggerRow(s: Scope): string[] {
	return s.types.some((t) => t.name === CYBEREASON_NODE) ? [CYBEREASON_NODE, TRIGGER] : [TRIGGER];
}

/**
 * Opens a node's row from the search and returns its panel: the groups ("Triggers (2)", "Actions (11)") and
 * the action rows, each keyed "<type>-<uuid>" with the name n8n shows. The trigger panel shows "Actions"
 * collapsed: opened here, as a user would to see them.
 */
async function openRow(s: Scope, types: string[]) {
	await s.editor.searchNodes(SEARCH);
	await types
		.map((t) => rowOf(s, t))
		.reduce((a, b) => a.or(b))
		.first()
		.click();
	const panel = s.editor.t('node-creator');
	const groups = panel.locator(tid('node-creator-category-item'));
	await groups.first().waitFor();
	const rows = panel.locator(`${tid('item-iterator-item')}[data-keyboard-nav-type="action"]`);
	const actions = groups.filter({ hasText: /^\s*Actions\b/ });
	if ((await actions.count()) > 0 && (await rowsOf(rows, CYBEREASON_NODE)).length === 0)
		await actions.first().click();
	const categories = (await groups.allInnerTexts()).map((c) => c.trim());
	return { categories, rows: await rowsOf(rows) };
}

async function rowsOf(rows: Locator, type?: string): Promise<Array<{ id: string; name: string }>> {
	const out: Array<{ id: string; name: string }> = [];
	for (const row of await rows.all()) {
		const id = (await row.getAttribute('data-keyboard-nav-id')) ?? '';
		const name = (await row.locator(tid('node-creator-item-name')).innerText()).trim();
		if (!type || id.startsWith(`${type}-`)) out.push({ id, name });
	}
	return out;
}

/** "Triggers (2)" holding exactly the rows of `type`, one per option of `property`, each named by it. */
function checkGroup(
	panel: { categories: string[]; rows: Array<{ id: string; name: string }> },
	group: 'Triggers' | 'Actions',
	type: string,
	options: Array<{ name: string; action?: string }>,
): string {
	const header = panel.categories.find((c) => c.startsWith(group));
	const rows = panel.rows.filter((r) => r.id.startsWith(`${type}-`));
	check(header, `no "${group}" group (groups: ${panel.categories.join(', ')})`);
	check(
		header.includes(`(${options.length})`) && rows.length === options.length,
		`"${header}" with ${rows.length} rows of ${type}, expected ${options.length}: ${options.map((o) => o.name).join(', ')}`,
	);
	for (const option of options) {
		const label = (option.action ?? option.name).toLowerCase();
		check(
			rows.some((r) => r.name.toLowerCase().includes(label)),
			`no "${group}" row for "${option.action ?? option.name}" (shown: ${rows.map((r) => r.name).join(', ')})`,
		);
	}
	return `"${header}": ${rows.map((r) => r.name).join(', ')}`;
}

function optionsOf(s: Scope, type: string, property: string) {
	const props = s.types.find((t) => t.name === type)?.properties ?? [];
	const options = props.filter((p) => p.name === property).flatMap((p) => p.options ?? []);
	check(options.length > 0, `nodes.json gives ${type} no "${property}" options`);
	return options;
}

async function triggerAmongTriggers(s: Scope): Promise<string> {
	const panel = await openRow(s, triggerRow(s));
	await s.shots.take(s.editor.page, 'trigger-events');
	return checkGroup(panel, 'Triggers', TRIGGER, optionsOf(s, TRIGGER, 'event'));
}

async function actionsWithTrigger(s: Scope): Promise<string> {
	const panel = await openRow(s, triggerRow(s));
	await s.shots.take(s.editor.page, 'cybereason-actions');
	const actions = checkGroup(
		panel,
		'Actions',
		CYBEREASON_NODE,
		optionsOf(s, CYBEREASON_NODE, 'operation'),
	);
	const triggers = checkGroup(panel, 'Triggers', TRIGGER, optionsOf(s, TRIGGER, 'event'));
	return `one "Cybereason" row: ${triggers}; ${actions}`;
}

export async function checkNodesPanel(s: Scope): Promise<void> {
	await s.step(
		`browser: the nodes panel lists our nodes for "${SEARCH}", icons loaded (HTTP 200, SVG)`,
		async () => detailed(undefined, await listsOurNodes(s)),
	);
	await s.step('browser: our trigger is among the triggers, with one action per event', async () =>
		detailed(undefined, await triggerAmongTriggers(s)),
	);
	const name = 'browser: the Cybereason node shows its actions grouped with the trigger';
	if (s.types.some((t) => t.name === CYBEREASON_NODE)) {
		await s.step(name, async () => detailed(undefined, await actionsWithTrigger(s)));
	} else {
		s.report.skip(
			name,
			`n8n lists no ${CYBEREASON_NODE} node type yet (the resource/operation node is not in this build)`,
		);
	}
}
