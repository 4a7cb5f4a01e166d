// Remediate inside n8n's engine against the simulator: batching, output items, waiting.
import type { IDataObject } from 'n8n-workflow';

import {
	ACTION_FROM_ITEM,
	addMalop,
	DEMO_USER,
	engineFor,
	expectNoSecrets,
	expectPairedInOrder,
	item,
	json,
	logs,
	posts,
	reads,
	RESULT_TIME,
	results,
	runRemediate,
	simulator,
	type Simulator,
} from './fixtures';

let sim: Simulator | undefined;

afterEach(async () => {
	await sim?.close();
	sim = undefined;
	logs.length = 0;
});

describe('batching', () => {
	it('sends one POST per Malop with every machine and target, duplicates merged, and answers per item in input order', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-a1' }, { name: 'desktop-a2' }]);
		const b = addMalop(sim, [{ name: 'desktop-b1' }]);
		const [a1, a2] = a.machines;
		const [b1] = b.machines;
		const input = [
			item(a.malop, a1, 'KILL_PROCESS', a.targets[0].process),
			item(b.malop, b1, 'QUARANTINE_FILE', b.targets[0].file),
			item(a.malop, a2, 'ISOLATE_MACHINE'),
			item(a.malop, a1, 'KILL_PROCESS', a.targets[0].process),
			item(a.malop, a1, 'BLOCK_FILE', a.targets[0].file),
		];
		const engine = engineFor(sim);
		const result = await runRemediate(engine, input, { parameters: ACTION_FROM_ITEM });
		expect(result.error).toBeUndefined();

		const sent = posts(sim);
		expect(sent).toHaveLength(2);
		const bodies = new Map(sent.map((r) => [(r.body as IDataObject).malopId, r.body]));
		expect(bodies.get(a.malop.guid)).toEqual({
			malopId: a.malop.guid,
			initiatorUserName: DEMO_USER.username,
			actionsByMachine: {
				[a1.guid]: [
					{ targetId: a.targets[0].process.guid, actionType: 'KILL_PROCESS' },
					{ targetId: a.targets[0].file.guid, actionType: 'BLOCK_FILE' },
				],
				[a2.guid]: [{ actionType: 'ISOLATE_MACHINE' }],
			},
		});
		expect(bodies.get(b.malop.guid)).toEqual({
			malopId: b.malop.guid,
			initiatorUserName: DEMO_USER.username,
			actionsByMachine: {
				[b1.guid]: [{ targetId: b.targets[0].file.guid, actionType: 'QUARANTINE_FILE' }],
			},
		});

		const out = result.output('Remediate');
		expectPairedInOrder(out, 5);
		const [remA, remB] = [a.malop.guid, b.malop.guid].map(
			(guid) =>
				[...sim!.state.remediations.values()].find((r) => r.malopId === guid)!.remediationId,
		);
		expect(
			json(out).map((o) => [o.malopId, o.machineGuid, o.actionType, o.targetId, o.remediationId]),
		).toEqual([
			[a.malop.guid, a1.guid, 'KILL_PROCESS', a.targets[0].process.guid, remA],
			[b.malop.guid, b1.guid, 'QUARANTINE_FILE', b.targets[0].file.guid, remB],
			[a.malop.guid, a2.guid, 'ISOLATE_MACHINE', null, remA],
			[a.malop.guid, a1.guid, 'KILL_PROCESS', a.targets[0].process.guid, remA],
			[a.malop.guid, a1.guid, 'BLOCK_FILE', a.targets[0].file.guid, remA],
		]);
		// Without waiting, the status is the first answer's: an empty statusLog means accepted, PENDING.
		expect(json(out)[0]).toEqual({
			malopId: a.malop.guid,
			machineGuid: a1.guid,
			machineName: 'desktop-a1',
			actionType: 'KILL_PROCESS',
			targetId: a.targets[0].process.guid,
			remediationId: remA,
			initiatingUser: DEMO_USER.username,
			results: {
				status: 'PENDING',
				message: 'Accepted by the console; the sensor has not reported yet',
				errorType: null,
				...RESULT_TIME,
			},
		});
		expect(results(out).every((r) => r.status === 'PENDING')).toBe(true);
		expect(reads(sim, '/rest/remediate/progress/')).toHaveLength(0);
		expectNoSecrets(engine, result);
	});

	it('reports the PENDING entries of a console that lists them in its first answer', async () => {
		sim = await simulator({ initialStatusLog: 'pending' });
		const a = addMalop(sim, [{ name: 'desktop-p1' }]);
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{
				parameters: ACTION_FROM_ITEM,
			},
		);
		const [r] = results(result.output('Remediate'));
		expect(r).toEqual({
			status: 'PENDING',
			message: null,
			errorType: null,
			...RESULT_TIME,
		});
	});

	it('runs every action type in one request and waits for all of them', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-all' }]);
		const [m] = a.machines;
		const t = a.targets[0];
		const input = [
			item(a.malop, m, 'ISOLATE_MACHINE'),
			item(a.malop, m, 'KILL_PROCESS', t.process),
			item(a.malop, m, 'QUARANTINE_FILE', t.file),
			item(a.malop, m, 'UNQUARANTINE_FILE', t.quarantinedFile),
			item(a.malop, m, 'DELETE_REGISTRY_KEY', t.registry),
			item(a.malop, m, 'BLOCK_FILE', t.file),
			item(a.malop, m, 'KILL_PREVENT_UNSUSPEND', t.suspended),
			item(a.malop, m, 'UNSUSPEND_PROCESS', t.suspended),
		];
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { waitForCompletion: true, pollInterval: 0.05, timeout: 10 },
		});
		expect(result.error).toBeUndefined();
		expect(posts(sim)).toHaveLength(1);
		const actions = (posts(sim)[0].body as IDataObject).actionsByMachine as Record<
			string,
			IDataObject[]
		>;
		expect(actions[m.guid]).toHaveLength(8);
		expect(actions[m.guid][0]).toEqual({ actionType: 'ISOLATE_MACHINE' });
		const out = result.output('Remediate');
		expectPairedInOrder(out, 8);
		expect(json(out).map((o) => o.actionType)).toEqual(input.map((i) => i.actionType));
		expect(results(out).map((r) => r.status)).toEqual(Array(8).fill('SUCCESS'));
		expect(m.isolated).toBe(true);
	});
});

describe('a machine isolated under several Malops', () => {
	it.each(['remediate', 'sensorCommand'])(
		'is isolated once (%s), the other items share the result, and the cap counts what is sent',
		async (isolationMethod) => {
			sim = await simulator();
			const a = addMalop(sim, [{ name: 'srv-shared' }, { name: 'desktop-a' }]);
			const shared = a.machines[0];
			const b = sim.state.addMalop({ machines: [{ guid: shared.guid }] });
			const input = [
				item(a.malop, shared, 'ISOLATE_MACHINE'),
				item(a.malop, a.machines[1], 'ISOLATE_MACHINE'),
				item(b, shared, 'ISOLATE_MACHINE'),
			];
			const path =
				isolationMethod === 'remediate'
					? '/rest/remediate'
					: '/rest/monitor/global/commands/isolate';
			// Two machines are isolated: a cap of 2 lets the run through, and says so when it refuses.
			const over = await runRemediate(engineFor(sim), input, {
				parameters: ACTION_FROM_ITEM,
				options: { isolationMethod, maxTargetsPerRun: 1 },
			});
			expect(over.error?.message).toBe(
				'Refused: this run would act on 2 targets, more than Max Targets Per Run (1). Nothing was sent.',
			);
			const result = await runRemediate(engineFor(sim), input, {
				parameters: ACTION_FROM_ITEM,
				options: {
					isolationMethod,
					maxTargetsPerRun: 2,
					waitForCompletion: true,
					pollInterval: 0.05,
					timeout: 10,
				},
			});
			expect(result.error).toBeUndefined();
			const sent = posts(sim, path);
			expect(sent.map((r) => (r.body as IDataObject).malopId)).toEqual([a.malop.guid]);
			if (isolationMethod === 'remediate') {
				expect(Object.keys((sent[0].body as IDataObject).actionsByMachine as IDataObject)).toEqual([
					shared.guid,
					a.machines[1].guid,
				]);
				expect(sim.state.remediations.size).toBe(1);
			} else {
				expect((sent[0].body as IDataObject).pylumIds).toEqual([
					shared.pylumId,
					a.machines[1].pylumId,
				]);
			}
			const out = json(result.output('Remediate'));
			expectPairedInOrder(result.output('Remediate'), 3);
			expect(out.map((o) => (o.results as IDataObject).status)).toEqual([
				'SUCCESS',
				'SUCCESS',
				'SUCCESS',
			]);
			expect(out[2]).toMatchObject({
				malopId: b.guid,
				machineGuid: shared.guid,
				remediationId: out[0].remediationId,
			});
			expect(out[2].note).toBe(
				`Isolation is a state of the machine: it was sent once in this run, under Malop ${a.malop.guid}, and this item shares its result.`,
			);
			expect(out[0].note).toBeUndefined();
			expect(shared.isolated).toBe(true);
		},
	);
	it('is not sent again by a re-run that meets the Malops in another order, and fails closed on either history', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'srv-shared2' }]);
		const shared = a.machines[0];
		const b = sim.state.addMalop({ machines: [{ guid: shared.guid }] });
		const first = await runRemediate(
			engineFor(sim),
			[item(a.malop, shared, 'ISOLATE_MACHINE'), item(b, shared, 'ISOLATE_MACHINE')],
			{ parameters: ACTION_FROM_ITEM },
		);
		expect(first.error).toBeUndefined();
		// Get Malops lists the newest first: after B's update, a re-run meets B before A.
		const reordered = [
			item(b, shared, 'ISOLATE_MACHINE'),
			item(a.malop, shared, 'ISOLATE_MACHINE'),
		];
		const again = await runRemediate(engineFor(sim), reordered, { parameters: ACTION_FROM_ITEM });
		expect(again.error).toBeUndefined();
		expect(posts(sim).map((r) => (r.body as IDataObject).malopId)).toEqual([a.malop.guid]);
		expect(sim.state.remediations.size).toBe(1);
		const out = json(again.output('Remediate'));
		expect(out.map((o) => o.remediationId)).toEqual(
			Array(2).fill(json(first.output('Remediate'))[0].remediationId),
		);
		expect(out[0].note).toMatch(/within the replay guard window; not sent again\.$/);
		// When the history of the Malop it was sent under cannot be read, it is not sent under the other one.
		sim.state.addFault({
			method: 'GET',
			path: `/rest/remediate/status/${a.malop.guid}`,
			status: 403,
		});
		const blind = await runRemediate(engineFor(sim), reordered, {
			parameters: ACTION_FROM_ITEM,
			continueOnFail: true,
		});
		expect(json(blind.output('Remediate'))[0].error).toBe(
			`Nothing was sent for Malop ${a.malop.guid}: the replay guard could not read its remediation history (HTTP 403)`,
		);
		expect(posts(sim)).toHaveLength(1);
	});
});

describe('waiting for completion', () => {
	it('polls PENDING -> IN_PROGRESS -> SUCCESS, one progress read per remediation per interval', async () => {
		sim = await simulator({ remediationStepMs: 150 });
		const a = addMalop(sim, [{ name: 'desktop-w1' }, { name: 'desktop-w2' }]);
		const b = addMalop(sim, [{ name: 'desktop-w3' }]);
		const input = [
			...a.machines.flatMap((m, i) => [
				item(a.malop, m, 'KILL_PROCESS', a.targets[i].process),
				item(a.malop, m, 'QUARANTINE_FILE', a.targets[i].file),
			]),
			item(b.malop, b.machines[0], 'KILL_PROCESS', b.targets[0].process),
		];
		const started = Date.now();
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { waitForCompletion: true, pollInterval: 0.05, timeout: 10 },
		});
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		const out = result.output('Remediate');
		expectPairedInOrder(out, 5);
		for (const r of results(out)) {
			expect(r).toEqual({
				status: 'SUCCESS',
				message: null,
				errorType: null,
				...RESULT_TIME,
			});
		}
		const progress = reads(sim, '/rest/remediate/progress/');
		const byRemediation = new Map<string, number[]>();
		for (const r of progress) {
			const id = r.path.split('/').pop()!;
			byRemediation.set(id, [...(byRemediation.get(id) ?? []), r.time]);
		}
		expect(byRemediation.size).toBe(2);
		for (const [id, times] of byRemediation) {
			expect(id).toMatch(/^[0-9a-f-]{36}$/);
			// Once per interval, not once per item: never two reads of one remediation closer than the interval.
			for (let i = 1; i < times.length; i++)
				expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(40);
			expect(times.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
		}
		// The path names the initiating user, as the console expects.
		expect(progress[0].path).toContain(`/rest/remediate/progress/${DEMO_USER.username}/`);
	});

	it('reports SUCCESS and FAILURE side by side, with the console message and error type', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-m1' }, { name: 'desktop-m2' }]);
		sim.state.setOutcome(a.targets[1].process.guid, {
			status: 'FAILURE',
			errorType: 'PROCESS_NOT_FOUND',
			message: 'Process is no longer running',
		});
		const input = a.machines.map((m, i) => item(a.malop, m, 'KILL_PROCESS', a.targets[i].process));
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { waitForCompletion: true, pollInterval: 0.05, timeout: 10 },
		});
		expect(result.error).toBeUndefined();
		expect(results(result.output('Remediate'))).toEqual([
			{ status: 'SUCCESS', message: null, errorType: null, ...RESULT_TIME },
			{
				status: 'FAILURE',
				message: 'Process is no longer running',
				errorType: 'PROCESS_NOT_FOUND',
				...RESULT_TIME,
			},
		]);
	});

	it('reports TIMEOUT for an offline sensor and leaves the remediation running without Abort On Timeout', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'laptop-offline', connected: false }]);
		const started = Date.now();
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{
				parameters: ACTION_FROM_ITEM,
				options: { waitForCompletion: true, pollInterval: 0.05, timeout: 0.4 },
			},
		);
		expect(Date.now() - started).toBeLessThan(3000);
		const [r] = results(result.output('Remediate'));
		expect(r.status).toBe('TIMEOUT');
		expect(r.message).toMatch(
			/^Still PENDING when the timeout of 0.4 s passed\. .*Abort On Timeout/,
		);
		expect(
			posts(
				sim,
				`/rest/remediate/abort/${a.malop.guid}/${json(result.output('Remediate'))[0].remediationId}`,
			),
		).toHaveLength(0);
	});

	it('says the progress could not be read, with the HTTP code, when the reads keep failing', async () => {
		sim = await simulator();
		const a = addMalop(sim, [{ name: 'desktop-u1' }]);
		sim.state.addFault({
			method: 'GET',
			path: '/rest/remediate/progress/*',
			status: 500,
			times: Infinity,
		});
		const result = await runRemediate(
			engineFor(sim),
			[item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process)],
			{
				parameters: ACTION_FROM_ITEM,
				options: { waitForCompletion: true, pollInterval: 0.05, timeout: 0.5 },
			},
		);
		const [out] = json(result.output('Remediate'));
		expect(out.results).toMatchObject({ status: 'TIMEOUT', errorType: '500' });
		const message = String((out.results as IDataObject).message);
		expect(message).toMatch(
			new RegExp(
				`^Still PENDING when the timeout of 0.5 s passed\\. The progress of remediation ${out.remediationId} could not be read: the last 1 read\\(s\\) failed \\(Could not read the progress .*HTTP 500.*\\), so its real state is unknown; check it in the Cybereason console\\.`,
			),
		);
		expect(message).not.toContain('still queued or running');
		// The console did act: the remediation is there, and finished on its side.
		expect(sim.state.remediation(String(out.remediationId))?.end).not.toBeNull();
	});

	it('aborts at the deadline and reports ABORTED once the console confirms, and the real status of what finished', async () => {
		sim = await simulator();
		const a = addMalop(sim, [
			{ name: 'laptop-offline', connected: false },
			{ name: 'desktop-online' },
		]);
		const b = addMalop(sim, [{ name: 'laptop-offline-2', connected: false }]);
		const input = [
			item(a.malop, a.machines[0], 'KILL_PROCESS', a.targets[0].process),
			item(a.malop, a.machines[1], 'KILL_PROCESS', a.targets[1].process),
			item(b.malop, b.machines[0], 'ISOLATE_MACHINE'),
		];
		const started = Date.now();
		const result = await runRemediate(engineFor(sim), input, {
			parameters: ACTION_FROM_ITEM,
			options: { waitForCompletion: true, pollInterval: 0.05, timeout: 1.5, abortOnTimeout: true },
		});
		// One deadline for the whole run, not one per Malop.
		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error).toBeUndefined();
		const out = json(result.output('Remediate'));
		expect(out.map((o) => (o.results as IDataObject).status)).toEqual([
			'ABORTED',
			'SUCCESS',
			'ABORTED',
		]);
		const aborts = sim.requests.filter((r) => r.path.startsWith('/rest/remediate/abort/'));
		expect(aborts.map((r) => r.path).sort()).toEqual(
			[
				`/rest/remediate/abort/${a.malop.guid}/${out[0].remediationId}`,
				`/rest/remediate/abort/${b.malop.guid}/${out[2].remediationId}`,
			].sort(),
		);
		const record = sim.state.remediations.get(out[0].remediationId as string)!;
		expect(record.statusLog.at(-1)?.status).toBe('ABORTED');
	});
});
