// Comment On Malop: one comment per Malop saying what this run sent, in the console where analysts look; a failed
// comment is a warning, never a failed remediation; never in a dry run, never twice.
import type { IDataObject } from 'n8n-workflow';

import {
	ACTION_FROM_ITEM,
	addMalop,
	DEMO_USER,
	engineFor,
	item,
	json,
	logs,
	posts,
	results,
	runRemediate,
	simulatorPerTest,
	type RunOptions,
	type Simulator,
} from './fixtures';

const start = simulatorPerTest();
const WAIT = { waitForCompletion: true, pollInterval: 0.05, timeout: 10 };
const commentPosts = (sim: Simulator) =>
	sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/rest/crimes/comment/'));
/** The comments our user left on the Malop (the simulator seeds some from analysts). */
const ours = (sim: Simulator, guid: string) =>
	sim.state.malops.get(guid)!.comments.filter((c) => c.username === DEMO_USER.username);
const commentsOn = (sim: Simulator, guid: string) =>
	ours(sim, guid).map((c) => ({ username: c.username, message: c.message }));

/** Malop A: kill a process on one machine, isolate another; Malop B: isolate its machine. */
function twoMalops(sim: Simulator) {
	const a = addMalop(sim, [{ name: 'desktop-c1' }, { name: 'desktop-c2' }]);
	const b = addMalop(sim, [{ name: 'desktop-c3' }]);
	const input = [
		item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process, { targetName: 'evil.exe' }),
		item(a.malop, a.machines[1], 'ISOLATE_MACHINE'),
		item(b.malop, b.machines[0], 'ISOLATE_MACHINE'),
	];
	return { a, b, input };
}

async function run(
	sim: Simulator,
	input: IDataObject[],
	options: IDataObject,
	more: RunOptions = {},
) {
	return await runRemediate(engineFor(sim), input, {
		parameters: ACTION_FROM_ITEM,
		options: { commentOnMalop: true, ...options },
		...more,
	});
}

/** The three items of twoMalops, waited for: every action succeeds, the run does not fail. */
async function runAllSucceed(sim: Simulator, input: IDataObject[]) {
	const result = await run(sim, input, WAIT);
	expect(result.error).toBeUndefined();
	expect(results(result.output('Remediate')).map((r) => r.status)).toEqual([
		'SUCCESS',
		'SUCCESS',
		'SUCCESS',
	]);
	return { result, out: json(result.output('Remediate')) };
}

describe('Comment On Malop', () => {
	it('posts one comment per Malop with the actions, machines, remediation IDs and final statuses', async () => {
		const sim = await start();
		const { a, b, input } = twoMalops(sim);
		const { out } = await runAllSucceed(sim, input);
		const [remA, , remB] = out.map((o) => o.remediationId);
		const origin = /^n8n workflow "test workflow" \(execution exec-\d+\)/;
		const [commentA] = commentsOn(sim, a.malop.guid);
		expect(commentA.message).toMatch(origin);
		expect(commentA.message.replace(origin, 'n8n')).toBe(
			[
				'n8n sent 2 remediation actions on 2 machines:',
				`- KILL_PROCESS on desktop-c1, target evil.exe ${a.targets[0].process.guid}: SUCCESS (remediation ${remA})`,
				`- ISOLATE_MACHINE on desktop-c2: SUCCESS (remediation ${remA})`,
				'Statuses are final, as the sensors reported them.',
			].join('\n'),
		);
		expect(commentsOn(sim, b.malop.guid).map((c) => c.message.replace(origin, 'n8n'))).toEqual([
			[
				'n8n sent 1 remediation action on 1 machine:',
				`- ISOLATE_MACHINE on desktop-c3: SUCCESS (remediation ${remB})`,
				'Statuses are final, as the sensors reported them.',
			].join('\n'),
		]);
		// Once per Malop, after the actions: every remediation POST came before the first comment.
		expect(commentPosts(sim)).toHaveLength(2);
		const lastAction = Math.max(...posts(sim).map((r) => sim.requests.indexOf(r)));
		expect(sim.requests.indexOf(commentPosts(sim)[0])).toBeGreaterThan(lastAction);
		// Each item says which comment tells of it.
		const ids = new Map([a, b].map((m) => [m.malop.guid, ours(sim, m.malop.guid)[0].commentId]));
		for (const o of out) {
			expect(o.comment).toEqual({
				commentId: ids.get(o.malopId as string),
				timestamp: expect.any(String),
			});
			expect(o).not.toHaveProperty('warnings');
		}
	});

	it('without waiting, says the statuses are the first answer', async () => {
		const sim = await start();
		const { a, input } = twoMalops(sim);
		await run(sim, input.slice(0, 2), {});
		const [{ message }] = commentsOn(sim, a.malop.guid);
		expect(message).toContain(`- ISOLATE_MACHINE on desktop-c2: PENDING (remediation `);
		expect(message.split('\n').at(-1)).toBe(
			'Statuses are the console’s first answer; the actions may still be running.',
		);
	});

	it('comments on every Malop whose items share an isolation sent once', async () => {
		const sim = await start();
		const a = addMalop(sim, [{ name: 'desktop-c4' }]);
		const b = sim.state.addMalop({ machines: [] });
		sim.state.addMachineToMalop(b.guid, { guid: a.machines[0].guid });
		const input = [
			item(a.malop, a.machines[0], 'ISOLATE_MACHINE'),
			{ ...item(a.malop, a.machines[0], 'ISOLATE_MACHINE'), malopId: b.guid },
		];
		const result = await run(sim, input, WAIT);
		expect(result.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(1);
		for (const guid of [a.malop.guid, b.guid]) {
			expect(commentsOn(sim, guid).map((c) => c.message.split('\n')[1])).toEqual([
				expect.stringMatching(/^- ISOLATE_MACHINE on desktop-c4: SUCCESS \(remediation /),
			]);
		}
	});

	it('never comments in a dry run, nor when the option is not added', async () => {
		const sim = await start();
		const { input } = twoMalops(sim);
		await run(sim, input, { dryRun: true });
		await runRemediate(engineFor(sim), input, { parameters: ACTION_FROM_ITEM });
		expect(posts(sim)).toHaveLength(2);
		expect(commentPosts(sim)).toHaveLength(0);
	});

	it('a comment that fails is a warning on the items and a hint, and the remediation stands', async () => {
		const sim = await start();
		const { a, b, input } = twoMalops(sim);
		sim.state.addFault({
			method: 'POST',
			path: `/rest/crimes/comment/${a.malop.guid}`,
			status: 403,
			times: 1,
		});
		const { result, out } = await runAllSucceed(sim, input);
		const warning = expect.stringMatching(
			new RegExp(
				`^The comment on Malop ${a.malop.guid} could not be posted \\(.*403.*\\); the remediation is not affected\\.`,
			),
		);
		expect(out.slice(0, 2).map((o) => o.warnings)).toEqual([[warning], [warning]]);
		expect(out[2].comment).toEqual({
			commentId: expect.any(String),
			timestamp: expect.any(String),
		});
		expect(result.hints('Remediate').map((h) => [h.message, h.type])).toEqual([
			[warning, 'warning'],
		]);
		expect(commentsOn(sim, a.malop.guid)).toEqual([]);
		expect(commentsOn(sim, b.malop.guid)).toHaveLength(1);
		// Unattended runs show no hints: n8n's log has it too.
		expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
			expect.stringContaining(`The comment on Malop ${a.malop.guid} could not be posted`),
		]);
	});

	it('a lost answer is read back, never posted twice', async () => {
		const sim = await start();
		const { a, input } = twoMalops(sim);
		sim.state.addFault({ method: 'POST', path: '/rest/crimes/comment/*', drop: 'afterProcessing' });
		const result = await run(sim, input.slice(0, 1), {});
		expect(result.error).toBeUndefined();
		expect(commentPosts(sim)).toHaveLength(1);
		expect(commentsOn(sim, a.malop.guid)).toHaveLength(1);
		expect(json(result.output('Remediate'))[0].comment).toEqual({
			commentId: ours(sim, a.malop.guid)[0].commentId,
			timestamp: expect.any(String),
			note: expect.stringMatching(/^The console's answer was lost .*not posted again\.$/),
		});
	});

	it('a re-run the replay guard stops sends no action and no second comment', async () => {
		const sim = await start();
		const { a, b, input } = twoMalops(sim);
		await run(sim, input, WAIT);
		const again = await run(sim, input, WAIT);
		expect(again.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(2);
		expect(commentPosts(sim)).toHaveLength(2);
		expect([a, b].map((m) => commentsOn(sim, m.malop.guid).length)).toEqual([1, 1]);
		expect(json(again.output('Remediate')).map((o) => o.comment)).toEqual([
			undefined,
			undefined,
			undefined,
		]);
	});
});
