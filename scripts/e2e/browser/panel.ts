// The nodes panel: searching "Cybereason" lists our nodes with their icons, the trigger is offered as a
// trigger with its events, and (once the resource/operation node exists) its actions sit with the trigger.
import type { Locator, Response } from 'playwright-core';

import { check, detailed } from '../report';
import { tid } from './editor';
import { CYBEREASON_NODE, GET_MALOPS, PACKAGE, REMEDIATE, TRIGGER } from './fixtures';
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
		for (const type of [GET_MALOPS, REMEDIATE, TRIGGER, ...(merged ? [CYBEREASON_NODE] : [])]) {
			const ok = listed(type) || (merged && [CYBEREASON_NODE, TRIGGER].some(listed));
			check(ok, `searching "${SEARCH}" does not list ${type} (rows: ${ids.join(', ')})`);
		}
		const srcs = (await attributes(items.locator('img'), 'src')).filter((src) =>
			src.includes(`/icons/${PACKAGE}/`),
		);
		for (const type of [GET_MALOPS, REMEDIATE, TRIGGER]) {
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

/** The rows and categories of the panel a node row opens (its actions, grouped as "Triggers (N)", "Actions (N)"). */
async function openRow(
	s: Scope,
	types: string[],
): Promise<{ categories: string[]; actions: string[] }> {
	await s.editor.searchNodes(SEARCH);
	const rows = types.map((t) => rowOf(s, t)).reduce((a, b) => a.or(b));
	await rows.first().click();
	const panel = s.editor.t('node-creator');
	await panel.locator(tid('node-creator-category-item')).first().waitFor();
	const categories = (await panel.locator(tid('node-creator-category-item')).allInnerTexts()).map(
		(c) => c.trim(),
	);
	const actions = await navIds(
		panel.locator(`${tid('item-iterator-item')}[data-keyboard-nav-type="action"]`),
	);
	return { categories, actions };
}

async function triggerAmongTriggers(s: Scope): Promise<string> {
	const events =
		s.types.find((t) => t.name === TRIGGER)?.properties?.find((p) => p.name === 'event')?.options ??
		[];
	check(events.length > 0, `nodes.json gives ${TRIGGER} no "event" options`);
	const { categories, actions } = await openRow(s, [TRIGGER]);
	const triggers = categories.find((c) => /^Triggers\b/.test(c));
	check(triggers, `the trigger's panel has no "Triggers" group (groups: ${categories.join(', ')})`);
	check(
		triggers.includes(`(${events.length})`) &&
			actions.filter((a) => a.startsWith(`${TRIGGER}-`)).length === events.length,
		`"${triggers}" with ${actions.length} actions, expected ${events.length} (${events.map((e) => e.name).join(', ')})`,
	);
	const names = (
		await s.editor.t('node-creator').locator(tid('node-creator-item-name')).allInnerTexts()
	).map((n) => n.trim());
	for (const event of events) {
		check(
			names.some((n) => n.toLowerCase().includes(event.name.toLowerCase())),
			`no action for the event "${event.name}" (shown: ${names.join(', ')})`,
		);
	}
	await s.shots.take(s.editor.page, 'trigger-events');
	return `"${triggers}": ${names.filter((n) => n.startsWith('On ')).join(', ')}`;
}

async function actionsWithTrigger(s: Scope): Promise<string> {
	const { categories, actions } = await openRow(s, [CYBEREASON_NODE, TRIGGER]);
	const has = (re: RegExp) => categories.some((c) => re.test(c));
	check(
		has(/^Actions\b/) && has(/^Triggers\b/),
		`groups ${categories.join(', ')}, expected "Actions" and "Triggers"`,
	);
	check(
		actions.some((a) => a.startsWith(`${CYBEREASON_NODE}-`)) &&
			actions.some((a) => a.startsWith(`${TRIGGER}-`)),
		`the "Cybereason" row's actions are not the node's and the trigger's together: ${actions.join(', ')}`,
	);
	await s.shots.take(s.editor.page, 'cybereason-actions');
	return categories.join(', ');
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
