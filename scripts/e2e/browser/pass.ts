// The browser pass: the running n8n's editor in Debian's Chromium, as a user meets it (owner setup and sign-in,
// the nodes panel, the credential modal, the examples, Get Malops and a Remediate dry run from the canvas).
//
//   const n8n = await N8nInstance.create(install, { env: BROWSER_SERVER_ENV });
//   ... install the package, import credentialFor(examples, sim.url), const server = await n8n.startServer();
//   await runBrowserPass(server, { line, sim, report, credential: examples.credential });
//
// Instead of server.setupOwner(): the pass sets the owner up in the editor on the fresh instance, and leaves
// `server`'s REST client signed in as that owner for the checks that follow.
import { randomBytes } from 'node:crypto';

import type { Simulator } from '../../../simulator';
import type { N8nLine } from '../lines';
import type { N8nServer } from '../n8n';
import { formatMs, makeTempDir, removeDir } from '../proc';
import { check, detailed, type Report } from '../report';
import { PACKAGE } from '../scenarios';
import { ensureChromium, openBrowser, type BrowserSession } from './chromium';
import { checkCredentialModal } from './credentials';
import { Editor, lineUi, type Owner } from './editor';
import { checkNodesPanel } from './panel';
import { screenshotOnFailure, type NodeType, type Scope } from './scope';
import { Screenshots } from './screenshots';
import { checkExamples, checkRunFromEditor } from './workflows';

/**
 * For the server the pass drives: 1.x's editor otherwise asks api.n8n.io for banners on every page (the pass
 * aborts any request off loopback and fails on it).
 */
export const BROWSER_SERVER_ENV: Record<string, string> = { N8N_DYNAMIC_BANNERS_ENABLED: 'false' };

/**
 * Both editors ask the npm registry about a community package from the browser when its node details open
 * (the nodes panel, an unknown node of the package); aborted, the panel shows the installed package anyway.
 */
const EXPECTED_OFF_LOOPBACK = new RegExp(`^https://registry\\.npmjs\\.org/${PACKAGE}$`);

export interface BrowserPassContext {
	line: N8nLine;
	sim: Simulator;
	report: Report;
	/** The examples' cybereasonApi credential ({ id, name }), already imported into the instance. */
	credential: { id: string; name: string };
}

/** Owner setup and sign-in through the editor's forms; then the REST client signs in as the same owner. */
async function ownerInTheEditor(s: Scope, session: BrowserSession): Promise<boolean> {
	const ok = await s.step('browser: owner setup, then sign-in, in the editor', async () => {
		const owner: Owner = {
			email: 'e2e-owner@n8n-nodes-cybereason.test',
			password: `E2e-${randomBytes(9).toString('base64url')}-9`, // n8n's rules: length, digit, capital
			firstName: 'E2E',
			lastName: 'Owner',
		};
		await s.editor.setupOwner(owner);
		const landed = new URL(s.editor.page.url()).pathname;
		await s.shots.take(s.editor.page, 'owner-set-up');
		await session.context.clearCookies();
		await s.editor.signIn(owner);
		await s.shots.take(s.editor.page, 'signed-in');
		// 1.x reads emailOrLdapLoginId, older builds email.
		const login = { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password };
		await s.server.rest('POST', '/login', login);
		return detailed(
			true,
			`${owner.email}; after setup the editor showed ${landed}, then signed in again`,
		);
	});
	return ok === true;
}

async function ourTypes(server: N8nServer): Promise<NodeType[]> {
	const all = (await server.types('nodes')) as NodeType[];
	return all.filter((t) => t.name.startsWith(`${PACKAGE}.`));
}

async function examplesCredentialExists(s: Scope): Promise<void> {
	const list = await s.server.rest<Array<{ id: string }>>('GET', '/credentials');
	check(
		list.some((c) => c.id === s.credential.id),
		`the examples' credential ${s.credential.id} is not in the instance: import it before n8n start`,
	);
}

async function drive(
	session: BrowserSession,
	server: N8nServer,
	ctx: BrowserPassContext,
	shots: Screenshots,
	tmpDir: string,
): Promise<void> {
	const page = session.context.pages()[0] ?? (await session.context.newPage());
	page.setDefaultTimeout(20_000);
	// 1.x asks before leaving an unsaved workflow; every import starts on a new canvas.
	page.on('dialog', (d) => void d.accept());
	const editor = new Editor(page, server.url, lineUi(ctx.line.n8nVersion));
	const step = screenshotOnFailure(ctx.report, editor, shots);
	const base = { ...ctx, server, editor, shots, tmpDir, step, types: [] as NodeType[] };
	if (!(await ownerInTheEditor(base, session))) return;
	const s: Scope = { ...base, types: await ourTypes(server) };
	await s.step("browser: the examples' credential is in the instance", async () => {
		await examplesCredentialExists(s);
		return detailed(undefined, `${s.credential.id} "${s.credential.name}"`);
	});
	await checkNodesPanel(s);
	await checkCredentialModal(s);
	await checkExamples(s);
	await checkRunFromEditor(s);
	await s.step(
		'browser: nothing left loopback (aborted), beyond the npm lookup n8n makes',
		async () => {
			const unexpected = session.blocked.filter((u) => !EXPECTED_OFF_LOOPBACK.test(u));
			check(
				unexpected.length === 0,
				`the editor tried ${unexpected.length} requests off loopback (aborted): ${[...new Set(unexpected)].join(', ')}`,
			);
			return detailed(
				undefined,
				`${session.blocked.length} aborted: ${[...new Set(session.blocked)].join(', ') || 'none'}`,
			);
		},
	);
}

/** Runs every browser check against `server` and records them as steps of `ctx.report`. */
export async function runBrowserPass(server: N8nServer, ctx: BrowserPassContext): Promise<void> {
	const started = Date.now();
	const { report } = ctx;
	const chromium = await report.step(
		"browser: Debian's chromium (apt-get install when missing)",
		async () => {
			const c = await ensureChromium((m) => report.note(m));
			return detailed(
				c,
				`${c.path}: ${c.installed}${c.installMs ? ` in ${formatMs(c.installMs)}` : ''}`,
			);
		},
	);
	if (!chromium) return;
	const session = await report.step(
		'browser: headless chromium, fresh profile, loopback only',
		openBrowser,
	);
	if (!session) return;
	const shots = await Screenshots.create(ctx.line.label);
	const tmpDir = await makeTempDir('n8n-e2e-browser-');
	try {
		await drive(session, server, ctx, shots, tmpDir);
	} finally {
		await session.close();
		await removeDir(tmpDir);
	}
	report.note(
		`browser pass ${formatMs(Date.now() - started)}; ${shots.written.length} screenshots in ${shots.dir}` +
			(shots.readme.length ? `; README images ${shots.readme.join(', ')}` : ''),
	);
}
