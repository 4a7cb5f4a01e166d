// The n8n editor as the browser pass drives it: every selector is here (data-test-id, as found in the
// n8n-editor-ui bundles of 1.123.81 and 2.41.1), and every difference between the two lines is in LineUi.
import type { Locator, Page } from 'playwright-core';

/** The instance owner the pass sets up (or signs in as). */
export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** What the two editor lines do differently, for the few places where the pass has to care. */
export interface LineUi {
	/** Where the editor lands after owner setup: 1.x the workflow list, 2.x the AI assistant's intro page. */
	afterSetup: RegExp;
	/** Leaving the node details view: 1.x a "Back to canvas" link, 2.x a close button in the NDV header. */
	ndvClose: string;
	/** 1.x pages the output table (10 rows a page, "Go to next page"); 2.x shows every row in one table. */
	pagedTable: boolean;
	/**
	 * 2.x fills in the only credential of a type for an imported node whose credential is missing, with a
	 * toast ("Credentials auto-added"); 1.x marks the node with a red issue ("Credentials ... are not set").
	 */
	autoAssignsCredentials: boolean;
}

export function lineUi(n8nVersion: string): LineUi {
	const v2 = Number(n8nVersion.split('.')[0]) >= 2;
	return {
		afterSetup: v2 ? /\/assistant|\/home\// : /\/home\//,
		ndvClose: v2 ? 'ndv-close-button' : 'back-to-canvas',
		pagedTable: !v2,
		autoAssignsCredentials: v2,
	};
}

/** The markers a canvas node can carry that a user reads as "something is wrong with this node". */
const NODE_MARKERS = ['node-issues', 'canvas-node-status-warning', 'node-not-installed'] as const;

export interface NodeMarkers {
	name: string;
	type: string;
	markers: string[];
}

export const tid = (id: string): string => `[data-test-id="${id}"]`;

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
		readonly ui: LineUi,
	) {}

	t(id: string): Locator {
		return this.page.locator(tid(id));
	}

	async setupOwner(owner: Owner): Promise<void> {
		await this.page.goto(`${this.baseUrl}/`);
		await this.page.waitForURL(/\/setup/);
		const form = this.t('setup-form');
		for (const field of ['email', 'firstName', 'lastName', 'password'] as const) {
			await form.locator(`${tid(field)} input`).fill(owner[field]);
		}
		await form.locator(tid('form-submit-button')).click();
		await this.page.waitForURL(this.ui.afterSetup);
		await this.t('universal-add').waitFor();
	}

	async signIn(owner: Owner): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		const form = this.t('signin-form');
		await form.locator(`${tid('emailOrLdapLoginId')} input`).fill(owner.email);
		await form.locator(`${tid('password')} input`).fill(owner.password);
		await form.locator(tid('form-submit-button')).click();
		await this.t('universal-add').waitFor();
	}

	/** Unsaved nodes on the canvas: leaving would ask "Save changes before leaving?" (a dialog with no test id). */
	private dirty = false;

	/**
	 * An empty canvas. A page load of the editor takes 5-9 s here (2.x: 9 s), so once the editor is loaded the
	 * sidebar's "+" (universal-add) → "Workflow" (1.x) / "New workflow" (2.x) opens it in the app instead; a
	 * canvas with an import on it is saved first (Ctrl+S), as a user would before leaving it.
	 */
	async newWorkflow(): Promise<void> {
		if (this.dirty) {
			const saved = this.page.waitForResponse(
				(r) => /\/rest\/workflows/.test(r.url()) && r.request().method() !== 'GET',
			);
			await this.page.keyboard.press('Control+s');
			await saved;
			// 1.x moves from /workflow/new to /workflow/<id> after the first save and re-renders the sidebar.
			await this.page.waitForURL(/\/workflow\/(?!new)/);
			this.dirty = false;
		}
		if ((await this.t('universal-add').count()) === 0)
			await this.page.goto(`${this.baseUrl}/workflow/new`);
		else await this.openFromSidebar(/workflow/i);
		await this.t('canvas-plus-button').waitFor();
	}

	/** The sidebar's "+" menu: "Workflow", "Credential" (1.x) / "New workflow", "New credential" (2.x). */
	async openFromSidebar(item: RegExp): Promise<void> {
		const entry = this.page
			.locator(`${tid('navigation-menu-item')}:visible`)
			.filter({ hasText: item });
		await this.page.keyboard.press('Escape');
		// 1.x opens the menu on hover and may close it again while the page settles: try again, a few times.
		for (let attempt = 1; ; attempt++) {
			await this.t('universal-add').hover();
			await this.t('universal-add').click();
			const opened = await entry
				.first()
				.click({ timeout: 3000 })
				.then(() => true)
				.catch(() => false);
			if (opened) {
				// Off the menu (it stays open while hovered), onto an empty part of the canvas.
				await this.page.mouse.move(1300, 700);
				return;
			}
			if (attempt === 3) throw new Error(`the sidebar's + menu has no entry ${String(item)}`);
			await this.page.mouse.move(0, 0);
		}
	}

	/** The workflow menu's "Import from File...": its hidden file input, as the menu item feeds it. */
	async importFile(path: string): Promise<void> {
		await this.newWorkflow();
		await this.t('workflow-import-input').setInputFiles(path);
		this.dirty = true;
		await this.t('canvas-node').first().waitFor();
		// The canvas fits the view after the import; markers and toasts come with the next render.
		await this.page.waitForTimeout(1000);
	}

	canvasNode(name: string): Locator {
		return this.page.locator(`${tid('canvas-node')}[data-node-name="${name}"]`);
	}

	async nodeMarkers(): Promise<NodeMarkers[]> {
		const out: NodeMarkers[] = [];
		for (const node of await this.t('canvas-node').all()) {
			const markers: string[] = [];
			for (const marker of NODE_MARKERS) {
				if ((await node.locator(tid(marker)).count()) > 0) markers.push(marker);
			}
			out.push({
				name: (await node.getAttribute('data-node-name')) ?? '?',
				type: (await node.getAttribute('data-node-type')) ?? '?',
				markers,
			});
		}
		return out;
	}

	/** Visible toasts. n8n gives them no test id: they are element-plus notifications. */
	async toasts(): Promise<string[]> {
		const texts = await this.page.locator('.el-notification:visible').allInnerTexts();
		return texts.map((t) => t.replace(/\s+/g, ' ').trim());
	}

	/**
	 * Before a screenshot: close the toasts (2.x's "Workflow executed successfully" covers the output panel) and
	 * park the mouse in a corner (a hovered table row is highlighted).
	 */
	async tidyForScreenshot(): Promise<void> {
		await this.page.mouse.move(1, 899);
		const toasts = this.page.locator('.el-notification:visible');
		const deadline = Date.now() + 5000;
		while ((await toasts.count()) > 0 && Date.now() < deadline) {
			await toasts
				.first()
				.locator('.el-notification__closeBtn')
				.click({ force: true, timeout: 1000 })
				.catch(() => undefined);
			await this.page.waitForTimeout(300);
		}
	}

	/**
	 * Opens the nodes panel on an empty canvas and searches; returns the result rows once every row names the
	 * search text (2.x filters a moment after typing, and the rows before that are the default triggers).
	 */
	async searchNodes(text: string): Promise<Locator> {
		await this.newWorkflow();
		await this.t('canvas-plus-button').click();
		await this.t('node-creator-search-bar').fill(text);
		const items = this.t('node-creator').locator(tid('item-iterator-item'));
		const deadline = Date.now() + 10_000;
		for (;;) {
			const names = await items.locator(tid('node-creator-item-name')).allInnerTexts();
			const filtered =
				names.length > 0 && names.every((n) => n.toLowerCase().includes(text.toLowerCase()));
			if (filtered) return items;
			if (Date.now() > deadline)
				throw new Error(`searching "${text}" still shows ${names.join(', ') || 'nothing'}`);
			await this.page.waitForTimeout(200);
		}
	}

	/**
	 * Execute workflow, then wait until `last` shows the success mark. A failed node shows its red issue marker
	 * instead (n8n has no "error" status test id), which ends the wait at once.
	 */
	async execute(last: string, timeoutMs = 60_000): Promise<void> {
		await this.t('execute-workflow-button').click();
		const done = this.canvasNode(last).locator(tid('canvas-node-status-success'));
		const failed = this.t('canvas-node').locator(tid('node-issues'));
		await done.or(failed).first().waitFor({ timeout: timeoutMs });
		if ((await failed.count()) > 0) {
			const markers = await this.nodeMarkers();
			throw new Error(
				`the run failed in the editor: ${markers
					.filter((m) => m.markers.length)
					.map((m) => `${m.name} (${m.markers.join(', ')})`)
					.join('; ')}`,
			);
		}
	}

	/** Opens a node's details view and waits for its output panel. */
	async openNode(name: string): Promise<Locator> {
		await this.canvasNode(name).dblclick();
		const out = this.t('output-panel');
		await out.waitFor();
		return out;
	}

	async closeNode(): Promise<void> {
		await this.t(this.ui.ndvClose).click();
		await this.t('ndv').waitFor({ state: 'hidden' });
	}

	/** "16 items" above the output table. */
	async outputItemCount(out: Locator): Promise<number> {
		const text = await out.locator(tid('ndv-items-count')).innerText();
		const match = /(\d+)\s+items?/.exec(text);
		if (!match) throw new Error(`output panel says ${JSON.stringify(text)}, expected "N items"`);
		return Number(match[1]);
	}

	/**
	 * The values of a nested field (e.g. results.status) in the output table, every row on every page. The
	 * table renders nested objects as "key: value" pairs whose key carries the expression a drag would map
	 * (data-value="{{ $('Node').item.json.results.status }}"), the one stable handle on a cell's field.
	 */
	async outputFieldValues(out: Locator, path: string): Promise<string[]> {
		await out.locator(tid('radio-button-table')).click();
		const table = out.locator(tid('ndv-data-container'));
		const values: string[] = [];
		for (;;) {
			const keys = table.locator(`[data-target="mappable"][data-value$=".json.${path} }}"]`);
			for (const key of await keys.all()) {
				const pair = await key.locator('xpath=..').innerText();
				values.push(pair.slice(pair.indexOf(':') + 1).trim());
			}
			if (!this.ui.pagedTable) return values;
			const next = out.locator(
				`${tid('ndv-data-pagination')} button[aria-label="Go to next page"]`,
			);
			if ((await next.count()) === 0 || (await next.getAttribute('aria-disabled')) === 'true')
				return values;
			const page = await out
				.locator(`${tid('ndv-data-pagination')} li[aria-current="true"]`)
				.innerText();
			await next.click();
			await out
				.locator(`${tid('ndv-data-pagination')} li[aria-current="true"]`)
				.filter({ hasNotText: new RegExp(`^\\s*${page.trim()}\\s*$`) })
				.waitFor();
		}
	}
}
