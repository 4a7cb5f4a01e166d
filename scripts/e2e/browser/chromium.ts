/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// Debian's Chromium for the browser pass: installed with apt-get only when /usr/bin/chromium is missing
// (never a browser download of playwright's own), launched headless by playwright-core, loopback only.
import { existsSync } from 'node:fs';

import { chromium, type BrowserContext } from 'playwright-core';

import { cleanEnv, makeTempDir, removeDir, runChecked } from '../proc';

export const CHROMIUM_PATH = process.env.N8N_E2E_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags this machine needs, on top of the --headless and --user-data-dir playwright passes itself: without
 * the background-networking ones Chromium keeps opening connections to Google's hosts, which the closed network
 * refuses. The resolver rule makes every host name but localhost unresolvable (an IP literal is matched too,
 * hence 127.0.0.1), so nothing the browser itself asks for leaves loopback either.
 */
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/** What ensureChromium did: "already installed" or the apt-get run, and how long it took. */
export interface ChromiumInstall {
	path: string;
	installed: string;
	installMs: number;
}

/**
 * `apt-get install -y --no-install-recommends chromium` (after `apt-get update`) when the binary is missing,
 * the way services.ts installs redis/postgres: as root only, otherwise a message saying what to run.
 */
export async function ensureChromium(log: (m: string) => void): Promise<ChromiumInstall> {
	if (existsSync(CHROMIUM_PATH))
		return { path: CHROMIUM_PATH, installed: 'already installed', installMs: 0 };
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${CHROMIUM_PATH} not found and this is not root: run "sudo apt-get install -y --no-install-recommends chromium" first`,
		);
	}
	const started = Date.now();
	const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
	log("installing chromium from Debian's packages (apt-get update + install)");
	await runChecked('apt-get', ['update', '-q'], { env, timeoutMs: 10 * 60_000 });
	await runChecked('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], {
		env,
		timeoutMs: 15 * 60_000,
	});
	if (!existsSync(CHROMIUM_PATH))
		throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`);
	return {
		path: CHROMIUM_PATH,
		installed: 'apt-get install chromium',
		installMs: Date.now() - started,
	};
}

export interface BrowserSession {
	context: BrowserContext;
	/** Requests the page tried to send off loopback (aborted). */
	blocked: string[];
	close(): Promise<void>;
}

const LOOPBACK = /^(https?|wss?):\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

/**
 * Headless Chromium with a fresh profile (persistent context: `--user-data-dir` of our own temp folder, gone
 * after close). Every request that is not to loopback is aborted and remembered, so the pass can fail on it.
 */
export async function openBrowser(): Promise<BrowserSession> {
	const profile = await makeTempDir('n8n-e2e-chromium-');
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: FLAGS,
		viewport: { width: 1440, height: 900 },
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const blocked: string[] = [];
	await context.route('**/*', async (route) => {
		const url = route.request().url();
		if (LOOPBACK.test(url) || url.startsWith('data:') || url.startsWith('blob:'))
			return await route.continue();
		blocked.push(url);
		return await route.abort('blockedbyclient');
	});
	return {
		context,
		blocked,
		close: async () => {
			await context.close();
			await removeDir(profile);
		},
	};
}
