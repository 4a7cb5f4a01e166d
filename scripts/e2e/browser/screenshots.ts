/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// Screenshots of every step of the browser pass, under build/e2e/screenshots/<line>/ (git-ignored, replaced on
// each run; N8N_E2E_SCREENSHOTS moves the root), and the README images in docs/images/, written only when
// N8N_E2E_README_IMAGES names this line ("1" = the 2.x line), so a normal run leaves the tree clean.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { repoRoot } from '../package';

export const README_IMAGES_DIR = join('docs', 'images');

function readmeLine(): string | undefined {
	const value = process.env.N8N_E2E_README_IMAGES;
	if (!value || value === '0') return undefined;
	return value === '1' ? '2.x' : value;
}

export class Screenshots {
	private count = 0;

	readonly written: string[] = [];

	readonly readme: string[] = [];

	private constructor(
		readonly dir: string,
		readonly readmeDir: string | undefined,
	) {}

	static async create(lineLabel: string): Promise<Screenshots> {
		const root = process.env.N8N_E2E_SCREENSHOTS ?? join(repoRoot(), 'build', 'e2e', 'screenshots');
		const dir = join(root, lineLabel);
		await rm(dir, { recursive: true, force: true });
		await mkdir(dir, { recursive: true });
		const readmeDir = readmeLine() === lineLabel ? join(repoRoot(), README_IMAGES_DIR) : undefined;
		if (readmeDir) await mkdir(readmeDir, { recursive: true });
		return new Screenshots(dir, readmeDir);
	}

	/** `NN-<name>.png` of the page (or of one element), numbered in the order of the pass. */
	async take(target: Page | Locator, name: string): Promise<string> {
		this.count += 1;
		const file = join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`);
		await target.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
		this.written.push(file);
		return file;
	}

	/** A step screenshot that is also a README image (docs/images/<image>) when this line makes them. */
	async takeForReadme(target: Page | Locator, name: string, image: string): Promise<void> {
		const file = await this.take(target, name);
		if (!this.readmeDir) return;
		await copyFile(file, join(this.readmeDir, image));
		this.readme.push(join(README_IMAGES_DIR, image));
	}
}
